// @ts-check
'use strict';

/**
 * The Circularo Polling Trigger in e2e runs: its workflow (Circularo Polling Trigger -> NoOp),
 * documents sent for signing through the simulator's own API, and what the trigger's executions
 * reported. For the polling suites, `npm start` and the queue-mode fixture.
 */

const crypto = require('node:crypto');
const { CREDENTIAL_TYPE } = require('./stack');

const POLLING_NODE_TYPE = 'n8n-nodes-circularo.circularoPollingTrigger';
const POLLING_TRIGGER_NAME = 'Circularo Polling Trigger';
const AFTER_POLL_NAME = 'After Poll';

/**
 * A workflow JSON: Circularo Polling Trigger (every minute unless told) -> a NoOp node.
 * @param {{ credential: { id: string, name: string }, events?: string[], options?: Record<string, unknown>,
 *   name?: string, pollTimes?: Record<string, unknown> }} o
 */
function pollingWorkflow(o) {
	return {
		name: o.name || `Circularo polling e2e ${crypto.randomBytes(3).toString('hex')}`,
		nodes: [
			{
				id: crypto.randomUUID(),
				name: POLLING_TRIGGER_NAME,
				type: POLLING_NODE_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					pollTimes: o.pollTimes || { item: [{ mode: 'everyMinute' }] },
					events: o.events || ['*'],
					options: o.options || {},
				},
				credentials: { [CREDENTIAL_TYPE]: { id: o.credential.id, name: o.credential.name } },
			},
			{
				id: crypto.randomUUID(),
				name: AFTER_POLL_NAME,
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [260, 0],
				parameters: {},
			},
		],
		connections: {
			[POLLING_TRIGGER_NAME]: { main: [[{ node: AFTER_POLL_NAME, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * A new document of team Sales, sent for signing through the simulator's API (one sign request to
 * `signers`); resolves its id once the simulator has sent the events it caused.
 * @param {any} sim @param {string} title @param {string[]} [signers]
 */
async function sendForSigning(sim, title, signers = ['signer@example.com']) {
	const document = sim.createDocument({ title, team: 'Sales', shareStateName: null });
	const answer = await fetch(
		`${sim.apiUrl}/share?token=${encodeURIComponent(sim.keys.teamAdmin)}`,
		{
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				id: document.documentId,
				type: 'd_default',
				objectType: 'document',
				sequential: false,
				data: signers.map((shareTo) => ({ sharePurpose: 'sign', shareTo })),
			}),
		},
	);
	if (answer.status !== 200) throw new Error(`share: ${answer.status} ${await answer.text()}`);
	await sim.settled();
	return /** @type {string} */ (document.documentId);
}

/**
 * Deletes a document (to the trash) through the simulator's API, as its owner's team admin would.
 * @param {any} sim @param {string} documentId
 */
async function deleteDocument(sim, documentId) {
	const answer = await fetch(
		`${sim.apiUrl}/documents?hardDelete=false&token=${encodeURIComponent(sim.keys.teamAdmin)}`,
		{
			method: 'DELETE',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ documents: [{ id: documentId }] }),
		},
	);
	if (answer.status !== 200) throw new Error(`delete: ${answer.status} ${await answer.text()}`);
	await sim.settled();
}

/**
 * `event documentId` of every item the trigger emitted in these executions (with their data).
 * @param {any[]} executions
 */
function reportedEvents(executions) {
	return executions.flatMap((execution) =>
		(execution?.data?.resultData?.runData?.[POLLING_TRIGGER_NAME]?.[0]?.data?.main?.[0] ?? []).map(
			(/** @type {any} */ item) => `${item.json.event} ${item.json.documentId}`,
		),
	);
}

/** When the simulator last answered a search (a poll's first request), as epoch ms. @param {any} sim */
function lastSearchAt(sim) {
	const searches = sim.requests.filter((/** @type {any} */ r) => r.path === '/api/v1/search');
	return searches.length ? Date.parse(searches[searches.length - 1].at) : 0;
}

module.exports = {
	POLLING_NODE_TYPE,
	POLLING_TRIGGER_NAME,
	AFTER_POLL_NAME,
	pollingWorkflow,
	sendForSigning,
	deleteDocument,
	reportedEvents,
	lastSearchAt,
};
