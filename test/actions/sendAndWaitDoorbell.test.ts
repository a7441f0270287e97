/**
 * Send and Wait for Signature believes Circularo, not the delivery (issue #25), against the
 * simulator over HTTP with a stand-in of n8n's waiting-webhook route (../helpers/waitingN8n.ts).
 * The attacker is an insider of the team: they list its webhooks (so read every registration's
 * secret in clear) and register callback URLs of their choosing.
 */
import { createHash } from 'crypto';
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { waitSigningSecret } from '../../nodes/Circularo/actions/signRequest/waitForSignature/registration';
import {
	actionNode,
	actionNodeType,
	executeContext,
	waitingWebhookContext,
	type CircularoTestCredentials,
} from '../helpers/n8nContext';
import { startWaitingN8n, type WaitingExecution, type WaitingN8n } from '../helpers/waitingN8n';

jest.mock('../../nodes/Circularo/actions/signRequest/waitForSignature/n8nVersion', () => ({
	...jest.requireActual('../../nodes/Circularo/actions/signRequest/waitForSignature/n8nVersion'),
	resumesOnEveryOutput: jest.fn(() => true),
}));

const { startSimulator, hmacHex } = require('../../simulator');

const SIGNER = 'signer@example.com';
const DAY_MS = 86_400_000;

let sim: any;
let n8n: WaitingN8n;
let credentials: CircularoTestCredentials;
let executionCount = 0;
/** Stands for a host inside n8n's network: records every request, answers 404 (307 under /redirect). */
let internal: { url: string; requests: string[]; server: Server };

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
	n8n = await startWaitingN8n();
	credentials = { serverUrl: sim.baseUrl, apiKey: sim.keys.teamAdmin, webhookSecret: 'signing' };
	const requests: string[] = [];
	const server = createServer((req, res) => {
		if (req.headers['user-agent'] !== 'Circularo-Simulator/1.0')
			requests.push(`${req.method} ${req.url}`);
		req.resume();
		if (String(req.url).startsWith('/redirect')) res.writeHead(307, { location: '/landed' }).end();
		else res.writeHead(404).end();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	internal = {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		requests,
		server,
	};
});
afterAll(async () => {
	await n8n.close();
	await sim.stop();
	await new Promise((resolve) => internal.server.close(resolve));
});
beforeEach(async () => {
	await sim.settled();
	sim.reset();
	n8n.answers.length = 0;
	internal.requests.length = 0;
});

const sendAndWait = (documentId: string, options: object = {}): INodeParameters => ({
	resource: 'signRequest',
	operation: 'sendAndWaitForSignature',
	documentId,
	recipients: { recipient: [{ shareTo: SIGNER }] },
	options: options as never,
});
const newDocument = () =>
	sim.createDocument({ title: 'Contract', team: 'Sales', shareStateName: null }).documentId;
const callsSince = (from: number) =>
	sim.requests.slice(from).map((r: any) => `${r.method} ${r.path.replace(/^\/api\/v1/, '')}`);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function run(parameters: INodeParameters) {
	const execution: WaitingExecution = {
		id: String(++executionCount),
		token: `token${executionCount}`.padEnd(64, '0'),
		status: 'waiting',
		parameters,
		credentials,
	};
	const { context, wait } = executeContext({
		credentials,
		parameters,
		items: [{ json: {} }],
		execution: { id: execution.id, resumeUrl: n8n.resumeUrl(execution) },
	});
	const outputs = await actionNodeType.execute!.call(context);
	if (wait.waitTill) n8n.executions.set(execution.id, execution);
	return { outputs, wait, execution };
}

const registrationOf = (execution: WaitingExecution) =>
	sim
		.listWebhooks()
		.find((w: any) => w.callbackUrl.startsWith(`${n8n.baseUrl}/webhook-waiting/${execution.id}/`));

/** POSTs a delivery signed with the secret Circularo lists for the wait's registration. */
async function forge(execution: WaitingExecution, body: object) {
	const { callbackUrl, hmacSecret } = registrationOf(execution);
	const raw = JSON.stringify({ timestamp: new Date().toISOString(), ...body });
	const answer = await fetch(callbackUrl, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			'x-circularo-signature': hmacHex(hmacSecret, raw),
		},
		body: raw,
	});
	return answer.status;
}

function resumedWith(execution: WaitingExecution): INodeExecutionData & { output: number } {
	expect(execution.status).toBe('resumed');
	const output = execution.outputs!.findIndex((items) => items.length > 0);
	return { ...execution.outputs![output][0], output };
}

/** Registers a team webhook at any URL through Circularo's API, as the insider. */
async function plant(callbackUrl: string, hmacSecret?: string) {
	const answer = await fetch(`${sim.apiUrl}/webhooks?token=${sim.keys.teamAdmin}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ type: 'team', callbackUrl, hmacSecret }),
	});
	expect(answer.status).toBe(200);
	return ((await answer.json()) as { id: string }).id;
}

describe('point 1: an insider cannot set the outcome of a wait', () => {
	it('forged completed and rejected for a document in progress: the execution keeps waiting', async () => {
		const documentId = newDocument();
		const { execution } = await run(sendAndWait(documentId, { downloadSignedDocument: true }));
		const from = sim.requests.length;
		for (const event of ['documentCompleted', 'signRejected'])
			expect(await forge(execution, { event, documentId, actor: 'mallory@acme.test' })).toBe(200);
		expect(execution.status).toBe('waiting');
		expect(registrationOf(execution)).toBeDefined();
		// Each claim was checked with Circularo (a bounded number of reads), nothing downloaded.
		const calls = callsSince(from);
		expect(calls.every((c: string) => c === `GET /documents/${documentId}`)).toBe(true);
		expect(calls.length).toBeLessThanOrEqual(12);
		await sim.reject({ documentId, reason: 'Wrong amount' });
		const item = resumedWith(execution);
		expect(item.json).toMatchObject({ outcome: 'rejected', reason: 'Wrong amount' });
		expect((item.json.actor as any).email).toBe(SIGNER);
	}, 20_000);

	it('a forged completion for a document Circularo reports rejected ends as rejected, with who and when from Circularo', async () => {
		const documentId = newDocument();
		const { execution } = await run(sendAndWait(documentId, { downloadSignedDocument: true }));
		// The rejection happens while its delivery is lost (the insider removed nothing here: unsigned).
		await sim.fire({ event: 'signRejected', documentId, signature: 'missing', actor: SIGNER });
		expect(execution.status).toBe('waiting');
		await forge(execution, { event: 'documentCompleted', documentId, actor: 'mallory@acme.test' });
		const item = resumedWith(execution);
		expect(item.output).toBe(0);
		expect(item.json.outcome).toBe('rejected');
		expect(JSON.stringify(item.json.actor)).not.toContain('mallory');
		expect(item.binary).toBeUndefined();
	});

	it('reads that lag: the real signature ends the wait with the signed PDF, never the unsigned one', async () => {
		sim.setVariants({ readLagMs: 1500 });
		const documentId = newDocument();
		const { execution } = await run(sendAndWait(documentId, { downloadSignedDocument: true }));
		await new Promise((resolve) => setTimeout(resolve, 1600));
		await sim.sign({ documentId });
		await sim.waitFor(() => execution.status === 'resumed', { timeoutMs: 10_000 });
		const item = resumedWith(execution);
		expect(item.output).toBe(1);
		const signedHash = sim.getDocument(documentId).pdfHash;
		expect(sha256(Buffer.from(item.binary!.data.data, 'base64'))).toBe(signedHash);
	}, 20_000);
});

describe('points 2 and 3: only provably own registrations are touched', () => {
	it('planted registrations (another host with the path and the echoed secret, internal URLs, a redirect) are never requested or deleted', async () => {
		const documentId = newDocument();
		const { execution } = await run(sendAndWait(documentId));
		const own = registrationOf(execution);
		const url = new URL(own.callbackUrl);
		const far = Date.now() + 30 * DAY_MS;
		const query = (until: number) =>
			`circularoDocumentId=${documentId}&circularoWaitUntil=${until}&circularoWaitSince=0`;
		const planted = [
			await plant(
				`${internal.url}${url.pathname}${url.search.replace(/circularoWaitSince=\d+/, 'circularoWaitSince=0')}`,
				own.hmacSecret,
			),
			await plant(`${internal.url}/internal/passed?${query(Date.now() - 60_000)}`),
			await plant(`${internal.url}/internal/far?${query(far)}`),
			await plant(`${internal.url}/redirect?${query(far)}`),
		];
		for (let i = 0; i < 3; i++) {
			sim.actOnNextShare({ action: 'sign' });
			await run(sendAndWait(newDocument()));
		}
		await sim.sign({ documentId });
		expect(resumedWith(execution).output).toBe(1);
		await sim.settled();
		expect(internal.requests).toEqual([]);
		const left = sim.listWebhooks().map((w: any) => w.id);
		expect(planted.filter((id) => !left.includes(id))).toEqual([]);
		expect(left).not.toContain(own.id);
	}, 20_000);

	it('removes only its own leftovers n8n says have ended, at most four probes a run, after the share', async () => {
		const now = Date.now();
		const leftover = async (
			status: WaitingExecution['status'] | 'deleted',
			until = now + DAY_MS,
		) => {
			const id = `old-${status}-${Math.random().toString(16).slice(2, 8)}`;
			const e: WaitingExecution = {
				id,
				token: 't'.repeat(64),
				status: status === 'deleted' ? 'canceled' : status,
				parameters: sendAndWait('doc-sales-1'),
				credentials,
			};
			if (status !== 'deleted') n8n.executions.set(id, e);
			const secret = waitSigningSecret(credentials as never, id, actionNode.id, 'doc-sales-1');
			const callbackUrl = `${n8n.resumeUrl(e).replace('?', `/${actionNode.id}?`)}&circularoDocumentId=doc-sales-1&circularoWaitUntil=${until}&circularoWaitSince=${now - 3_600_000}`;
			return { id: await plant(callbackUrl, secret), execution: e };
		};
		const expired = await leftover('waiting', now - 1000);
		const ended = [await leftover('canceled'), await leftover('deleted')];
		const waiting = await leftover('waiting');
		const more = [
			await leftover('canceled'),
			await leftover('canceled'),
			await leftover('canceled'),
		];
		// Someone else's copy of an ended wait's URL with another secret: never ours.
		const notOurs = await plant(
			sim.listWebhooks().find((w: any) => w.id === ended[0].id).callbackUrl + '&x=1',
			'f'.repeat(64),
		);
		const from = sim.requests.length;
		await run(sendAndWait(newDocument()));
		const calls = callsSince(from);
		expect(calls.indexOf('POST /share')).toBeLessThan(
			calls.findIndex((c: string) => c.startsWith('DELETE')),
		);
		const probes = n8n.answers.filter((a) => !a.signed);
		expect(probes.length).toBeLessThanOrEqual(4);
		const left = sim.listWebhooks().map((w: any) => w.id);
		expect(left).not.toContain(expired.id);
		expect(left).toContain(waiting.id);
		expect(left).toContain(notOurs);
		const removed = [...ended, ...more].filter((l) => !left.includes(l.id));
		expect(removed.length).toBe(probes.filter((p) => p.status !== 401).length);
		// The next runs remove the rest.
		for (let i = 0; i < 2; i++) {
			sim.actOnNextShare({ action: 'sign' });
			await run(sendAndWait(newDocument()));
		}
		const after = sim.listWebhooks().map((w: any) => w.id);
		expect([...ended, ...more].filter((l) => after.includes(l.id))).toEqual([]);
		expect(after).toContain(waiting.id);
	}, 30_000);
});

describe('point 5', () => {
	it('a 404 right after sharing that a second read does not confirm: the execution waits', async () => {
		const documentId = newDocument();
		// The registration answers late, which leaves time to make the next read of the document 404.
		sim.setFault({ method: 'POST', path: '/webhooks', delayMs: 300, times: 1 });
		const running = run(sendAndWait(documentId));
		await sim.waitFor(() => sim.requests.some((r: any) => r.path.endsWith('/share')), {
			intervalMs: 5,
		});
		sim.setFault({ method: 'GET', path: `/documents/${documentId}`, status: 404, times: 1 });
		const { wait, execution } = await running;
		expect(wait.waitTill).toBeDefined();
		expect(registrationOf(execution)).toBeDefined();
	});

	it("an earlier round's delivery (same execution, node and document) cannot end a later round: Circularo says in progress", async () => {
		const documentId = newDocument();
		const { execution } = await run(sendAndWait(documentId));
		// What an earlier round of a loop left behind: a genuine ending, signed with the same secret.
		expect(await forge(execution, { event: 'signRejected', documentId })).toBe(200);
		expect(await forge(execution, { event: 'documentCompleted', documentId })).toBe(200);
		expect(execution.status).toBe('waiting');
	}, 20_000);

	it('deliveries that do not verify cost one credential load, not one each', async () => {
		const documentId = newDocument();
		const { execution } = await run(sendAndWait(documentId));
		const query = Object.fromEntries(new URL(registrationOf(execution).callbackUrl).searchParams);
		let loads = 0;
		for (let i = 0; i < 5; i++) {
			const raw = Buffer.from(JSON.stringify({ event: 'documentCompleted', documentId, n: i }));
			const { context, log } = waitingWebhookContext({
				credentials,
				parameters: sendAndWait(documentId),
				executionId: execution.id,
				headers: { 'x-circularo-signature': hmacHex('junk', raw) },
				rawBody: raw,
				query,
			});
			await actionNodeType.webhook!.call(context);
			loads += log.credentialLoads;
		}
		expect(loads).toBe(1);
	});
});
