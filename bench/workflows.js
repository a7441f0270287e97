// @ts-check
'use strict';
/**
 * The workflows the bench compares, in one n8n (single process, or main of a queue-mode set),
 * each fed the same deliveries (signed bodies of one size, no two alike):
 *
 *   (a) Circularo Trigger -> NoOp                 (signature verified, event filtered, item mapped)
 *   (b) Webhook -> NoOp                           (n8n's built-in webhook, no verification: the floor)
 *   (c) Webhook (raw body) -> Crypto HMAC-SHA256 over the binary -> IF (hmac = header and event
 *       selected) -> NoOp                         (the hand-built equivalent a user would assemble)
 *   (d) Webhook with Header Auth -> NoOp          (n8n's own node holding a credential: the floor for
 *       any trigger that needs one, since n8n checks and loads credentials per execution)
 */

const crypto = require('node:crypto');
const { request } = require('../e2e/lib/http');
const { PublicApi } = require('../e2e/lib/api');
const { createCircularoCredential } = require('../e2e/lib/circularo/stack');
const {
	TRIGGER_NODE_TYPE,
	createTriggerWorkflow,
	registeredSecret,
	signedDelivery,
} = require('../e2e/lib/circularo/trigger');
const {
	BENCH_SECRET,
	BENCH_TOKEN_HEADER,
	BENCH_TOKEN,
	makeBody,
	benchDelivery,
} = require('./common');

const SELECTED_EVENTS = ['documentCompleted', 'documentSigned'];
const LABELS = {
	a: '(a) Circularo Trigger',
	b: '(b) Webhook -> NoOp, no check',
	c: '(c) Webhook -> Crypto -> IF',
	d: '(d) Webhook, Header Auth -> NoOp',
};

/**
 * @typedef {'a' | 'b' | 'c' | 'd'} WorkflowKey
 * @typedef {{ key: WorkflowKey, label: string, id: string, url: string, lastNode: string, secret: string }} BenchWorkflow
 *   secret: what its deliveries are signed with
 */

/**
 * (b), (c) and (d): built-in nodes only.
 * @param {'b' | 'c' | 'd'} key @param {{ id: string, name: string }} [credential] Crypto for (c), Header Auth for (d)
 */
function builtInWorkflow(key, credential) {
	const webhookId = crypto.randomUUID();
	const webhookPath = `bench-${key}-${webhookId.slice(0, 8)}`;
	const id = () => crypto.randomUUID();
	const webhook = {
		id: id(),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		position: [0, 0],
		webhookId,
		parameters: {
			httpMethod: 'POST',
			path: webhookPath,
			responseMode: 'onReceived',
			options: key === 'c' ? { rawBody: true } : {},
		},
	};
	if (key === 'd') {
		if (!credential) throw new Error('(d) needs a Header Auth credential');
		Object.assign(webhook.parameters, { authentication: 'headerAuth' });
		Object.assign(webhook, {
			credentials: { httpHeaderAuth: { id: credential.id, name: credential.name } },
		});
	}
	const done = {
		id: id(),
		name: 'Done',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [660, 0],
		parameters: {},
	};
	if (key === 'b' || key === 'd') {
		return {
			path: webhookPath,
			workflow: {
				name: `bench (${key}) Webhook${key === 'd' ? ' (Header Auth)' : ''} -> NoOp ${webhookId.slice(0, 8)}`,
				nodes: [webhook, done],
				connections: { Webhook: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
				settings: { executionOrder: 'v1' },
			},
		};
	}
	if (!credential) throw new Error('(c) needs a Crypto credential');
	const hmac = {
		id: id(),
		name: 'HMAC',
		type: 'n8n-nodes-base.crypto',
		typeVersion: 2,
		position: [220, 0],
		parameters: {
			action: 'hmac',
			binaryData: true,
			binaryPropertyName: 'data',
			type: 'SHA256',
			dataPropertyName: 'hmac',
			encoding: 'hex',
		},
		credentials: { crypto: { id: credential.id, name: credential.name } },
	};
	const check = {
		id: id(),
		name: 'Valid and selected',
		type: 'n8n-nodes-base.if',
		typeVersion: 2.2,
		position: [440, 0],
		parameters: {
			conditions: {
				options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
				conditions: [
					{
						id: id(),
						leftValue: '={{ $json.hmac }}',
						rightValue: "={{ $json.headers['x-circularo-signature'] }}",
						operator: { type: 'string', operation: 'equals' },
					},
					{
						id: id(),
						leftValue: `={{ ${JSON.stringify(SELECTED_EVENTS)}.includes($json.body.event) }}`,
						rightValue: '',
						operator: { type: 'boolean', operation: 'true', singleValue: true },
					},
				],
				combinator: 'and',
			},
			options: {},
		},
	};
	return {
		path: webhookPath,
		workflow: {
			name: `bench (c) Webhook -> Crypto -> IF ${webhookId.slice(0, 8)}`,
			nodes: [webhook, hmac, check, done],
			connections: {
				Webhook: { main: [[{ node: 'HMAC', type: 'main', index: 0 }]] },
				HMAC: { main: [[{ node: 'Valid and selected', type: 'main', index: 0 }]] },
				'Valid and selected': { main: [[{ node: 'Done', type: 'main', index: 0 }], []] },
			},
			settings: { executionOrder: 'v1' },
		},
	};
}

/**
 * One delivery to each workflow, then checks that it ran to the last node with the right data
 * (so the hand-built HMAC check really passes, and the trigger really emits its item), and that
 * (a) refuses a forged signature.
 * @param {any} n8n @param {BenchWorkflow[]} wfs @param {number} bodyBytes
 */
async function checkWorkflows(n8n, wfs, bodyBytes) {
	for (const wf of wfs) {
		const r = await request('POST', wf.url, {
			...benchDelivery(bodyBytes, 0, wf.secret),
			timeoutMs: 30_000,
		});
		if (r.status !== 200)
			throw new Error(`(${wf.key}) answered ${r.status}: ${r.text.slice(0, 200)}`);
		const [e] = await n8n.api.waitForExecutions(wf.id, 1, { timeoutMs: 60_000 });
		const out = PublicApi.nodeOutput(await n8n.api.getExecution(e.id), wf.lastNode);
		if (out.length !== 1)
			throw new Error(
				`(${wf.key}) the delivery did not reach "${wf.lastNode}" (status ${e.status})`,
			);
		if (wf.key === 'a' && out[0].json.event !== 'documentSigned')
			throw new Error('(a) the trigger did not emit the documentSigned item');
	}
	const a = wfs.find((w) => w.key === 'a');
	if (a) {
		const ra = await request('POST', a.url, {
			...signedDelivery('not-the-secret', makeBody(bodyBytes)),
			timeoutMs: 30_000,
		});
		if (ra.status !== 401) throw new Error(`(a) answered ${ra.status} to a forged signature`);
	}
}

/**
 * The Circularo Trigger's default node version in the package n8n loaded (what the editor puts
 * in new workflows), so a build given with --package is measured as it would be used.
 * @param {any} n8n
 */
async function loadedTriggerVersion(n8n) {
	const types = await n8n.api.nodeTypes();
	const trigger = types.find((/** @type {any} */ t) => t.name === TRIGGER_NODE_TYPE);
	if (!trigger) throw new Error(`n8n did not load ${TRIGGER_NODE_TYPE}`);
	const versions = Array.isArray(trigger.version) ? trigger.version : [trigger.version];
	return /** @type {number} */ (trigger.defaultVersion ?? Math.max(...versions));
}

/**
 * Creates and publishes the workflows `keys` in a running n8n (main, in queue mode: production
 * webhook URLs then point at the webhook process).
 * @param {any} n8n @param {any} sim @param {WorkflowKey[]} keys
 * @returns {Promise<BenchWorkflow[]>}
 */
async function setupBenchWorkflows(n8n, sim, keys) {
	/** @type {BenchWorkflow[]} */
	const wfs = [];
	for (const key of keys) {
		if (key === 'a') {
			// Registered with the simulator on publish; deliveries are signed with the secret the
			// simulator holds for it (derived by the trigger; the credential's own in older builds).
			const credential = await createCircularoCredential(n8n, sim, {
				apiKey: sim.keys.teamAdmin,
				webhookSecret: BENCH_SECRET,
			});
			const a = await createTriggerWorkflow(n8n, {
				credential,
				events: SELECTED_EVENTS,
				name: 'bench (a) Circularo Trigger -> NoOp',
				typeVersion: await loadedTriggerVersion(n8n),
			});
			await n8n.api.publish(a.id);
			wfs.push({
				key,
				label: LABELS.a,
				id: a.id,
				url: a.productionUrl,
				lastNode: 'After Trigger',
				secret: registeredSecret(sim, a.productionUrl),
			});
			continue;
		}
		const credential =
			key === 'c'
				? await n8n.api.createCredential({
						name: 'bench HMAC secret',
						type: 'crypto',
						data: { hmacSecret: BENCH_SECRET },
					})
				: key === 'd'
					? await n8n.api.createCredential({
							name: 'bench header auth',
							type: 'httpHeaderAuth',
							data: { name: BENCH_TOKEN_HEADER, value: BENCH_TOKEN },
						})
					: undefined;
		const built = builtInWorkflow(key, credential);
		const stored = await n8n.api.createWorkflow(built.workflow);
		await n8n.api.publish(String(stored.id));
		wfs.push({
			key,
			label: LABELS[key],
			id: String(stored.id),
			url: n8n.webhookUrl(built.path),
			lastNode: 'Done',
			secret: BENCH_SECRET,
		});
	}
	return wfs;
}

module.exports = { SELECTED_EVENTS, LABELS, builtInWorkflow, setupBenchWorkflows, checkWorkflows };
