// @ts-check
'use strict';
/**
 * Redis and Postgres for n8n's queue mode, started from Debian's packages on loopback, each with
 * its own data folder under a temp dir and free ports. Every server is stopped by its PID (and
 * its process group), also when the test process exits or fails.
 *
 *   await ensureQueueServices();                 // apt-get installs redis-server/postgresql only if missing
 *   const redis = await startRedis();            // { host, port, pid, stop() }
 *   const pg = await startPostgres();            // { host, port, database, user, password, pid, stop(), psql() }
 *   ...                                          // pg.n8nEnv() / redis.n8nEnv() give n8n's settings
 *   await pg.stop(); await redis.stop();
 *
 * Postgres refuses to run as root, so when we are root the server runs as Debian's `postgres`
 * user (spawned with its uid/gid: the PID we hold is the postmaster's own). Nothing here prints
 * the database password.
 */

const fs = require('node:fs');
const os = require('node:os');
const net = require('node:net');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawn, spawnSync } = require('node:child_process');
const { freePort, waitFor } = require('./http');
const { reapOnExit, forget } = require('./reaper');

// ------------------------------------------------------------------ finding and installing

/** @returns {string | undefined} the newest /usr/lib/postgresql/<v>/bin holding `postgres` and `initdb` */
function findPostgresBin() {
	const root = '/usr/lib/postgresql';
	let versions = [];
	try {
		versions = fs
			.readdirSync(root)
			.filter((v) => /^\d+$/.test(v))
			.sort((a, b) => Number(b) - Number(a));
	} catch {
		return undefined;
	}
	for (const v of versions) {
		const bin = path.join(root, v, 'bin');
		if (['postgres', 'initdb', 'psql'].every((b) => isExecutable(path.join(bin, b)))) return bin;
	}
	return undefined;
}

/** @returns {string | undefined} */
function findRedisServer() {
	for (const p of ['/usr/bin/redis-server', '/usr/local/bin/redis-server'])
		if (isExecutable(p)) return p;
	return undefined;
}

/** @param {string} p */
function isExecutable(p) {
	try {
		fs.accessSync(p, fs.constants.X_OK);
		return fs.statSync(p).isFile();
	} catch {
		return false;
	}
}

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

// ------------------------------------------------------------------ process plumbing

/**
 * @typedef {object} Managed
 * @property {number} pid
 * @property {() => boolean} running
 * @property {Promise<{ code: number | null, signal: string | null }>} exited
 * @property {() => { code: number | null, signal: string | null } | undefined} exitInfo
 */

/**
 * Spawns a server in its own process group with output appended to `logFile`.
 * @param {string} cmd @param {string[]} args
 * @param {{ logFile: string, cwd: string, env?: NodeJS.ProcessEnv, uid?: number, gid?: number, removeOnOrphan?: string }} o
 * @returns {Managed}
 */
function spawnServer(cmd, args, o) {
	const fd = fs.openSync(o.logFile, 'a');
	/** @type {import('node:child_process').SpawnOptions} */
	const so = { cwd: o.cwd, env: o.env || process.env, stdio: ['ignore', fd, fd], detached: true };
	if (o.uid !== undefined) so.uid = o.uid;
	if (o.gid !== undefined) so.gid = o.gid;
	const c = spawn(cmd, args, so);
	fs.closeSync(fd);
	if (!c.pid) throw new Error(`could not spawn ${cmd}`);
	const pid = c.pid;
	reapOnExit(pid);
	const guard = startGuard(pid, o.removeOnOrphan);
	/** @type {{ code: number | null, signal: string | null } | undefined} */
	let info;
	const exited = new Promise((resolve) => {
		c.on('exit', (code, signal) => {
			forget(pid);
			try {
				guard.kill('SIGKILL');
			} catch {
				/* gone */
			}
			info = { code, signal };
			resolve(info);
		});
		c.on('error', () => {
			/* reported through exit / readiness */
		});
	});
	return { pid, running: () => !info, exited: /** @type {any} */ (exited), exitInfo: () => info };
}

/**
 * A small watchdog process per server: when the test process dies without running its exit
 * hooks (SIGKILL, e.g. a CI time limit), its end of the stdin pipe closes and the watchdog
 * kills the server's process group and removes its temp folder. It ends by itself when the
 * server is gone.
 * @param {number} pid @param {string | undefined} dir
 */
function startGuard(pid, dir) {
	const code = `
    const pid = Number(process.argv[1]); const dir = process.argv[2];
    const orphaned = () => {
      try { process.kill(-pid, 'SIGKILL'); } catch {}
      if (dir) setTimeout(() => { try { require('fs').rmSync(dir, { recursive: true, force: true }); } catch {} process.exit(0); }, 1000);
      else process.exit(0);
    };
    process.stdin.on('end', orphaned); process.stdin.on('error', orphaned); process.stdin.resume();
    setInterval(() => { try { process.kill(pid, 0); } catch { process.exit(0); } }, 2000);
  `;
	const g = spawn(process.execPath, ['-e', code, String(pid), dir || ''], {
		stdio: ['pipe', 'ignore', 'ignore'],
		env: {},
		detached: false,
	});
	g.unref();
	// Neither the child nor its pipe may keep the test process alive.
	const handle = /** @type {any} */ (g.stdin);
	if (handle && typeof handle.unref === 'function') handle.unref();
	else if (handle && handle._handle && typeof handle._handle.unref === 'function')
		handle._handle.unref();
	return g;
}

/**
 * Resolves with the promise's value, or 'timeout' after `ms`; the timer is cleared either way so
 * it cannot keep the process alive.
 * @template T @param {Promise<T>} p @param {number} ms @returns {Promise<T | 'timeout'>}
 */
function raceTimeout(p, ms) {
	/** @type {NodeJS.Timeout | undefined} */
	let timer;
	const t = new Promise((r) => {
		timer = setTimeout(() => r('timeout'), ms);
	});
	return /** @type {Promise<T | 'timeout'>} */ (
		Promise.race([p, t]).finally(() => clearTimeout(timer))
	);
}

/**
 * Sends `signal`, waits up to `timeoutMs`, then SIGKILLs the whole process group.
 * @param {Managed} m @param {NodeJS.Signals} signal @param {number} timeoutMs
 */
async function stopManaged(m, signal, timeoutMs) {
	if (m.running()) {
		try {
			process.kill(m.pid, signal);
		} catch {
			/* gone */
		}
		const res = await raceTimeout(m.exited, timeoutMs);
		if (res === 'timeout') {
			try {
				process.kill(-m.pid, 'SIGKILL');
			} catch {
				/* gone */
			}
			try {
				process.kill(m.pid, 'SIGKILL');
			} catch {
				/* gone */
			}
			await raceTimeout(m.exited, 10_000);
		}
	}
	// Children of the server (Postgres backends) go with it.
	try {
		process.kill(-m.pid, 'SIGKILL');
	} catch {
		/* group already gone */
	}
	return m.exitInfo();
}

/** @param {string} dir */
function removeDir(dir) {
	try {
		fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
	} catch {
		/* best effort */
	}
}

/**
 * Starts a server on a free port, retrying with another port (at most 3 tries) when the port was
 * taken between picking and binding.
 * @template T
 * @param {(port: number, attempt: number) => Promise<T>} startOn
 */
async function onFreePort(startOn) {
	for (let attempt = 1; ; attempt++) {
		const port = await freePort();
		try {
			return await startOn(port, attempt);
		} catch (err) {
			if (attempt < 3 && /** @type {any} */ (err).portClash) continue;
			throw err;
		}
	}
}

// ------------------------------------------------------------------ Redis

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
	fs.mkdirSync(dir, { recursive: true });
	const logFile = path.join(dir, 'redis.log');
	return onFreePort(async (port) => {
		const from = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
		const m = spawnServer(
			bin,
			[
				'--port',
				String(port),
				'--bind',
				'127.0.0.1',
				'--protected-mode',
				'yes',
				'--save',
				'',
				'--appendonly',
				'no',
				'--dir',
				dir,
				'--daemonize',
				'no',
				'--logfile',
				'',
				'--databases',
				'2',
			],
			{ logFile, cwd: dir, removeOnOrphan: o.dir || o.keepDir ? undefined : dir },
		);
		try {
			await waitFor(
				async () => {
					if (!m.running()) throw Object.assign(new Error('exited'), { fatal: true });
					return (await redisCommand(port, ['PING'], 2000)).startsWith('+PONG');
				},
				{
					timeoutMs: o.readyTimeoutMs ?? 20_000,
					intervalMs: 100,
					what: `redis on 127.0.0.1:${port}`,
				},
			);
		} catch (err) {
			await stopManaged(m, 'SIGKILL', 5000);
			const log = fs.readFileSync(logFile, 'utf8').slice(from);
			const e = new Error(
				`redis-server did not start on port ${port}: ${/** @type {Error} */ (err).message}\n${log.slice(-2000)}`,
			);
			if (/Address already in use/i.test(log)) Object.assign(e, { portClash: true });
			if (!o.dir && !o.keepDir) removeDir(dir);
			throw e;
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
				await stopManaged(m, 'SIGTERM', timeoutMs);
				if (!o.keepDir) removeDir(dir);
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

// ------------------------------------------------------------------ Postgres

/**
 * @typedef {object} PostgresServer
 * @property {string} host
 * @property {number} port
 * @property {number} pid        the postmaster
 * @property {string} database
 * @property {string} user
 * @property {string} password   never print it
 * @property {string} dir        cluster, socket and log folder (removed by stop unless keepDir)
 * @property {string} logFile
 * @property {string} version    e.g. "15.18"
 * @property {() => Record<string, string>} n8nEnv   DB_TYPE and DB_POSTGRESDB_* for n8n
 * @property {(sql: string, database?: string) => string} psql  runs SQL as the superuser over the socket
 *   (in `database`, default the n8n database), returns the rows unaligned, fields split by '|'
 * @property {() => boolean} running
 * @property {(o?: { timeoutMs?: number }) => Promise<void>} stop
 */

/** @param {string} name @returns {{ uid: number, gid: number, home: string } | undefined} */
function systemUser(name) {
	try {
		for (const line of fs.readFileSync('/etc/passwd', 'utf8').split('\n')) {
			const f = line.split(':');
			if (f[0] === name) return { uid: Number(f[2]), gid: Number(f[3]), home: f[5] || '/' };
		}
	} catch {
		/* no passwd */
	}
	return undefined;
}

/**
 * Creates a fresh cluster in a temp folder and starts Postgres on 127.0.0.1 with a database and a
 * password role for n8n. Local socket connections trust the superuser; TCP needs the password.
 * @param {{ dir?: string, postgresBin?: string, database?: string, user?: string, readyTimeoutMs?: number,
 *   keepDir?: boolean, settings?: Record<string, string> }} [o]
 * @returns {Promise<PostgresServer>}
 */
async function startPostgres(o = {}) {
	const bin = o.postgresBin || findPostgresBin();
	if (!bin) throw new Error('postgres not found; call ensureQueueServices() first');
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	const runAs = isRoot ? systemUser('postgres') : undefined;
	if (isRoot && !runAs)
		throw new Error('running as root but there is no "postgres" user to run the server as');
	const dir = o.dir || fs.mkdtempSync(path.join(os.tmpdir(), 'circularo-pg-'));
	const dataDir = path.join(dir, 'data');
	const sockDir = path.join(dir, 'sock');
	const logFile = path.join(dir, 'postgres.log');
	fs.mkdirSync(sockDir, { recursive: true });
	fs.writeFileSync(logFile, '');
	const cleanupDir = () => {
		if (!o.dir && !o.keepDir) removeDir(dir);
	};
	if (runAs) {
		fs.chmodSync(dir, 0o755);
		for (const p of [dir, sockDir, logFile]) fs.chownSync(p, runAs.uid, runAs.gid);
	}
	const env = {
		...stripPg(process.env),
		LC_ALL: 'C.UTF-8',
		LANG: 'C.UTF-8',
		...(runAs ? { HOME: runAs.home } : {}),
	};
	const ids = runAs ? { uid: runAs.uid, gid: runAs.gid } : {};

	const init = spawnSync(
		path.join(bin, 'initdb'),
		[
			'-D',
			dataDir,
			'-U',
			'postgres',
			'--auth-local=trust',
			'--auth-host=scram-sha-256',
			'-E',
			'UTF8',
			'--locale=C.UTF-8',
			'--no-sync',
		],
		{ cwd: dir, env, encoding: 'utf8', timeout: 120_000, ...ids },
	);
	if (init.status !== 0) {
		cleanupDir();
		throw new Error(
			`initdb failed (${init.status ?? init.signal ?? init.error}):\n${String(init.stderr || '').slice(-2000)}`,
		);
	}
	const version = fs.readFileSync(path.join(dataDir, 'PG_VERSION'), 'utf8').trim();
	const database = o.database || 'n8n';
	const user = o.user || 'n8n';
	const password = crypto.randomBytes(18).toString('base64url');

	/** @type {Managed | undefined} */
	let m;
	let port = 0;
	/** @param {string} sql @param {string} [db] */
	const psql = (sql, db = 'postgres') => {
		const r = spawnSync(
			path.join(bin, 'psql'),
			[
				'-X',
				'-q',
				'-A',
				'-t',
				'-v',
				'ON_ERROR_STOP=1',
				'-h',
				sockDir,
				'-p',
				String(port),
				'-U',
				'postgres',
				'-d',
				db,
				'-c',
				sql,
			],
			{ cwd: dir, env, encoding: 'utf8', timeout: 60_000 },
		);
		// psql echoes the failing statement: never let the role's password through.
		const err = String(r.stderr || '')
			.split(password)
			.join('[redacted]')
			.trim()
			.slice(-1000);
		if (r.status !== 0) throw new Error(`psql failed (${r.status ?? r.signal ?? r.error}): ${err}`);
		return String(r.stdout || '').trim();
	};

	try {
		await onFreePort(async (p) => {
			port = p;
			const from = fs.statSync(logFile).size;
			const settings = {
				listen_addresses: '127.0.0.1',
				port: String(p),
				unix_socket_directories: sockDir,
				max_connections: '100',
				shared_buffers: '128MB',
				logging_collector: 'off',
				...(o.settings || {}),
			};
			const args = ['-D', dataDir];
			for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${v}`);
			m = spawnServer(path.join(bin, 'postgres'), args, {
				logFile,
				cwd: dir,
				env,
				...ids,
				removeOnOrphan: o.dir || o.keepDir ? undefined : dir,
			});
			const mm = m;
			try {
				await waitFor(
					async () => {
						if (!mm.running()) throw Object.assign(new Error('exited'), { fatal: true });
						return psql('SELECT 1') === '1';
					},
					{
						timeoutMs: o.readyTimeoutMs ?? 30_000,
						intervalMs: 200,
						what: `postgres on 127.0.0.1:${p}`,
					},
				);
			} catch (err) {
				await stopManaged(mm, 'SIGKILL', 5000);
				m = undefined;
				const log = fs.readFileSync(logFile, 'utf8').slice(from);
				const e = new Error(
					`postgres did not start on port ${p}: ${/** @type {Error} */ (err).message}\n${log.slice(-2000)}`,
				);
				if (/could not bind|Address already in use/i.test(log))
					Object.assign(e, { portClash: true });
				throw e;
			}
		});
		// Two calls: CREATE DATABASE cannot run inside the transaction a multi-statement -c opens.
		psql(`CREATE ROLE "${user}" LOGIN PASSWORD '${password}'`);
		psql(`CREATE DATABASE "${database}" OWNER "${user}"`);
	} catch (err) {
		if (m) await stopManaged(m, 'SIGKILL', 5000);
		cleanupDir();
		throw err;
	}
	const managed = /** @type {Managed} */ (/** @type {unknown} */ (m));

	/** @type {PostgresServer} */
	const server = {
		host: '127.0.0.1',
		port,
		pid: managed.pid,
		database,
		user,
		password,
		dir,
		logFile,
		version,
		n8nEnv: () => ({
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: database,
			DB_POSTGRESDB_USER: user,
			DB_POSTGRESDB_PASSWORD: password,
		}),
		psql: (sql, db = database) => psql(sql, db),
		running: managed.running,
		// SIGINT is Postgres's "fast" shutdown: ends sessions, checkpoints, exits.
		stop: async ({ timeoutMs = 15_000 } = {}) => {
			await stopManaged(managed, 'SIGINT', timeoutMs);
			cleanupDir();
		},
	};
	return server;
}

/** Leaves out PG* variables of the surrounding shell so they cannot redirect our clients. */
/** @param {NodeJS.ProcessEnv} env */
function stripPg(env) {
	/** @type {NodeJS.ProcessEnv} */
	const out = {};
	for (const [k, v] of Object.entries(env)) if (!/^PG[A-Z]/.test(k)) out[k] = v;
	return out;
}

/**
 * Redis and Postgres together for one queue-mode set; `stop()` stops both (also if one fails).
 * @param {{ log?: (line: string) => void }} [o]
 */
async function startQueueServices(o = {}) {
	await ensureQueueServices(o);
	const redis = await startRedis();
	/** @type {PostgresServer} */
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
