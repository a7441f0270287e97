// @ts-check
'use strict';
/**
 * Sign Request > Send and Wait for Signature in a workflow: the workflow started by a Webhook
 * node, and Circularo's registrations that deliver to a waiting execution.
 */

const crypto = require('node:crypto');
const { webhookNode } = require('../workflows');
const { actionNode } = require('./action');

/** The node names of `sendAndWaitWorkflow`. */
const SEND_AND_WAIT_NODES = {
	wait: 'Send and wait for signature',
	notCompleted: 'Not completed',
	completed: 'Completed',
};

/**
 * A workflow JSON: n8n's Webhook node (POST `webhookPath`, body `{ documentId }`) -> Sign Request >
 * Send and Wait for Signature to `signer` -> a NoOp on each output ("Not completed" on output 0,
 * "Completed" on output 1). `options`: the operation's options; `tool: true` puts the tool
 * variant in its place (for the refusal).
 * @param {{ name: string, credential: { id: string, name: string }, webhookPath: string,
 *   signer: string, options?: Record<string, any> }} o
 */
function sendAndWaitWorkflow(o) {
	const webhook = webhookNode(o.webhookPath);
	const wait = actionNode({
		name: SEND_AND_WAIT_NODES.wait,
		credential: o.credential,
		position: [260, 0],
		parameters: {
			resource: 'signRequest',
			operation: 'sendAndWaitForSignature',
			documentId: '={{ $json.body.documentId }}',
			recipients: { recipient: [{ shareTo: o.signer }] },
			options: o.options || {},
		},
	});
	const noOp = (/** @type {string} */ name, /** @type {number} */ y) => ({
		id: crypto.randomUUID(),
		name,
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [520, y],
		parameters: {},
	});
	return {
		name: o.name,
		nodes: [
			webhook,
			wait,
			noOp(SEND_AND_WAIT_NODES.notCompleted, -100),
			noOp(SEND_AND_WAIT_NODES.completed, 100),
		],
		connections: {
			[webhook.name]: { main: [[{ node: wait.name, type: 'main', index: 0 }]] },
			[wait.name]: {
				main: [
					[{ node: SEND_AND_WAIT_NODES.notCompleted, type: 'main', index: 0 }],
					[{ node: SEND_AND_WAIT_NODES.completed, type: 'main', index: 0 }],
				],
			},
		},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * Circularo's registrations that deliver to execution `executionId`'s resume URL (any node).
 * @param {any} sim @param {string | number} executionId
 */
function waitRegistrationsOf(sim, executionId) {
	return sim
		.listWebhooks()
		.filter((/** @type {any} */ w) => w.callbackUrl.includes(`/webhook-waiting/${executionId}/`));
}

module.exports = {
	SEND_AND_WAIT_NODES,
	sendAndWaitWorkflow,
	waitRegistrationsOf,
};
