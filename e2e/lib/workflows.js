// @ts-check
'use strict';
/**
 * Workflow builders with n8n's own nodes only (nothing of Circularo): a Manual Trigger chain,
 * the Webhook node, the Read File node, and starting a published workflow through its Webhook node.
 */

const crypto = require('node:crypto');
const { request, waitFor } = require('./http');

const MANUAL_TRIGGER_NAME = 'Manual Trigger';

/** n8n's Manual Trigger node, first in a workflow. */
function manualTriggerNode() {
	return {
		id: crypto.randomUUID(),
		name: MANUAL_TRIGGER_NAME,
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
}

/**
 * A workflow JSON: Manual Trigger -> nodes[0] -> nodes[1] -> ... (positions laid out left to right).
 * Run it with `n8n.api.runManually(id, MANUAL_TRIGGER_NAME)`.
 * @param {{ name: string, nodes: any[] }} o
 */
function manualWorkflow(o) {
	const trigger = manualTriggerNode();
	const chain = [trigger, ...o.nodes.map((n, i) => ({ ...n, position: [260 * (i + 1), 0] }))];
	/** @type {Record<string, any>} */
	const connections = {};
	for (let i = 0; i + 1 < chain.length; i++)
		connections[chain[i].name] = { main: [[{ node: chain[i + 1].name, type: 'main', index: 0 }]] };
	return { name: o.name, nodes: chain, connections, settings: { executionOrder: 'v1' } };
}

/**
 * n8n's own Webhook node (POST, answers on receipt), first in a workflow: the built-in baseline.
 * @param {string} webhookPath
 */
function webhookNode(webhookPath) {
	return {
		id: crypto.randomUUID(),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: crypto.randomUUID(),
		parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
	};
}

/**
 * n8n's Read/Write Files from Disk node reading `filePath` into the binary field `data` (n8n
 * must be allowed the folder: N8N_RESTRICT_FILE_ACCESS_TO).
 * @param {{ name?: string, filePath: string }} o
 */
function readFileNode(o) {
	return {
		id: crypto.randomUUID(),
		name: o.name || 'Read the file',
		type: 'n8n-nodes-base.readWriteFile',
		typeVersion: 1.1,
		position: /** @type {[number, number]} */ ([0, 0]),
		parameters: { fileSelector: o.filePath, options: {} },
	};
}

/**
 * POSTs `body` (JSON) to a published workflow's Webhook node at `url` and resolves the id of the
 * execution that started (the one of workflow `workflowId` that was not there before).
 * @param {any} api main's PublicApi @param {string} workflowId @param {string} url @param {object} body
 * @returns {Promise<string>}
 */
async function startByWebhook(api, workflowId, url, body) {
	const listIds = async () =>
		(await api.listExecutions(workflowId)).map((/** @type {any} */ e) => String(e.id));
	const before = new Set(await listIds());
	const answer = await request('POST', url, {
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	if (answer.status !== 200) throw new Error(`POST ${url}: ${answer.status} ${answer.text}`);
	return waitFor(
		async () => (await listIds()).find((/** @type {string} */ id) => !before.has(id)),
		{
			timeoutMs: 30_000,
			intervalMs: 200,
			what: `an execution of workflow ${workflowId}`,
		},
	);
}

module.exports = {
	MANUAL_TRIGGER_NAME,
	manualTriggerNode,
	manualWorkflow,
	webhookNode,
	readFileNode,
	startByWebhook,
};
