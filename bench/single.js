// @ts-check
'use strict';
/**
 * Parts 2 and 3 in a single n8n process (n8n as most people run it, SQLite): the four workflows
 * of workflows.js side by side in one instance (part 2), then n8n's resident memory before and
 * after many deliveries to the Circularo Trigger (part 3).
 */

const { startStack } = require('../e2e/lib/circularo/stack');
const { treeCpuSeconds } = require('../e2e/lib/proctree');
const { settledMemory } = require('../e2e/lib/load');
const { table, fmt, mib } = require('../e2e/lib/report');
const { sizeLabel, verdict } = require('./common');
const { setupBenchWorkflows, checkWorkflows } = require('./workflows');
const { runPhase, runRounds, ratioText, workflowRatios, workflowTable } = require('./phases');

const TARGET_AB = 0.95;
const TARGET_AC = 1.1;
const TARGET_MEMORY_GROWTH = 0.1;

/**
 * @typedef {{ log: (s: string) => void, packageTgz: string, perWorkflow: number, rounds: number, warmup: number,
 *   concurrency: number, bodyBytes: number, memoryDeliveries: number }} RunOptions
 */

/**
 * Part 2 (and part 3 when `memoryDeliveries` > 0) in one n8n with one configuration.
 * @param {{ name: string, env: Record<string, string> }} config @param {RunOptions} o
 */
async function runSingle(config, o) {
	const tag = `single n8n [${config.name}]`;
	const started = Date.now();
	o.log(`  ${tag}: starting simulator + n8n 2.41.1 with the packed package`);
	const stack = await startStack({
		packageTgz: o.packageTgz,
		n8n: { env: { EXECUTIONS_DATA_PRUNE_MAX_COUNT: '0', ...config.env }, logLevel: 'warn' },
	});
	try {
		const { n8n, sim } = stack;
		o.log(`  ${tag}: ready after ${Math.round((Date.now() - started) / 1000)} s`);
		const wfs = await setupBenchWorkflows(n8n, sim, ['a', 'b', 'c', 'd']);
		await checkWorkflows(n8n, wfs, o.bodyBytes);
		const { order, stats } = await runRounds(n8n, wfs, {
			...o,
			tag,
			memory: { n8n: () => n8n.rssBytes() },
			cpu: { n8n: () => treeCpuSeconds(n8n.pid) },
		});
		const ratios = workflowRatios(stats);
		const lines = [
			`Part 2 [${config.name}], single process: n8n 2.41.1, ${o.perWorkflow} signed deliveries per workflow (${sizeLabel(o.bodyBytes)} body) at concurrency ${o.concurrency}, ${o.rounds} interleaved round(s) (${order.join(' ')})`,
			workflowTable(wfs, stats),
			table(
				['throughput ratio (lowest-highest round)', 'value', 'target', 'verdict'],
				[
					[
						'a/b (trigger vs unchecked floor)',
						ratioText(ratios.ab),
						`>= ${TARGET_AB}`,
						verdict(ratios.ab.value >= TARGET_AB),
					],
					[
						'a/c (trigger vs hand-built check)',
						ratioText(ratios.ac),
						`>= ${TARGET_AC}`,
						verdict(ratios.ac.value >= TARGET_AC),
					],
					['a/d (trigger vs Webhook with a credential)', ratioText(ratios.ad), '', ''],
					['b/c (for reference)', ratioText(ratios.bc), '', ''],
				],
			),
			table(
				['CPU per delivery ratio (lowest-highest round)', 'value'],
				[
					['a/b (above 1: the trigger costs more)', ratioText(ratios.abCpu)],
					['a/c', ratioText(ratios.acCpu)],
					['a - b, ms', ratioText(ratios.abCpuMs, 1)],
					['a - d, ms', ratioText(ratios.adCpuMs, 1)],
				],
			),
		];
		let ok = ratios.ab.value >= TARGET_AB && ratios.ac.value >= TARGET_AC;

		if (o.memoryDeliveries > 0) {
			o.log(`  ${tag}: part 3, ${o.memoryDeliveries} deliveries to (a)`);
			const rss = () => n8n.rssBytes();
			const before = await settledMemory(rss);
			const m = await runPhase(n8n, wfs[0], {
				count: o.memoryDeliveries,
				concurrency: o.concurrency,
				bodyBytes: o.bodyBytes,
				memory: { n8n: rss },
			});
			const after = await settledMemory(rss);
			const growth = after / before - 1;
			ok = ok && growth < TARGET_MEMORY_GROWTH;
			lines.push(
				'',
				`Part 3 [${config.name}]: n8n resident memory (n8n + task runner) before and after ${o.memoryDeliveries} deliveries to (a) (${fmt(m.executionsPerSecond, 1)} executions/s)`,
				table(
					['before MiB', 'after MiB', 'peak MiB', 'growth', 'target', 'verdict'],
					[
						[
							mib(before),
							mib(after),
							mib(m.memory.peak.n8n),
							`${fmt(growth * 100, 1)}%`,
							`< ${TARGET_MEMORY_GROWTH * 100}%`,
							verdict(growth < TARGET_MEMORY_GROWTH),
						],
					],
				),
			);
		}
		return { text: lines.join('\n'), ok, stats, ratios };
	} finally {
		await stack.stop();
	}
}

module.exports = { runSingle, TARGET_AB, TARGET_AC };
