/**
 * Sign Request > Send and Wait for Signature, step by step against the Circularo simulator over
 * HTTP: what execute() registers (the body, the secret), which deliveries resume a waiting
 * execution and which do not (the simulator delivers to a stand-in of n8n's waiting-webhook route
 * that runs the node's webhook()), the shortcut for a sign request that ended before the wait, and
 * the clean-up of registrations whose wait has ended.
 */
import { createHmac } from 'crypto';
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import {
	actionNode,
	actionNodeType,
	executeContext,
	type CircularoTestCredentials,
} from '../helpers/n8nContext';
import { waitSigningSecret } from '../../nodes/Circularo/actions/signRequest/waitForSignature/registration';
import { startWaitingN8n, type WaitingExecution, type WaitingN8n } from '../helpers/waitingN8n';

jest.mock('../../nodes/Circularo/actions/signRequest/waitForSignature/n8nVersion', () => ({
	...jest.requireActual('../../nodes/Circularo/actions/signRequest/waitForSignature/n8nVersion'),
	resumesOnEveryOutput: jest.fn(() => true),
}));
const support = jest.requireMock(
	'../../nodes/Circularo/actions/signRequest/waitForSignature/n8nVersion',
);

const { startSimulator, hmacHex } = require('../../simulator');

const SIGNER = 'signer@example.com';
const SIGNING_SECRET = 'credential-signing-secret';
const DAY_MS = 86_400_000;
/** A seeded document, for refusals that happen before any call. */
const SEEDED_DOCUMENT = 'doc-sales-1';

let sim: any;
let n8n: WaitingN8n;
let credentials: CircularoTestCredentials;
let executionCount = 0;

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
	n8n = await startWaitingN8n();
	credentials = {
		serverUrl: sim.baseUrl,
		apiKey: sim.keys.teamAdmin,
		webhookSecret: SIGNING_SECRET,
	};
});
afterAll(async () => {
	await n8n.close();
	await sim.stop();
});
beforeEach(() => {
	sim.reset();
	n8n.answers.length = 0;
	support.resumesOnEveryOutput.mockReturnValue(true);
});

const sendAndWait = (documentId: string, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'signRequest',
	operation: 'sendAndWaitForSignature',
	documentId,
	recipients: { recipient: [{ shareTo: SIGNER }] },
	...extra,
});

/** The API calls the simulator logged since `from`, as "METHOD /path". */
const callsSince = (from: number) =>
	sim.requests.slice(from).map((r: any) => `${r.method} ${r.path.replace(/^\/api\/v1/, '')}`);

/** Runs execute() for a new execution; resolves its outputs, what it asked of n8n and the execution. */
async function run(parameters: INodeParameters, o: { key?: string; node?: any } = {}) {
	const execution: WaitingExecution = {
		id: String(++executionCount),
		token: `token${executionCount}`.padEnd(64, '0'),
		status: 'waiting',
		parameters,
		credentials: { ...credentials, apiKey: o.key ? sim.keys[o.key] : credentials.apiKey },
	};
	const { context, wait } = executeContext({
		credentials: execution.credentials,
		parameters,
		items: [{ json: { from: 'the previous node' } }],
		execution: { id: execution.id, resumeUrl: n8n.resumeUrl(execution) },
		node: o.node,
	});
	const outputs = await actionNodeType.execute!.call(context);
	if (wait.waitTill) n8n.executions.set(execution.id, execution);
	return { outputs, wait, execution };
}

async function failure(parameters: INodeParameters, o: { key?: string; node?: any } = {}) {
	return await run(parameters, o).then(
		() => {
			throw new Error('expected the node to fail');
		},
		(error: Error & { description?: string }) => error,
	);
}

/** Circularo's registrations whose callback URL is this execution's. */
const registrationsOf = (execution: WaitingExecution) =>
	sim
		.listWebhooks()
		.filter((w: any) => w.callbackUrl.includes(`/webhook-waiting/${execution.id}/`));

const newDocument = () =>
	sim.createDocument({ title: 'Contract', team: 'Sales', shareStateName: null }).documentId;

/** Moves the document to the trash through Circularo's API (as Document > Delete does), as Sam Sales. */
async function deleteInCircularo(documentId: string) {
	const answer = await fetch(`${sim.apiUrl}/documents?token=${sim.keys.teamAdmin}`, {
		method: 'DELETE',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ documents: [{ id: documentId }] }),
	});
	expect(answer.status).toBe(200);
	await sim.settled();
}
const BOTH_FILES = { downloadSignedDocument: true, includeAuditTrail: true };

describe('Send and Wait for Signature: execute()', () => {
	it('checks the rights, shares, registers this execution at Circularo, reads the state and waits', async () => {
		const documentId = newDocument();
		const before = Date.now();
		const { outputs, wait, execution } = await run(
			sendAndWait(documentId, {
				options: { limitWaitTime: { values: { resumeAmount: 2, resumeUnit: 'days' } } },
			}),
		);
		expect(callsSince(0)).toEqual([
			'GET /webhooks',
			`GET /documents/${documentId}`,
			'POST /share',
			'POST /webhooks',
			`GET /documents/${documentId}`,
		]);
		const register = sim.requests.find(
			(r: any) => r.method === 'POST' && r.path.endsWith('/webhooks'),
		);
		expect(Object.keys(register.body).sort()).toEqual(['callbackUrl', 'hmacSecret', 'type']);
		expect(register.body.type).toBe('team');
		const url = new URL(register.body.callbackUrl);
		expect(`${url.origin}${url.pathname}`).toBe(
			`${n8n.baseUrl}/webhook-waiting/${execution.id}/${actionNode.id}`,
		);
		expect(url.searchParams.get('signature')).toBe(execution.token);
		expect(url.searchParams.get('circularoDocumentId')).toBe(documentId);
		const until = Number(url.searchParams.get('circularoWaitUntil'));
		expect(until).toBe(wait.waitTill!.getTime());
		expect(until - before).toBeGreaterThanOrEqual(2 * DAY_MS);
		expect(until - Date.now()).toBeLessThanOrEqual(2 * DAY_MS);
		expect(Number(url.searchParams.get('circularoWaitSince'))).toBeGreaterThanOrEqual(before);
		expect(outputs).toEqual([[{ json: { from: 'the previous node' } }]]);
		expect(wait.customData).toEqual({ circularoWaitsForDocument: documentId });
		expect(sim.getDocument(documentId).shareStateName).toBe('inprogress');
	});

	it('registers a secret of its own, derived from the credential and this execution, kept nowhere', async () => {
		const documentId = newDocument();
		const first = await run(sendAndWait(documentId));
		const [registration] = registrationsOf(first.execution);
		const expected = createHmac('sha256', SIGNING_SECRET)
			.update(
				`n8n-nodes-circularo/signing-secret/send-and-wait/${JSON.stringify([first.execution.id, actionNode.id, documentId])}`,
			)
			.digest('hex');
		expect(registration.hmacSecret).toBe(expected);
		expect(JSON.stringify([first.outputs, first.wait])).not.toContain(expected);

		const other = newDocument();
		const second = await run(sendAndWait(other));
		expect(registrationsOf(second.execution)[0].hmacSecret).not.toBe(expected);
	});

	it('waits indefinitely (as n8n means it) without a wait limit, and as a global admin for the whole tenant', async () => {
		const { wait, execution } = await run(
			sendAndWait(newDocument(), { options: { webhookScope: 'tenant' } }),
			{ key: 'globalAdmin' },
		);
		expect(wait.waitTill!.toISOString()).toBe('3000-01-01T00:00:00.000Z');
		expect(registrationsOf(execution)[0].type).toBe('tenant');
	});

	it.each([
		['an empty Document ID', sendAndWait(''), /"Document ID" is empty/],
		[
			'no recipient',
			{ ...sendAndWait(SEEDED_DOCUMENT), recipients: { recipient: [] } },
			/recipient/i,
		],
		[
			'a wait limit of 0',
			sendAndWait(SEEDED_DOCUMENT, {
				options: { limitWaitTime: { values: { resumeAmount: 0, resumeUnit: 'hours' } } },
			}),
			/"Amount" of "Limit Wait Time"/,
		],
		[
			'a wait limit in the past',
			sendAndWait(SEEDED_DOCUMENT, {
				options: {
					limitWaitTime: {
						values: { limitType: 'atSpecifiedTime', maxDateAndTime: '2020-01-01T00:00:00Z' },
					},
				},
			}),
			/"Max Date and Time" .* is in the past/,
		],
		[
			'the PDF and the audit trail in one field',
			sendAndWait(SEEDED_DOCUMENT, {
				options: {
					downloadSignedDocument: true,
					includeAuditTrail: true,
					binaryPropertyName: 'pdf',
					auditTrailBinaryPropertyName: 'pdf',
				},
			}),
			/same field/,
		],
	])('refuses %s before any call', async (_what, parameters, message) => {
		const error = await failure(parameters);
		expect(error.message).toMatch(message);
		expect(sim.requests).toEqual([]);
	});

	it.each([
		['a user who is no admin', 'plainUser', /must be a team admin or global admin/],
		['a team admin without use_webhooks', 'teamAdminNoRight', /lacks the "use_webhooks" right/],
	])(
		'refuses the key of %s before sharing anything, naming the role or right it needs',
		async (_w, key, needed) => {
			const documentId = newDocument();
			const error = await failure(sendAndWait(documentId), { key });
			expect(error.description).toMatch(needed);
			expect(error.description).toMatch(/Nothing was shared/);
			expect(callsSince(0)).toEqual(['GET /webhooks']);
			expect([...sim.shares.values()].filter((s: any) => s.documentId === documentId)).toEqual([]);
		},
	);

	it('sends Automatic Reminders with the share, for every recipient who acts', async () => {
		const documentId = newDocument();
		await run(
			sendAndWait(documentId, {
				automaticReminders: { settings: { firstAfterDays: 0, intervalDays: 1 } },
			}),
		);
		const shared = sim.requests.find((r: any) => r.method === 'POST' && r.path.endsWith('/share'));
		expect(shared.body.data).toEqual([
			{
				sharePurpose: 'sign',
				shareTo: SIGNER,
				automaticReminder: { start: expect.any(String), intervalDays: 1 },
			},
		]);
		expect(
			Math.abs(Date.parse(shared.body.data[0].automaticReminder.start) - Date.now()),
		).toBeLessThan(60_000);
	});

	it('refuses to run as an AI tool, before any call', async () => {
		const error = await failure(sendAndWait(newDocument()), {
			node: { ...actionNode, type: 'n8n-nodes-circularo.circularoTool' },
		});
		expect(error.message).toBe('Send and Wait for Signature cannot run as an AI tool');
		expect(sim.requests).toEqual([]);
	});

	it('refuses on an n8n that resumes a node only on its first output, naming the version it needs', async () => {
		support.resumesOnEveryOutput.mockReturnValue(false);
		const error = await failure(sendAndWait(newDocument()));
		expect(error.message).toBe('Send and Wait for Signature needs n8n 2.39 or later');
		expect(sim.requests).toEqual([]);
	});

	it.each([
		['without', {}, false],
		['with', { checkNodesApiVersion: () => undefined }, true],
	])(
		'tells the n8n release by its n8n-workflow: %s checkNodesApiVersion (2.39 on)',
		(_with, exports, expected) => {
			jest.isolateModules(() => {
				jest.doMock('n8n-workflow', () => exports);
				const { resumesOnEveryOutput } = jest.requireActual(
					'../../nodes/Circularo/actions/signRequest/waitForSignature/n8nVersion',
				);
				expect(resumesOnEveryOutput()).toBe(expected);
			});
			jest.dontMock('n8n-workflow');
		},
	);
});

/** The one item of a resumed execution and the output index it left by. */
function resumedItem(execution: WaitingExecution): { output: number; item: INodeExecutionData } {
	expect(execution.status).toBe('resumed');
	const outputs = execution.outputs!;
	expect(outputs).toHaveLength(2);
	const output = outputs.findIndex((items) => items.length > 0);
	expect(outputs[output]).toHaveLength(1);
	expect(outputs[1 - output]).toEqual([]);
	return { output, item: outputs[output][0] };
}

describe('Send and Wait for Signature: deliveries to the waiting execution', () => {
	it('keeps waiting through a step that does not end the signing, then goes on by Completed with the signed PDF and audit trail', async () => {
		const documentId = sim.createDocument({
			title: 'Offer',
			team: 'Sales',
			shareStateName: null,
		}).documentId;
		const { execution } = await run(
			sendAndWait(documentId, {
				recipients: {
					recipient: [{ shareTo: SIGNER }, { shareTo: 'second@example.com' }],
				},
				options: { downloadSignedDocument: true, includeAuditTrail: true },
			}),
		);
		await sim.settled();
		const first = await sim.sign({ documentId, as: SIGNER });
		expect(first.events).toEqual(['documentSigned']);
		expect(first.deliveries.map((d: any) => d.status)).toEqual([200]);
		expect(execution.status).toBe('waiting');
		expect(registrationsOf(execution)).toHaveLength(1);

		const last = await sim.sign({ documentId, as: 'second@example.com' });
		expect(last.events).toEqual(['documentSigned', 'documentCompleted']);
		const { output, item } = resumedItem(execution);
		expect(output).toBe(1);
		expect(item.json).toMatchObject({
			documentId,
			outcome: 'completed',
			actor: { email: 'second@example.com' },
			reason: null,
			document: { documentId, documentTitle: 'Offer', status: 'completed' },
		});
		expect(Date.parse(item.json.at as string)).not.toBeNaN();
		const pdf = Buffer.from(item.binary!.data.data, 'base64');
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
		expect(item.binary!.data.fileName).toBe('Offer.pdf');
		expect(item.binary!.auditTrail.fileName).toBe('Offer audit trail.pdf');
		expect(registrationsOf(execution)).toEqual([]);
	});

	it('goes on by Not Completed when the signer rejects, with who, when and the reason', async () => {
		const documentId = newDocument();
		const { execution } = await run(sendAndWait(documentId));
		await sim.reject({ documentId, reason: 'Wrong amount' });
		const { output, item } = resumedItem(execution);
		expect(output).toBe(0);
		expect(item.json).toMatchObject({
			documentId,
			outcome: 'rejected',
			actor: { email: SIGNER },
			reason: 'Wrong amount',
			document: { status: 'rejected' },
		});
		expect(item.binary).toBeUndefined();
		expect(registrationsOf(execution)).toEqual([]);
	});

	it.each([
		['signExpired', 'expired'],
		['signCancelled', 'cancelled'],
	])('goes on by Not Completed for %s', async (event, outcome) => {
		const documentId = newDocument();
		const { execution } = await run(sendAndWait(documentId));
		await sim.fire({ event, documentId });
		const { output, item } = resumedItem(execution);
		expect(output).toBe(0);
		expect(item.json.outcome).toBe(outcome);
	});

	it('goes on by Not Completed when Circularo confirms the document gone (two 404 reads), downloading nothing', async () => {
		const documentId = newDocument();
		const { execution } = await run(sendAndWait(documentId, { options: BOTH_FILES }));
		await sim.settled();
		const from = sim.requests.length;
		await deleteInCircularo(documentId);
		const { output, item } = resumedItem(execution);
		expect(output).toBe(0);
		// Who and when are not taken from the delivery, and a deleted document has nothing to read.
		expect(item.json).toEqual({
			documentId,
			outcome: 'deleted',
			actor: null,
			at: null,
			reason: null,
			document: null,
		});
		expect(item.binary).toBeUndefined();
		expect(callsSince(from)).toEqual([
			'DELETE /documents',
			`GET /documents/${documentId}`,
			`GET /documents/${documentId}`,
			'GET /webhooks',
			expect.stringMatching(/^DELETE \/webhooks\//),
		]);
		expect(registrationsOf(execution)).toEqual([]);
	});

	it('answers a forged or unsigned delivery 401 and keeps waiting', async () => {
		const documentId = newDocument();
		const { execution } = await run(sendAndWait(documentId));
		for (const signature of ['wrong', 'missing', 'otherSecret']) {
			const [delivery] = await sim.fire({ event: 'documentCompleted', documentId, signature });
			expect(delivery.status).toBe(401);
		}
		expect(execution.status).toBe('waiting');
		expect(registrationsOf(execution)).toHaveLength(1);
	});

	it('acknowledges another document of the team and events that do not end the signing, and keeps waiting', async () => {
		const documentId = newDocument();
		const { execution } = await run(sendAndWait(documentId));
		const other = await sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-1' });
		expect(other.map((d: any) => d.status)).toEqual([200]);
		for (const event of ['signDelegated', 'documentEdited', 'documentSigned', 'signRequest']) {
			const [delivery] = await sim.fire({ event, documentId });
			expect(delivery.status).toBe(200);
		}
		expect(execution.status).toBe('waiting');
		// Signed with the registration's secret but sent to the URL with another document: 401.
		const [hook] = registrationsOf(execution);
		const body = JSON.stringify({ event: 'documentCompleted', documentId: 'doc-sales-1' });
		const answer = await fetch(hook.callbackUrl.replace(documentId, 'doc-sales-1'), {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-circularo-signature': hmacHex(hook.hmacSecret, Buffer.from(body)),
			},
			body,
		});
		expect(answer.status).toBe(401);
		// The credential is loaded for the first delivery only: the verified secret is remembered.
		const loads = n8n.credentialLoads.filter((a) => a.path.includes(`/${execution.id}/`));
		expect(loads.map((a) => a.loads)).toEqual([1, 0, 0, 0, 0, 1]);
		expect(execution.status).toBe('waiting');
	});

	it('reads the documented delivery shapes leniently (event and document under other names)', async () => {
		const documentId = newDocument();
		const { execution } = await run(sendAndWait(documentId));
		await sim.fire({ event: 'documentCompleted', documentId, shape: 'eventType' });
		expect(resumedItem(execution).item.json.outcome).toBe('completed');
	});
});

describe('Send and Wait for Signature: a sign request that ended before the wait', () => {
	it.each([
		['sign', 1, 'completed'],
		['reject', 0, 'rejected'],
	])(
		'goes on at once when the signer acted right away (%s), removing its registration',
		async (action, index, outcome) => {
			const documentId = newDocument();
			sim.actOnNextShare({ action, reason: 'Too late' });
			const { outputs, wait, execution } = await run(
				sendAndWait(documentId, { options: { downloadSignedDocument: true } }),
			);
			expect(wait.waitTill).toBeUndefined();
			expect(outputs).toHaveLength(2);
			expect(outputs[1 - index]).toEqual([]);
			const [item] = outputs[index];
			expect(item.json).toMatchObject({ documentId, outcome, actor: { email: SIGNER } });
			expect(item.json.reason).toBe(outcome === 'rejected' ? 'Too late' : null);
			expect(Boolean(item.binary?.data)).toBe(outcome === 'completed');
			expect(registrationsOf(execution)).toEqual([]);
			const calls = callsSince(0);
			const registered = calls.indexOf('POST /webhooks');
			expect(calls.slice(registered + 1, registered + 3)).toEqual([
				`GET /documents/${documentId}`,
				expect.stringMatching(/^DELETE \/webhooks\//),
			]);
		},
	);
	it('goes on at once by Not Completed when the document was deleted before the wait', async () => {
		const documentId = newDocument();
		// Registered, then answered late: the document is deleted meanwhile, and the delivery of
		// documentDeleted is refused (404) because the execution is not saved as waiting yet.
		sim.setFault({
			method: 'POST',
			path: '/webhooks',
			afterHandling: true,
			delayMs: 1000,
			times: 1,
		});
		const running = run(sendAndWait(documentId, { options: BOTH_FILES }));
		await sim.waitFor(() =>
			sim.listWebhooks().some((w: any) => w.callbackUrl.includes(documentId)),
		);
		await deleteInCircularo(documentId);
		const { outputs, wait, execution } = await running;
		expect(n8n.answers).toEqual([
			{ path: `/webhook-waiting/${execution.id}/${actionNode.id}`, status: 404, signed: true },
		]);
		expect(wait.waitTill).toBeUndefined();
		expect(outputs).toEqual([
			[
				{
					json: {
						documentId,
						outcome: 'deleted',
						actor: null,
						at: null,
						reason: null,
						document: null,
					},
					pairedItem: { item: 0 },
				},
			],
			[],
		]);
		expect(registrationsOf(execution)).toEqual([]);
		const calls = callsSince(0);
		// Gone on two reads a second apart: only then deleted.
		expect(calls.slice(calls.indexOf(`GET /documents/${documentId}`, 2))).toEqual([
			`GET /documents/${documentId}`,
			`GET /documents/${documentId}`,
			expect.stringMatching(/^DELETE \/webhooks\//),
		]);
	});

	it('attaches no file over Max File Size, and says its size and the option', async () => {
		const documentId = newDocument();
		sim.actOnNextShare({ action: 'sign' });
		// The simulator's PDFs are about a kilobyte: a limit of 512 bytes refuses both.
		const { outputs } = await run(
			sendAndWait(documentId, {
				options: {
					downloadSignedDocument: true,
					includeAuditTrail: true,
					maxFileSize: 512 / (1024 * 1024),
				},
			}),
		);
		const [item] = outputs[1];
		expect(item.json.outcome).toBe('completed');
		expect(item.binary ?? {}).toEqual({});
		expect(item.json.downloadError).toMatch(
			/The file is \d+ bytes, larger than the 512 bytes this node downloads\. Raise "Max File Size \(MB\)" in Options/,
		);
	});
});

describe('Send and Wait for Signature: registrations of waits that have ended', () => {
	/** Registers `callbackUrl` at Circularo (its API, as the team admin). */
	async function leftover(callbackUrl: string) {
		// This instance's own: the secret the credential derives for the URL's execution and node.
		const executionId = new URL(callbackUrl).pathname.split('/')[2];
		const hmacSecret = executionId
			? waitSigningSecret(credentials as never, executionId, actionNode.id, 'doc-sales-1')
			: 'x'.repeat(64);
		const answer = await fetch(`${sim.apiUrl}/webhooks?token=${sim.keys.teamAdmin}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ type: 'team', callbackUrl, hmacSecret }),
		});
		expect(answer.status).toBe(200);
	}
	const waitUrl = (execution: WaitingExecution, until: number, since: number) =>
		`${n8n.resumeUrl(execution)}`.replace('?', `/${actionNode.id}?`) +
		`&circularoDocumentId=doc-sales-1&circularoWaitUntil=${until}&circularoWaitSince=${since}`;
	const execution = (status: WaitingExecution['status'] | 'deleted'): WaitingExecution => {
		const e: WaitingExecution = {
			id: `old-${status}-${Math.random().toString(16).slice(2, 8)}`,
			token: 't'.repeat(64),
			status: status === 'deleted' ? 'canceled' : status,
			parameters: sendAndWait('doc-sales-1'),
			credentials: { serverUrl: '', apiKey: '' },
		};
		if (status !== 'deleted') n8n.executions.set(e.id, e);
		return e;
	};

	it('removes those past their deadline and those n8n says no longer wait (cancelled 409, deleted 404); keeps the rest', async () => {
		const now = Date.now();
		const hourAgo = now - 3_600_000;
		const expired = execution('waiting');
		const cancelled = execution('canceled');
		const deleted = execution('deleted');
		const waiting = execution('waiting');
		const recent = execution('canceled');
		await leftover(waitUrl(expired, now - 1000, hourAgo));
		await leftover(waitUrl(cancelled, now + DAY_MS, hourAgo));
		await leftover(waitUrl(deleted, now + DAY_MS, hourAgo));
		await leftover(waitUrl(waiting, now + DAY_MS, hourAgo));
		await leftover(waitUrl(recent, now + DAY_MS, now - 1000));
		const trigger = 'http://127.0.0.1:1/webhook/abc/webhook';
		await leftover(trigger);

		const from = sim.requests.length;
		const { execution: current } = await run(sendAndWait(newDocument()));
		expect(callsSince(from).filter((c: string) => c.startsWith('DELETE'))).toHaveLength(3);
		const left = sim.listWebhooks().map((w: any) => w.callbackUrl);
		expect(left).toEqual([
			waitUrl(waiting, now + DAY_MS, hourAgo),
			waitUrl(recent, now + DAY_MS, now - 1000),
			trigger,
			registrationsOf(current)[0].callbackUrl,
		]);
		// Asked without a signature: the waiting execution answered by our webhook(), the others by n8n.
		const probes = n8n.answers.filter((a) => !a.signed);
		expect(probes).toHaveLength(3);
		expect(probes).toEqual(
			expect.arrayContaining([
				{ path: `/webhook-waiting/${cancelled.id}/${actionNode.id}`, status: 409, signed: false },
				{ path: `/webhook-waiting/${deleted.id}/${actionNode.id}`, status: 404, signed: false },
				{ path: `/webhook-waiting/${waiting.id}/${actionNode.id}`, status: 401, signed: false },
			]),
		);
		expect(waiting.status).toBe('waiting');
	});
});
