// @ts-check
'use strict';
/**
 * The executions that wait at Send and Wait for Signature, for the bench's wait part (wait.js):
 * a pool of N waiting executions of the harness's `sendAndWaitWorkflow` (n8n's Webhook with a
 * document id -> Send and Wait for Signature -> "Not completed" / "Completed"), each on its own
 * document of the simulator's team Sales, grown by starting executions and shrunk by stopping them.
 *
 * Every registration of a wait is a team webhook, so every event of the team goes to every
 * waiting execution's resume URL: that fan-out is what the wait part measures.
 */

const crypto = require('node:crypto');
const { postConcurrent, request, waitFor } = require('../e2e/lib/http');
const { createCircularoCredential } = require('../e2e/lib/circularo/stack');
const { sendAndWaitWorkflow } = require('../e2e/lib/circularo/sendAndWait');

const SIGNER = 'signer@example.com';
/** Executions started at once when the pool grows. */
const START_CONCURRENCY = 2;

/**
 * The execution a wait's registration delivers to: its callback URL is the execution's resume URL,
 * `…/webhook-waiting/<executionId>/<nodeId>?…`.
 * @param {string} callbackUrl @returns {string | undefined}
 */
function executionOfCallback(callbackUrl) {
	const m = /\/webhook-waiting\/([^/]+)\/[^/?]+(?:\?|$)/.exec(callbackUrl);
	return m ? decodeURIComponent(m[1]) : undefined;
}

/**
 * A published waiting workflow and the executions waiting in it.
 * @param {{ n8n: any, sim: any, log: (s: string) => void }} o
 */
async function startWaitPool(o) {
	const { n8n, sim } = o;
	const credential = await createCircularoCredential(n8n, sim, { apiKey: sim.keys.teamAdmin });
	const webhookPath = `bench-wait-${crypto.randomBytes(4).toString('hex')}`;
	const created = await n8n.api.createWorkflow(
		sendAndWaitWorkflow({
			name: 'bench: Send and Wait for Signature',
			credential,
			webhookPath,
			signer: SIGNER,
		}),
	);
	const workflowId = String(created.id);
	await n8n.api.publish(workflowId);
	const url = n8n.webhookUrl(webhookPath);
	/** documentId -> { executionId, webhookId } of each waiting execution, oldest first. @type {Map<string, { executionId: string, webhookId: string }>} */
	const waiting = new Map();
	let made = 0;

	/** The simulator's registration delivering to a wait on `documentId`, if any. @param {string} documentId */
	const registrationOf = (documentId) =>
		sim
			.listWebhooks()
			.find(
				(/** @type {any} */ w) =>
					new URL(w.callbackUrl).searchParams.get('circularoDocumentId') === documentId,
			);

	/** Starts `count` executions, each on a new document, and returns once all of them wait. @param {number} count */
	async function grow(count) {
		if (count <= 0) return;
		const docs = Array.from(
			{ length: count },
			() => sim.createDocument({ title: `bench wait ${++made}`, team: 'Sales' }).documentId,
		);
		const sent = await postConcurrent(
			{
				count,
				make: (i) => ({
					url,
					body: Buffer.from(JSON.stringify({ documentId: docs[i] })),
					headers: { 'content-type': 'application/json' },
				}),
			},
			START_CONCURRENCY,
			{ timeoutMs: 120_000, totalTimeoutMs: 30 * 60_000 },
		);
		if ((sent.statuses['200'] || 0) !== count)
			throw new Error(`starting waits: answers ${JSON.stringify(sent.statuses)}`);
		const total = waiting.size + count;
		for (const documentId of docs) {
			const w = await sim.waitFor(() => registrationOf(documentId), {
				timeoutMs: 600_000,
				intervalMs: 100,
				what: `a wait's registration for ${documentId}`,
			});
			const executionId = executionOfCallback(w.callbackUrl);
			if (!executionId) throw new Error(`not a resume URL: ${w.callbackUrl}`);
			waiting.set(documentId, { executionId, webhookId: w.id });
		}
		// n8n answers a delivery 409 until the execution is saved as waiting: measure only after.
		await waitFor(async () => (await n8n.api.countExecutions(workflowId, ['waiting'])) === total, {
			timeoutMs: 600_000,
			intervalMs: 500,
			what: `${total} waiting executions`,
		});
		await sim.settled();
	}

	/**
	 * Stops the `count` newest waiting executions and removes their registrations (n8n runs no node
	 * code on stop; the operation would remove them at its next run, the bench does it at once so
	 * that they take no deliveries).
	 * @param {number} count
	 */
	async function shrink(count) {
		const victims = [...waiting.entries()].slice(-count);
		for (const [documentId, w] of victims) {
			await n8n.api.call('POST', `/executions/${w.executionId}/stop`, {});
			const r = await request(
				'DELETE',
				`${sim.apiUrl}/webhooks/${encodeURIComponent(w.webhookId)}?token=${encodeURIComponent(sim.keys.teamAdmin)}`,
			);
			if (r.status !== 200) throw new Error(`deleting ${w.webhookId}: ${r.status} ${r.text}`);
			waiting.delete(documentId);
		}
	}

	return {
		workflowId,
		waiting,
		registrationOf,
		/** Grows or shrinks the pool to `n` waiting executions. @param {number} n */
		async resize(n) {
			if (n > waiting.size) await grow(n - waiting.size);
			else if (n < waiting.size) await shrink(waiting.size - n);
		},
		/** A new team document no execution waits on (the events the CPU figure fires are about it). */
		otherDocument: () => sim.createDocument({ title: 'bench: not waited on', team: 'Sales' }),
	};
}

module.exports = { startWaitPool, executionOfCallback };
