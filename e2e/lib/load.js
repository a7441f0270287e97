// @ts-check
'use strict';
/**
 * Load on one workflow and what it costs, for the load suites and the bench alike: requests sent
 * at a set concurrency (`postConcurrent`), the workflow's executions waited for, throughput as
 * n8n recorded it, latency per request, and the memory and CPU of named processes meanwhile.
 *
 *   const r = await measureLoad({ api: n8n.api, workflowId, count: 500, concurrency: 16,
 *     make: (i) => ({ url, ...signedDelivery(secret, body) }),
 *     memory: { n8n: () => n8n.rssBytes() }, cpu: { n8n: () => treeCpuSeconds(n8n.pid) } });
 *   r.executionsPerSecond, r.latencyMs.p50, r.memory.peak.n8n, r.cpuMs.n8n
 */

const os = require('node:os');
const { postConcurrent } = require('./http');
const { FINISHED, PENDING } = require('./api');

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @template V, W @param {Record<string, V>} o @param {(v: V) => W} fn
 * @returns {Record<string, W>}
 */
function mapValues(o, fn) {
	return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, fn(v)]));
}

/**
 * Samples named memory probes (bytes, e.g. `() => n8n.rssBytes()`) every `intervalMs` until
 * stopped. `stop()` returns each probe's value when sampling began (`idle`) and its maximum.
 * @param {Record<string, () => number>} probes @param {number} [intervalMs]
 */
function sampleMemory(probes, intervalMs = 1000) {
	const idle = mapValues(probes, (probe) => probe());
	const peak = { ...idle };
	const sample = () => {
		for (const [name, probe] of Object.entries(probes)) peak[name] = Math.max(peak[name], probe());
	};
	const timer = setInterval(sample, intervalMs);
	timer.unref();
	return {
		stop: () => {
			clearInterval(timer);
			sample();
			return { idle, peak };
		},
	};
}

/**
 * Memory once things are quiet: waits `quietMs`, then the median of `samples` readings a second
 * apart (a single reading catches garbage collection at random).
 * @param {() => number} probe @param {{ quietMs?: number, samples?: number }} [o]
 */
async function settledMemory(probe, o = {}) {
	await sleep(o.quietMs ?? 5000);
	/** @type {number[]} */
	const xs = [];
	for (let i = 0; i < (o.samples ?? 5); i++) {
		if (i > 0) await sleep(1000);
		xs.push(probe());
	}
	xs.sort((a, b) => a - b);
	const m = xs.length >> 1;
	return xs.length % 2 ? xs[m] : (xs[m - 1] + xs[m]) / 2;
}

/**
 * @typedef {object} LoadMeasurement
 * @property {number} count                 requests sent, each answered 200 and run once
 * @property {number} startedAt             when the first request was sent (ms since the epoch)
 * @property {number} activeMs              first request sent to the last execution's `stoppedAt`
 * @property {number} executionsPerSecond   count / activeMs: completed work, not HTTP answers
 * @property {import('./http').LoadResult} sent   statuses, latencies per request (`results[].ms`), answer rate
 * @property {{ idle: Record<string, number>, peak: Record<string, number> }} memory  bytes per probe
 * @property {Record<string, number>} cpuMs  CPU time per probe (processes and their children) over the load
 * @property {{ before: number, after: number }} loadAverage  the machine's 1-minute load average
 */

/**
 * Sends `count` requests built by `make(i)` with at most `concurrency` in flight, waits until
 * the workflow has one more finished execution per request, and measures. Throws when a request
 * is not answered 200, or when the workflow does not end with exactly one new execution per
 * request, none of them failed.
 * @param {{ api: import('./api').PublicApi, workflowId: string, count: number, concurrency: number,
 *   make: (i: number) => import('./http').RequestSpec & { tag?: any },
 *   memory?: Record<string, () => number>, memoryIntervalMs?: number, cpu?: Record<string, () => number>,
 *   requestTimeoutMs?: number, timeoutMs?: number, pollMs?: number, label?: string }} o
 *   `cpu`: probes in seconds (e.g. `() => treeCpuSeconds(pid)`); `timeoutMs` bounds the sending
 *   and, again, the wait for the executions.
 * @returns {Promise<LoadMeasurement>}
 */
async function measureLoad(o) {
	const label = o.label || `workflow ${o.workflowId}`;
	const timeoutMs = o.timeoutMs ?? 30 * 60_000;
	const cpuProbes = o.cpu || {};
	const startedBefore = await o.api.countExecutions(o.workflowId, ALL_STATES);
	const failedBefore = await o.api.countExecutions(o.workflowId, FAILED);
	const loadBefore = os.loadavg()[0];
	const cpuBefore = mapValues(cpuProbes, (probe) => probe());
	const memory = sampleMemory(o.memory || {}, o.memoryIntervalMs);
	const t0 = Date.now();
	/** @type {{ idle: Record<string, number>, peak: Record<string, number> } | undefined} */
	let mem;
	try {
		const sent = await postConcurrent({ count: o.count, make: o.make }, o.concurrency, {
			timeoutMs: o.requestTimeoutMs ?? 60_000,
			totalTimeoutMs: timeoutMs,
		});
		const ok = sent.statuses['200'] || 0;
		// Fail now, not after waiting for executions that cannot come.
		if (ok !== o.count)
			throw new Error(
				`${label}: ${o.count - ok} of ${o.count} requests were not answered 200 (status 0: no answer or not sent in time): ${JSON.stringify(sent.statuses)}`,
			);
		await o.api.waitForExecutions(o.workflowId, startedBefore + o.count, {
			timeoutMs,
			intervalMs: o.pollMs ?? 500,
			list: false,
		});
		mem = memory.stop();
		const cpuMs = Object.fromEntries(
			Object.entries(cpuProbes).map(([name, probe]) => [name, (probe() - cpuBefore[name]) * 1000]),
		);
		const lastStop = await o.api.lastStoppedAt(o.workflowId);
		const started = (await o.api.countExecutions(o.workflowId, ALL_STATES)) - startedBefore;
		const failed = (await o.api.countExecutions(o.workflowId, FAILED)) - failedBefore;
		if (started !== o.count)
			throw new Error(`${label}: ${started} executions for ${o.count} requests`);
		if (failed > 0) throw new Error(`${label}: ${failed} of the ${o.count} executions failed`);
		return {
			count: o.count,
			startedAt: t0,
			activeMs: lastStop - t0,
			executionsPerSecond: executionsPerSecond(o.count, t0, lastStop),
			sent,
			memory: mem,
			cpuMs,
			loadAverage: { before: loadBefore, after: os.loadavg()[0] },
		};
	} finally {
		if (!mem) memory.stop();
	}
}

/**
 * Throughput as work done: executions per second from the first request sent to the last
 * execution's end (not HTTP answers, which the trigger gives on receipt).
 * @param {number} count @param {number} sentAt @param {number} lastStoppedAt ms since the epoch
 */
function executionsPerSecond(count, sentAt, lastStoppedAt) {
	return (count * 1000) / (lastStoppedAt - sentAt);
}

const FAILED = FINISHED.filter((s) => s !== 'success');
const ALL_STATES = [...FINISHED, ...PENDING];

module.exports = { measureLoad, sampleMemory, settledMemory, executionsPerSecond };
