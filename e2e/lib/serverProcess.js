// @ts-check
'use strict';
/**
 * One way to run a server process for the harness (n8n, Redis, Postgres): spawned in its own
 * process group with its output appended to a log file, killed with its group when the test
 * process exits (reaper.js) or is killed outright (a watchdog), and stopped by PID.
 *
 *   const m = spawnServer(cmd, args, { logFile, cwd });
 *   ...
 *   await stopServer(m, 'SIGTERM', 10_000);   // then SIGKILL to the whole group
 */

const fs = require('node:fs');
const { spawn } = require('node:child_process');
const { freePort, waitFor } = require('./http');
const { reapOnExit, forget } = require('./reaper');

/**
 * @typedef {{ code: number | null, signal: string | null }} ExitInfo
 * @typedef {object} ServerProcess
 * @property {number} pid       the process-group leader
 * @property {() => boolean} running
 * @property {Promise<ExitInfo>} exited
 * @property {() => ExitInfo | undefined} exitInfo
 */

/**
 * Spawns `cmd` in its own process group with output appended to `logFile`. When the leader
 * exits, whatever it started (n8n's task runner, Postgres's backends) is killed with it.
 * @param {string} cmd @param {string[]} args
 * @param {{ logFile: string, cwd: string, env?: NodeJS.ProcessEnv, uid?: number, gid?: number,
 *   removeOnOrphan?: string }} o  `removeOnOrphan`: a folder the watchdog removes
 * @returns {ServerProcess}
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
	/** @type {ExitInfo | undefined} */
	let info;
	/** @type {Promise<ExitInfo>} */
	const exited = new Promise((resolve) => {
		c.on('exit', (code, signal) => {
			forget(pid);
			killQuietly(guard.pid, 'SIGKILL');
			killQuietly(-pid, 'SIGKILL');
			info = { code, signal };
			resolve(info);
		});
		c.on('error', () => {
			/* reported through exit / readiness */
		});
	});
	return { pid, running: () => !info, exited, exitInfo: () => info };
}

/** @param {number | undefined} pid negative: the process group @param {NodeJS.Signals} signal */
function killQuietly(pid, signal) {
	if (!pid) return;
	try {
		process.kill(pid, signal);
	} catch {
		/* gone */
	}
}

/**
 * A small watchdog process per server: when the test process dies without running its exit
 * hooks (SIGKILL, e.g. a CI time limit), its end of the stdin pipe closes and the watchdog
 * kills the server's process group (and removes `dir`). It ends by itself when the server is gone.
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
	});
	g.unref();
	// Neither the child nor its pipe may keep the test process alive.
	/** @type {any} */ (g.stdin)?.unref?.();
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
 * @param {ServerProcess} m @param {NodeJS.Signals} signal @param {number} timeoutMs
 * @returns {Promise<ExitInfo | undefined>}
 */
async function stopServer(m, signal, timeoutMs) {
	if (m.running()) {
		killQuietly(m.pid, signal);
		if ((await raceTimeout(m.exited, timeoutMs)) === 'timeout') {
			killQuietly(-m.pid, 'SIGKILL');
			killQuietly(m.pid, 'SIGKILL');
			await raceTimeout(m.exited, 10_000);
		}
	}
	killQuietly(-m.pid, 'SIGKILL');
	return m.exitInfo();
}

/**
 * Waits until a server just spawned answers `ready()`; when it does not (or exits first), kills
 * it and throws with the tail of its log, marked `portClash` when the log says the port was taken.
 * @param {ServerProcess} m @param {() => Promise<boolean> | boolean} ready
 * @param {{ what: string, logFile: string, logFrom: number, timeoutMs: number, intervalMs: number,
 *   clash: RegExp }} o
 */
async function waitUntilReady(m, ready, o) {
	try {
		await waitFor(
			async () => {
				if (!m.running()) throw Object.assign(new Error('exited'), { fatal: true });
				return ready();
			},
			{ timeoutMs: o.timeoutMs, intervalMs: o.intervalMs, what: o.what },
		);
	} catch (err) {
		await stopServer(m, 'SIGKILL', 5000);
		const log = readFrom(o.logFile, o.logFrom);
		const e = new Error(
			`${o.what} did not start: ${/** @type {Error} */ (err).message}\n${log.slice(-2000)}`,
		);
		if (o.clash.test(log)) Object.assign(e, { portClash: true });
		throw e;
	}
}

/**
 * Starts a server on a free port, retrying with another port (at most 3 tries) when the port was
 * taken between picking and binding (the error says `portClash`).
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

/** @param {string} file */
function fileSize(file) {
	try {
		return fs.statSync(file).size;
	} catch {
		return 0;
	}
}

/** The file's text from byte `from` on ('' when it cannot be read). @param {string} file @param {number} from */
function readFrom(file, from) {
	try {
		return fs.readFileSync(file).subarray(from).toString('utf8');
	} catch {
		return '';
	}
}

/** @param {string} dir */
function removeDir(dir) {
	try {
		fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
	} catch {
		/* best effort */
	}
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

module.exports = {
	spawnServer,
	stopServer,
	waitUntilReady,
	onFreePort,
	fileSize,
	readFrom,
	removeDir,
	isExecutable,
};
