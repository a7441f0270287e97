// @ts-check
'use strict';
/**
 * Part 5, files: Circularo Document > Create, Document > Download (with the audit trail) and
 * Get Many (Return All) against n8n's HTTP Request node doing the same calls (fileWorkflows.js),
 * in one real n8n 2.41.1 per binary-data mode, PDFs of several sizes, interleaved rounds; for
 * uploads and downloads also the floor (c), the file read into the item and nothing else. For
 * every run: its time as n8n recorded it (startedAt to stoppedAt), and the peak resident memory
 * of every n8n process (main and task runner) above what they held just before it (VmHWM after
 * clear_refs, so no peak falls between two samples).
 *
 *   node bench/files.js [--sizes 1,25,90] [--rounds 3] [--binary-modes default,filesystem]
 *     [--documents 10000] [--package <checkout with dist/ | .tgz>]
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ensureNode24 } = require('../e2e/lib/install');
const { startStack, createCircularoCredential } = require('../e2e/lib/circularo/stack');
const { MANUAL_TRIGGER_NAME } = require('../e2e/lib/workflows');
const { writeLargePdf } = require('../e2e/lib/largePdf');
const { waitFor } = require('../e2e/lib/http');
const { resetTreePeaks, treeMemory } = require('../e2e/lib/proctree');
const { table, fmt, mib, machineLine } = require('../e2e/lib/report');
const { median, runAsScript, verdict } = require('./common');
const {
	uploadWorkflows,
	downloadWorkflows,
	listWorkflows,
	floorWorkflow,
} = require('./fileWorkflows');
const { resolvePackage } = require('./n8n');

const MB = 1024 * 1024;
/** n8n 2.41 keeps binaries on disk unless told otherwise; `default` keeps them in the item. */
const BINARY_MODES = ['default', 'filesystem'];
const TARGET_TIME = 1.0;
const TARGET_MEMORY = 0.7;
const TARGET_FS_UPLOAD_GROWTH = 1.5;

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Memory of the n8n process tree summed: resident now, and the peak since the last reset.
 * @param {number} pid
 */
function memoryOf(pid) {
	let rss = 0;
	let peak = 0;
	for (const m of treeMemory(pid).values()) {
		rss += m.rss;
		peak += m.peak;
	}
	return { rss, peak };
}

/**
 * How n8n runs for this part: an inspector on a free port (for `collectGarbage`), and memory of
 * 1 MB and more taken from the system and given back one allocation at a time, so its resident
 * memory is what it holds, not what it held before.
 */
const MEASURED_N8N_ENV = {
	NODE_OPTIONS: '--inspect=127.0.0.1:0',
	MALLOC_MMAP_THRESHOLD_: String(MB),
};

/** In n8n's Node 24 (which has WebSocket): one full garbage collection through the inspector. */
const COLLECT_GARBAGE = `
const ws = new WebSocket(process.argv[1]);
ws.onopen = () => ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
ws.onmessage = (m) => { if (JSON.parse(m.data).id === 1) process.exit(0); };
ws.onerror = () => process.exit(1);`;

/**
 * A full garbage collection in n8n's main process, so every run starts from what n8n holds.
 * @param {any} n8n @param {string} nodeBin
 */
function collectGarbage(n8n, nodeBin) {
	const url = /Debugger listening on (ws:\/\/\S+)/.exec(n8n.readLog())?.[1];
	if (!url) throw new Error(`no inspector address in n8n's log ${n8n.logFile}`);
	const r = spawnSync(nodeBin, ['-e', COLLECT_GARBAGE, url], { timeout: 60_000 });
	if (r.status !== 0) throw new Error(`garbage collection through ${url} failed: ${r.stderr}`);
}

/**
 * Waits for n8n's resident memory to stop falling (freed memory returned), at most `maxMs`.
 * @param {number} pid @param {number} maxMs
 */
async function settle(pid, maxMs = 5_000) {
	const until = Date.now() + maxMs;
	let last = memoryOf(pid).rss;
	let steady = 0;
	while (Date.now() < until && steady < 3) {
		await sleep(500);
		const now = memoryOf(pid).rss;
		steady = Math.abs(now - last) < 2 * MB ? steady + 1 : 0;
		last = now;
	}
}

/**
 * Runs a Manual Trigger workflow once and measures it: n8n's own start and stop times, and the
 * peak growth of its processes' resident memory above what they held, garbage collected, before.
 * @param {any} n8n @param {string} nodeBin @param {string} workflowId
 */
async function measuredRun(n8n, nodeBin, workflowId) {
	collectGarbage(n8n, nodeBin);
	await settle(n8n.pid);
	const before = memoryOf(n8n.pid).rss;
	if (!resetTreePeaks(n8n.pid))
		throw new Error('cannot reset peak memory (/proc/<pid>/clear_refs)');
	const started = await n8n.api.listenForTestEvent(workflowId, MANUAL_TRIGGER_NAME);
	if (!started.executionId) throw new Error(`workflow ${workflowId} started no execution`);
	/** @type {any} */
	const execution = await waitFor(
		async () => {
			const e = await n8n.api.getExecution(started.executionId, { includeData: false });
			return e.finished || ['success', 'error', 'crashed', 'canceled'].includes(e.status)
				? e
				: undefined;
		},
		{ timeoutMs: 300_000, intervalMs: 100, what: `execution ${started.executionId}` },
	);
	const { peak } = memoryOf(n8n.pid);
	if (execution.status !== 'success')
		throw new Error(`workflow ${workflowId}: execution ${execution.id} ended ${execution.status}`);
	return {
		ms: Date.parse(execution.stoppedAt) - Date.parse(execution.startedAt),
		growth: Math.max(0, peak - before),
	};
}

/**
 * @typedef {'a' | 'b' | 'c'} Side  (a) the Circularo node, (b) HTTP Request, (c) the floor
 * @typedef {{ key: string, label: string, bytes?: number, a: string, b: string, c?: string,
 *   check?: (side: Side) => void }} Operation  workflows measured side by side
 * @typedef {{ ms: number[], growth: number[] }} Runs
 */

/**
 * The sides of an operation in round `r`: a b c, then c b a, and so on, so drift falls on all.
 * @param {Operation} op @param {number} r @returns {Side[]}
 */
function sidesOf(op, r) {
	/** @type {Side[]} */
	const sides = op.c ? ['a', 'b', 'c'] : ['a', 'b'];
	return r % 2 === 0 ? sides : sides.reverse();
}

/**
 * The bench in one n8n with one binary-data mode.
 * @param {string} mode
 * @param {{ log: (s: string) => void, packageTgz: string, files: { size: number, filePath: string,
 *   sha256: string }[], filesDir: string, rounds: number, documents: number }} o
 */
async function runMode(mode, o) {
	const tag = `files [${mode}]`;
	o.log(`  ${tag}: starting simulator + n8n 2.41.1 with the packed package`);
	const stack = await startStack({
		packageTgz: o.packageTgz,
		n8n: {
			env: {
				...MEASURED_N8N_ENV,
				N8N_DEFAULT_BINARY_DATA_MODE: mode,
				N8N_RESTRICT_FILE_ACCESS_TO: o.filesDir,
			},
			logLevel: 'warn',
		},
	});
	try {
		const { sim } = stack;
		const n8n = /** @type {any} */ (stack.n8n);
		const { nodeBin } = await ensureNode24();
		const run = (/** @type {string} */ workflowId) => measuredRun(n8n, nodeBin, workflowId);
		const circularo = await createCircularoCredential(n8n, sim, { apiKey: sim.keys.teamAdmin });
		const queryAuth = await n8n.api.createCredential({
			name: 'Circularo token (Query Auth)',
			type: 'httpQueryAuth',
			data: { name: 'token', value: sim.keys.teamAdmin },
		});
		const credentials = { circularo, queryAuth, apiUrl: sim.apiUrl };
		// Get Many lists another team's documents, so the uploads do not change how many there are.
		const listUser = /** @type {any} */ (
			[...sim.users.values()].find((u) => u.keyName === 'otherTeamAdmin')
		);
		const listCredentials = {
			circularo: await createCircularoCredential(n8n, sim, { apiKey: sim.keys.otherTeamAdmin }),
			queryAuth: await n8n.api.createCredential({
				name: 'Circularo token of the other team (Query Auth)',
				type: 'httpQueryAuth',
				data: { name: 'token', value: sim.keys.otherTeamAdmin },
			}),
			apiUrl: sim.apiUrl,
		};
		const create = async (/** @type {any} */ wf) => (await n8n.api.createWorkflow(wf)).id;
		const lastUpload = () =>
			[...sim.requests].reverse().find((r) => r.path.endsWith('/files/saveFile'));

		/** @type {Operation[]} */
		const operations = [];
		/** @type {Map<number, string>} the floor workflow of each file size */
		const floors = new Map();
		for (const file of o.files) {
			const title = `Bench ${mib(file.size)} MB`;
			const up = uploadWorkflows({ filePath: file.filePath, title }, credentials);
			floors.set(file.size, await create(floorWorkflow({ filePath: file.filePath, title })));
			operations.push({
				key: `upload ${file.size}`,
				label: `Create, ${fmt(file.size / MB, 0)} MB`,
				bytes: file.size,
				a: await create(up.a),
				b: await create(up.b),
				c: floors.get(file.size),
				// The exact bytes arrived, for both (the floor sends nothing).
				check: (side) => {
					if (side === 'c') return;
					const logged = lastUpload()?.multipart?.files?.[0];
					if (logged?.sha256 !== file.sha256 || logged?.size !== file.size)
						throw new Error(
							`${tag} (${side}) upload of ${file.size} bytes arrived as ${JSON.stringify(logged)}`,
						);
				},
			});
		}
		o.log(`  ${tag}: warming up the uploads (one each), which also make the documents to download`);
		for (const op of operations) {
			for (const side of /** @type {const} */ (['a', 'b'])) {
				await run(op[side]);
				op.check?.(side);
			}
		}
		for (const floor of floors.values()) await run(floor);
		for (const file of o.files) {
			const doc = [...sim.documents.values()].find((d) => d.sourceHash === file.sha256);
			if (!doc) throw new Error(`${tag}: no document holds the ${file.size}-byte upload`);
			const down = downloadWorkflows({ documentId: doc.documentId }, credentials);
			operations.push({
				key: `download ${file.size}`,
				label: `Download + audit trail, ${fmt(file.size / MB, 0)} MB`,
				bytes: file.size,
				a: await create(down.a),
				b: await create(down.b),
				c: floors.get(file.size),
			});
		}
		const teamDocuments = () =>
			[...sim.documents.values()].filter(
				(d) => d.tenant === listUser.tenant && d.team === listUser.team,
			).length;
		for (let n = teamDocuments(); n < o.documents; n++)
			sim.createDocument({ tenant: listUser.tenant, team: listUser.team });
		const list = listWorkflows(listCredentials);
		operations.push({
			key: 'list',
			label: `Get Many, Return All, ${teamDocuments()} documents`,
			a: await create(list.a),
			b: await create(list.b),
		});
		o.log(`  ${tag}: warming up the downloads and Get Many`);
		for (const op of operations.filter((x) => !x.key.startsWith('upload')))
			for (const side of /** @type {const} */ (['a', 'b'])) await run(op[side]);

		/** @type {Record<string, Record<Side, Runs>>} */
		const runs = {};
		for (let r = 0; r < o.rounds; r++) {
			for (const op of operations) {
				for (const side of sidesOf(op, r)) {
					const workflowId = op[side];
					if (!workflowId) continue;
					const m = await run(workflowId);
					op.check?.(side);
					const s = (runs[op.key] ??= {
						a: { ms: [], growth: [] },
						b: { ms: [], growth: [] },
						c: { ms: [], growth: [] },
					})[side];
					s.ms.push(m.ms);
					s.growth.push(m.growth);
				}
			}
			o.log(
				`  ${tag}: round ${r + 1} of ${o.rounds} done, load average ${fmt(os.loadavg()[0], 1)}`,
			);
		}
		return { mode, operations, runs };
	} finally {
		await stack.stop();
	}
}

/**
 * The ratio a/b of the medians, with the lowest and highest per-round ratio.
 * @param {number[]} a @param {number[]} b
 */
function ratio(a, b) {
	const per = a.map((x, i) => x / Math.max(1, b[i]));
	return {
		value: median(a) / Math.max(1, median(b)),
		low: Math.min(...per),
		high: Math.max(...per),
	};
}

/**
 * Met or missed; a miss where even the floor (c) is above the target is out of any node's reach.
 * @param {boolean} ok @param {{ value: number } | undefined} floor
 */
function memoryVerdict(ok, floor) {
	if (ok || !floor || floor.value <= TARGET_MEMORY) return verdict(ok);
	return `${verdict(false)}, out of reach: c/b > ${TARGET_MEMORY}`;
}

/** @param {{ value: number, low: number, high: number }} r */
const ratioText = (r) => `${fmt(r.value)} (${fmt(r.low)}-${fmt(r.high)})`;

/**
 * The tables of one mode.
 * @param {Awaited<ReturnType<typeof runMode>>} result @param {number} rounds
 */
function modeText(result, rounds) {
	const rows = [];
	let ok = true;
	for (const op of result.operations) {
		const { a, b, c } = result.runs[op.key];
		const time = ratio(a.ms, b.ms);
		const memory = ratio(a.growth, b.growth);
		const floor = c.growth.length > 0 ? ratio(c.growth, b.growth) : undefined;
		const big = op.bytes !== undefined && op.bytes >= 25 * MB;
		const timeOk = time.low <= TARGET_TIME;
		const memoryOk = !big || memory.value <= TARGET_MEMORY;
		const fsUpload =
			result.mode === 'filesystem' && op.key.startsWith('upload') && op.bytes === 90 * MB;
		const fsOk = !fsUpload || median(a.growth) < TARGET_FS_UPLOAD_GROWTH * (op.bytes ?? 0);
		ok = ok && timeOk && memoryOk && fsOk;
		rows.push([
			op.label,
			`${fmt(median(a.ms), 0)} / ${fmt(median(b.ms), 0)}`,
			ratioText(time),
			verdict(timeOk),
			`${fmt(median(a.growth) / MB, 0)} / ${fmt(median(b.growth) / MB, 0)}`,
			ratioText(memory),
			big ? memoryVerdict(memoryOk, floor) : '',
			floor ? `${fmt(median(c.growth) / MB, 0)}: ${ratioText(floor)}` : '',
			fsUpload ? `${fmt(median(a.growth) / (op.bytes ?? 1), 2)}x the file: ${verdict(fsOk)}` : '',
		]);
	}
	return {
		ok,
		text: [
			`Part 5, files [N8N_DEFAULT_BINARY_DATA_MODE=${result.mode}]: (a) the Circularo node, (b) n8n's HTTP Request node, (c) the floor: the file read into the item, no transfer (a memory a/b under c/b is out of any node's reach); medians of ${rounds} interleaved round(s), lowest-highest per-round ratio in brackets`,
			table(
				[
					'operation',
					'time ms a / b',
					'time a/b',
					`<= ${TARGET_TIME}`,
					'peak growth MB a / b',
					'memory a/b',
					`<= ${TARGET_MEMORY} from 25 MB`,
					'floor (c) MB: c/b',
					`filesystem upload < ${TARGET_FS_UPLOAD_GROWTH}x`,
				],
				rows,
			),
		].join('\n'),
	};
}

/**
 * @param {{ log?: (s: string) => void, sizes?: number[], rounds?: number, binaryModes?: string[],
 *   documents?: number, package?: string, quick?: boolean }} [o]
 */
async function runFilesBench(o = {}) {
	const log = o.log || ((/** @type {string} */ s) => process.stderr.write(`${s}\n`));
	const sizes = o.sizes ?? (o.quick ? [1, 25] : [1, 25, 90]);
	const modes = o.binaryModes ?? BINARY_MODES;
	for (const m of modes)
		if (!BINARY_MODES.includes(m))
			throw new Error(`--binary-modes takes ${BINARY_MODES.join(', ')}`);
	const rounds = o.rounds ?? (o.quick ? 1 : 3);
	const pkg = await resolvePackage(o.package);
	const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'circularo-bench-files-'));
	try {
		log(`  files: writing PDFs of ${sizes.join(', ')} MB`);
		const files = [];
		for (const mb of sizes)
			files.push(await writeLargePdf(path.join(filesDir, `contract-${mb}mb.pdf`), mb * MB));
		const texts = [`Part 5, files: package ${pkg.description}; at the start: ${machineLine()}`];
		let ok = true;
		for (const mode of modes) {
			const t0 = Date.now();
			const result = await runMode(mode, {
				log,
				packageTgz: pkg.packageTgz,
				files,
				filesDir,
				rounds,
				documents: o.documents ?? 10_000,
			});
			const r = modeText(result, rounds);
			ok = ok && r.ok;
			texts.push(`${r.text}\n(files [${mode}] took ${Math.round((Date.now() - t0) / 1000)} s)`);
		}
		texts.push(`Part 5, files: at the end: ${machineLine()}`);
		return { text: texts.join('\n\n'), ok };
	} finally {
		fs.rmSync(filesDir, { recursive: true, force: true });
	}
}

/** @param {string[]} argv */
function parseFilesArgs(argv) {
	/** @type {Record<string, any>} */
	const o = {};
	const list = (/** @type {string} */ v) => v.split(',').filter(Boolean);
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		const value = () => (inline !== undefined ? inline : argv[++i]);
		if (flag === '--sizes') o.sizes = list(value()).map(Number);
		else if (flag === '--rounds') o.rounds = Math.max(1, Number(value()));
		else if (flag === '--binary-modes') o.binaryModes = list(value());
		else if (flag === '--documents') o.documents = Number(value());
		else if (flag === '--package') o.package = value();
		else if (flag === '--quick') o.quick = true;
		else throw new Error(`unknown argument ${argv[i]}`);
	}
	for (const s of o.sizes ?? [])
		if (!(s > 0)) throw new Error('--sizes takes sizes in MB, separated by commas');
	return o;
}

if (require.main === module) {
	runAsScript(() => runFilesBench(parseFilesArgs(process.argv.slice(2))));
}

module.exports = { runFilesBench, parseFilesArgs };
