// @ts-check
'use strict';
/**
 * The Circularo Polling Trigger in queue mode (main + webhook process + worker, Redis and
 * Postgres): n8n runs poll triggers on the main process (the leader) only; the worker runs the
 * executions. Judged from each process's debug log (which process polled) and from the
 * executions (each change reported once).
 *
 * Run: npm run build && node --test --test-concurrency=1 e2e/queue/polling-trigger.test.js
 */

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { waitFor } = require('../lib/http');
const { startQueueStack, pollsLogged, logShows, WORKER_STARTED } = require('./fixture');
const { createCircularoCredential } = require('../lib/circularo/stack');
const {
	pollingWorkflow,
	sendForSigning,
	reportedEvents,
	lastSearchAt,
} = require('../lib/circularo/pollingTrigger');

const WORKFLOW_NAME = 'Circularo polling (queue mode)';

describe('Circularo Polling Trigger in queue mode', { timeout: 10 * 60_000 }, () => {
	/** @type {Awaited<ReturnType<typeof startQueueStack>>} */ let stack;

	before(async () => {
		stack = await startQueueStack({ logLevel: 'debug' });
	});
	after(async () => {
		await stack?.stop();
	});

	test('only main polls; two scheduled polls report each change once, on the worker', async () => {
		const { sim, set } = stack;
		const api = stack.api();
		const credential = await createCircularoCredential(set.main, sim, {
			apiKey: sim.keys.plainUser,
		});
		const open = await sendForSigning(sim, 'Open before publishing');
		const stored = await api.createWorkflow(pollingWorkflow({ credential, name: WORKFLOW_NAME }));
		const workflowId = String(stored.id);
		await api.publish(workflowId);

		await sim.sign({ documentId: open });
		const quick = await sendForSigning(sim, 'Created and completed in queue mode');
		await sim.sign({ documentId: quick });
		const executions = await api.waitForExecutions(workflowId, 1, {
			timeoutMs: 90_000,
			settleMs: 3000,
			includeData: true,
		});
		assert.deepEqual(
			reportedEvents(executions).sort(),
			[
				`documentCompleted ${open}`,
				`documentCompleted ${quick}`,
				`documentSigned ${open}`,
				`documentSigned ${quick}`,
				`signRequest ${quick}`,
			].sort(),
		);

		const ranOnWorker = await Promise.all(
			set.workers.map((worker) => logShows(worker, WORKER_STARTED, String(executions[0].id))),
		);
		assert.ok(ranOnWorker.includes(true), 'a worker ran the execution');

		const after = lastSearchAt(sim);
		await waitFor(() => lastSearchAt(sim) > after, {
			timeoutMs: 75_000,
			intervalMs: 500,
			what: 'the next scheduled poll',
		});
		await new Promise((resolve) => setTimeout(resolve, 5000));
		assert.equal((await api.listExecutions(workflowId)).length, 1, 'nothing reported twice');

		const polls = {
			main: pollsLogged(set.main, WORKFLOW_NAME),
			webhook: pollsLogged(set.webhook, WORKFLOW_NAME),
			workers: set.workers.map((worker) => pollsLogged(worker, WORKFLOW_NAME)),
		};
		assert.ok(
			polls.main >= 3,
			`main ran the activation poll and two scheduled ones: ${JSON.stringify(polls)}`,
		);
		assert.equal(polls.webhook, 0, `the webhook process never polls: ${JSON.stringify(polls)}`);
		assert.deepEqual(
			polls.workers,
			polls.workers.map(() => 0),
			`workers never poll: ${JSON.stringify(polls)}`,
		);
	});
});
