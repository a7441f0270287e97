// @ts-check
'use strict';
/**
 * What the queue-mode suites (e2e/queue/*.test.js) share: a queue-mode set (Debian's Redis and
 * Postgres, n8n main + webhook process + worker with the packed package, an owner) beside the
 * Circularo simulator, and reading which process did what from n8n's logs.
 */

const { waitFor } = require('../lib/http');
const { setupOwner } = require('../lib/n8n');
const { ensureQueueServices } = require('../lib/services');
const { startQueueSet } = require('../lib/queue');
const { packedPackage } = require('../lib/circularo/stack');
const { startSimulator } = require('../../simulator');

/** Events the suites' workflows select. */
const SELECTED = ['documentCompleted', 'documentSigned'];

/**
 * Starts the simulator and a queue-mode set, and sets up main's owner. `stop()` stops what
 * is still running; `stopQueue()` stops the set alone (the simulator stays).
 * @param {{ env?: Record<string, string>, logLevel?: string }} [o]
 */
async function startQueueStack(o = {}) {
	/** @type {Record<string, number>} */
	const timings = {};
	let t = Date.now();
	const services = await ensureQueueServices();
	timings.ensureServicesSeconds = seconds(t);
	const packageTgz = await packedPackage();
	const sim = await startSimulator({ port: 0, log: false });
	/** @type {Awaited<ReturnType<typeof startQueueSet>> | undefined} */
	let q;
	try {
		t = Date.now();
		q = await startQueueSet({ packageTgz, logLevel: o.logLevel, env: o.env });
		timings.queueSetStartSeconds = seconds(t);
		await setupOwner(q.main);
	} catch (err) {
		await q?.stop();
		await sim.stop();
		throw err;
	}
	const set = q;
	let queueRunning = true;
	const stopQueue = async () => {
		if (!queueRunning) return;
		queueRunning = false;
		const started = Date.now();
		await set.stop();
		timings.queueSetStopSeconds = seconds(started);
	};
	return {
		sim,
		set,
		packageTgz,
		installed: services.installed,
		timings,
		/** Main's public API. */
		api: () => /** @type {import('../lib/api').PublicApi} */ (set.main.api),
		stopQueue,
		stop: async () => {
			await Promise.allSettled([stopQueue()]);
			await sim.stop();
		},
	};
}

/** Seconds since `t`, one decimal. @param {number} t */
const seconds = (t) => Math.round((Date.now() - t) / 100) / 10;

/** n8n's console log without colour codes. @param {{ readLog: () => string }} p */
const plainLog = (p) => p.readLog().replace(/\x1b\[[0-9;]*m/g, ''); // eslint-disable-line no-control-regex

/** Ids in lines like "Worker started execution 12 (job 12)". @param {string} log @param {RegExp} re */
function idsIn(log, re) {
	const ids = new Set();
	for (const m of log.matchAll(re)) ids.add(m[1]);
	return ids;
}
/** Ids of executions a process's log names in lines matching `re`. @param {{ readLog: () => string }} p @param {RegExp} re */
const loggedIds = (p, re) => idsIn(plainLog(p), re);

const WORKER_STARTED = /Worker started execution (\d+) \(job/g;
// At log level info n8n prints no metadata (such as "success"); success is judged from the execution.
const WORKER_FINISHED_OK = /Worker finished execution (\d+) \(job/g;
const ENQUEUED = /Enqueued execution (\d+) \(job/g;

/**
 * Waits (bounded) until a process's log names execution `id` in a line matching `re`: n8n saves
 * the execution before the worker logs that it finished.
 * @param {{ readLog: () => string }} proc @param {RegExp} re @param {string} id
 */
async function logShows(proc, re, id) {
	return waitFor(() => loggedIds(proc, re).has(id), {
		timeoutMs: 20_000,
		intervalMs: 250,
		what: `execution ${id} in the log (${re.source})`,
	}).then(
		() => true,
		() => false,
	);
}

/**
 * How often a process ran a poll of the named workflow: n8n logs each at debug level (start the
 * stack with `logLevel: 'debug'`). @param {{ readLog: () => string }} proc @param {string} workflowName
 */
function pollsLogged(proc, workflowName) {
	const started = `Poll trigger initiated for workflow "${workflowName}"`;
	return plainLog(proc)
		.split('\n')
		.filter((line) => line.includes(started)).length;
}

/** Webhook URLs only: listWebhooks() also returns secrets, which must never reach an assertion message. */
const urlsOf = (/** @type {any[]} */ hooks) => hooks.map((w) => w.callbackUrl);

/** @param {string | undefined} v @param {number} d */
function positiveInt(v, d) {
	const n = Number(v);
	return Number.isInteger(n) && n > 0 ? n : d;
}

module.exports = {
	SELECTED,
	startQueueStack,
	loggedIds,
	logShows,
	pollsLogged,
	urlsOf,
	positiveInt,
	WORKER_STARTED,
	WORKER_FINISHED_OK,
	ENQUEUED,
};
