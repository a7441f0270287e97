// @ts-check
'use strict';
/**
 * The Circularo Trigger in n8n's queue mode (issue 7): Debian's Redis and Postgres on loopback,
 * n8n 2.41.1 as main + one webhook process + one worker, each with the package installed the way
 * users get it, and the Circularo simulator registering the webhook process's URL.
 *
 * Functional checks, then a load (QUEUE_LOAD_COUNT signed deliveries, default 2,000, at
 * QUEUE_LOAD_CONCURRENCY, default 16) through the webhook process, and the same load through a
 * single-process n8n (SQLite, n8n's default) in the same run. Prints a summary block and writes
 * it as JSON to QUEUE_SUMMARY_FILE (default: a temp file, path printed).
 *
 * Run: npm run e2e:queue
 */

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { buildPayload } = require('../../simulator');
const { startSimulator } = require('../../simulator');
const { request, waitFor, postConcurrent } = require('../lib/http');
const { PublicApi } = require('../lib/api');
const { startN8n, setupOwner } = require('../lib/n8n');
const { ensureQueueServices } = require('../lib/services');
const { startQueueSet } = require('../lib/queue');
const { treeRssBytes, treePssBytes, treeCpuSeconds } = require('../lib/proctree');
const {
	TRIGGER_NAME,
	NEXT_NODE_NAME,
	packedPackage,
	createCircularoCredential,
	createTriggerWorkflow,
	triggerWorkflow,
	webhooksFor,
	signedDelivery,
} = require('../lib/circularo');

const SELECTED = ['documentCompleted', 'documentSigned'];
const SETTLE_MS = 3000;
const LOAD_COUNT = positiveInt(process.env.QUEUE_LOAD_COUNT, 2000);
const LOAD_CONCURRENCY = positiveInt(process.env.QUEUE_LOAD_CONCURRENCY, 16);
/** Bound on each load phase (sending, then waiting for the executions); raise it on a busy machine. */
const LOAD_TIMEOUT_MS = positiveInt(process.env.QUEUE_LOAD_TIMEOUT_MIN, 15) * 60_000;
const MiB = 1024 * 1024;

/** @param {string | undefined} v @param {number} d */
function positiveInt(v, d) {
	const n = Number(v);
	return Number.isInteger(n) && n > 0 ? n : d;
}

/** n8n's console log without colour codes. @param {{ readLog: () => string }} p */
const plainLog = (p) => p.readLog().replace(/\x1b\[[0-9;]*m/g, ''); // eslint-disable-line no-control-regex

/** Ids in lines like "Worker started execution 12 (job 12)". @param {string} log @param {RegExp} re */
function idsIn(log, re) {
	const ids = new Set();
	for (const m of log.matchAll(re)) ids.add(m[1]);
	return ids;
}
const WORKER_STARTED = /Worker started execution (\d+) \(job/g;
// At log level info n8n prints no metadata (such as "success"); success is judged from the execution.
const WORKER_FINISHED_OK = /Worker finished execution (\d+) \(job/g;
const ENQUEUED = /Enqueued execution (\d+) \(job/g;

/**
 * Waits (bounded) until a process's log names execution `id` in a line matching `re`: n8n saves
 * the execution before the worker logs that it finished.
 * @param {{ readLog: () => string }} proc @param {RegExp} re @param {string} id
 */
async function logShows(proc, re, id) {
	return waitFor(() => idsIn(plainLog(proc), re).has(id), {
		timeoutMs: 20_000,
		intervalMs: 250,
		what: `execution ${id} in the log (${re.source})`,
	}).then(
		() => true,
		() => false,
	);
}
/** Webhook URLs only: listWebhooks() also returns secrets, which must never reach an assertion message. */
const urlsOf = (/** @type {any[]} */ hooks) => hooks.map((w) => w.callbackUrl);

/**
 * Samples the memory of named processes every second while `fn` runs; returns per-name peaks.
 * @template T
 * @param {Record<string, () => number>} probes @param {() => Promise<T>} fn
 * @returns {Promise<{ result: T, peak: Record<string, number>, idle: Record<string, number> }>}
 */
async function withMemorySampling(probes, fn) {
	/** @type {Record<string, number>} */ const idle = {};
	/** @type {Record<string, number>} */ const peak = {};
	const sample = () => {
		for (const [name, probe] of Object.entries(probes)) {
			const v = probe();
			peak[name] = Math.max(peak[name] || 0, v);
		}
	};
	for (const [name, probe] of Object.entries(probes)) idle[name] = probe();
	const timer = setInterval(sample, 1000);
	try {
		const result = await fn();
		sample();
		return { result, peak, idle };
	} finally {
		clearInterval(timer);
	}
}

/**
 * Sends `LOAD_COUNT` signed documentCompleted deliveries (each with its own document id) to
 * `url`, waits until the workflow has them all as finished executions, and checks every one.
 * Also reads the CPU time each process (tree) used for the load: unlike wall-clock rates, CPU
 * per delivery hardly depends on what else the machine is running.
 * @param {{ api: PublicApi, workflowId: string, url: string, secret: string, label: string,
 *   probes: Record<string, () => number>, cpuProbes: Record<string, () => number> }} o
 */
async function runLoad(o) {
	const before = await o.api.listExecutions(o.workflowId);
	const knownIds = new Set(before.map((e) => String(e.id)));
	const runTag = crypto.randomBytes(3).toString('hex');
	const docId = (/** @type {number} */ i) => `load-${runTag}-${i}`;
	const loadAvgBefore = os.loadavg()[0];
	const cpuBefore = mapValues(o.cpuProbes, (probe) => probe());
	const t0 = Date.now();
	const {
		result: load,
		peak,
		idle,
	} = await withMemorySampling(o.probes, async () => {
		const sent = await postConcurrent(
			{
				count: LOAD_COUNT,
				make: (i) => {
					const payload = buildPayload('default', {
						event: 'documentCompleted',
						documentId: docId(i),
						documentTitle: `Load ${i}`,
						actor: {
							id: 'u-1',
							name: 'Sales User',
							username: 'sales.user@acme.test',
							email: 'sales.user@acme.test',
						},
						at: new Date(),
					});
					const { body, headers } = signedDelivery(o.secret, payload);
					return { url: o.url, body, headers, tag: docId(i) };
				},
			},
			LOAD_CONCURRENCY,
			{ timeoutMs: 60_000, totalTimeoutMs: LOAD_TIMEOUT_MS },
		);
		// Fail now, not after waiting for executions that cannot come (e.g. requests not sent in time).
		assert.deepEqual(
			sent.statuses,
			{ 200: LOAD_COUNT },
			`${o.label}: every signed delivery is answered 200 (status "0": not answered or not sent within QUEUE_LOAD_TIMEOUT_MIN)`,
		);
		// Executions finish after the answers (the trigger answers on receipt): wait for all of them.
		await o.api.waitForExecutions(o.workflowId, before.length + LOAD_COUNT, {
			timeoutMs: LOAD_TIMEOUT_MS,
			intervalMs: 5000,
		});
		return sent;
	});
	/** @type {Record<string, number>} */ const cpuMs = {};
	for (const [name, probe] of Object.entries(o.cpuProbes))
		cpuMs[name] = (probe() - cpuBefore[name]) * 1000;

	const all = await o.api.listExecutions(o.workflowId, { includeData: true });
	const fresh = all.filter((e) => !knownIds.has(String(e.id)));
	assert.equal(fresh.length, LOAD_COUNT, `${o.label}: exactly one execution per delivery`);
	const notOk = fresh.filter((e) => e.status !== 'success');
	assert.equal(
		notOk.length,
		0,
		`${o.label}: ${notOk.length} executions did not succeed, e.g. ${JSON.stringify(notOk[0] && { id: notOk[0].id, status: notOk[0].status })}`,
	);
	const seen = new Map();
	for (const e of fresh) {
		const [item] = PublicApi.nodeOutput(e, TRIGGER_NAME);
		assert.ok(item, `${o.label}: execution ${e.id} has trigger output`);
		assert.equal(item.json.event, 'documentCompleted');
		seen.set(item.json.documentId, (seen.get(item.json.documentId) || 0) + 1);
		assert.equal(
			PublicApi.nodeOutput(e, NEXT_NODE_NAME).length,
			1,
			`${o.label}: the next node ran in execution ${e.id}`,
		);
	}
	for (let i = 0; i < LOAD_COUNT; i++)
		assert.equal(seen.get(docId(i)), 1, `${o.label}: delivery ${i} ran exactly once`);

	const lastStop = Math.max(...fresh.map((e) => Date.parse(e.stoppedAt)));
	const firstStart = Math.min(...fresh.map((e) => Date.parse(e.startedAt)));
	const completedSeconds = (lastStop - t0) / 1000;
	return {
		label: o.label,
		deliveries: LOAD_COUNT,
		concurrency: LOAD_CONCURRENCY,
		answeredPerSecond: round(load.perSecond, 1),
		answerLatencyMs: {
			p50: round(load.latencyMs.p50, 0),
			p99: round(load.latencyMs.p99, 0),
			max: round(load.latencyMs.max, 0),
		},
		sendSeconds: round(load.wallMs / 1000, 1),
		completedSeconds: round(completedSeconds, 1),
		executionsPerSecond: round(LOAD_COUNT / completedSeconds, 1),
		firstExecutionStartedAfterMs: firstStart - t0,
		idleMiB: mapValues(idle, (v) => round(v / MiB, 0)),
		peakMiB: mapValues(peak, (v) => round(v / MiB, 0)),
		loadAverageBefore: round(loadAvgBefore, 2),
		loadAverageAfter: round(os.loadavg()[0], 2),
		cpuMsPerDelivery: mapValues(cpuMs, (v) => round(v / LOAD_COUNT, 1)),
		cpuMsPerDeliveryTotal: round(Object.values(cpuMs).reduce((a, b) => a + b, 0) / LOAD_COUNT, 1),
		freshIds: fresh.map((e) => String(e.id)),
	};
}

/** @param {number} v @param {number} digits */
function round(v, digits) {
	const f = 10 ** digits;
	return Math.round(v * f) / f;
}

/** @template V, W @param {Record<string, V>} o @param {(v: V) => W} fn @returns {Record<string, W>} */
function mapValues(o, fn) {
	return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, fn(v)]));
}

describe(
	'Circularo Trigger in n8n queue mode (main + webhook process + worker)',
	{ timeout: 20 * 60_000 + 4 * LOAD_TIMEOUT_MS },
	() => {
		/** @type {any} */ let sim;
		/** @type {Awaited<ReturnType<typeof startQueueSet>> | undefined} */ let q;
		/** @type {import('../lib/n8n').N8nInstance | undefined} */ let single;
		/** @type {{ id: string, name: string }} */ let credential;
		/** @type {Awaited<ReturnType<typeof createTriggerWorkflow>>} */ let wf;
		/** @type {string} */ let callbackUrl;
		/** @type {string} */ let webhookId;
		/** @type {string} */ let packageTgz;
		/** @type {Record<string, any>} */
		const summary = { n8n: '2.41.1', cores: os.cpus().length, timings: {} };

		const mustQ = () => /** @type {NonNullable<typeof q>} */ (q);
		const api = () => /** @type {PublicApi} */ (mustQ().main.api);
		const secret = () => {
			const [w] = webhooksFor(sim, callbackUrl);
			assert.ok(
				w && typeof w.hmacSecret === 'string',
				'the simulator holds a secret for the webhook',
			);
			return /** @type {string} */ (w.hmacSecret);
		};
		/** Execution ids and statuses straight from Postgres (works while main is down). */
		const dbExecutions = () =>
			mustQ()
				.services.pg.psql(
					`SELECT id, status FROM execution_entity WHERE "workflowId" = '${wf.id.replace(/'/g, '')}' ORDER BY id`,
				)
				.split('\n')
				.filter(Boolean)
				.map((l) => {
					const [id, status] = l.split('|');
					return { id, status };
				});

		before(async () => {
			let t = Date.now();
			const services = await ensureQueueServices();
			summary.timings.ensureServicesSeconds = round((Date.now() - t) / 1000, 1);
			summary.services = { installed: services.installed };
			packageTgz = await packedPackage();
			sim = await startSimulator({ port: 0, log: false });
			t = Date.now();
			q = await startQueueSet({ packageTgz, logLevel: 'info' });
			summary.timings.queueSetStartSeconds = round((Date.now() - t) / 1000, 1);
			summary.services.postgres = q.services.pg.version;
			await setupOwner(q.main);
			credential = await createCircularoCredential(q.main, sim, { apiKey: sim.keys.teamAdmin });
		});

		after(async () => {
			const t = Date.now();
			await Promise.allSettled([q && q.stop(), single && single.stop()]);
			if (sim) await sim.stop();
			summary.timings.teardownSeconds = round((Date.now() - t) / 1000, 1);
			printSummary(summary);
			// Diagnostic only: name what keeps this test process alive, should anything do so.
			setTimeout(() => {
				process.stderr.write(
					`queue suite: still running 15 s after teardown; active: ${JSON.stringify(process.getActiveResourcesInfo())}\n`,
				);
			}, 15_000).unref();
		});

		test('1. publishing on main registers exactly one webhook, for the webhook process URL', async () => {
			const { main, webhook } = mustQ();
			wf = await createTriggerWorkflow(main, { credential, events: SELECTED });
			webhookId = wf.webhookId;
			callbackUrl = `${webhook.baseUrl}/webhook/${webhookId}/webhook`;
			assert.notEqual(main.port, webhook.port);
			await api().publish(wf.id);
			const all = sim.listWebhooks();
			assert.equal(
				all.length,
				1,
				`exactly one webhook: ${JSON.stringify(all.map((/** @type {any} */ w) => w.callbackUrl))}`,
			);
			assert.equal(
				all[0].callbackUrl,
				callbackUrl,
				'registered for the webhook process, not for main',
			);
			assert.ok(
				/^[0-9a-f]{64}$/.test(all[0].hmacSecret),
				'the node registered a 64-hex-digit secret',
			);
			assert.equal(wf.productionUrl, callbackUrl);
		});

		test('2. signed deliveries are verified by the webhook process and executed by the worker', async () => {
			const {
				main,
				webhook,
				workers: [worker],
			} = mustQ();
			for (const event of ['documentCompleted', 'signRequest', 'documentSigned']) {
				const [d] = await sim.fire({ event, documentId: 'doc-sales-1' });
				assert.equal(d.url, callbackUrl);
				assert.equal(d.status, 200, `${event}: ${d.status} ${d.error || ''}`);
			}
			const executions = await api().waitForExecutions(wf.id, 2, {
				timeoutMs: 90_000,
				settleMs: SETTLE_MS,
			});
			assert.equal(executions.length, 2, 'the two selected events ran, the unselected one did not');
			const events = [];
			for (const summaryRow of executions) {
				const id = String(summaryRow.id);
				const e = await api().getExecution(id);
				assert.equal(e.status, 'success');
				assert.equal(e.mode, 'webhook');
				const [item] = PublicApi.nodeOutput(e, TRIGGER_NAME);
				assert.equal(item.json.documentId, 'doc-sales-1');
				assert.equal(item.json.payload.event, item.json.event);
				events.push(item.json.event);
				assert.equal(PublicApi.nodeOutput(e, NEXT_NODE_NAME).length, 1);
				// Which process did what: enqueued by the webhook process, run by the worker, not by main.
				assert.ok(
					await logShows(webhook, ENQUEUED, id),
					`webhook process enqueued execution ${id}`,
				);
				assert.ok(await logShows(worker, WORKER_STARTED, id), `worker started execution ${id}`);
				assert.ok(
					await logShows(worker, WORKER_FINISHED_OK, id),
					`worker finished execution ${id} successfully`,
				);
				assert.ok(
					!idsIn(plainLog(main), ENQUEUED).has(id),
					`main did not receive the delivery of execution ${id}`,
				);
				assert.ok(
					!idsIn(plainLog(main), WORKER_STARTED).has(id),
					`main did not run execution ${id}`,
				);
			}
			assert.deepEqual(events.sort(), [...SELECTED].sort());
		});

		test('3. forged deliveries get 401 from the webhook process and run nothing', async () => {
			const {
				webhook,
				workers: [worker],
			} = mustQ();
			const before = (await api().listExecutions(wf.id)).length;
			const startedBefore = idsIn(plainLog(worker), WORKER_STARTED).size;
			const enqueuedBefore = idsIn(plainLog(webhook), ENQUEUED).size;
			for (const signature of ['missing', 'wrong', 'otherSecret', 'stale']) {
				const [d] = await sim.fire({
					event: 'documentCompleted',
					documentId: 'doc-sales-1',
					signature,
				});
				assert.equal(d.url, callbackUrl);
				assert.equal(d.status, 401, `${signature} signature answered ${d.status}`);
			}
			const body = { event: 'documentCompleted', documentId: 'doc-sales-1' };
			const forged = signedDelivery(crypto.randomBytes(32).toString('hex'), body);
			const r = await request('POST', callbackUrl, { ...forged, timeoutMs: 15_000 });
			assert.equal(r.status, 401, 'a delivery signed with another key');
			await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
			assert.equal((await api().listExecutions(wf.id)).length, before, 'no execution');
			assert.equal(
				idsIn(plainLog(worker), WORKER_STARTED).size,
				startedBefore,
				'the worker ran nothing',
			);
			assert.equal(
				idsIn(plainLog(webhook), ENQUEUED).size,
				enqueuedBefore,
				'the webhook process enqueued nothing',
			);
		});

		test('4. restarting main keeps exactly one webhook, and deliveries still run', async () => {
			const {
				main,
				workers: [worker],
			} = mustQ();
			const [original] = webhooksFor(sim, callbackUrl);
			await main.restart();
			assert.deepEqual(
				sim.listWebhooks().map((/** @type {any} */ w) => w.id),
				[original.id],
			);
			await main.restart({ kill: true });
			assert.deepEqual(
				sim.listWebhooks().map((/** @type {any} */ w) => w.id),
				[original.id],
				'also after a SIGKILL of main',
			);
			const before = (await api().listExecutions(wf.id)).length;
			const [d] = await sim.fire({ event: 'documentSigned', documentId: 'doc-sales-2' });
			assert.equal(d.status, 200);
			const executions = await api().waitForExecutions(wf.id, before + 1, {
				timeoutMs: 90_000,
				settleMs: SETTLE_MS,
			});
			assert.equal(executions.length, before + 1);
			const newest = executions.map((e) => String(e.id)).sort((a, b) => Number(b) - Number(a))[0];
			const [item] = PublicApi.nodeOutput(await api().getExecution(newest), TRIGGER_NAME);
			assert.equal(item.json.documentId, 'doc-sales-2');
			assert.ok(
				await logShows(worker, WORKER_FINISHED_OK, newest),
				`worker ran execution ${newest}`,
			);
		});

		test('5. with main stopped, the webhook process and the worker keep serving deliveries', async () => {
			const {
				main,
				workers: [worker],
			} = mustQ();
			const before = dbExecutions();
			const [original] = webhooksFor(sim, callbackUrl);
			const stopped = await main.stop();
			/** @type {{ id: string, status: string }[]} */
			let fresh;
			const docs = ['doc-sales-1', 'doc-sales-2', 'doc-sales-1'];
			try {
				assert.equal(main.running(), false);
				assert.notEqual(stopped.signal, 'SIGKILL', 'main stopped on SIGTERM');
				assert.deepEqual(
					sim.listWebhooks().map((/** @type {any} */ w) => w.id),
					[original.id],
					'stopping main removes nothing',
				);
				for (const documentId of docs) {
					const [d] = await sim.fire({ event: 'documentCompleted', documentId });
					assert.equal(d.status, 200, `delivery while main is down: ${d.status} ${d.error || ''}`);
				}
				const knownIds = new Set(before.map((e) => e.id));
				fresh = await waitFor(
					() => {
						const rows = dbExecutions().filter((e) => !knownIds.has(e.id));
						return rows.length >= docs.length && rows.every((e) => e.status === 'success')
							? rows
							: undefined;
					},
					{ timeoutMs: 90_000, intervalMs: 500, what: 'three executions while main is down' },
				);
				assert.equal(fresh.length, docs.length);
				for (const e of fresh)
					assert.ok(
						await logShows(worker, WORKER_FINISHED_OK, e.id),
						`worker ran execution ${e.id}`,
					);
				assert.equal(main.running(), false, 'main was down the whole time');
			} finally {
				// Later steps need main again, also when this one failed.
				await main.restart();
			}
			assert.deepEqual(
				sim.listWebhooks().map((/** @type {any} */ w) => w.id),
				[original.id],
				'exactly one webhook after main is back',
			);
			const got = [];
			for (const e of fresh) {
				const [item] = PublicApi.nodeOutput(await api().getExecution(e.id), TRIGGER_NAME);
				got.push(item.json.documentId);
			}
			assert.deepEqual(got.sort(), [...docs].sort());
		});

		test(`6. load: ${LOAD_COUNT} signed deliveries at concurrency ${LOAD_CONCURRENCY} through the webhook process`, async () => {
			const set = mustQ();
			const {
				main,
				webhook,
				workers: [worker],
			} = set;
			const finishedBefore = idsIn(plainLog(worker), WORKER_FINISHED_OK);
			const result = await runLoad({
				api: api(),
				workflowId: wf.id,
				url: callbackUrl,
				secret: secret(),
				label: 'queue mode',
				probes: {
					main: () => main.rssBytes(),
					webhook: () => webhook.rssBytes(),
					worker: () => worker.rssBytes(),
					redis: () => treeRssBytes(set.services.redis.pid),
					postgresPss: () => treePssBytes(set.services.pg.pid),
				},
				cpuProbes: {
					main: () => treeCpuSeconds(main.pid),
					webhook: () => treeCpuSeconds(webhook.pid),
					worker: () => treeCpuSeconds(worker.pid),
					redis: () => treeCpuSeconds(set.services.redis.pid),
					postgres: () => treeCpuSeconds(set.services.pg.pid),
				},
			});
			// Every one of them ran on the worker.
			const onWorker = () => {
				const finishedAfter = idsIn(plainLog(worker), WORKER_FINISHED_OK);
				return result.freshIds.filter((id) => finishedAfter.has(id) && !finishedBefore.has(id))
					.length;
			};
			await waitFor(() => onWorker() === LOAD_COUNT, {
				timeoutMs: 30_000,
				intervalMs: 1000,
				what: 'the worker log to show every load execution',
			}).catch(() => undefined);
			assert.equal(onWorker(), LOAD_COUNT, 'the worker ran every load execution');
			assert.equal(idsIn(plainLog(main), WORKER_STARTED).size, 0, 'main ran none');
			const { freshIds, ...figures } = result;
			summary.queue = figures;
		});

		test('7. unpublishing leaves no webhook, and the webhook process stops serving the URL', async () => {
			const {
				workers: [worker],
			} = mustQ();
			const key = secret();
			const before = (await api().listExecutions(wf.id)).length;
			const startedBefore = idsIn(plainLog(worker), WORKER_STARTED).size;
			await api().unpublish(wf.id);
			assert.deepEqual(urlsOf(sim.listWebhooks()), [], 'no webhook left at Circularo');
			const [d] = await sim
				.fire({ event: 'documentCompleted', documentId: 'doc-sales-1' })
				.then((/** @type {any[]} */ x) => (x.length ? x : [undefined]));
			assert.equal(d, undefined, 'the simulator has nothing to deliver to');
			const signed = signedDelivery(key, { event: 'documentCompleted', documentId: 'doc-sales-1' });
			const r = await waitFor(
				async () => {
					const res = await request('POST', callbackUrl, { ...signed, timeoutMs: 15_000 });
					return res.status === 404 ? res : undefined;
				},
				{ timeoutMs: 30_000, intervalMs: 500, what: 'the webhook process to answer 404' },
			);
			assert.equal(r.status, 404);
			await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
			assert.equal((await api().listExecutions(wf.id)).length, before);
			assert.equal(idsIn(plainLog(worker), WORKER_STARTED).size, startedBefore);
		});

		test('8. a signed PDF downloaded in the webhook process is read by the worker (binary data in the database)', async () => {
			const {
				main,
				webhook,
				workers: [worker],
			} = mustQ();
			const { workflow, webhookId: pdfHookId } = triggerWorkflow({
				credential,
				events: ['documentCompleted'],
				options: { downloadSignedDocument: true },
			});
			// The node after the trigger hashes the PDF's bytes: it runs on the worker, which must read
			// the binary data the webhook process stored.
			/** @type {any[]} */ (workflow.nodes)[1] = {
				...workflow.nodes[1],
				type: 'n8n-nodes-base.crypto',
				typeVersion: 2,
				parameters: {
					action: 'hash',
					type: 'SHA256',
					binaryData: true,
					binaryPropertyName: 'data',
					dataPropertyName: 'pdfSha256',
					encoding: 'hex',
				},
			};
			const stored = await api().createWorkflow(workflow);
			const id = String(stored.id);
			await api().publish(id);
			const pdfUrl = `${webhook.baseUrl}/webhook/${pdfHookId}/webhook`;
			assert.deepEqual(urlsOf(sim.listWebhooks()), [pdfUrl]);
			try {
				const [d] = await sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-2' });
				assert.equal(d.status, 200);
				const [row] = await api().waitForExecutions(id, 1, { timeoutMs: 90_000 });
				const e = await api().getExecution(row.id);
				assert.equal(e.status, 'success');
				assert.ok(await logShows(worker, WORKER_FINISHED_OK, String(row.id)), 'the worker ran it');
				const [item] = PublicApi.nodeOutput(e, TRIGGER_NAME);
				assert.equal(item.json.downloadError, undefined, 'the webhook process downloaded the PDF');
				assert.equal(item.binary.data.mimeType, 'application/pdf');
				assert.match(
					String(item.binary.data.id || ''),
					/^database:/,
					'queue mode keeps binary data in the database',
				);
				// The same PDF straight from the simulator (the event gave the document its final PDF).
				const hash = sim.getDocument('doc-sales-2').pdfHash;
				const r = await request(
					'GET',
					`${sim.apiUrl}/files/loadFile/hash/${encodeURIComponent(hash)}?token=${encodeURIComponent(sim.keys.teamAdmin)}`,
					{ timeoutMs: 15_000, noThrow: true },
				);
				assert.equal(r.status, 200, 'the simulator serves the PDF');
				assert.equal(r.body.subarray(0, 5).toString(), '%PDF-');
				const [hashed] = PublicApi.nodeOutput(e, NEXT_NODE_NAME);
				assert.equal(
					hashed.json.pdfSha256,
					crypto.createHash('sha256').update(r.body).digest('hex'),
					'the worker read the exact bytes',
				);
				assert.ok(!idsIn(plainLog(main), WORKER_STARTED).has(String(row.id)));
			} finally {
				await api().unpublish(id);
			}
			assert.deepEqual(urlsOf(sim.listWebhooks()), []);
		});

		test(`9. the same load through a single n8n process (SQLite) in the same run`, async () => {
			// Free the CPU first: the single process is measured alone.
			const t = Date.now();
			await mustQ().stop();
			summary.timings.queueSetStopSeconds = round((Date.now() - t) / 1000, 1);
			q = undefined;
			single = await startN8n({ packageTgz, logLevel: 'info' });
			await setupOwner(single);
			const s = single;
			const cred = await createCircularoCredential(s, sim, { apiKey: sim.keys.teamAdmin });
			const swf = await createTriggerWorkflow(s, { credential: cred, events: SELECTED });
			await /** @type {PublicApi} */ (s.api).publish(swf.id);
			const hooks = webhooksFor(sim, swf.productionUrl);
			assert.equal(hooks.length, 1);
			const result = await runLoad({
				api: /** @type {PublicApi} */ (s.api),
				workflowId: swf.id,
				url: swf.productionUrl,
				secret: hooks[0].hmacSecret,
				label: 'single process',
				probes: { n8n: () => s.rssBytes() },
				cpuProbes: { n8n: () => treeCpuSeconds(s.pid) },
			});
			const { freshIds, ...figures } = result;
			summary.single = figures;
			await /** @type {PublicApi} */ (s.api).unpublish(swf.id);
			assert.deepEqual(urlsOf(sim.listWebhooks()), []);
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
				` (so about ${round((s.cores * 1000) / r.cpuMsPerDeliveryTotal, 0)} deliveries/s if ${s.cores} cores were free for it)`
			: '-';
	const out = [
		'',
		'==================== queue-mode summary ====================',
		`n8n ${s.n8n}, ${s.cores} cores, Postgres ${s.services && s.services.postgres}, ${LOAD_COUNT} signed deliveries at concurrency ${LOAD_CONCURRENCY}`,
		`queue mode (main + webhook + 1 worker): ${line(s.queue)}`,
		`  peak RSS: ${mem(s.queue)}`,
		`  n8n processes together: ${total(s.queue, ['main', 'webhook', 'worker'])} MiB peak (RSS includes each process's task runner)`,
		`  CPU ms per delivery: ${cpu(s.queue)}`,
		`single process (SQLite):              ${line(s.single)}`,
		`  peak RSS: ${mem(s.single)}`,
		`  CPU ms per delivery: ${cpu(s.single)}`,
		`timings: ${JSON.stringify(s.timings)}`,
		`summary JSON: ${file}`,
		'=============================================================',
		'',
	];
	process.stdout.write(out.join('\n'));
}
