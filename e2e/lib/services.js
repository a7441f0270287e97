// @ts-check
'use strict';
/**
 * Redis and Postgres for n8n's queue mode, started from Debian's packages on loopback, each with
 * its own data folder under a temp dir and free ports (redis.js, postgres.js). Every server is
 * stopped by its PID (and its process group), also when the test process exits or fails
 * (serverProcess.js).
 *
 *   await ensureQueueServices();                 // apt-get installs redis-server/postgresql only if missing
 *   const redis = await startRedis();            // { host, port, pid, stop() }
 *   const pg = await startPostgres();            // { host, port, database, user, password, pid, stop(), psql() }
 *   ...                                          // pg.n8nEnv() / redis.n8nEnv() give n8n's settings
 *   await pg.stop(); await redis.stop();
 */

const { spawnSync } = require('node:child_process');
const { startRedis, findRedisServer } = require('./redis');
const { startPostgres, findPostgresBin } = require('./postgres');

/**
 * Installs Debian's `redis-server` and `postgresql` with apt-get when they are missing (needs
 * root). Does nothing, and runs no apt command, when both are present.
 * @param {{ log?: (line: string) => void, timeoutMs?: number }} [o]
 * @returns {Promise<{ installed: string[], redisServer: string, postgresBin: string, seconds: number }>}
 */
async function ensureQueueServices(o = {}) {
	const log = o.log || ((/** @type {string} */ l) => process.stderr.write(`${l}\n`));
	const started = Date.now();
	/** @type {string[]} */
	const missing = [];
	if (!findRedisServer()) missing.push('redis-server');
	if (!findPostgresBin()) missing.push('postgresql');
	if (missing.length > 0) {
		if (typeof process.getuid === 'function' && process.getuid() !== 0) {
			throw new Error(
				`${missing.join(' and ')} missing; install as root: apt-get update && apt-get install -y ${missing.join(' ')}`,
			);
		}
		const timeoutMs = o.timeoutMs ?? 300_000;
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		log(`services: apt-get install ${missing.join(' ')} (missing)`);
		const lock = ['-o', 'DPkg::Lock::Timeout=120'];
		for (const args of [
			['update', ...lock],
			['install', '-y', '--no-install-recommends', ...lock, ...missing],
		]) {
			const r = spawnSync('apt-get', ['-q', ...args], {
				env,
				encoding: 'utf8',
				timeout: timeoutMs,
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			if (r.status !== 0) {
				throw new Error(
					`apt-get ${args[0]} failed (${r.status ?? r.signal ?? r.error}):\n${String(r.stdout || '').slice(-1500)}\n${String(r.stderr || '').slice(-1500)}`,
				);
			}
		}
	}
	const redisServer = findRedisServer();
	const postgresBin = findPostgresBin();
	if (!redisServer || !postgresBin)
		throw new Error(
			`after installing: redis-server ${redisServer ? 'found' : 'missing'}, postgres ${postgresBin ? 'found' : 'missing'}`,
		);
	return { installed: missing, redisServer, postgresBin, seconds: (Date.now() - started) / 1000 };
}

/**
 * Redis and Postgres together for one queue-mode set; `stop()` stops both (also if one fails).
 * @param {{ log?: (line: string) => void }} [o]
 */
async function startQueueServices(o = {}) {
	await ensureQueueServices(o);
	const redis = await startRedis();
	/** @type {import('./postgres').PostgresServer} */
	let pg;
	try {
		pg = await startPostgres();
	} catch (err) {
		await redis.stop();
		throw err;
	}
	return {
		redis,
		pg,
		/** Settings every queue-mode n8n process needs for these services. */
		n8nEnv: () => ({ EXECUTIONS_MODE: 'queue', ...redis.n8nEnv(), ...pg.n8nEnv() }),
		stop: async () => {
			await Promise.allSettled([pg.stop(), redis.stop()]);
		},
	};
}

module.exports = {
	ensureQueueServices,
	startRedis,
	startPostgres,
	startQueueServices,
	findPostgresBin,
	findRedisServer,
};
