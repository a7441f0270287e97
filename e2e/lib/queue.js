// @ts-check
'use strict';
/**
 * n8n's queue mode on loopback, on top of the harness's startN8n: Redis + Postgres (services.js),
 * then main (`n8n start`, runs the migrations), then one webhook process (`n8n webhook`) and
 * worker(s) (`n8n worker`), each with its own user folder and the package installed in it.
 * WEBHOOK_URL of every process points at the webhook process, so main's trigger hooks register
 * that URL.
 *
 *   const q = await startQueueSet({ packageTgz });
 *   await setupOwner(q.main);                     // public API lives on main
 *   ... q.webhook.webhookUrl(path) ... q.workers[0].readLog() ...
 *   await q.stop();
 */

const { startN8n } = require('./n8n');
const { freePort } = require('./http');
const { startQueueServices } = require('./services');

/**
 * Settings that make one n8n process part of the queue-mode set (besides the role).
 * @param {{ n8nEnv: () => Record<string, string> }} services
 */
function queueEnv(services) {
	// EXECUTIONS_MODE=queue, QUEUE_BULL_REDIS_*, DB_TYPE=postgresdb, DB_POSTGRESDB_* (n8n's defaults otherwise).
	// Postgres 15 is what Debian 12 ships; n8n warns about it and works.
	return { ...services.n8nEnv() };
}

/**
 * @typedef {object} QueueSet
 * @property {Awaited<ReturnType<typeof startQueueServices>>} services
 * @property {import('./n8n').N8nInstance} main
 * @property {import('./n8n').N8nInstance} webhook
 * @property {import('./n8n').N8nInstance[]} workers
 * @property {() => import('./n8n').N8nInstance[]} all
 * @property {() => Promise<void>} stop   stops every n8n process, then Redis and Postgres
 */

/**
 * @param {{ packageTgz: string, workers?: number, logLevel?: string, env?: Record<string, string>,
 *   services?: Awaited<ReturnType<typeof startQueueServices>> }} o
 * @returns {Promise<QueueSet>}
 */
async function startQueueSet(o) {
	const services = o.services || (await startQueueServices());
	/** @type {import('./n8n').N8nInstance[]} */
	const started = [];
	const stopAll = async () => {
		await Promise.allSettled(started.map((p) => p.stop()));
		if (!o.services) await services.stop();
	};
	try {
		const webhookPort = await freePort();
		const webhookBaseUrl = `http://127.0.0.1:${webhookPort}/`;
		const common = { packageTgz: o.packageTgz, logLevel: o.logLevel, webhookBaseUrl };
		const env = { ...queueEnv(services), ...(o.env || {}) };
		const main = await startN8n({
			...common,
			role: 'start',
			env: { ...env, OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true' },
		});
		started.push(main);
		const rest = await Promise.all([
			startN8n({ ...common, role: 'webhook', port: webhookPort, env }).then((p) => {
				started.push(p);
				return p;
			}),
			...Array.from({ length: o.workers ?? 1 }, () =>
				startN8n({ ...common, role: 'worker', env }).then((p) => {
					started.push(p);
					return p;
				}),
			),
		]);
		const [webhook, ...workers] = rest;
		return {
			services,
			main,
			webhook,
			workers,
			all: () => [main, webhook, ...workers],
			stop: stopAll,
		};
	} catch (err) {
		await stopAll();
		throw err;
	}
}

module.exports = { startQueueSet, queueEnv };
