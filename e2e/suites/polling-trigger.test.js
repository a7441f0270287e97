// @ts-check
'use strict';
/**
 * The Circularo Polling Trigger in a real n8n, with a plain user's API key: published, then n8n
 * stopped; documents completed, rejected, expired, deleted, and one created and completed, while it
 * is down; n8n started again. n8n runs a poll trigger's first poll at once on every start, so that
 * poll must report each of those exactly once, and the next poll (a minute later) nothing. Beside
 * it a Circularo Trigger (webhook) workflow shows what the polling trigger is for: Circularo's
 * deliveries while n8n was down failed, were recorded and were never sent again.
 *
 * Run: npm run build && node --test --test-concurrency=1 e2e/suites/polling-trigger.test.js
 */

const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const { waitFor } = require('../lib/http');
const { useStack, createCircularoCredential } = require('../lib/circularo/stack');
const { createTriggerWorkflow } = require('../lib/circularo/trigger');
const {
	POLLING_NODE_TYPE,
	POLLING_TRIGGER_NAME,
	pollingWorkflow,
	sendForSigning,
	deleteDocument,
	reportedEvents,
	lastSearchAt,
} = require('../lib/circularo/pollingTrigger');

describe('Circularo Polling Trigger in real n8n', { timeout: 6 * 60_000 }, () => {
	/** @type {any} */ let sim;
	/** @type {any} */ let n8n;
	/** @type {{ id: string, name: string }} */ let credential;
	/** @type {string} */ let workflowId;
	/** @type {string} */ let webhookWorkflowId;
	/** @type {{ id: string, name: string }} */ let adminCredential;
	/** @type {Record<string, string>} */ const docs = {};

	useStack(async (s) => {
		({ sim, n8n } = s);
		adminCredential = s.credential;
		credential = await createCircularoCredential(n8n, sim, { apiKey: sim.keys.plainUser });
	});

	const finished = (/** @type {number} */ n) =>
		n8n.api.waitForExecutions(workflowId, n, {
			timeoutMs: 90_000,
			settleMs: 3000,
			includeData: true,
		});

	test('1. published, its first poll records what is in progress and reports nothing', async () => {
		const types = await n8n.api.nodeTypes();
		assert.ok(types.some((/** @type {any} */ t) => t.name === POLLING_NODE_TYPE));
		docs.endedBefore = await sendForSigning(sim, 'Completed before publishing');
		await sim.sign({ documentId: docs.endedBefore });
		for (const name of ['toComplete', 'toReject', 'toExpire', 'toDelete', 'staysOpen'])
			docs[name] = await sendForSigning(sim, `Polled ${name}`);
		const webhookWorkflow = await createTriggerWorkflow(n8n, {
			credential: adminCredential,
			name: 'Circularo Trigger beside the polling one',
		});
		webhookWorkflowId = webhookWorkflow.id;
		await n8n.api.publish(webhookWorkflowId);
		const stored = await n8n.api.createWorkflow(pollingWorkflow({ credential }));
		workflowId = String(stored.id);
		const searchesBefore = lastSearchAt(sim);
		await n8n.api.publish(workflowId);
		assert.ok(
			lastSearchAt(sim) > searchesBefore,
			'the first poll ran when the workflow was published',
		);
		const { staticData } = await n8n.api.getWorkflow(workflowId);
		const record = JSON.stringify(staticData);
		for (const name of ['toComplete', 'toReject', 'toExpire', 'toDelete', 'staysOpen'])
			assert.ok(record.includes(docs[name]), `${name} is recorded in static data`);
		await new Promise((resolve) => setTimeout(resolve, 3000));
		assert.equal(await n8n.api.countExecutions(workflowId, ['success', 'error', 'running']), 0);
	});

	test('2. n8n down: complete, reject, expire, delete, create-and-complete; the first poll at start reports each once', async () => {
		await n8n.stop();
		const deliveriesBefore = sim.deliveries.length;
		await sim.sign({ documentId: docs.toComplete });
		await sim.reject({ documentId: docs.toReject, reason: 'Not while you were away' });
		await sim.expire({ documentId: docs.toExpire });
		await deleteDocument(sim, docs.toDelete);
		docs.quick = await sendForSigning(sim, 'Created and completed while n8n was down');
		await sim.sign({ documentId: docs.quick });
		await sim.settled();
		const missed = sim.deliveries.slice(deliveriesBefore);
		assert.ok(missed.length >= 6, 'the webhook trigger was sent the events while n8n was down');
		assert.deepEqual(
			missed.filter((/** @type {any} */ d) => d.status !== null),
			[],
			'every delivery while n8n was down failed',
		);
		assert.equal(sim.undelivered().length, missed.length);
		await n8n.restart();
		const executions = await finished(1);
		assert.equal(executions.length, 1, 'one execution: the first poll after the start');
		assert.deepEqual(
			reportedEvents(executions).sort(),
			[
				`documentCompleted ${docs.toComplete}`,
				`documentCompleted ${docs.quick}`,
				`documentDeleted ${docs.toDelete}`,
				`documentSigned ${docs.toComplete}`,
				`documentSigned ${docs.quick}`,
				`signExpired ${docs.toExpire}`,
				`signRejected ${docs.toReject}`,
				`signRequest ${docs.quick}`,
			].sort(),
		);
	});

	test('3. the next poll reports nothing', async () => {
		const after = lastSearchAt(sim);
		await waitFor(() => lastSearchAt(sim) > after, {
			timeoutMs: 75_000,
			intervalMs: 500,
			what: 'the next scheduled poll',
		});
		await new Promise((resolve) => setTimeout(resolve, 5000));
		const executions = await n8n.api.listExecutions(workflowId);
		assert.equal(executions.length, 1, 'still one execution');
		// Circularo sent none of the missed deliveries again: the webhook workflow never ran.
		assert.equal((await n8n.api.listExecutions(webhookWorkflowId)).length, 0);
		assert.equal(sim.deliveries.filter((/** @type {any} */ d) => d.status !== null).length, 0);
	});

	test('4. Fetch Test Event runs one poll in manual mode: the latest event of the newest document, nothing stored', async () => {
		const before = JSON.stringify((await n8n.api.getWorkflow(workflowId)).staticData);
		const execution = await n8n.api.runManually(workflowId, POLLING_TRIGGER_NAME, {
			timeoutMs: 60_000,
		});
		assert.deepEqual(reportedEvents([execution]), [`documentCompleted ${docs.quick}`]);
		assert.equal(JSON.stringify((await n8n.api.getWorkflow(workflowId)).staticData), before);
	});
});
