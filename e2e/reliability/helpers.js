// @ts-check
'use strict';
/**
 * Shared pieces of the reliability suites (e2e/reliability/*.test.js): a watch list of secrets
 * that must never show up anywhere, execution helpers for thousands of executions, and the
 * printed figures. The n8n/simulator set-up itself comes from e2e/lib (startStack & co).
 */

const os = require('node:os');
const { PublicApi } = require('../lib/api');
const { waitFor } = require('../lib/http');

/**
 * Values (API keys, signing secrets) that must appear in no item, error message or log line.
 * Only names and places are ever reported, never the values.
 */
class SecretWatch {
	constructor() {
		/** @type {Map<string, string>} value -> name */
		this.secrets = new Map();
	}

	/** @param {string} name @param {unknown} value */
	add(name, value) {
		// Very short values would match by accident; the simulator's keys and secrets are long.
		if (typeof value === 'string' && value.length >= 12 && !this.secrets.has(value))
			this.secrets.set(value, name);
	}

	/** Every API key the simulator knows, and every signing secret it holds right now. @param {any} sim */
	addFromSimulator(sim) {
		for (const [name, key] of Object.entries(sim.keys)) this.add(`API key ${name}`, key);
		for (const w of sim.listWebhooks()) this.add(`signing secret of webhook ${w.id}`, w.hmacSecret);
	}

	/**
	 * @param {string} text @param {string} where
	 * @returns {string[]} "name in where (N times)" for every secret found
	 */
	findIn(text, where) {
		const found = [];
		for (const [value, name] of this.secrets) {
			let count = 0;
			for (
				let at = text.indexOf(value);
				at !== -1 && count < 1000;
				at = text.indexOf(value, at + 1)
			)
				count++;
			if (count > 0) found.push(`${name} in ${where} (${count} times)`);
		}
		return found;
	}

	get size() {
		return this.secrets.size;
	}
}

/**
 * Scans n8n's whole log, the given texts (error messages, answers) and every execution of the
 * given workflows (with data) for the watched secrets.
 * @param {SecretWatch} watch @param {any} n8n
 * @param {{ texts?: Record<string, string>, workflowIds?: string[] }} o
 * @returns {Promise<{ findings: string[], scannedBytes: number, executions: number }>}
 */
async function scanForSecrets(watch, n8n, o) {
	const findings = [];
	let scannedBytes = 0;
	let executions = 0;
	const log = n8n.readLog();
	scannedBytes += log.length;
	findings.push(...watch.findIn(log, `n8n log ${n8n.logFile}`));
	for (const [where, text] of Object.entries(o.texts || {})) {
		scannedBytes += text.length;
		findings.push(...watch.findIn(text, where));
	}
	for (const id of o.workflowIds || []) {
		const list = await n8n.api.listExecutions(id, { includeData: true });
		executions += list.length;
		const text = JSON.stringify(list);
		scannedBytes += text.length;
		findings.push(...watch.findIn(text, `executions of workflow ${id}`));
	}
	return { findings, scannedBytes, executions };
}

/**
 * Waits until a workflow has exactly `expected` finished executions, polling every `intervalMs`
 * (listing thousands of executions is not free, so not too often), then waits `settleMs` and lists
 * once more so that late extra executions are counted. Bounded by `timeoutMs`.
 * @param {any} n8n @param {string} workflowId @param {number} expected
 * @param {{ timeoutMs?: number, intervalMs?: number, settleMs?: number, includeData?: boolean }} [o]
 * @returns {Promise<any[]>}
 */
async function settledExecutions(n8n, workflowId, expected, o = {}) {
	const done = (/** @type {any} */ e) =>
		!!e.stoppedAt ||
		e.finished === true ||
		['success', 'error', 'crashed', 'canceled'].includes(e.status);
	if (expected > 0) {
		let last = 'no list yet';
		await waitFor(
			async () => {
				const list = await n8n.api.listExecutions(workflowId);
				/** @type {Record<string, number>} */
				const byStatus = {};
				for (const e of list) byStatus[e.status] = (byStatus[e.status] || 0) + 1;
				last = `${list.length} executions ${JSON.stringify(byStatus)}`;
				return list.length >= expected && list.every(done);
			},
			{
				timeoutMs: o.timeoutMs ?? 120_000,
				intervalMs: o.intervalMs ?? 2000,
				what: `${expected} finished executions of workflow ${workflowId}`,
			},
		).catch((error) => {
			throw new Error(`${error.message}; last seen: ${last}`);
		});
	}
	await new Promise((r) => setTimeout(r, o.settleMs ?? 3000));
	return n8n.api.listExecutions(workflowId, { includeData: o.includeData === true });
}

/** The Circularo Trigger's output items of one execution (with data). @param {any} execution @param {string} node */
function triggerItems(execution, node) {
	return PublicApi.nodeOutput(execution, node);
}

/** @param {number} bytes */
const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** @param {number} ms */
const fmtMs = (ms) => (Number.isFinite(ms) ? `${ms.toFixed(0)} ms` : 'n/a');

/** What the figures were measured on (load average matters: other processes share the CPU). */
function machineLine() {
	const cpus = os.cpus();
	const load = os
		.loadavg()
		.map((l) => l.toFixed(2))
		.join(' ');
	return `${cpus.length} x ${cpus[0] ? cpus[0].model.trim() : 'cpu'}, ${mib(os.totalmem())} RAM, Node ${process.version} (harness), load average ${load}`;
}

/**
 * Prints a block the README can take as it is.
 * @param {string} title @param {string[]} lines
 */
function printSummary(title, lines) {
	const bar = '-'.repeat(72);
	const text = [bar, `${title}`, bar, ...lines, bar].join('\n');
	console.log(`\n${text}\n`);
	return text;
}

/**
 * Samples a value (e.g. RSS) every `intervalMs` until stopped; keeps the maximum.
 * @param {() => number} sample @param {number} intervalMs
 */
function sampleMax(sample, intervalMs) {
	let max = sample();
	const timer = setInterval(() => {
		max = Math.max(max, sample());
	}, intervalMs);
	timer.unref();
	return {
		stop: () => {
			clearInterval(timer);
			max = Math.max(max, sample());
			return max;
		},
	};
}

module.exports = {
	SecretWatch,
	scanForSecrets,
	settledExecutions,
	triggerItems,
	mib,
	fmtMs,
	machineLine,
	printSummary,
	sampleMax,
};
