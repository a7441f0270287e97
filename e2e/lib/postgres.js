// @ts-check
'use strict';
/**
 * Debian's PostgreSQL on loopback for n8n's queue mode: a fresh cluster in a temp folder, a free
 * port, a database and a password role for n8n. Started and stopped through serverProcess.js.
 *
 *   const pg = await startPostgres();   // { host, port, database, user, password, n8nEnv(), psql(), stop() }
 *
 * Postgres refuses to run as root, so when we are root the server runs as Debian's `postgres`
 * user (spawned with its uid/gid: the PID we hold is the postmaster's own). Nothing here prints
 * the database password.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawnSync } = require('node:child_process');
const proc = require('./serverProcess');

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
		if (['postgres', 'initdb', 'psql'].every((b) => proc.isExecutable(path.join(bin, b))))
			return bin;
	}
	return undefined;
}

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
	const ownDir = !o.dir && !o.keepDir;
	const dataDir = path.join(dir, 'data');
	const sockDir = path.join(dir, 'sock');
	const logFile = path.join(dir, 'postgres.log');
	fs.mkdirSync(sockDir, { recursive: true });
	fs.writeFileSync(logFile, '');
	const cleanupDir = () => {
		if (ownDir) proc.removeDir(dir);
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
			...['-D', dataDir, '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'],
			...['--auth-local=trust', '--auth-host=scram-sha-256'],
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

	/** @type {import('./serverProcess').ServerProcess | undefined} */
	let m;
	let port = 0;
	/** @param {string} sql @param {string} [db] */
	const psql = (sql, db = 'postgres') => {
		const r = spawnSync(
			path.join(bin, 'psql'),
			[
				...['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1'],
				...['-h', sockDir, '-p', String(port), '-U', 'postgres', '-d', db, '-c', sql],
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
		m = await proc.onFreePort(async (p) => {
			port = p;
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
			const logFrom = proc.fileSize(logFile);
			const server = proc.spawnServer(path.join(bin, 'postgres'), args, {
				logFile,
				cwd: dir,
				env,
				...ids,
				removeOnOrphan: ownDir ? dir : undefined,
			});
			await proc.waitUntilReady(server, () => psql('SELECT 1') === '1', {
				what: `postgres on 127.0.0.1:${p}`,
				logFile,
				logFrom,
				timeoutMs: o.readyTimeoutMs ?? 30_000,
				intervalMs: 200,
				clash: /could not bind|Address already in use/i,
			});
			return server;
		});
		// Two calls: CREATE DATABASE cannot run inside the transaction a multi-statement -c opens.
		psql(`CREATE ROLE "${user}" LOGIN PASSWORD '${password}'`);
		psql(`CREATE DATABASE "${database}" OWNER "${user}"`);
	} catch (err) {
		if (m) await proc.stopServer(m, 'SIGKILL', 5000);
		cleanupDir();
		throw err;
	}
	const managed = m;

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
			await proc.stopServer(managed, 'SIGINT', timeoutMs);
			cleanupDir();
		},
	};
	return server;
}

/**
 * Leaves out PG* variables of the surrounding shell so they cannot redirect our clients.
 * @param {NodeJS.ProcessEnv} env
 */
function stripPg(env) {
	/** @type {NodeJS.ProcessEnv} */
	const out = {};
	for (const [k, v] of Object.entries(env)) if (!/^PG[A-Z]/.test(k)) out[k] = v;
	return out;
}

module.exports = { startPostgres, findPostgresBin };
