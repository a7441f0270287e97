// @ts-check
'use strict';
/**
 * Part 2 in n8n's queue mode: Redis and Postgres on loopback, main + one webhook process + one
 * worker (e2e/lib/queue.js, as the queue-mode suite runs them), the package installed in each.
 * Workflows (a)-(d) are published on main and every delivery goes to the webhook
 * process, which verifies it (for (a): the Circularo Trigger's webhook(), in a process that never
 * ran the activation) and queues the execution for the worker. CPU time per delivery is read for
 * each process, so the webhook phase's cost shows on its own.
 */

const { startSimulator } = require('../simulator');
const { setupOwner } = require('../e2e/lib/n8n');
const { ensureQueueServices } = require('../e2e/lib/services');
const { startQueueSet } = require('../e2e/lib/queue');
const { treeCpuSeconds } = require('../e2e/lib/proctree');
const { table } = require('../e2e/lib/report');
const { sizeLabel } = require('./common');
const { setupBenchWorkflows, checkWorkflows } = require('./workflows');
const { runRounds, ratioText, workflowRatios, workflowTable } = require('./phases');

/**
 * The simulator and a queue-mode set with the package in every process and the owner set up on
 * main, for the bench and for profile.js; `stop()` stops both.
 * @param {{ packageTgz: string, env: Record<string, string>, log: (line: string) => void }} o
 */
async function startBenchQueueSet(o) {
	await ensureQueueServices({ log: o.log });
	const sim = await startSimulator({ port: 0, log: false });
	try {
		const q = await startQueueSet({ packageTgz: o.packageTgz, logLevel: 'warn', env: o.env });
		const stop = async () => {
			await q.stop();
			await sim.stop();
		};
		await setupOwner(q.main).catch(async (e) => {
			await q.stop();
			throw e;
		});
		return { sim, q, stop };
	} catch (e) {
		await sim.stop();
		throw e;
	}
}

/**
 * Part 2 in a queue-mode set with one configuration (on every process).
 * @param {{ name: string, env: Record<string, string> }} config
 * @param {import('./single').RunOptions} o
 */
async function runQueue(config, o) {
	const tag = `queue mode [${config.name}]`;
	const started = Date.now();
	o.log(
		`  ${tag}: starting simulator, Redis, Postgres and n8n 2.41.1 main + webhook + worker with the packed package`,
	);
	const { sim, q, stop } = await startBenchQueueSet({
		packageTgz: o.packageTgz,
		env: { EXECUTIONS_DATA_PRUNE_MAX_COUNT: '0', ...config.env },
		log: o.log,
	});
	try {
		const {
			main,
			webhook,
			workers: [worker],
			services,
		} = q;
		o.log(`  ${tag}: ready after ${Math.round((Date.now() - started) / 1000)} s`);
		const wfs = await setupBenchWorkflows(main, sim, ['a', 'b', 'c', 'd']);
		for (const wf of wfs) {
			if (!wf.url.startsWith(`${webhook.baseUrl}/`))
				throw new Error(
					`${wf.label}: ${wf.url} is not served by the webhook process (${webhook.baseUrl})`,
				);
		}
		await checkWorkflows(main, wfs, o.bodyBytes);
		const { order, stats } = await runRounds(main, wfs, {
			...o,
			tag,
			memory: {
				webhook: () => webhook.rssBytes(),
				worker: () => worker.rssBytes(),
				main: () => main.rssBytes(),
			},
			cpu: {
				webhook: () => treeCpuSeconds(webhook.pid),
				worker: () => treeCpuSeconds(worker.pid),
				main: () => treeCpuSeconds(main.pid),
				'pg+redis': () => treeCpuSeconds(services.pg.pid) + treeCpuSeconds(services.redis.pid),
			},
		});
		const ratios = workflowRatios(stats);
		const lines = [
			`Part 2 [${config.name}], queue mode (main + webhook process + worker, Postgres, Redis; deliveries to the webhook process): ${o.perWorkflow} signed deliveries per workflow (${sizeLabel(o.bodyBytes)} body) at concurrency ${o.concurrency}, ${o.rounds} interleaved round(s) (${order.join(' ')})`,
			workflowTable(wfs, stats),
			table(
				['ratio (lowest-highest round)', 'value'],
				[
					['a/b throughput (trigger vs unchecked floor)', ratioText(ratios.ab)],
					['a/c throughput (trigger vs hand-built check)', ratioText(ratios.ac)],
					['a/d throughput (trigger vs Webhook with a credential)', ratioText(ratios.ad)],
					[
						'a/b CPU per delivery, all processes (above 1: the trigger costs more)',
						ratioText(ratios.abCpu),
					],
					['a/c CPU per delivery, all processes', ratioText(ratios.acCpu)],
					['a - b CPU ms per delivery, all processes', ratioText(ratios.abCpuMs, 1)],
					['a - d CPU ms per delivery, all processes', ratioText(ratios.adCpuMs, 1)],
				],
			),
		];
		return { text: lines.join('\n'), stats, ratios };
	} finally {
		await stop();
	}
}

module.exports = { runQueue, startBenchQueueSet };
