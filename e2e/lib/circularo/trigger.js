// @ts-check
'use strict';
/**
 * The Circularo Trigger in a workflow: the workflow (trigger -> NoOp), Circularo's registrations
 * for its URL and their secrets, deliveries signed as Circularo signs them, and what a batch of
 * deliveries did.
 */

const crypto = require('node:crypto');
const { SIGNATURE_HEADER, hmacHex } = require('../../../simulator');
const { PublicApi } = require('../api');
const { CREDENTIAL_TYPE } = require('./stack');

const TRIGGER_NODE_TYPE = 'n8n-nodes-circularo.circularoTrigger';
const TRIGGER_NAME = 'Circularo Trigger';
const NEXT_NODE_NAME = 'After Trigger';
/** The webhook path the node declares (`webhooks[0].path`). */
const WEBHOOK_PATH = 'webhook';

/**
 * A workflow JSON: Circularo Trigger -> a NoOp node ("After Trigger").
 * `typeVersion` is the Circularo Trigger's node version (default 1).
 * @param {{ credential: { id: string, name: string }, events?: string[], scope?: string, teamName?: string,
 *   options?: Record<string, any>, name?: string, webhookId?: string, typeVersion?: number }} o
 * @returns {{ webhookId: string, workflow: { name: string, nodes: any[], connections: Record<string, any>, settings: object } }}
 */
function triggerWorkflow(o) {
	const webhookId = o.webhookId || crypto.randomUUID();
	const parameters = {
		events: o.events || ['*'],
		scope: o.scope || 'myTeam',
		options: o.options || {},
	};
	if (o.teamName !== undefined) Object.assign(parameters, { teamName: o.teamName });
	return {
		webhookId,
		workflow: {
			name: o.name || `Circularo e2e ${webhookId.slice(0, 8)}`,
			nodes: [
				{
					id: crypto.randomUUID(),
					name: TRIGGER_NAME,
					type: TRIGGER_NODE_TYPE,
					typeVersion: o.typeVersion ?? 1,
					position: [0, 0],
					webhookId,
					parameters,
					credentials: { [CREDENTIAL_TYPE]: { id: o.credential.id, name: o.credential.name } },
				},
				{
					id: crypto.randomUUID(),
					name: NEXT_NODE_NAME,
					type: 'n8n-nodes-base.noOp',
					typeVersion: 1,
					position: [260, 0],
					parameters: {},
				},
			],
			connections: {
				[TRIGGER_NAME]: { main: [[{ node: NEXT_NODE_NAME, type: 'main', index: 0 }]] },
			},
			settings: { executionOrder: 'v1' },
		},
	};
}

/**
 * Creates (not publishes) a Circularo Trigger workflow; returns its id and webhook URLs.
 * @param {any} n8n @param {Parameters<typeof triggerWorkflow>[0]} o
 */
async function createTriggerWorkflow(n8n, o) {
	const { webhookId, workflow } = triggerWorkflow(o);
	const stored = await n8n.api.createWorkflow(workflow);
	return {
		id: String(stored.id),
		webhookId,
		productionUrl: n8n.webhookUrl(`${webhookId}/${WEBHOOK_PATH}`),
		testUrl: n8n.testWebhookUrl(`${webhookId}/${WEBHOOK_PATH}`),
	};
}

/** The simulator's webhooks whose callback URL is `url`. @param {any} sim @param {string} url */
function webhooksFor(sim, url) {
	return sim.listWebhooks().filter((/** @type {any} */ w) => w.callbackUrl === url);
}

/**
 * The signing secret Circularo holds for the one webhook registered at `url`: what its deliveries
 * are signed with. @param {any} sim @param {string} url
 * @returns {string}
 */
function registeredSecret(sim, url) {
	const hooks = webhooksFor(sim, url);
	if (hooks.length !== 1 || typeof hooks[0].hmacSecret !== 'string')
		throw new Error(`expected one webhook with a secret at ${url}, found ${hooks.length}`);
	return hooks[0].hmacSecret;
}

/**
 * A delivery signed as Circularo signs it (the simulator's HMAC, independent of the node's
 * verifier); `hmacHex(secret, bytes)` alone signs other bytes or with another key.
 * @param {string} secret @param {Buffer | string | object} body
 * @returns {{ body: Buffer, headers: Record<string, string> }}
 */
function signedDelivery(secret, body) {
	const bytes = Buffer.isBuffer(body)
		? body
		: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
	return {
		body: bytes,
		headers: {
			'content-type': 'application/json',
			[SIGNATURE_HEADER]: hmacHex(secret, bytes),
		},
	};
}

/**
 * What a batch of Circularo Trigger executions (listed with data) did with the deliveries sent,
 * each carrying its own document id: how often each id ran, which sent ids did not run
 * (`lost`), ran more than once (`duplicated`) or were never sent (`unexpected`), and every
 * execution that did not succeed with one trigger item of a selected event and one run of the
 * next node (`problems`).
 * @param {any[]} executions @param {Iterable<string>} sentIds @param {{ events?: string[] }} [o]
 */
function deliveryRuns(executions, sentIds, o = {}) {
	const sent = new Set(sentIds);
	/** @type {Map<string, number>} */
	const seen = new Map();
	/** @type {string[]} */
	const problems = [];
	let firstStartedAt = Infinity;
	let lastStoppedAt = 0;
	for (const e of executions) {
		if (e.status !== 'success') problems.push(`execution ${e.id} ${e.status}`);
		const items = PublicApi.nodeOutput(e, TRIGGER_NAME);
		if (items.length !== 1) problems.push(`execution ${e.id} has ${items.length} trigger items`);
		if (PublicApi.nodeOutput(e, NEXT_NODE_NAME).length !== 1)
			problems.push(`execution ${e.id}: the next node did not run once`);
		for (const item of items) {
			seen.set(item.json.documentId, (seen.get(item.json.documentId) || 0) + 1);
			if (o.events && !o.events.includes(item.json.event))
				problems.push(`execution ${e.id}: event ${item.json.event}`);
		}
		firstStartedAt = Math.min(firstStartedAt, Date.parse(e.startedAt));
		lastStoppedAt = Math.max(lastStoppedAt, Date.parse(e.stoppedAt));
	}
	return {
		seen,
		problems,
		lost: [...sent].filter((id) => !seen.has(id)),
		duplicated: [...seen].filter(([, n]) => n > 1).map(([id]) => id),
		unexpected: [...seen.keys()].filter((id) => !sent.has(id)),
		firstStartedAt,
		lastStoppedAt,
	};
}

module.exports = {
	TRIGGER_NODE_TYPE,
	TRIGGER_NAME,
	NEXT_NODE_NAME,
	WEBHOOK_PATH,
	triggerWorkflow,
	createTriggerWorkflow,
	webhooksFor,
	registeredSecret,
	signedDelivery,
	deliveryRuns,
};
