// @ts-check
'use strict';
/**
 * Sign Request > Send and Wait for Signature in a real n8n (2.41.1, or 1.123.81 with
 * CIRCULARO_E2E_N8N_VERSION=1.123.81) with the package installed as users get it, against the
 * Circularo simulator over real HTTP. A published workflow (Webhook -> Send and Wait for Signature
 * -> "Not completed" / "Completed") is started once per document; the simulator's signer signs or
 * rejects, and Circularo's deliveries reach n8n's real waiting-webhook route.
 *
 * On n8n 2.39 and later: completed (signed PDF attached), rejected, ended before the wait, the wait
 * limit (n8n's WaitTracker resumes within about a minute; the next run removes the registration),
 * a forged delivery, another document's delivery, n8n restarted while waiting, two executions at
 * once, the refusal as an AI tool, and a document deleted while waiting or before the wait. After
 * each test Circularo holds no registration for the resume URL of a finished execution. Before
 * 2.39 (1.123): the node refuses, naming the version.
 *
 * Run: npm run build && node --test --test-concurrency=1 e2e/suites/send-and-wait.test.js
 */

const { describe, test, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const path = require('node:path');
const { promisify } = require('node:util');
const execFileAsync = promisify(require('node:child_process').execFile);
const { PublicApi, FINISHED } = require('../lib/api');
const { request } = require('../lib/http');
const { DEFAULT_N8N_VERSION } = require('../lib/install');
const { useStack } = require('../lib/circularo/stack');
const { signedDelivery } = require('../lib/circularo/trigger');
const { actionNode, toolExecutorWorkflow } = require('../lib/circularo/action');
const {
	SEND_AND_WAIT_NODES,
	sendAndWaitWorkflow,
	waitRegistrationsOf,
} = require('../lib/circularo/sendAndWait');
const { MANUAL_TRIGGER_NAME, startByWebhook } = require('../lib/workflows');

const SIGNER = 'signer@example.com';
const VERSION = process.env.CIRCULARO_E2E_N8N_VERSION || DEFAULT_N8N_VERSION;
const [MAJOR, MINOR] = VERSION.split('.').map(Number);
/** n8n 2.39 is the first to pass on every output of a node resumed from a wait. */
const SUPPORTED = MAJOR > 2 || (MAJOR === 2 && MINOR >= 39);
/** n8n's WaitTracker looks for executions to resume every 60 s. */
const WAIT_LIMIT_TIMEOUT_MS = 150_000;

describe(`Send and Wait for Signature in real n8n ${VERSION}`, { timeout: 20 * 60_000 }, () => {
	/** @type {any} */ let sim;
	/** @type {any} */ let n8n;
	/** @type {{ id: string, name: string }} */ let credential;
	/** Workflows by their options (JSON), published on first use. @type {Map<string, { id: string, url: string }>} */
	const workflows = new Map();
	/** Executions the tests started. @type {Set<string>} */
	const started = new Set();

	useStack((s) => {
		({ sim, n8n, credential } = s);
	});

	/** The published workflow for these options. @param {Record<string, any>} options */
	async function workflowFor(options) {
		const key = JSON.stringify(options);
		const known = workflows.get(key);
		if (known) return known;
		const webhookPath = `sign-${crypto.randomBytes(4).toString('hex')}`;
		const stored = await n8n.api.createWorkflow(
			sendAndWaitWorkflow({
				name: `Send and wait ${workflows.size + 1}`,
				credential,
				webhookPath,
				signer: SIGNER,
				options,
			}),
		);
		const created = { id: String(stored.id), url: n8n.webhookUrl(webhookPath) };
		await n8n.api.publish(created.id);
		workflows.set(key, created);
		return created;
	}

	/** A new document of team Sales, not yet shared. @param {string} title */
	const newDocument = (title) =>
		sim.createDocument({ title, team: 'Sales', shareStateName: null }).documentId;

	/**
	 * Moves the document to the trash through Circularo's API, as Document > Delete does (the key
	 * of Sam Sales, the team admin), and resolves the statuses its `documentDeleted` delivery got
	 * at `callbackUrl`. @param {string} documentId @param {string} callbackUrl
	 */
	async function deleteInCircularo(documentId, callbackUrl) {
		const answer = await request('DELETE', `${sim.apiUrl}/documents?token=${sim.keys.teamAdmin}`, {
			body: { documents: [{ id: documentId }] },
		});
		assert.equal(answer.status, 200, answer.text);
		await sim.settled();
		return sim.deliveries
			.filter((/** @type {any} */ d) => d.url === callbackUrl && d.event === 'documentDeleted')
			.map((/** @type {any} */ d) => d.status);
	}

	/**
	 * Starts the workflow for `documentId` and resolves its execution id once n8n has it.
	 * @param {string} documentId @param {Record<string, any>} [options]
	 */
	async function start(documentId, options = {}) {
		const workflow = await workflowFor(options);
		const id = await startByWebhook(n8n.api, workflow.id, workflow.url, { documentId });
		started.add(id);
		return id;
	}

	/** The execution once n8n has saved it as waiting. @param {string} id */
	const waiting = (id) => n8n.api.waitForStatus(id, ['waiting']);
	/** The execution once it has finished. @param {string} id @param {number} [timeoutMs] */
	const finished = (id, timeoutMs) => n8n.api.waitForStatus(id, FINISHED, { timeoutMs });

	/**
	 * The one item the node went on with and the output it took ('notCompleted' | 'completed').
	 * @param {any} execution
	 */
	function wentOnWith(execution) {
		assert.equal(
			execution.status,
			'success',
			JSON.stringify(execution.data?.resultData?.error ?? null),
		);
		const notCompleted = PublicApi.nodeOutput(execution, SEND_AND_WAIT_NODES.notCompleted);
		const completed = PublicApi.nodeOutput(execution, SEND_AND_WAIT_NODES.completed);
		assert.equal(notCompleted.length + completed.length, 1, 'one item, on one output');
		return completed.length === 1
			? { output: 'completed', item: completed[0] }
			: { output: 'notCompleted', item: notCompleted[0] };
	}

	/** The one registration of a waiting execution. @param {string} id */
	function registrationOf(id) {
		const hooks = waitRegistrationsOf(sim, id);
		assert.equal(hooks.length, 1, `one registration for execution ${id}`);
		return hooks[0];
	}

	afterEach(async () => {
		if (!SUPPORTED) return;
		for (const id of started) {
			const execution = await n8n.api.getExecution(id, { includeData: false });
			if (!FINISHED.includes(execution.status)) continue;
			assert.deepEqual(
				waitRegistrationsOf(sim, id).map((/** @type {any} */ w) => w.callbackUrl),
				[],
				`no registration left for finished execution ${id}`,
			);
		}
	});

	if (!SUPPORTED) {
		test('refuses before any Circularo call, naming the n8n version it needs', async () => {
			const documentId = newDocument('Needs a newer n8n');
			const from = sim.requests.length;
			const id = await start(documentId);
			const execution = await finished(id);
			assert.equal(execution.status, 'error');
			assert.match(
				JSON.stringify(execution.data.resultData.error),
				/Send and Wait for Signature needs n8n 2\.39 or later/,
			);
			assert.deepEqual(sim.requests.slice(from), [], 'no call to Circularo');
			assert.deepEqual(waitRegistrationsOf(sim, id), []);
		});
		return;
	}

	test('1. completed: waits, then goes on by Completed with the signed PDF and audit trail', async () => {
		const documentId = newDocument('Completed contract');
		const id = await start(documentId, {
			downloadSignedDocument: true,
			includeAuditTrail: true,
		});
		const saved = await waiting(id);
		assert.equal(saved.data.resultData.metadata?.circularoWaitsForDocument, documentId);
		const hook = registrationOf(id);
		const callback = new URL(hook.callbackUrl);
		const node = saved.workflowData.nodes.find(
			(/** @type {any} */ n) => n.name === SEND_AND_WAIT_NODES.wait,
		);
		assert.equal(
			`${callback.origin}${callback.pathname}`,
			`${n8n.baseUrl}/webhook-waiting/${id}/${node.id}`,
		);
		assert.equal(callback.searchParams.get('circularoDocumentId'), documentId);
		assert.match(hook.hmacSecret, /^[0-9a-f]{64}$/);
		assert.ok(
			!JSON.stringify(saved).includes(hook.hmacSecret),
			'the signing secret is not in the execution',
		);

		const signed = await sim.sign({ documentId });
		assert.deepEqual(signed.events, ['documentSigned', 'documentCompleted']);
		assert.deepEqual(
			signed.deliveries
				.filter((/** @type {any} */ d) => d.url === hook.callbackUrl)
				.map((/** @type {any} */ d) => d.status),
			[200, 200],
		);
		const { output, item } = wentOnWith(await finished(id));
		assert.equal(output, 'completed');
		assert.equal(item.json.documentId, documentId);
		assert.equal(item.json.outcome, 'completed');
		assert.equal(item.json.actor.email, SIGNER);
		assert.equal(item.json.document.status, 'completed');
		assert.equal(item.binary.data.mimeType, 'application/pdf');
		const pdf = await n8n.api.binaryBytes(item.binary.data);
		assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
		assert.match(pdf.toString('latin1'), /Signed by/);
		assert.ok(item.binary.auditTrail, 'the audit trail is attached');
	});

	test('2. rejected (with `npm run simulator -- reject`): goes on by Not completed with who and why', async () => {
		const documentId = newDocument('Rejected contract');
		const id = await start(documentId);
		await waiting(id);
		// What a user without a tenant types: the simulator's CLI against the running simulator.
		const cli = path.join(__dirname, '..', '..', 'simulator', 'cli.js');
		const args = [
			'reject',
			'--url',
			sim.baseUrl,
			'--document',
			documentId,
			'--reason',
			'Wrong amount',
		];
		const { stdout } = await execFileAsync(process.execPath, [cli, ...args]);
		assert.match(stdout, /rejected .*: events signRejected; state rejected/);
		const { output, item } = wentOnWith(await finished(id));
		assert.equal(output, 'notCompleted');
		assert.equal(item.json.outcome, 'rejected');
		assert.equal(item.json.reason, 'Wrong amount');
		assert.equal(item.json.actor.email, SIGNER);
	});

	test('3. completed before the wait: goes on at once, without waiting', async () => {
		const documentId = newDocument('Signed at once');
		sim.actOnNextShare({ action: 'sign' });
		const id = await start(documentId);
		const execution = await finished(id);
		const { output, item } = wentOnWith(execution);
		assert.equal(output, 'completed');
		assert.equal(item.json.outcome, 'completed');
		assert.equal(execution.waitTill ?? null, null, 'never waited');
	});

	test(
		'4. wait limit: the input goes on by Not completed without "outcome"; the next run removes the registration',
		{ timeout: WAIT_LIMIT_TIMEOUT_MS + 60_000 },
		async () => {
			const options = {
				limitWaitTime: {
					values: { limitType: 'afterTimeInterval', resumeAmount: 0.05, resumeUnit: 'minutes' },
				},
			};
			const documentId = newDocument('Never signed');
			const id = await start(documentId, options);
			await waiting(id);
			const hook = registrationOf(id);
			const { output, item } = wentOnWith(await finished(id, WAIT_LIMIT_TIMEOUT_MS));
			assert.equal(output, 'notCompleted');
			assert.equal(item.json.outcome, undefined);
			assert.equal(item.json.body.documentId, documentId, "the node's input, unchanged");
			assert.deepEqual(
				waitRegistrationsOf(sim, id).map((/** @type {any} */ w) => w.id),
				[hook.id],
				'n8n ran no node code at the limit',
			);
			// The next run of the operation (any workflow) removes it.
			const next = newDocument('Next run');
			sim.actOnNextShare({ action: 'sign' });
			wentOnWith(await finished(await start(next)));
			assert.deepEqual(waitRegistrationsOf(sim, id), []);
		},
	);

	test('5. a forged delivery is answered 401 and the execution keeps waiting', async () => {
		const documentId = newDocument('Forged');
		const id = await start(documentId);
		await waiting(id);
		const hook = registrationOf(id);
		const body = { event: 'documentCompleted', documentId };
		const forged = signedDelivery('not-the-secret', body);
		const answer = await request('POST', hook.callbackUrl, forged);
		assert.equal(answer.status, 401);
		const unsigned = await request('POST', hook.callbackUrl, {
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		assert.equal(unsigned.status, 401);
		assert.equal((await n8n.api.getExecution(id, { includeData: false })).status, 'waiting');
		await sim.sign({ documentId });
		assert.equal(wentOnWith(await finished(id)).output, 'completed');
	});

	test("6. another document's delivery is acknowledged and the execution keeps waiting", async () => {
		const documentId = newDocument('Mine');
		const id = await start(documentId);
		await waiting(id);
		const hook = registrationOf(id);
		const other = await sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-1' });
		const toUs = other.filter((/** @type {any} */ d) => d.url === hook.callbackUrl);
		assert.deepEqual(
			toUs.map((/** @type {any} */ d) => d.status),
			[200],
		);
		const step = await sim.fire({ event: 'signDelegated', documentId });
		assert.deepEqual(
			step
				.filter((/** @type {any} */ d) => d.url === hook.callbackUrl)
				.map((/** @type {any} */ d) => d.status),
			[200],
		);
		assert.equal((await n8n.api.getExecution(id, { includeData: false })).status, 'waiting');
		await sim.reject({ documentId });
		assert.equal(wentOnWith(await finished(id)).item.json.outcome, 'rejected');
	});

	test('7. n8n stopped and started while waiting, then signed: goes on by Completed', async () => {
		const documentId = newDocument('Across a restart');
		const id = await start(documentId);
		await waiting(id);
		await n8n.restart();
		const signed = await sim.sign({ documentId });
		const hook = signed.deliveries.filter((/** @type {any} */ d) =>
			d.url.includes(`/webhook-waiting/${id}/`),
		);
		assert.deepEqual(
			hook.map((/** @type {any} */ d) => d.status),
			[200, 200],
		);
		const { output, item } = wentOnWith(await finished(id));
		assert.equal(output, 'completed');
		assert.equal(item.json.documentId, documentId);
	});

	test('8. two executions waiting on two documents at once: each goes on with its own', async () => {
		const first = newDocument('First of two');
		const second = newDocument('Second of two');
		const [a, b] = [await start(first), await start(second)];
		await Promise.all([waiting(a), waiting(b)]);
		await sim.sign({ documentId: second });
		const bDone = wentOnWith(await finished(b));
		assert.equal(bDone.output, 'completed');
		assert.equal(bDone.item.json.documentId, second);
		assert.equal((await n8n.api.getExecution(a, { includeData: false })).status, 'waiting');
		await sim.reject({ documentId: first });
		const aDone = wentOnWith(await finished(a));
		assert.equal(aDone.output, 'notCompleted');
		assert.equal(aDone.item.json.documentId, first);
	});

	test('9. no approval gate is generated for it; as an AI tool it is refused before any Circularo call', async () => {
		const types = (await n8n.api.nodeTypes()).map((/** @type {any} */ t) => t.name);
		assert.ok(types.includes('n8n-nodes-circularo.circularoTool'), 'the tool variant exists');
		assert.ok(
			!types.some(
				(/** @type {string} */ name) =>
					name.startsWith('n8n-nodes-circularo.') && name.endsWith('HitlTool'),
			),
			'no "Human review" gate (the operation is not named sendAndWait)',
		);
		const tool = actionNode({
			tool: true,
			name: 'Circularo send and wait',
			credential,
			parameters: {
				resource: 'signRequest',
				operation: 'sendAndWaitForSignature',
				documentId: 'doc-sales-1',
				recipients: { recipient: [{ shareTo: SIGNER }] },
			},
		});
		const stored = await n8n.api.createWorkflow(
			toolExecutorWorkflow({ name: 'Tool: send and wait', tool, query: {}, major: MAJOR }),
		);
		const from = sim.requests.length;
		const execution = await n8n.api.runManually(String(stored.id), MANUAL_TRIGGER_NAME);
		assert.match(
			JSON.stringify(execution.data),
			/Send and Wait for Signature cannot run as an AI tool/,
		);
		assert.deepEqual(sim.requests.slice(from), []);
	});

	test('10. deleted while waiting: goes on by Not completed with outcome deleted, downloading nothing', async () => {
		const documentId = newDocument('Deleted while waiting');
		const id = await start(documentId, { downloadSignedDocument: true, includeAuditTrail: true });
		await waiting(id);
		const hook = registrationOf(id);
		const from = sim.requests.length;
		assert.deepEqual(await deleteInCircularo(documentId, hook.callbackUrl), [200]);
		const { output, item } = wentOnWith(await finished(id));
		assert.equal(output, 'notCompleted');
		assert.equal(item.json.documentId, documentId);
		assert.equal(item.json.outcome, 'deleted');
		// Who and when are never taken from a delivery; a deleted document has nothing to read.
		assert.equal(item.json.actor, null);
		assert.equal(item.json.at, null);
		assert.equal(item.json.document, null);
		assert.equal(item.json.downloadError, undefined);
		assert.equal(item.binary, undefined);
		assert.deepEqual(
			sim.requests.slice(from).map((/** @type {any} */ r) => `${r.method} ${r.path}`),
			[
				'DELETE /api/v1/documents',
				`GET /api/v1/documents/${documentId}`,
				`GET /api/v1/documents/${documentId}`,
				'GET /api/v1/webhooks',
				`DELETE /api/v1/webhooks/${hook.id}`,
			],
			'gone on two reads, then no download of the deleted document',
		);
		assert.deepEqual(waitRegistrationsOf(sim, id), []);
	});

	test('11. deleted between registering and the check: goes on at once by Not completed', async () => {
		const documentId = newDocument('Deleted at once');
		// The registration is made but answered late; the document is deleted meanwhile, and n8n
		// refuses the documentDeleted delivery to the execution it has not yet saved as waiting.
		sim.setFault({
			method: 'POST',
			path: '/webhooks',
			afterHandling: true,
			delayMs: 3000,
			times: 1,
		});
		const starting = start(documentId);
		const hook = await sim.waitFor(
			() =>
				sim
					.listWebhooks()
					.find((/** @type {any} */ w) =>
						w.callbackUrl.includes(`circularoDocumentId=${documentId}`),
					),
			{ timeoutMs: 30_000, what: 'the registration' },
		);
		assert.deepEqual(
			await deleteInCircularo(documentId, hook.callbackUrl),
			[409],
			'n8n refuses a delivery to an execution not yet saved as waiting',
		);
		const execution = await finished(await starting);
		const { output, item } = wentOnWith(execution);
		assert.equal(output, 'notCompleted');
		assert.equal(item.json.outcome, 'deleted');
		assert.equal(item.json.actor, null);
		assert.equal(item.json.document, null);
		assert.equal(execution.waitTill ?? null, null, 'never waited');
		assert.deepEqual(waitRegistrationsOf(sim, execution.id), []);
	});
});
