// @ts-check
'use strict';
/**
 * What the real-n8n parts share, whether n8n runs as one process or in queue mode: the n8n
 * configurations compared, a measured phase (deliveries to one workflow until its executions
 * have finished), the interleaved rounds, and the tables of figures and ratios.
 */

const { measureLoad } = require('../e2e/lib/load');
const { percentile } = require('../e2e/lib/http');
const { table, fmt, mib } = require('../e2e/lib/report');
const { benchDelivery } = require('./common');

/**
 * The n8n configurations compared. n8n 2.41's default expression engine ('vm', isolated-vm)
 * builds an isolate for the webhook phase of every trigger except its own Webhook node (n8n's
 * live-webhooks.js, webhookPhaseNeedsIsolate), one more for every getCredentials() in that
 * phase, and one for every execution, and disposes of each afterwards. With
 * N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true an isolate is built only when an expression is
 * evaluated; the legacy engine builds none. Measuring them tells n8n's cost from the node's.
 */
const CONFIGS = {
	defaults: { name: 'n8n defaults', env: {} },
	lazy: {
		name: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true',
		env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' },
	},
	legacy: { name: 'N8N_EXPRESSION_ENGINE=legacy', env: { N8N_EXPRESSION_ENGINE: 'legacy' } },
	// Not in the default run: isolates are still built as with the defaults, each one cheaper.
	cache: {
		name: 'N8N_EXPRESSION_ENGINE_COMPILE_CACHE=true',
		env: { N8N_EXPRESSION_ENGINE_COMPILE_CACHE: 'true' },
	},
};

/** Every delivery of a run gets its own number, so no two carry the same bytes. */
let deliverySeq = 0;

/**
 * @typedef {import('./workflows').BenchWorkflow} BenchWorkflow
 * @typedef {import('./workflows').WorkflowKey} WorkflowKey
 * @typedef {{ memory?: Record<string, () => number>, cpu?: Record<string, () => number> }} Probes
 *   memory in bytes, CPU in seconds, per process (or group of processes) by name
 */

/**
 * `count` deliveries to one workflow, measured until its executions have finished.
 * @param {any} n8n the instance whose API sees the executions (main, in queue mode)
 * @param {BenchWorkflow} wf
 * @param {{ count: number, concurrency: number, bodyBytes: number } & Probes} o
 */
function runPhase(n8n, wf, o) {
	return measureLoad({
		api: n8n.api,
		workflowId: wf.id,
		count: o.count,
		concurrency: o.concurrency,
		make: () => ({ url: wf.url, ...benchDelivery(o.bodyBytes, ++deliverySeq, wf.secret) }),
		memory: o.memory,
		memoryIntervalMs: 250,
		cpu: o.cpu,
		label: wf.label,
	});
}

/**
 * @typedef {object} WorkflowStats
 * @property {number} executions
 * @property {number} perSecond        executions per second over all rounds
 * @property {number[]} roundRates     executions per second in each round
 * @property {number} cpuMs            CPU per delivery, all probes together, over all rounds
 * @property {number[]} roundCpuMs     the same in each round
 * @property {number} p50 @property {number} p99   request latency, ms
 * @property {Record<string, number>} peakBytes    peak memory per probe
 * @property {Record<string, number>} cpuMsPerDelivery  CPU per delivery per probe
 */

/**
 * A warm-up for each workflow, then interleaved rounds (a b c d, d c b a, ...) so that drift
 * (load from other processes, n8n's growing database) falls on every workflow alike.
 * @param {any} n8n @param {BenchWorkflow[]} wfs
 * @param {{ log: (s: string) => void, tag: string, perWorkflow: number, rounds: number, warmup: number,
 *   concurrency: number, bodyBytes: number } & Probes} o
 * @returns {Promise<{ order: WorkflowKey[], stats: Record<string, WorkflowStats> }>}
 */
async function runRounds(n8n, wfs, o) {
	const phase = {
		concurrency: o.concurrency,
		bodyBytes: o.bodyBytes,
		memory: o.memory,
		cpu: o.cpu,
	};
	o.log(`  ${o.tag}: warming up with ${o.warmup} deliveries to each workflow`);
	for (const wf of wfs) await runPhase(n8n, wf, { ...phase, count: o.warmup });

	const perPhase = Math.max(1, Math.round(o.perWorkflow / o.rounds));
	/** @type {WorkflowKey[]} */
	const order = [];
	/** @type {Record<string, { executions: number, activeMs: number, latencies: number[], roundRates: number[], roundCpuMs: number[], peakBytes: Record<string, number>, cpuMs: Record<string, number> }>} */
	const agg = {};
	for (let r = 0; r < o.rounds; r++) {
		const round = r % 2 === 0 ? wfs : [...wfs].reverse();
		for (const wf of round) {
			order.push(wf.key);
			const m = await runPhase(n8n, wf, { ...phase, count: perPhase });
			o.log(
				`  ${o.tag} ${wf.label}: ${perPhase} deliveries, ${fmt(m.executionsPerSecond, 1)} executions/s, load average ${fmt(m.loadAverage.before, 1)}`,
			);
			const s = (agg[wf.key] ??= {
				executions: 0,
				activeMs: 0,
				latencies: [],
				roundRates: [],
				roundCpuMs: [],
				peakBytes: {},
				cpuMs: {},
			});
			s.executions += m.count;
			s.activeMs += m.activeMs;
			s.latencies.push(...m.sent.results.map((x) => x.ms));
			s.roundRates.push(m.executionsPerSecond);
			s.roundCpuMs.push(Object.values(m.cpuMs).reduce((a, b) => a + b, 0) / m.count);
			for (const [k, v] of Object.entries(m.memory.peak))
				s.peakBytes[k] = Math.max(s.peakBytes[k] || 0, v);
			for (const [k, v] of Object.entries(m.cpuMs)) s.cpuMs[k] = (s.cpuMs[k] || 0) + v;
		}
	}
	/** @type {Record<string, WorkflowStats>} */
	const stats = {};
	for (const [key, s] of Object.entries(agg)) {
		const lat = s.latencies.sort((x, y) => x - y);
		stats[key] = {
			executions: s.executions,
			perSecond: (s.executions * 1000) / s.activeMs,
			roundRates: s.roundRates,
			cpuMs: Object.values(s.cpuMs).reduce((a, b) => a + b, 0) / s.executions,
			roundCpuMs: s.roundCpuMs,
			p50: percentile(lat, 50),
			p99: percentile(lat, 99),
			peakBytes: s.peakBytes,
			cpuMsPerDelivery: Object.fromEntries(
				Object.entries(s.cpuMs).map(([k, v]) => [k, v / s.executions]),
			),
		};
	}
	return { order, stats };
}

/**
 * x over y in throughput ('rate': above 1, x is faster) or in CPU per delivery over all processes
 * ('cpu': above 1, x costs more): over all rounds, and its lowest and highest value in a single
 * round (the run-to-run range this run shows). CPU time hardly depends on what else the machine
 * runs; throughput does.
 * @param {Record<string, WorkflowStats>} stats @param {WorkflowKey} x @param {WorkflowKey} y
 * @param {'rate' | 'cpu'} [metric]
 */
function ratio(stats, x, y, metric = 'rate') {
	const [all, rounds] =
		metric === 'rate'
			? /** @type {const} */ (['perSecond', 'roundRates'])
			: /** @type {const} */ (['cpuMs', 'roundCpuMs']);
	const perRound = stats[x][rounds].map((v, i) => v / stats[y][rounds][i]);
	return {
		value: stats[x][all] / stats[y][all],
		low: Math.min(...perRound),
		high: Math.max(...perRound),
	};
}

/**
 * How much more CPU per delivery x costs than y, all processes together (ms), over all rounds
 * and its lowest and highest value in a single round. Between (a) and (b) this is what the
 * trigger's webhook phase costs beyond n8n's own Webhook node.
 * @param {Record<string, WorkflowStats>} stats @param {WorkflowKey} x @param {WorkflowKey} y
 */
function cpuDifference(stats, x, y) {
	const perRound = stats[x].roundCpuMs.map((v, i) => v - stats[y].roundCpuMs[i]);
	return {
		value: stats[x].cpuMs - stats[y].cpuMs,
		low: Math.min(...perRound),
		high: Math.max(...perRound),
	};
}

/**
 * The ratios both modes print and compare, from the stats of workflows (a)-(d).
 * @param {Record<string, WorkflowStats>} stats
 */
function workflowRatios(stats) {
	return {
		ab: ratio(stats, 'a', 'b'),
		ac: ratio(stats, 'a', 'c'),
		ad: ratio(stats, 'a', 'd'),
		bc: ratio(stats, 'b', 'c'),
		abCpu: ratio(stats, 'a', 'b', 'cpu'),
		acCpu: ratio(stats, 'a', 'c', 'cpu'),
		bcCpu: ratio(stats, 'b', 'c', 'cpu'),
		abCpuMs: cpuDifference(stats, 'a', 'b'),
		adCpuMs: cpuDifference(stats, 'a', 'd'),
	};
}

/** @param {{ value: number, low: number, high: number }} r @param {number} [digits] */
function ratioText(r, digits = 2) {
	return r.low === r.high
		? fmt(r.value, digits)
		: `${fmt(r.value, digits)} (${fmt(r.low, digits)} to ${fmt(r.high, digits)})`;
}

/**
 * The per-workflow table: throughput, latency, CPU per delivery and peak memory, per process
 * when there are several (queue mode).
 * @param {BenchWorkflow[]} wfs @param {Record<string, WorkflowStats>} stats
 */
function workflowTable(wfs, stats) {
	const first = stats[wfs[0].key];
	const cpuNames = Object.keys(first.cpuMsPerDelivery);
	const memNames = Object.keys(first.peakBytes);
	const cpuHead =
		cpuNames.length > 1 ? `CPU ms/delivery (${cpuNames.join(' + ')} = total)` : 'CPU ms/delivery';
	const memHead = memNames.length > 1 ? `peak RSS MiB (${memNames.join(' / ')})` : 'peak RSS MiB';
	return table(
		['workflow', 'executions/s', 'p50 ms', 'p99 ms', cpuHead, memHead],
		wfs.map((w) => {
			const s = stats[w.key];
			const cpu = cpuNames.map((n) => s.cpuMsPerDelivery[n]);
			const total = cpu.reduce((a, b) => a + b, 0);
			return [
				w.label,
				fmt(s.perSecond, 1),
				fmt(s.p50, 0),
				fmt(s.p99, 0),
				cpu.length > 1
					? `${cpu.map((v) => fmt(v, 1)).join(' + ')} = ${fmt(total, 1)}`
					: fmt(total, 1),
				memNames.map((n) => mib(s.peakBytes[n])).join(' / '),
			];
		}),
	);
}

module.exports = {
	CONFIGS,
	runPhase,
	runRounds,
	workflowRatios,
	ratioText,
	workflowTable,
};
