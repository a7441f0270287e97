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
 *
 * The profiler's clock and process.hrtime are both the system's monotonic clock, so the
 * measured window is cut out of the profile by timestamp (start-up, set-up and warm-up left out).
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startStack } = require('../e2e/lib/circularo');
const { table, fmt } = require('../e2e/lib/report');
const { setupBenchWorkflows, checkWorkflows } = require('./workflows');
const { CONFIGS, runPhase } = require('./phases');

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
 * One n8n with the profiler on; `key`'s workflow warmed up, then `count` deliveries measured.
 * @param {'a' | 'b'} key @param {{ name: string, env: Record<string, string> }} config @param {number} count
 */
async function profileWorkflow(key, config, count) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `circularo-profile-${key}-`));
	const stack = await startStack({
		n8n: {
			env: {
				EXECUTIONS_DATA_PRUNE_MAX_COUNT: '0',
				...config.env,
				NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir}`,
			},
			logLevel: 'warn',
		},
	});
	let window;
	try {
		const [wf] = await setupBenchWorkflows(stack.n8n, stack.sim, [key]);
		await checkWorkflows(stack.n8n, [wf], 2048);
		const phase = { concurrency: 16, bodyBytes: 2048 };
		await runPhase(stack.n8n, wf, { ...phase, count: Math.min(300, count) });
		const t0 = nowUs();
		const run = await runPhase(stack.n8n, wf, { ...phase, count });
		window = { t0, t1: nowUs(), rate: run.executionsPerSecond };
	} finally {
		await stack.stop(); // n8n exits cleanly, so V8 writes the profiles
	}
	// Every thread and process with the profiler on wrote a file; n8n's main thread is the busiest.
	const files = fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.cpuprofile'))
		.map((f) => path.join(dir, f));
	if (files.length === 0) throw new Error(`no CPU profile was written in ${dir}`);
	const profiles = files
		.map((f) => readProfile(f, window.t0, window.t1))
		.sort((x, y) => y.busyUs - x.busyUs);
	if (profiles[0].busyUs === 0)
		throw new Error(`no profile samples fall in the measured window (${dir})`);
	fs.rmSync(dir, { recursive: true, force: true });
	return { ...profiles[0], rate: window.rate };
}

/** @param {string[]} argv */
function parseArgs(argv) {
	const o = { deliveries: 1500, config: 'legacy' };
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--deliveries') o.deliveries = Number(argv[++i]);
		else if (argv[i] === '--n8n-config') o.config = argv[++i];
		else throw new Error(`unknown argument ${argv[i]}`);
	}
	if (!Number.isInteger(o.deliveries) || o.deliveries < 100)
		throw new Error('--deliveries takes a whole number of at least 100');
	if (!(o.config in CONFIGS))
		throw new Error(`--n8n-config takes one of ${Object.keys(CONFIGS).join(', ')}`);
	return o;
}

async function main() {
	const o = parseArgs(process.argv.slice(2));
	const config = CONFIGS[/** @type {keyof typeof CONFIGS} */ (o.config)];
	const log = (/** @type {string} */ s) => process.stderr.write(`${s}\n`);
	log(`profile [${config.name}]: (a) Circularo Trigger, ${o.deliveries} deliveries`);
	const a = await profileWorkflow('a', config, o.deliveries);
	log(`profile [${config.name}]: (b) Webhook -> NoOp, ${o.deliveries} deliveries`);
	const b = await profileWorkflow('b', config, o.deliveries);

	const perDelivery = (/** @type {number} */ us) => us / 1000 / o.deliveries;
	const rows = [
		['throughput, executions/s (profiler on)', fmt(a.rate, 1), fmt(b.rate, 1), ''],
		[
			'n8n main thread not idle, ms per delivery',
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
	process.stdout.write(
		[
			`Profile [${config.name}]: n8n 2.41.1, ${o.deliveries} deliveries of a 2 KB body at concurrency 16 to each workflow, each in its own n8n;`,
			"ms of n8n's main thread (not idle) per delivery while the deliveries ran (V8 sampling profiler, wall-clock samples, inclusive times)",
			table(['', '(a) Circularo Trigger', '(b) Webhook -> NoOp', 'a - b'], rows),
			'',
			'Frames that cost (a) the most more than (b), inclusive ms per delivery:',
			table(
				['a - b', 'frame'],
				added.map((x) => [fmt(x.d, 3), x.f.slice(0, 120)]),
			),
			'',
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
