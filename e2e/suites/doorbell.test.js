// @ts-check
'use strict';
/**
 * "A verified delivery is a doorbell, not a fact" (issue #25), in a real n8n 2.41.1 with the
 * package installed as users get it, against the Circularo simulator over real HTTP. The attacker
 * is an insider of team Sales with `use_webhooks`: they list the team's webhooks (so read every
 * registration's secret in clear) and register callback URLs of their choosing (e2e/lib/insider.js).
 *
 * 1. Forged documentCompleted and signRejected, signed with the wait's echoed secret, for a
 *    document in progress: the execution keeps waiting; the real signature then ends it.
 * 2. A forged documentCompleted to the trigger for a document in progress: no execution; the real
 *    completion then starts one.
 * 3. Reads lagging writes by 2.5 s: the real signature ends Send and Wait on Completed and starts the
 *    trigger once, both with the signed PDF's exact bytes.
 * 4. Planted registrations (another host with a wait's path, internal URLs with a passed or a far
 *    deadline, a redirect): never requested by n8n and still registered after several runs of the
 *    operation and the end of a wait.
 *
 * Run: npm run build && node --test --test-concurrency=1 e2e/suites/doorbell.test.js
 */

const { describe, test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { PublicApi, FINISHED } = require('../lib/api');
const { request, waitFor } = require('../lib/http');
const { useStack } = require('../lib/circularo/stack');
const { createTriggerWorkflow, webhooksFor } = require('../lib/circularo/trigger');
const {
	SEND_AND_WAIT_NODES,
	sendAndWaitWorkflow,
	waitRegistrationsOf,
} = require('../lib/circularo/sendAndWait');
const { startByWebhook } = require('../lib/workflows');
const {
	insiderDelivery,
	plantRegistration,
	startRecordingTarget,
	waitQuery,
} = require('../lib/insider');

const SIGNER = 'signer@example.com';
/** Long enough for a forged delivery to have resumed the execution, had it been believed. */
const SETTLE_MS = 3000;
const READ_LAG_MS = 2500;
const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

describe('A verified delivery is a doorbell, not a fact', { timeout: 15 * 60_000 }, () => {
	/** @type {any} */ let sim;
	/** @type {any} */ let n8n;
	/** @type {{ id: string, name: string }} */ let credential;
	/** @type {Map<string, { id: string, url: string }>} */
	const workflows = new Map();

	useStack((s) => {
		({ sim, n8n, credential } = s);
	});

	afterEach(() => {
		sim.setVariants({ readLagMs: 0 });
	});

	/** The published Send and Wait workflow for these options. @param {Record<string, any>} options */
	async function waitWorkflow(options) {
		const key = JSON.stringify(options);
		const known = workflows.get(key);
		if (known) return known;
		const webhookPath = `doorbell-${crypto.randomBytes(4).toString('hex')}`;
		const stored = await n8n.api.createWorkflow(
			sendAndWaitWorkflow({
				name: `Doorbell wait ${workflows.size + 1}`,
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

	/** @param {string} documentId @param {Record<string, any>} [options] */
	async function startWait(documentId, options = {}) {
		const workflow = await waitWorkflow(options);
		return startByWebhook(n8n.api, workflow.id, workflow.url, { documentId });
	}

	/** @param {string} title */
	const newDocument = (title) =>
		sim.createDocument({ title, team: 'Sales', shareStateName: null }).documentId;

	const status = async (/** @type {string} */ id) =>
		(await n8n.api.getExecution(id, { includeData: false })).status;

	/** @param {any} execution */
	function wentOnWith(execution) {
		assert.equal(execution.status, 'success', JSON.stringify(execution.data?.resultData?.error));
		const notCompleted = PublicApi.nodeOutput(execution, SEND_AND_WAIT_NODES.notCompleted);
		const completed = PublicApi.nodeOutput(execution, SEND_AND_WAIT_NODES.completed);
		assert.equal(notCompleted.length + completed.length, 1, 'one item, on one output');
		return completed.length === 1
			? { output: 'completed', item: completed[0] }
			: { output: 'notCompleted', item: notCompleted[0] };
	}

	const sha256 = (/** @type {Buffer} */ bytes) =>
		crypto.createHash('sha256').update(bytes).digest('hex');

	/** The SHA-256 of an item's binary. @param {any} binary */
	const attached = async (binary) => sha256(await n8n.api.binaryBytes(binary));

	/** The SHA-256 of the PDF Circularo holds now (the present, not a lagging read). @param {string} documentId */
	async function currentPdf(documentId) {
		const hash = sim.getDocument(documentId).pdfHash;
		const answer = await request(
			'GET',
			`${sim.apiUrl}/files/loadFile/hash/${hash}?token=${sim.keys.teamAdmin}`,
		);
		assert.equal(answer.status, 200);
		return sha256(answer.body);
	}

	test('1. forged completed and rejected, signed with the echoed secret: the execution keeps waiting', async () => {
		const documentId = newDocument('Forged endings');
		const id = await startWait(documentId, { downloadSignedDocument: true });
		await n8n.api.waitForStatus(id, ['waiting']);
		const [hook] = waitRegistrationsOf(sim, id);
		for (const event of ['documentCompleted', 'signRejected']) {
			const forged = await insiderDelivery(sim, hook.callbackUrl, {
				event,
				documentId,
				actor: { username: 'mallory@acme.test', email: 'mallory@acme.test' },
				timestamp: new Date().toISOString(),
			});
			const answer = await request('POST', hook.callbackUrl, forged);
			assert.ok([200, 401].includes(answer.status), `answered ${answer.status}`);
			await sleep(SETTLE_MS);
			assert.equal(await status(id), 'waiting', `a forged ${event} leaves it waiting`);
		}
		assert.deepEqual(
			waitRegistrationsOf(sim, id).map((/** @type {any} */ w) => w.id),
			[hook.id],
			'its registration stays',
		);
		await sim.sign({ documentId });
		const { output, item } = wentOnWith(await n8n.api.waitForStatus(id, FINISHED));
		assert.equal(output, 'completed');
		assert.equal(item.json.actor.email, SIGNER, 'who signed: from Circularo, not a delivery');
		assert.equal(await attached(item.binary.data), await currentPdf(documentId));
	});

	/** A published trigger on documentCompleted with the signed PDF, and its registration. */
	async function publishedTrigger() {
		const trigger = await createTriggerWorkflow(n8n, {
			credential,
			events: ['documentCompleted'],
			options: { downloadSignedDocument: true },
		});
		await n8n.api.publish(trigger.id);
		await waitFor(() => webhooksFor(sim, trigger.productionUrl).length === 1, {
			timeoutMs: 30_000,
			what: 'the trigger registered',
		});
		return trigger;
	}

	test('2. trigger: a forged documentCompleted for a document in progress starts no execution', async () => {
		const trigger = await publishedTrigger();
		const documentId = sim.createDocument({ title: 'In progress', team: 'Sales' }).documentId;
		const forged = await insiderDelivery(sim, trigger.productionUrl, {
			event: 'documentCompleted',
			documentId,
			timestamp: new Date().toISOString(),
		});
		const answer = await request('POST', trigger.productionUrl, forged);
		assert.ok([200, 401].includes(answer.status), `answered ${answer.status}`);
		await sleep(SETTLE_MS);
		assert.equal(await n8n.api.countExecutions(trigger.id, [...FINISHED, 'running']), 0);

		await sim.fire({ event: 'documentCompleted', documentId });
		const [execution] = await n8n.api.waitForExecutions(trigger.id, 1, {
			timeoutMs: 60_000,
			includeData: true,
		});
		assert.equal(execution.status, 'success');
		await n8n.api.unpublish(trigger.id);
	});

	test('3. reads lagging 2.5 s: the real signature ends the wait and starts the trigger once, with the signed bytes', async () => {
		const trigger = await publishedTrigger();
		sim.setVariants({ readLagMs: READ_LAG_MS });
		const documentId = newDocument('Lagging reads');
		const id = await startWait(documentId, { downloadSignedDocument: true });
		await n8n.api.waitForStatus(id, ['waiting']);
		await sleep(READ_LAG_MS);
		await sim.sign({ documentId });
		const signedPdf = await currentPdf(documentId);

		const { output, item } = wentOnWith(
			await n8n.api.waitForStatus(id, FINISHED, { timeoutMs: 60_000 }),
		);
		assert.equal(output, 'completed');
		assert.equal(item.json.outcome, 'completed');
		assert.equal(
			await attached(item.binary.data),
			signedPdf,
			"Send and Wait attached the signed PDF's exact bytes",
		);

		const executions = await n8n.api.waitForExecutions(trigger.id, 1, {
			timeoutMs: 60_000,
			settleMs: 5000,
			includeData: true,
		});
		assert.equal(executions.length, 1, 'the trigger started once');
		const [started] = PublicApi.nodeOutput(executions[0], 'Circularo Trigger');
		assert.equal(started.json.documentId, documentId);
		assert.equal(
			await attached(started.binary.data),
			signedPdf,
			"the trigger attached the signed PDF's exact bytes",
		);
		await n8n.api.unpublish(trigger.id);
	});

	describe('4. planted registrations', () => {
		/** @type {import('../lib/insider').RecordingTarget} */ let target;
		before(async () => {
			target = await startRecordingTarget();
		});
		after(async () => {
			await target?.close();
		});

		test("another host with a wait's path, internal URLs (passed or far deadline), a redirect: never requested, still registered", async () => {
			const documentId = newDocument('Waited for while planted');
			const id = await startWait(documentId);
			await n8n.api.waitForStatus(id, ['waiting']);
			const [hook] = waitRegistrationsOf(sim, id);
			const own = new URL(hook.callbackUrl);
			const far = Date.now() + 30 * 86_400_000;
			const planted = await Promise.all(
				[
					`${target.url}${own.pathname}?${waitQuery({ documentId, until: far, since: 0 })}`,
					`${target.url}/internal/passed?${waitQuery({ until: Date.now() - 60_000, since: 0 })}`,
					`${target.url}/internal/far?${waitQuery({ until: far, since: 0 })}`,
					`${target.url}/redirect?${waitQuery({ until: far, since: 0 })}`,
				].map((url) => plantRegistration(sim, url)),
			);

			for (let run = 0; run < 3; run++) {
				sim.actOnNextShare({ action: 'sign' });
				const next = await startWait(newDocument(`Run ${run + 1}`));
				assert.equal(wentOnWith(await n8n.api.waitForStatus(next, FINISHED)).output, 'completed');
			}
			await sim.sign({ documentId });
			assert.equal(wentOnWith(await n8n.api.waitForStatus(id, FINISHED)).output, 'completed');

			assert.deepEqual(
				target.fromN8n().map((r) => `${r.method} ${r.url}`),
				[],
				'n8n requested none of them',
			);
			const listed = new Set(sim.listWebhooks().map((/** @type {any} */ w) => w.id));
			assert.deepEqual(
				planted.filter((w) => !listed.has(w.id)).map((w) => w.callbackUrl),
				[],
				'every planted registration is still registered',
			);
			assert.deepEqual(
				waitRegistrationsOf(sim, id).filter((/** @type {any} */ w) =>
					w.callbackUrl.startsWith(n8n.baseUrl),
				),
				[],
			);
		});
	});
});
