// @ts-check
'use strict';
/**
 * The Circularo Trigger's throughput in n8n's queue mode against a single process, in one run:
 * QUEUE_LOAD_COUNT signed deliveries (default 2,000) at QUEUE_LOAD_CONCURRENCY (default 16)
 * through the webhook process of a queue-mode set (main + webhook process + worker), then the
 * same load through a single-process n8n (SQLite, n8n's default) once the set is stopped. Every
 * delivery must run exactly once. Prints a summary block and writes it as JSON to
 * QUEUE_SUMMARY_FILE (default: a temp file, path printed).
 *
 * Run: npm run build && node --test --test-concurrency=1 e2e/queue/load.test.js
 */

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { buildPayload } = require('../../simulator');
const { waitFor } = require('../lib/http');
const { startN8n, setupOwner } = require('../lib/n8n');
const { treeRssBytes, treePssBytes, treeCpuSeconds } = require('../lib/proctree');
const { measureLoad } = require('../lib/load');
const { printBlock, mib } = require('../lib/report');
const { createCircularoCredential } = require('../lib/circularo/stack');
const {
	createTriggerWorkflow,
	webhooksFor,
	signedDelivery,
	deliveryRuns,
} = require('../lib/circularo/trigger');
const {
	SELECTED,
	startQueueStack,
	loggedIds,
	urlsOf,
	positiveInt,
	WORKER_STARTED,
	WORKER_FINISHED_OK,
} = require('./fixture');

const LOAD_COUNT = positiveInt(process.env.QUEUE_LOAD_COUNT, 2000);
const LOAD_CONCURRENCY = positiveInt(process.env.QUEUE_LOAD_CONCURRENCY, 16);
/** Bound on each load phase (sending, then waiting for the executions); raise it on a busy machine. */
const LOAD_TIMEOUT_MS = positiveInt(process.env.QUEUE_LOAD_TIMEOUT_MIN, 15) * 60_000;

/**
 * Publishes a Circularo Trigger workflow on `n8n` (main), sends it `LOAD_COUNT` signed
 * documentSigned deliveries (each with its own document id), measures until all have run
 * (load.js), checks that each ran exactly once, and unpublishes. CPU per delivery hardly depends
 * on what else the machine runs, unlike rates.
 * @param {{ n8n: import('../lib/n8n').N8nInstance, sim: any, label: string,
 *   memory: Record<string, () => number>, cpu: Record<string, () => number> }} o
 */
async function runLoad(o) {
	const api = /** @type {import('../lib/api').PublicApi} */ (o.n8n.api);
	const credential = await createCircularoCredential(o.n8n, o.sim, {
		apiKey: o.sim.keys.teamAdmin,
	});
	const wf = await createTriggerWorkflow(o.n8n, { credential, events: SELECTED });
	await api.publish(wf.id);
	const [hook] = webhooksFor(o.sim, wf.productionUrl);
	assert.ok(hook, `${o.label}: registered at Circularo for ${wf.productionUrl}`);
	const runTag = crypto.randomBytes(3).toString('hex');
	const docId = (/** @type {number} */ i) => `load-${runTag}-${i}`;
	const actor = { id: 'u-1', name: 'Sales User', email: 'sales.user@acme.test' };
	const r = await measureLoad({
		api,
		workflowId: wf.id,
		count: LOAD_COUNT,
		concurrency: LOAD_CONCURRENCY,
		make: (i) => {
			const payload = buildPayload('default', {
				// An event no document state confirms: an ending one would make the trigger read
				// the (made-up) document first and start nothing (docs/security.md).
				event: 'documentSigned',
				documentId: docId(i),
				documentTitle: `Load ${i}`,
				actor: { ...actor, username: actor.email },
				at: new Date(),
			});
			return { url: wf.productionUrl, ...signedDelivery(hook.hmacSecret, payload) };
		},
		memory: o.memory,
		cpu: o.cpu,
		timeoutMs: LOAD_TIMEOUT_MS,
		pollMs: 2000,
		label: o.label,
	});
	const executions = await api.listExecutions(wf.id, { includeData: true });
	const ids = Array.from({ length: LOAD_COUNT }, (_, i) => docId(i));
	const runs = deliveryRuns(executions, ids, { events: ['documentSigned'] });
	assert.deepEqual(runs.problems.slice(0, 20), [], `${o.label}: every execution succeeded`);
	assert.deepEqual(runs.lost.slice(0, 20), [], `${o.label}: no delivery lost`);
	assert.deepEqual(runs.duplicated.slice(0, 20), [], `${o.label}: no delivery ran twice`);
	assert.deepEqual(runs.unexpected.slice(0, 20), [], `${o.label}: nothing else ran`);
	await api.unpublish(wf.id);
	assert.deepEqual(urlsOf(webhooksFor(o.sim, wf.productionUrl)), [], 'unpublished');

	const round = (/** @type {number} */ v, /** @type {number} */ digits) =>
		Math.round(v * 10 ** digits) / 10 ** digits;
	const perDelivery = (/** @type {number} */ ms) => round(ms / LOAD_COUNT, 1);
	const cpuTotal = Object.values(r.cpuMs).reduce((a, b) => a + b, 0);
	return {
		executionIds: executions.map((e) => String(e.id)),
		figures: {
			label: o.label,
			deliveries: LOAD_COUNT,
			concurrency: LOAD_CONCURRENCY,
			answeredPerSecond: round(r.sent.perSecond, 1),
			answerLatencyMs: mapValues(r.sent.latencyMs, (v) => round(v, 0)),
			sendSeconds: round(r.sent.wallMs / 1000, 1),
			completedSeconds: round(r.activeMs / 1000, 1),
			executionsPerSecond: round(r.executionsPerSecond, 1),
			firstExecutionStartedAfterMs: runs.firstStartedAt - r.startedAt,
			idleMiB: mapValues(r.memory.idle, mib),
			peakMiB: mapValues(r.memory.peak, mib),
			loadAverageBefore: round(r.loadAverage.before, 2),
			loadAverageAfter: round(r.loadAverage.after, 2),
			cpuMsPerDelivery: mapValues(r.cpuMs, perDelivery),
			cpuMsPerDeliveryTotal: perDelivery(cpuTotal),
		},
	};
}

/** @template V, W @param {Record<string, V>} o @param {(v: V) => W} fn @returns {Record<string, W>} */
function mapValues(o, fn) {
	return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, fn(v)]));
}

describe(
	`Circularo Trigger load: queue mode against a single process (${LOAD_COUNT} deliveries each)`,
	{ timeout: 20 * 60_000 + 4 * LOAD_TIMEOUT_MS },
	() => {
		/** @type {Awaited<ReturnType<typeof startQueueStack>> | undefined} */ let stack;
		/** @type {import('../lib/n8n').N8nInstance | undefined} */ let single;
		/** @type {Record<string, any>} */
		const summary = { n8n: '2.41.1', cores: os.cpus().length };

		before(async () => {
			stack = await startQueueStack({ logLevel: 'info' });
			summary.timings = stack.timings;
			summary.services = { installed: stack.installed, postgres: stack.set.services.pg.version };
		});

		after(async () => {
			const t = Date.now();
			await Promise.allSettled([stack?.stop(), single?.stop()]);
			summary.timings = { ...summary.timings, teardownSeconds: (Date.now() - t) / 1000 };
			printSummary(summary);
		});

		test(`queue mode: ${LOAD_COUNT} signed deliveries at concurrency ${LOAD_CONCURRENCY} through the webhook process`, async () => {
			const s = /** @type {NonNullable<typeof stack>} */ (stack);
			const {
				main,
				webhook,
				workers: [worker],
				services,
			} = s.set;
			const finishedBefore = loggedIds(worker, WORKER_FINISHED_OK);
			const { figures, executionIds } = await runLoad({
				n8n: main,
				sim: s.sim,
				label: 'queue mode',
				memory: {
					main: () => main.rssBytes(),
					webhook: () => webhook.rssBytes(),
					worker: () => worker.rssBytes(),
					redis: () => treeRssBytes(services.redis.pid),
					postgresPss: () => treePssBytes(services.pg.pid),
				},
				cpu: {
					main: () => treeCpuSeconds(main.pid),
					webhook: () => treeCpuSeconds(webhook.pid),
					worker: () => treeCpuSeconds(worker.pid),
					redis: () => treeCpuSeconds(services.redis.pid),
					postgres: () => treeCpuSeconds(services.pg.pid),
				},
			});
			// Every one of them ran on the worker, none on main.
			const onWorker = () => {
				const finished = loggedIds(worker, WORKER_FINISHED_OK);
				return executionIds.filter((id) => finished.has(id) && !finishedBefore.has(id)).length;
			};
			await waitFor(() => onWorker() === LOAD_COUNT, {
				timeoutMs: 30_000,
				intervalMs: 1000,
				what: 'the worker log to show every load execution',
			}).catch(() => undefined);
			assert.equal(onWorker(), LOAD_COUNT, 'the worker ran every load execution');
			assert.equal(loggedIds(main, WORKER_STARTED).size, 0, 'main ran none');
			summary.queue = figures;
		});

		test('single process (SQLite): the same load once the queue-mode set is stopped', async () => {
			const s = /** @type {NonNullable<typeof stack>} */ (stack);
			// Free the CPU first: the single process is measured alone.
			await s.stopQueue();
			single = await startN8n({ packageTgz: s.packageTgz, logLevel: 'info' });
			await setupOwner(single);
			const n8n = single;
			const { figures } = await runLoad({
				n8n,
				sim: s.sim,
				label: 'single process',
				memory: { n8n: () => n8n.rssBytes() },
				cpu: { n8n: () => treeCpuSeconds(n8n.pid) },
			});
			summary.single = figures;
		});
	},
);

/** @param {Record<string, any>} s */
function printSummary(s) {
	const file =
		process.env.QUEUE_SUMMARY_FILE ||
		path.join(os.tmpdir(), `circularo-queue-summary-${Date.now()}.json`);
	try {
		fs.writeFileSync(file, JSON.stringify(s, null, 2) + '\n');
	} catch {
		/* printing is what matters */
	}
	const line = (/** @type {any} */ r) =>
		r
			? `${r.executionsPerSecond} executions/s completed (${r.deliveries} in ${r.completedSeconds} s; answers ${r.answeredPerSecond}/s, p50 ${r.answerLatencyMs.p50} ms, p99 ${r.answerLatencyMs.p99} ms; load avg before ${r.loadAverageBefore})`
			: 'not measured (an earlier step failed)';
	const mem = (/** @type {any} */ r) =>
		r
			? Object.entries(r.peakMiB)
					.map(([k, v]) => `${k} ${v} MiB (idle ${r.idleMiB[k]})`)
					.join(', ')
			: '-';
	const total = (/** @type {any} */ r, /** @type {string[]} */ keys) =>
		r ? keys.reduce((a, k) => a + (r.peakMiB[k] || 0), 0) : NaN;
	const cpu = (/** @type {any} */ r) =>
		r
			? `${Object.entries(r.cpuMsPerDelivery)
					.map(([k, v]) => `${k} ${v}`)
					.join(', ')}; total ${r.cpuMsPerDeliveryTotal} ms` +
				` (so about ${Math.round((s.cores * 1000) / r.cpuMsPerDeliveryTotal)} deliveries/s if ${s.cores} cores were free for it)`
			: '-';
	printBlock(
		`queue-mode summary: n8n ${s.n8n}, ${s.cores} cores, Postgres ${s.services?.postgres}, ${LOAD_COUNT} signed deliveries at concurrency ${LOAD_CONCURRENCY}`,
		[
			`queue mode (main + webhook + 1 worker): ${line(s.queue)}`,
			`  peak RSS: ${mem(s.queue)}`,
			`  n8n processes together: ${total(s.queue, ['main', 'webhook', 'worker'])} MiB peak (RSS includes each process's task runner)`,
			`  CPU ms per delivery: ${cpu(s.queue)}`,
			`single process (SQLite):              ${line(s.single)}`,
			`  peak RSS: ${mem(s.single)}`,
			`  CPU ms per delivery: ${cpu(s.single)}`,
			`timings: ${JSON.stringify(s.timings)}`,
			`summary JSON: ${file}`,
		],
	);
}
