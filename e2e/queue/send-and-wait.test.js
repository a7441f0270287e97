// @ts-check
'use strict';
/**
 * Sign Request > Send and Wait for Signature in queue mode (main + webhook process + worker,
 * Redis and Postgres): the worker runs execute() and registers the resume URL, which points at the
 * webhook process; Circularo's deliveries reach the webhook process, whose webhook() verifies them
 * and resumes the execution, which a worker finishes.
 *
 * Run: npm run build && node --test --test-concurrency=1 e2e/queue/send-and-wait.test.js
 */

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { PublicApi, FINISHED } = require('../lib/api');
const { startQueueStack, logShows, WORKER_STARTED } = require('./fixture');
const { createCircularoCredential } = require('../lib/circularo/stack');
const {
	SEND_AND_WAIT_NODES,
	sendAndWaitWorkflow,
	waitRegistrationsOf,
} = require('../lib/circularo/sendAndWait');
const { startByWebhook } = require('../lib/workflows');

const SIGNER = 'signer@example.com';

describe('Send and Wait for Signature in queue mode', { timeout: 15 * 60_000 }, () => {
	/** @type {Awaited<ReturnType<typeof startQueueStack>>} */ let stack;

	before(async () => {
		stack = await startQueueStack();
	});
	after(async () => {
		await stack?.stop();
	});

	test('the worker registers the webhook process URL; a signature there resumes the execution, which goes on by Completed', async () => {
		const { sim, set } = stack;
		const api = stack.api();
		const credential = await createCircularoCredential(set.main, sim, {
			apiKey: sim.keys.teamAdmin,
		});
		const webhookPath = `sign-${crypto.randomBytes(4).toString('hex')}`;
		const stored = await api.createWorkflow(
			sendAndWaitWorkflow({
				name: 'Send and wait (queue mode)',
				credential,
				webhookPath,
				signer: SIGNER,
			}),
		);
		const workflowId = String(stored.id);
		await api.publish(workflowId);
		const documentId = sim.createDocument({ title: 'Queue contract', team: 'Sales' }).documentId;
		const id = await startByWebhook(api, workflowId, set.webhook.webhookUrl(webhookPath), {
			documentId,
		});
		await api.waitForStatus(id, ['waiting'], { timeoutMs: 90_000 });
		const [hook] = waitRegistrationsOf(sim, id);
		assert.ok(hook, 'a registration for the waiting execution');
		assert.ok(
			hook.callbackUrl.startsWith(`${set.webhook.baseUrl}/webhook-waiting/${id}/`),
			'Circularo delivers to the webhook process',
		);
		assert.ok(await logShows(set.workers[0], WORKER_STARTED, id), 'a worker ran execute()');

		const signed = await sim.sign({ documentId });
		assert.deepEqual(
			signed.deliveries
				.filter((/** @type {any} */ d) => d.url === hook.callbackUrl)
				.map((/** @type {any} */ d) => d.status),
			[200, 200],
		);
		const execution = await api.waitForStatus(id, FINISHED, { timeoutMs: 90_000 });
		assert.equal(execution.status, 'success', JSON.stringify(execution.data?.resultData?.error));
		const [item] = PublicApi.nodeOutput(execution, SEND_AND_WAIT_NODES.completed);
		assert.equal(item?.json.outcome, 'completed');
		assert.equal(item.json.documentId, documentId);
		assert.deepEqual(PublicApi.nodeOutput(execution, SEND_AND_WAIT_NODES.notCompleted), []);
		assert.deepEqual(waitRegistrationsOf(sim, id), [], 'no registration left');
	});
});
