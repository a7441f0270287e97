// @ts-check
'use strict';
/**
 * Debian's `redis-server` on loopback for n8n's queue mode: no persistence, its own folder under
 * a temp dir, a free port. Started and stopped through serverProcess.js.
 *
 *   const redis = await startRedis();   // { host, port, pid, n8nEnv(), command(), stop() }
 */

const fs = require('node:fs');
const os = require('node:os');
const net = require('node:net');
const path = require('node:path');
const proc = require('./serverProcess');

/** @returns {string | undefined} */
function findRedisServer() {
	for (const p of ['/usr/bin/redis-server', '/usr/local/bin/redis-server'])
		if (proc.isExecutable(p)) return p;
	return undefined;
}

/**
 * @typedef {object} RedisServer
 * @property {string} host
 * @property {number} port
 * @property {number} pid
 * @property {string} dir       data/log folder (removed by stop unless keepDir)
 * @property {string} logFile
 * @property {() => Record<string, string>} n8nEnv   QUEUE_BULL_REDIS_HOST/PORT
 * @property {(cmd: string[]) => Promise<string>} command   one RESP command, the raw reply
 * @property {() => boolean} running
 * @property {(o?: { timeoutMs?: number }) => Promise<void>} stop
 */

/**
 * Starts `redis-server` on 127.0.0.1 with no persistence, in its own folder.
 * @param {{ dir?: string, redisServer?: string, readyTimeoutMs?: number, keepDir?: boolean }} [o]
 * @returns {Promise<RedisServer>}
 */
async function startRedis(o = {}) {
	const bin = o.redisServer || findRedisServer();
	if (!bin) throw new Error('redis-server not found; call ensureQueueServices() first');
	const dir = o.dir || fs.mkdtempSync(path.join(os.tmpdir(), 'circularo-redis-'));
	const ownDir = !o.dir && !o.keepDir;
	fs.mkdirSync(dir, { recursive: true });
	const logFile = path.join(dir, 'redis.log');
	// Empty values switch persistence and the log file (stdout then) off.
	const settings = {
		bind: '127.0.0.1',
		'protected-mode': 'yes',
		save: '',
		appendonly: 'no',
		dir,
		daemonize: 'no',
		logfile: '',
		databases: '2',
	};
	return proc.onFreePort(async (port) => {
		const args = ['--port', String(port)];
		for (const [k, v] of Object.entries(settings)) args.push(`--${k}`, v);
		const logFrom = proc.fileSize(logFile);
		const m = proc.spawnServer(bin, args, {
			logFile,
			cwd: dir,
			removeOnOrphan: ownDir ? dir : undefined,
		});
		try {
			await proc.waitUntilReady(
				m,
				async () => (await redisCommand(port, ['PING'], 2000)).startsWith('+PONG'),
				{
					what: `redis-server on 127.0.0.1:${port}`,
					logFile,
					logFrom,
					timeoutMs: o.readyTimeoutMs ?? 20_000,
					intervalMs: 100,
					clash: /Address already in use/i,
				},
			);
		} catch (err) {
			if (ownDir) proc.removeDir(dir);
			throw err;
		}
		/** @type {RedisServer} */
		const server = {
			host: '127.0.0.1',
			port,
			pid: m.pid,
			dir,
			logFile,
			n8nEnv: () => ({ QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port) }),
			command: (cmd) => redisCommand(port, cmd, 5000),
			running: m.running,
			stop: async ({ timeoutMs = 10_000 } = {}) => {
				await proc.stopServer(m, 'SIGTERM', timeoutMs);
				if (!o.keepDir) proc.removeDir(dir);
			},
		};
		return server;
	});
}

/**
 * Sends one command in RESP and returns the first reply chunk as text (enough for PING, INFO,
 * DBSIZE, LLEN ...). Bounded by `timeoutMs`.
 * @param {number} port @param {string[]} cmd @param {number} timeoutMs
 * @returns {Promise<string>}
 */
function redisCommand(port, cmd, timeoutMs) {
	return new Promise((resolve, reject) => {
		const sock = net.connect({ host: '127.0.0.1', port });
		let buf = '';
		const timer = setTimeout(() => {
			sock.destroy();
			reject(new Error(`redis ${cmd[0]}: timed out`));
		}, timeoutMs);
		sock.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
		sock.on('connect', () => {
			sock.write(
				`*${cmd.length}\r\n${cmd.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`,
			);
		});
		sock.on('data', (d) => {
			buf += d.toString('utf8');
			// Simple replies end at the first CRLF; bulk replies ($n) once n bytes arrived.
			const m = /^\$(\d+)\r\n/.exec(buf);
			const done = m ? buf.length >= m[0].length + Number(m[1]) + 2 : buf.includes('\r\n');
			if (done) {
				clearTimeout(timer);
				sock.end();
				resolve(buf);
			}
		});
	});
}

module.exports = { startRedis, findRedisServer };
