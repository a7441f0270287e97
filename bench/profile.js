// @ts-check
'use strict';
/**
 * Where the difference between (a) Circularo Trigger and (b) the unchecked Webhook node goes
 * inside n8n: each workflow runs alone in its own n8n started with V8's CPU profiler
 * (`--cpu-prof`), and the samples taken while the measured deliveries ran are compared, in
 * milliseconds of n8n's main thread per delivery. The profiler samples on the wall clock: time
 * the thread spent waiting for a CPU inside a function counts for that function, so on a busy
 * machine every figure is inflated alike and the comparison, not the absolute value, is the result.
 *
 *   npm run build && node bench/profile.js [--deliveries 1500] [--n8n-config legacy|lazy|defaults]
 *     [--mode single|queue]
 *
 * `--mode queue` profiles every process of a queue-mode set (webhook process, worker, main) and
 * compares (a) and (b) in each.
 *
 * The profiler's clock and process.hrtime are both the system's monotonic clock, so the
 * measured window is cut out of the profile by timestamp (start-up, set-up and warm-up left out).
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startStack, packedPackage } = require('../e2e/lib/circularo/stack');
const { table, fmt } = require('../e2e/lib/report');
const { setupBenchWorkflows, checkWorkflows } = require('./workflows');
const { CONFIGS, runPhase } = require('./phases');
const { startBenchQueueSet } = require('./queue');

/**
 * Groups shown on their own: the CPU time of the samples with at least one matching frame on the
 * stack. Rows can overlap (getCredentials runs inside webhook(), for instance).
 */
const GROUPS = [
	{
		label: 'n8n: expression isolates (isolated-vm; built, used and disposed)',
		match: /@n8n\/expression-runtime\/|isolated-vm\//,
	},
	{
		label: "Circularo Trigger webhook() (the node's code and the n8n helpers it calls)",
		match: /^webhook .*n8n-nodes-circularo\//,
	},
	{
		label: 'n8n: getCredentials from a webhook (loads and decrypts the credential)',
		match: /^getCredentials .*webhook-context\.js/,
	},
	{
		label: 'n8n: credential decryption (getDecrypted, all callers)',
		match: /^getDecrypted .*credentials-helper\.js/,
	},
	{
		label: 'n8n: pre-execution credential permission check',
		match: /^findInaccessible .*credentials-permission-checker\.js/,
	},
	{
		label: 'n8n: dynamic-credentials execution hook',
		match: /dynamic-credentials-context-hook\.js/,
	},
];

/**
 * Busy time, inclusive time per frame and time per group, from the samples between t0 and t1
 * (microseconds of the monotonic clock).
 * @param {string} file @param {number} t0 @param {number} t1
 */
function readProfile(file, t0, t1) {
	const p = JSON.parse(fs.readFileSync(file, 'utf8'));
	/** @type {Map<number, any>} */ const byId = new Map();
	/** @type {Map<number, number>} */ const parentOf = new Map();
	for (const n of p.nodes) {
		byId.set(n.id, n);
		for (const c of n.children || []) parentOf.set(c, n.id);
	}
	/** @param {any} n */
	const frame = (n) =>
		`${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*node_modules\//, '')}:${n.callFrame.lineNumber + 1}`;
	/** @type {Map<string, number>} */ const inclusive = new Map();
	const groupUs = GROUPS.map(() => 0);
	let busyUs = 0;
	let at = p.startTime;
	for (let i = 0; i < p.samples.length; i++) {
		at += p.timeDeltas[i] || 0;
		// The time up to the next sample belongs to this one.
		const dt = p.timeDeltas[i + 1] || 0;
		if (at < t0 || at > t1) continue;
		let n = byId.get(p.samples[i]);
		if (n.callFrame.functionName === '(idle)') continue;
		busyUs += dt;
		/** @type {Set<string>} */ const stack = new Set();
		for (; n; n = byId.get(/** @type {number} */ (parentOf.get(n.id)))) stack.add(frame(n));
		for (const f of stack) inclusive.set(f, (inclusive.get(f) || 0) + dt);
		GROUPS.forEach((g, k) => {
			for (const f of stack)
				if (g.match.test(f)) {
					groupUs[k] += dt;
					break;
				}
		});
	}
	return { busyUs, inclusive, groupUs };
}

/** Monotonic clock in microseconds, the profiler's time base. */
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Where n8n runs with the profiler on: one process (SQLite), or a queue-mode set (main + webhook
 * process + worker) whose every delivery goes to the webhook process. `roles` maps each n8n
 * process that is profiled to its process id.
 * @typedef {{ n8n: any, sim: any, roles: Record<string, number>, stop: () => Promise<void> }} Target
 */

/** @param {Record<string, string>} env @returns {Promise<Target>} */
async function startSingle(env) {
	const stack = await startStack({ n8n: { env, logLevel: 'warn' } });
	return { n8n: stack.n8n, sim: stack.sim, roles: { main: stack.n8n.pid }, stop: stack.stop };
}

/** @param {Record<string, string>} env @returns {Promise<Target>} */
async function startQueue(env) {
	const set = await startBenchQueueSet({ packageTgz: await packedPackage(), env, log: () => {} });
	const { webhook, workers, main } = set.q;
	const stop = async () => {
		// The webhook process can take longer than the harness's 30 s to exit after a run, and
		// only a clean exit writes its profile.
		await Promise.all([webhook, ...workers].map((p) => p.stop({ timeoutMs: 120_000 })));
		await set.stop();
	};
	const roles = { webhook: webhook.pid, worker: workers[0].pid, main: main.pid };
	return { n8n: main, sim: set.sim, roles, stop };
}

/**
 * `key`'s workflow warmed up, then `count` deliveries measured, with the profiler on in every n8n
 * process; the profile of each role's process (its main thread) cut to the measured window.
 * @param {'a' | 'b'} key @param {{ name: string, env: Record<string, string> }} config
 * @param {number} count @param {'single' | 'queue'} mode
 */
async function profileWorkflow(key, config, count, mode) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `circularo-profile-${key}-`));
	const env = {
		EXECUTIONS_DATA_PRUNE_MAX_COUNT: '0',
		...config.env,
		NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir}`,
	};
	const target = await (mode === 'queue' ? startQueue(env) : startSingle(env));
	let window;
	try {
		const [wf] = await setupBenchWorkflows(target.n8n, target.sim, [key]);
		await checkWorkflows(target.n8n, [wf], 2048);
		const phase = { concurrency: 16, bodyBytes: 2048 };
		await runPhase(target.n8n, wf, { ...phase, count: Math.min(300, count) });
		const t0 = nowUs();
		const run = await runPhase(target.n8n, wf, { ...phase, count });
		window = { t0, t1: nowUs(), rate: run.executionsPerSecond };
	} finally {
		await target.stop(); // n8n exits cleanly, so V8 writes the profiles
	}
	// V8 names each file CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; a process's main
	// thread is its busiest file.
	const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
	/** @type {Record<string, ReturnType<typeof readProfile>>} */
	const byRole = {};
	for (const [role, pid] of Object.entries(target.roles)) {
		const own = files.filter((f) => f.split('.')[3] === String(pid));
		if (own.length === 0) throw new Error(`no CPU profile of the ${role} process in ${dir}`);
		byRole[role] = own
			.map((f) => readProfile(path.join(dir, f), window.t0, window.t1))
			.sort((x, y) => y.busyUs - x.busyUs)[0];
	}
	if (Object.values(byRole).every((p) => p.busyUs === 0))
		throw new Error(`no profile samples fall in the measured window (${dir})`);
	fs.rmSync(dir, { recursive: true, force: true });
	return { byRole, rate: window.rate };
}

/** @param {string[]} argv */
function parseArgs(argv) {
	const o = { deliveries: 1500, config: 'legacy', mode: 'single' };
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--deliveries') o.deliveries = Number(argv[++i]);
		else if (argv[i] === '--n8n-config') o.config = argv[++i];
		else if (argv[i] === '--mode') o.mode = argv[++i];
		else throw new Error(`unknown argument ${argv[i]}`);
	}
	if (!Number.isInteger(o.deliveries) || o.deliveries < 100)
		throw new Error('--deliveries takes a whole number of at least 100');
	if (!(o.config in CONFIGS))
		throw new Error(`--n8n-config takes one of ${Object.keys(CONFIGS).join(', ')}`);
	if (o.mode !== 'single' && o.mode !== 'queue') throw new Error('--mode takes single or queue');
	return o;
}

/**
 * The comparison of (a) and (b) in one process role, as text.
 * @param {string} role @param {ReturnType<typeof readProfile>} a @param {ReturnType<typeof readProfile>} b
 * @param {(us: number) => number} perDelivery
 */
function roleReport(role, a, b, perDelivery) {
	const rows = [
		[
			`${role}: main thread not idle, ms per delivery`,
			fmt(perDelivery(a.busyUs)),
			fmt(perDelivery(b.busyUs)),
			fmt(perDelivery(a.busyUs - b.busyUs)),
		],
		...GROUPS.map((g, k) => [
			g.label,
			fmt(perDelivery(a.groupUs[k])),
			fmt(perDelivery(b.groupUs[k])),
			fmt(perDelivery(a.groupUs[k] - b.groupUs[k])),
		]),
	];
	const frames = new Set([...a.inclusive.keys(), ...b.inclusive.keys()]);
	const added = [...frames]
		.map((f) => ({ f, d: perDelivery((a.inclusive.get(f) || 0) - (b.inclusive.get(f) || 0)) }))
		.filter((x) => !/^\((root|program)\)/.test(x.f))
		.sort((x, y) => y.d - x.d)
		.slice(0, 15);
	return [
		table(['', '(a) Circularo Trigger', '(b) Webhook -> NoOp', 'a - b'], rows),
		'',
		`Frames that cost (a) the most more than (b) in the ${role} process, inclusive ms per delivery:`,
		table(
			['a - b', 'frame'],
			added.map((x) => [fmt(x.d, 3), x.f.slice(0, 120)]),
		),
		'',
	].join('\n');
}

async function main() {
	const o = parseArgs(process.argv.slice(2));
	const mode = /** @type {'single' | 'queue'} */ (o.mode);
	const config = CONFIGS[/** @type {keyof typeof CONFIGS} */ (o.config)];
	const log = (/** @type {string} */ s) => process.stderr.write(`${s}\n`);
	log(`profile [${config.name}, ${mode}]: (a) Circularo Trigger, ${o.deliveries} deliveries`);
	const a = await profileWorkflow('a', config, o.deliveries, mode);
	log(`profile [${config.name}, ${mode}]: (b) Webhook -> NoOp, ${o.deliveries} deliveries`);
	const b = await profileWorkflow('b', config, o.deliveries, mode);

	const perDelivery = (/** @type {number} */ us) => us / 1000 / o.deliveries;
	const where =
		mode === 'queue'
			? 'each in its own queue-mode set (main + webhook process + worker; deliveries to the webhook process)'
			: 'each in its own n8n';
	process.stdout.write(
		[
			`Profile [${config.name}, ${mode}]: n8n 2.41.1, ${o.deliveries} deliveries of a 2 KB body at concurrency 16 to each workflow, ${where};`,
			"ms of each n8n process's main thread (not idle) per delivery while the deliveries ran (V8 sampling profiler, wall-clock samples, inclusive times)",
			`throughput with the profiler on, executions/s: (a) ${fmt(a.rate, 1)}, (b) ${fmt(b.rate, 1)}`,
			'',
			...Object.keys(a.byRole).map((role) =>
				roleReport(role, a.byRole[role], b.byRole[role], perDelivery),
			),
		].join('\n'),
	);
}

if (require.main === module) {
	main().catch((e) => {
		process.stderr.write(`${e && e.stack ? e.stack : e}\n`);
		process.exitCode = 2;
	});
}

module.exports = { readProfile, GROUPS };
