// @ts-check
'use strict';
/**
 * Part 6: the Circularo Polling Trigger's cost, on the compiled node in dist/ against the
 * simulator (in a child process of its own, so that its memory is not counted). For each case,
 * documents in progress (ids as Circularo's, UUIDs) and, in the last case, many more documents that
 * are not in progress: the first poll (it records what is in progress), then unchanged polls. It
 * reports what n8n would pay: requests per unchanged poll (the node's calls), their time, the
 * static data n8n stores (JSON bytes, per document in progress), how often an unchanged poll wrote
 * to static data (target 0), and the poll's peak heap above the heap before it (after a GC).
 * Targets: under 64 bytes of static data per document in progress, no write when nothing changed,
 * and peak heap not growing with the documents that are not in progress.
 *
 *   npm run build && node bench/run.js --only poll
 *   node bench/poll.js --in-progress 100,1000,10000 --others 20000 --polls 3
 */

const path = require('node:path');
const crypto = require('node:crypto');
const v8 = require('node:v8');
const vm = require('node:vm');
const fs = require('node:fs');
const os = require('node:os');
const { postConcurrent } = require('../e2e/lib/http');
const { table, fmt, machineLine } = require('../e2e/lib/report');
const { spawnServer, stopServer, waitUntilReady, onFreePort } = require('../e2e/lib/serverProcess');
const { median, runAsScript, verdict } = require('./common');

const DIST = path.join(__dirname, '..', 'dist');
const BYTES_PER_DOCUMENT_TARGET = 64;
const DEFAULT_IN_PROGRESS = [100, 1000, 10_000];
const DEFAULT_OTHERS = 20_000;
const MONTH_AGO = () => new Date(Date.now() - 30 * 24 * 3600 * 1000).toISOString();

v8.setFlagsFromString('--expose-gc');
const gc = /** @type {() => void} */ (vm.runInNewContext('gc'));

/** The simulator as its own process (the harness's way to run a server); its base URL and stop(). */
async function startSimulatorProcess() {
	return onFreePort(async (port) => {
		const logFile = path.join(os.tmpdir(), `circularo-bench-poll-simulator-${process.pid}.log`);
		const server = spawnServer(
			process.execPath,
			[path.join(__dirname, '..', 'simulator', 'cli.js'), '--port', String(port), '--quiet'],
			{ logFile, cwd: path.join(__dirname, '..') },
		);
		const baseUrl = `http://127.0.0.1:${port}`;
		await waitUntilReady(
			server,
			async () => (await fetch(`${baseUrl}/_sim/state`).catch(() => null))?.ok === true,
			{
				timeoutMs: 20_000,
				intervalMs: 100,
				what: 'the simulator',
				logFile,
				logFrom: 0,
				clash: /EADDRINUSE/,
			},
		);
		return {
			baseUrl,
			stop: async () => {
				await stopServer(server, 'SIGTERM', 10_000);
				fs.rmSync(logFile, { force: true });
			},
		};
	});
}

/**
 * @param {string} baseUrl @param {number} count @param {string} shareStateName
 * @param {string} [createDate] when they were created (default now)
 */
async function addDocuments(baseUrl, count, shareStateName, createDate) {
	if (count === 0) return;
	const r = await postConcurrent(
		{
			count,
			make: (i) => ({
				url: `${baseUrl}/_sim/documents`,
				body: JSON.stringify({
					title: `Bench ${shareStateName} ${i}`,
					team: 'Sales',
					documentId: crypto.randomUUID(),
					shareStateName,
					createDate,
				}),
				headers: { 'content-type': 'application/json' },
			}),
		},
		16,
		{ timeoutMs: 30_000, totalTimeoutMs: 600_000 },
	);
	const failed = r.results.filter((x) => x.status !== 201).length;
	if (failed > 0) throw new Error(`${failed} documents could not be created in the simulator`);
}

/**
 * What n8n hands poll(), as n8n-core's own HTTP with the credential's authenticate().
 * @param {string} serverUrl @param {string} apiKey @param {Record<string, unknown>} staticData
 * @param {{ requests: number, writes: number }} counter
 */
function pollContext(serverUrl, apiKey, staticData, counter) {
	const { httpRequestWithAuthentication } = /** @type {any} */ (
		require('n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions.js')
	);
	const { CircularoApi } = require(path.join(DIST, 'credentials', 'CircularoApi.credentials.js'));
	const credentialType = new CircularoApi();
	const node = {
		id: 'bench-poll',
		name: 'Circularo Polling Trigger',
		type: 'n8n-nodes-circularo.circularoPollingTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const additionalData = {
		credentialsHelper: {
			getParentTypes: () => [],
			preAuthentication: async () => undefined,
			authenticate: async (/** @type {any} */ c, /** @type {string} */ _t, /** @type {any} */ o) =>
				await credentialType.authenticate(c, o),
		},
	};
	const parameters = /** @type {Record<string, unknown>} */ ({ events: ['*'], options: {} });
	/** @type {Record<string, any>} */
	const context = {
		getNode: () => node,
		getWorkflow: () => ({ id: 'bench-workflow', name: 'bench', active: true }),
		getMode: () => 'trigger',
		getNodeParameter: (/** @type {string} */ name, /** @type {unknown} */ fallback) =>
			name in parameters ? parameters[name] : fallback,
		getWorkflowStaticData: () => staticData,
		getCredentials: async () => ({ serverUrl, apiKey }),
		logger: {
			warn: () => undefined,
			error: () => undefined,
			info: () => undefined,
			debug: () => undefined,
		},
	};
	context.helpers = {
		async httpRequestWithAuthentication(
			/** @type {string} */ type,
			/** @type {any} */ request,
			/** @type {any} */ extra,
		) {
			counter.requests++;
			return await httpRequestWithAuthentication.call(
				context,
				type,
				request,
				{},
				node,
				additionalData,
				extra,
			);
		},
	};
	return context;
}

/**
 * Static data that counts writes, as n8n's marks itself changed.
 * @param {Record<string, unknown>} target @param {{ requests: number, writes: number }} counter
 */
function watched(target, counter) {
	return new Proxy(target, {
		set: (t, k, v) => (counter.writes++, Reflect.set(t, k, v)),
		deleteProperty: (t, k) => (counter.writes++, Reflect.deleteProperty(t, k)),
	});
}

/** Runs `fn` and returns its result with the peak heap above the heap before it (after a GC). */
async function withPeakHeap(/** @type {() => Promise<any>} */ fn) {
	gc();
	const before = process.memoryUsage().heapUsed;
	let peak = before;
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().heapUsed);
	}, 2);
	try {
		const result = await fn();
		peak = Math.max(peak, process.memoryUsage().heapUsed);
		return { result, peakBytes: peak - before };
	} finally {
		clearInterval(timer);
	}
}

/** @param {{ inProgress?: number[], others?: number, polls?: number, quick?: boolean, log?: (s: string) => void }} [o] */
async function runPollBench(o = {}) {
	const log = o.log || ((/** @type {string} */ s) => process.stderr.write(`${s}\n`));
	const sizes = o.inProgress ?? (o.quick ? [100, 1000] : DEFAULT_IN_PROGRESS);
	const others = o.others ?? (o.quick ? 2000 : DEFAULT_OTHERS);
	const polls = o.polls ?? (o.quick ? 1 : 3);
	const { CircularoPollingTrigger } = require(
		path.join(DIST, 'nodes', 'Circularo', 'CircularoPollingTrigger.node.js'),
	);
	const trigger = new CircularoPollingTrigger();
	const cases = [
		...sizes.map((n) => ({ inProgress: n, others: 0 })),
		{ inProgress: sizes[Math.min(1, sizes.length - 1)], others },
	];
	const sim = await startSimulatorProcess();
	const rows = [];
	let ok = true;
	try {
		const keys = (await (await fetch(`${sim.baseUrl}/_sim/state`)).json()).keys;
		for (const c of cases) {
			log(`  poll: ${c.inProgress} documents in progress, ${c.others} others`);
			await fetch(`${sim.baseUrl}/_sim/reset`, { method: 'POST' });
			await addDocuments(sim.baseUrl, c.inProgress, 'inprogress');
			// A tenant's other documents: ended long before (a month ago), as most are.
			await addDocuments(sim.baseUrl, c.others, 'completed', MONTH_AGO());
			/** @type {Record<string, unknown>} */
			const staticData = {};
			const counter = { requests: 0, writes: 0 };
			const poll = (/** @type {Record<string, unknown>} */ data) =>
				trigger.poll.call(pollContext(sim.baseUrl, keys.teamAdmin, data, counter));
			const first = await poll(staticData);
			if (first !== null) throw new Error('the first poll reported events');
			const bytes = Buffer.byteLength(JSON.stringify(staticData));
			const inProgress = c.inProgress + 1; // and the seeded doc-sales-1
			const runs = [];
			for (let i = 0; i < polls; i++) {
				counter.requests = 0;
				counter.writes = 0;
				const started = performance.now();
				const { result, peakBytes } = await withPeakHeap(() => poll(watched(staticData, counter)));
				if (result !== null) throw new Error('an unchanged poll reported events');
				runs.push({
					ms: performance.now() - started,
					requests: counter.requests,
					writes: counter.writes,
					peakBytes,
				});
			}
			const perDocument = bytes / inProgress;
			const writes = Math.max(...runs.map((r) => r.writes));
			ok = ok && perDocument < BYTES_PER_DOCUMENT_TARGET && writes === 0;
			rows.push([
				String(inProgress),
				String(c.others + 1),
				String(runs[0].requests),
				`${fmt(median(runs.map((r) => r.ms)), 0)} ms`,
				String(bytes),
				`${fmt(perDocument, 1)} ${verdict(perDocument < BYTES_PER_DOCUMENT_TARGET)}`,
				`${writes} ${verdict(writes === 0)}`,
				fmt(median(runs.map((r) => r.peakBytes)) / 2 ** 20, 1),
			]);
		}
	} finally {
		await sim.stop();
	}
	const text = [
		`Part 6: Circularo Polling Trigger, unchanged polls (${polls} per case, median), 100 documents per search page`,
		machineLine(),
		table(
			[
				'in progress',
				'other documents',
				'requests per poll',
				'poll time',
				'static data bytes',
				'bytes per document (< 64)',
				'writes (0)',
				'peak heap MiB',
			],
			rows,
		),
	].join('\n');
	return { text, ok };
}

/** @param {string[]} argv */
function parsePollArgs(argv) {
	/** @type {{ inProgress?: number[], others?: number, polls?: number, quick?: boolean }} */
	const o = {};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		const value = () => (inline !== undefined ? inline : argv[++i]);
		const whole = (/** @type {string} */ v) => {
			const n = Number(v);
			if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} takes whole numbers`);
			return n;
		};
		if (flag === '--quick') o.quick = true;
		else if (flag === '--in-progress') o.inProgress = value().split(',').map(whole);
		else if (flag === '--others') o.others = whole(value());
		else if (flag === '--polls') o.polls = whole(value());
		else throw new Error(`unknown argument ${argv[i]}`);
	}
	return o;
}

if (require.main === module) {
	runAsScript(() => runPollBench(parsePollArgs(process.argv.slice(2))));
}

module.exports = { runPollBench, parsePollArgs };
