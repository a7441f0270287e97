// @ts-check
'use strict';
/**
 * Starts and stops real n8n processes on loopback for the end-to-end, reliability, queue-mode,
 * browser and benchmark work. Each instance gets free ports, a fresh user folder (unless one is
 * given), a log file, and is killed when the test process exits, however it exits.
 *
 *   const n8n = await startN8n({ packageTgz });   // role 'start' (main) by default
 *   await setupOwner(n8n);                        // owner + API key -> n8n.api, n8n.rest
 *   ...
 *   await n8n.stop();
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { ensureN8n, cacheDir, DEFAULT_N8N_VERSION } = require('./install');
const { installPackageInto } = require('./package');
const { request, waitFor, freePort } = require('./http');
const { RestClient, PublicApi } = require('./api');
const { treeRssBytes } = require('./proctree');
const { onExit } = require('./reaper');
const { spawnServer, stopServer, fileSize, readFrom } = require('./serverProcess');

/** Fixed for tests only; every process of one queue-mode set must share it. */
const DEFAULT_ENCRYPTION_KEY = 'circularo-e2e-only-encryption-key';

/** User folders created by startN8n (not given by the caller). @type {Set<string>} */
const tempFolders = new Set();

/**
 * Fresh user folders made here are removed when the test process ends well; they are kept (with
 * their n8n logs) after a failure or when CIRCULARO_E2E_KEEP=1.
 * @param {number} code
 */
function removeTempFolders(code) {
	if (code === 0 && !process.exitCode && process.env.CIRCULARO_E2E_KEEP !== '1') {
		for (const dir of tempFolders) {
			try {
				fs.rmSync(dir, { recursive: true, force: true });
			} catch {
				/* ignore */
			}
		}
	} else {
		process.stderr.write(`[e2e] n8n user folders and logs kept: ${[...tempFolders].join(' ')}\n`);
	}
}

/** Variables from the surrounding environment that must not leak into n8n. */
const STRIP_ENV =
	/^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|NODE_OPTIONS$|NODE_TEST_CONTEXT$|NODE_CHANNEL_FD$|GENERIC_TIMEZONE$|OFFLOAD_)/;

/**
 * @typedef {'start' | 'webhook' | 'worker'} Role
 * @typedef {object} StartOptions
 * @property {string} [version]       n8n version (default $CIRCULARO_E2E_N8N_VERSION, else 2.41.1;
 *                                    '1.123.81' uses e2e/n8n-1)
 * @property {Role} [role]            `n8n start` (main), `n8n webhook` or `n8n worker`
 * @property {string} [userFolder]    N8N_USER_FOLDER (default: a fresh folder under $CIRCULARO_E2E_RUNS or the
 *                                    system temp dir, removed when the test process exits with 0 unless
 *                                    CIRCULARO_E2E_KEEP=1; kept with its logs after a failure)
 * @property {number} [port]          N8N_PORT (default: a free port)
 * @property {string} [webhookBaseUrl] WEBHOOK_URL (default: this instance's own base URL + '/')
 * @property {string} [packageTgz]    packed package to install into the user folder first
 * @property {Record<string, string>} [env] extra/overriding environment for n8n
 * @property {string} [logLevel]      N8N_LOG_LEVEL (default 'info')
 * @property {string} [logFile]       default `<userFolder>/n8n-<role>.log` (appended across restarts)
 * @property {number} [readyTimeoutMs] bound on start-up (default 180 s)
 */

/**
 * @typedef {object} N8nInstance
 * @property {Role} role
 * @property {string} version
 * @property {string} baseUrl            e.g. http://127.0.0.1:5678 (worker: its health-check server)
 * @property {number} port
 * @property {number} pid                current process id (changes on restart)
 * @property {string} userFolder
 * @property {string} logFile
 * @property {string} webhookBaseUrl     what n8n puts in front of webhook paths (ends with '/')
 * @property {string} encryptionKey
 * @property {Record<string, string>} env the full environment n8n runs with
 * @property {(p: string) => string} webhookUrl      production URL for a webhook path
 * @property {(p: string) => string} testWebhookUrl  test ("Listen for test event") URL for a path, as n8n
 *                                    computes it (from WEBHOOK_URL; main serves it)
 * @property {RestClient} rest           editor REST client (log in with setupOwner)
 * @property {PublicApi | undefined} api public API client (set by setupOwner)
 * @property {{ email: string, password: string } | undefined} owner
 * @property {(o?: { signal?: NodeJS.Signals, timeoutMs?: number }) => Promise<{ code: number | null, signal: string | null }>} stop
 * @property {() => Promise<void>} kill    SIGKILL to n8n and its task runner (a crash)
 * @property {(o?: { kill?: boolean, env?: Record<string, string> }) => Promise<void>} restart same folder and port
 * @property {() => number} rssBytes      resident memory of n8n plus its child processes
 * @property {() => string} readLog       whole log so far
 * @property {() => boolean} running
 * @property {number} lastStartMs      spawn-to-ready time of the latest (re)start
 */

/**
 * Starts one n8n process and waits until it is ready (bounded).
 * @param {StartOptions} [opts]
 * @returns {Promise<N8nInstance>}
 */
async function startN8n(opts = {}) {
	const role = opts.role || 'start';
	const inst = await ensureN8n({
		version: opts.version || process.env.CIRCULARO_E2E_N8N_VERSION || DEFAULT_N8N_VERSION,
	});
	let userFolder = opts.userFolder;
	if (!userFolder) {
		const runsDir = process.env.CIRCULARO_E2E_RUNS || os.tmpdir();
		fs.mkdirSync(runsDir, { recursive: true });
		userFolder = fs.mkdtempSync(path.join(runsDir, `circularo-n8n-${role}-`));
		if (tempFolders.size === 0) onExit(removeTempFolders);
		tempFolders.add(userFolder);
	}
	fs.mkdirSync(userFolder, { recursive: true });
	if (opts.packageTgz) await installPackageInto(userFolder, opts.packageTgz);
	const logFile = opts.logFile || path.join(userFolder, `n8n-${role}.log`);
	const fixedPort = opts.port !== undefined;
	let port = opts.port ?? (await freePort());
	const major = Number(inst.version.split('.')[0]);
	const encryptionKey = (opts.env && opts.env.N8N_ENCRYPTION_KEY) || DEFAULT_ENCRYPTION_KEY;

	/** The running process, from the latest (re)start. @type {import('./serverProcess').ServerProcess | undefined} */
	let child;
	const exitInfo = () => child && child.exitInfo();
	/** @type {Record<string, string>} */
	let env = {};

	const baseUrlOf = (/** @type {number} */ p) => `http://127.0.0.1:${p}`;

	/** @param {Record<string, string>} [extraEnv] */
	const buildEnv = async (extraEnv) => {
		/** @type {Record<string, string>} */
		const base = {};
		for (const [k, v] of Object.entries(process.env))
			if (v !== undefined && !STRIP_ENV.test(k)) base[k] = v;
		const brokerPort = await freePort();
		/** @type {Record<string, string>} */
		const e = {
			...base,
			PATH: `${path.dirname(inst.nodeBin)}${path.delimiter}${process.env.PATH || ''}`,
			N8N_USER_FOLDER: userFolder,
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: `${baseUrlOf(port)}/`,
			WEBHOOK_URL: opts.webhookBaseUrl || `${baseUrlOf(port)}/`,
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'false',
			// V8 code cache for n8n's thousands of modules: ~2 CPU-seconds less per start (Node >= 22)
			NODE_COMPILE_CACHE: path.join(cacheDir(), 'compile-cache'),
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_ENCRYPTION_KEY: encryptionKey,
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_LOG_OUTPUT: 'console',
			N8N_LOG_LEVEL: opts.logLevel || 'info',
			GENERIC_TIMEZONE: 'UTC',
			N8N_GIT_NODE_DISABLE_BARE_REPOS: 'true',
		};
		// 2.x logs a network error from this module at start-up; 1.x has no such module (and
		// rejects unknown names)
		if (major >= 2) e.N8N_DISABLED_MODULES = 'mcp-registry';
		// 1.123.81 defaults to the 'vm' expression engine, whose isolated-vm 6.2 has no prebuilt
		// binary and does not build on Node 20 (2.41's isolated-vm 7 ships prebuilds for Node 24):
		// 1.x runs with the engine that 1.x used before that switch
		if (major < 2) e.N8N_EXPRESSION_ENGINE = 'legacy';
		if (role === 'worker') {
			e.QUEUE_HEALTH_CHECK_ACTIVE = 'true';
			e.QUEUE_HEALTH_CHECK_PORT = String(port);
			e.N8N_WORKER_SERVER_ADDRESS = '127.0.0.1';
		}
		return { ...e, ...(opts.env || {}), ...(extraEnv || {}) };
	};

	/** @param {Record<string, string>} [extraEnv] */
	const spawnOnce = async (extraEnv) => {
		env = await buildEnv(extraEnv);
		fs.appendFileSync(
			logFile,
			`\n===== harness: n8n ${inst.version} ${role} on port ${port} at ${new Date().toISOString()} =====\n`,
		);
		child = spawnServer(inst.nodeBin, [inst.n8nBin, role], { logFile, cwd: userFolder, env });
		instance.pid = child.pid;
	};

	const waitReady = async () => {
		const timeoutMs = opts.readyTimeoutMs ?? 180_000;
		const base = baseUrlOf(port);
		const paths = role === 'worker' ? ['/healthz'] : ['/healthz', '/healthz/readiness'];
		// n8n 1.x answers /healthz/readiness before its REST routes are registered (and while
		// migrations run): main is ready when /rest/settings answers
		if (role === 'start') paths.push('/rest/settings');
		for (const p of paths) {
			await waitFor(
				async () => {
					if (exitInfo()) throw Object.assign(new Error('exited'), { fatal: true });
					const r = await request('GET', base + p, { timeoutMs: 5000, noThrow: true });
					return r.status === 200;
				},
				{ timeoutMs, intervalMs: 300, what: `n8n ${role} ${base}${p}` },
			).catch((err) => {
				const exit = exitInfo();
				const why = exit
					? `n8n ${role} exited (${exit.code ?? exit.signal}) before it was ready`
					: err.message;
				throw new Error(`${why}; log ${logFile}:\n${readFrom(logFile, 0).slice(-3000)}`);
			});
		}
	};

	/** @param {Record<string, string>} [extraEnv] */
	const startWithRetry = async (extraEnv) => {
		for (let attempt = 1; ; attempt++) {
			const logStart = fileSize(logFile);
			const t0 = Date.now();
			await spawnOnce(extraEnv);
			try {
				await waitReady();
				instance.lastStartMs = Date.now() - t0;
				fs.appendFileSync(logFile, `===== harness: ready after ${instance.lastStartMs} ms =====\n`);
				return;
			} catch (err) {
				await stopProcess('SIGKILL', 10_000);
				const clash = /EADDRINUSE|address already in use|port .* in use/i.test(
					readFrom(logFile, logStart),
				);
				if (clash && attempt < 3) {
					if (!fixedPort) {
						port = await freePort();
						instance.port = port;
						instance.baseUrl = baseUrlOf(port);
					}
					continue;
				}
				throw err;
			}
		}
	};

	/** @param {NodeJS.Signals} signal @param {number} timeoutMs */
	const stopProcess = async (signal, timeoutMs) => {
		if (!child) return { code: null, signal: null };
		return (await stopServer(child, signal, timeoutMs)) || { code: null, signal: 'SIGKILL' };
	};

	/** @type {N8nInstance} */
	const instance = {
		role,
		version: inst.version,
		baseUrl: baseUrlOf(port),
		port,
		pid: 0,
		userFolder,
		logFile,
		get webhookBaseUrl() {
			return env.WEBHOOK_URL;
		},
		encryptionKey,
		get env() {
			return env;
		},
		webhookUrl: (p) =>
			`${env.WEBHOOK_URL}${env.N8N_ENDPOINT_WEBHOOK || 'webhook'}/${p.replace(/^\//, '')}`,
		testWebhookUrl: (p) =>
			`${env.WEBHOOK_URL}${env.N8N_ENDPOINT_WEBHOOK_TEST || 'webhook-test'}/${p.replace(/^\//, '')}`,
		rest: /** @type {any} */ (undefined),
		api: undefined,
		owner: undefined,
		stop: async ({ signal = /** @type {NodeJS.Signals} */ ('SIGTERM'), timeoutMs = 30_000 } = {}) =>
			stopProcess(signal, timeoutMs),
		kill: async () => {
			await stopProcess('SIGKILL', 10_000);
		},
		restart: async ({ kill = false, env: extraEnv } = {}) => {
			await stopProcess(kill ? 'SIGKILL' : 'SIGTERM', 30_000);
			await startWithRetry(extraEnv);
		},
		rssBytes: () => (child && child.running() ? treeRssBytes(child.pid) : 0),
		readLog: () => {
			try {
				return fs.readFileSync(logFile, 'utf8');
			} catch {
				return '';
			}
		},
		running: () => !!child && child.running(),
		lastStartMs: 0,
	};
	instance.rest = new RestClient(() => instance.baseUrl, major);
	await startWithRetry();
	return instance;
}

/**
 * Creates the owner account (or logs in when it exists) and an API key with all scopes.
 * Sets `instance.owner`, logs `instance.rest` in, and sets `instance.api`.
 * The password and key are kept in memory only; nothing here prints them.
 * @param {N8nInstance} instance
 * @param {{ email?: string, password?: string, firstName?: string, lastName?: string }} [o]
 * @returns {Promise<N8nInstance>}
 */
async function setupOwner(instance, o = {}) {
	const owner = {
		email: o.email || 'owner@circularo-e2e.test',
		password: o.password || `E2e-${crypto.randomBytes(9).toString('base64url')}9A`,
	};
	const rest = instance.rest;
	const setup = await rest.call(
		'POST',
		'/rest/owner/setup',
		{
			email: owner.email,
			firstName: o.firstName || 'E2E',
			lastName: o.lastName || 'Owner',
			password: owner.password,
		},
		{ allowStatus: [400] },
	);
	if (setup.status === 400) {
		// Already set up (e.g. a re-used user folder): the caller must know the password.
		if (!o.password)
			throw new Error(
				`owner already exists in ${instance.userFolder}; pass its password to setupOwner`,
			);
		await rest.login(owner.email, owner.password);
	}
	rest.credentials = owner;
	instance.owner = owner;
	const scopes = await rest.get('/rest/api-keys/scopes');
	const key = await rest.post('/rest/api-keys', {
		label: `e2e-${Date.now()}`,
		scopes,
		expiresAt: null,
	});
	if (!key || typeof key.rawApiKey !== 'string')
		throw new Error('POST /rest/api-keys returned no rawApiKey');
	instance.api = new PublicApi(
		() => instance.baseUrl,
		key.rawApiKey,
		rest,
		Number(instance.version.split('.')[0]),
	);
	return instance;
}

module.exports = { startN8n, setupOwner, DEFAULT_ENCRYPTION_KEY };
