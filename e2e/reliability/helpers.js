// @ts-check
'use strict';
/**
 * What the reliability suites (e2e/reliability/*.test.js) share beyond the harness: a published
 * Circularo Trigger workflow to aim deliveries at, and a watch list of secrets that must never
 * show up anywhere. Waiting for executions and the printed figures come from e2e/lib (PublicApi,
 * load.js, report.js).
 */

const assert = require('node:assert/strict');
const { startStack, createCircularoCredential } = require('../lib/circularo/stack');
const { createTriggerWorkflow, webhooksFor } = require('../lib/circularo/trigger');

/**
 * The simulator and n8n (startStack), a Circularo API credential (with the given Webhook Signing
 * Secret, if any) and a published Circularo Trigger workflow for `events`, registered exactly
 * once; `secret` is what Circularo signs its deliveries with.
 * @param {{ events: string[], webhookSecret?: string, n8nEnv?: Record<string, string> }} o
 */
async function startPublishedTrigger(o) {
	const stack = await startStack({ n8n: { env: o.n8nEnv || {} } });
	const { sim, n8n } = stack;
	try {
		const credential = await createCircularoCredential(n8n, sim, {
			apiKey: sim.keys.teamAdmin,
			webhookSecret: o.webhookSecret,
		});
		const wf = await createTriggerWorkflow(n8n, { credential, events: o.events });
		await /** @type {import('../lib/api').PublicApi} */ (n8n.api).publish(wf.id);
		const registered = webhooksFor(sim, wf.productionUrl);
		assert.equal(registered.length, 1, 'publishing registers one webhook');
		return { stack, sim, n8n, wf, secret: /** @type {string} */ (registered[0].hmacSecret) };
	} catch (err) {
		await stack.stop();
		throw err;
	}
}

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

module.exports = { startPublishedTrigger, SecretWatch, scanForSecrets };
