// @ts-check
'use strict';
/**
 * Part 4's side-by-side figure (issue #25): the CPU n8n spends on one delivery to a waiting
 * execution that is not for its document, against the same request answered by n8n's own Wait
 * node. In one n8n:
 *
 *   (a) an execution waiting at Send and Wait for Signature (from wait.js's pool); the request is
 *       a delivery signed with its registration's secret (as Circularo holds it) about another
 *       document of the team, so the node verifies it, finds it is not its document and keeps
 *       waiting (200);
 *   (b) an execution waiting at n8n's Wait node, "On Webhook Call" with Header Auth: the same
 *       bytes and headers POSTed to its resume URL, refused (403) because the header is not sent.
 *
 * Both are loaded by n8n from its database and run their node's webhook(); (b) is the floor any
 * waiting node pays. Rounds alternate the order (a b, b a, ...), each side sending `count`
 * requests one after the other; a side's figure is the CPU time of n8n and its task runner over
 * its requests divided by their number, and the ratio a/b is the median of the per-round ratios.
 * Goal: at most 1.1.
 */

const crypto = require('node:crypto');
const { request, waitFor } = require('../e2e/lib/http');
const { signedDelivery } = require('../e2e/lib/circularo/trigger');
const { startByWebhook, webhookNode } = require('../e2e/lib/workflows');
const { treeCpuSeconds } = require('../e2e/lib/proctree');
const { fmt, table } = require('../e2e/lib/report');
const { makeBody, median, verdict } = require('./common');

const GOAL = 1.1;
const WAIT_NODE = 'Wait for a webhook call';
/** The Header Auth header the Wait node expects; the requests never carry it. */
const WAIT_AUTH_HEADER = 'x-bench-wait-auth';
const DELIVERY_BYTES = 2048;

/**
 * Webhook -> n8n's Wait node ("On Webhook Call", POST, Header Auth) -> NoOp.
 * @param {string} webhookPath @param {{ id: string, name: string }} credential
 */
function refusingWaitWorkflow(webhookPath, credential) {
	const webhook = webhookNode(webhookPath);
	return {
		name: "bench: n8n's Wait node, On Webhook Call with Header Auth",
		nodes: [
			webhook,
			{
				id: crypto.randomUUID(),
				name: WAIT_NODE,
				type: 'n8n-nodes-base.wait',
				typeVersion: 1.1,
				position: [260, 0],
				webhookId: crypto.randomUUID(),
				parameters: {
					resume: 'webhook',
					httpMethod: 'POST',
					incomingAuthentication: 'headerAuth',
					options: {},
				},
				credentials: { httpHeaderAuth: { id: credential.id, name: credential.name } },
			},
			{
				id: crypto.randomUUID(),
				name: 'Resumed',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [520, 0],
				parameters: {},
			},
		],
		connections: {
			[webhook.name]: { main: [[{ node: WAIT_NODE, type: 'main', index: 0 }]] },
			[WAIT_NODE]: { main: [[{ node: 'Resumed', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * Starts one execution waiting at n8n's Wait node; resolves its id and resume URL.
 * @param {any} n8n
 */
async function startRefusingWait(n8n) {
	const credential = await n8n.api.createCredential({
		name: 'bench wait header auth',
		type: 'httpHeaderAuth',
		data: { name: WAIT_AUTH_HEADER, value: crypto.randomBytes(16).toString('hex') },
	});
	const webhookPath = `bench-wait-node-${crypto.randomBytes(4).toString('hex')}`;
	const stored = await n8n.api.createWorkflow(refusingWaitWorkflow(webhookPath, credential));
	const workflowId = String(stored.id);
	await n8n.api.publish(workflowId);
	const executionId = await startByWebhook(n8n.api, workflowId, n8n.webhookUrl(webhookPath), {
		bench: true,
	});
	const waiting = await n8n.api.waitForStatus(executionId, ['waiting']);
	const [run] = waiting.data.resultData.runData[WAIT_NODE] ?? [];
	const resumeUrl = run?.metadata?.resumeUrl;
	if (typeof resumeUrl !== 'string')
		throw new Error(`the Wait node's execution ${executionId} shows no resume URL`);
	return { executionId, resumeUrl };
}

/**
 * @param {{ n8n: any, sim: any, waitCallbackUrl: string, otherDocumentId: string, count?: number,
 *   rounds?: number, log: (s: string) => void }} o
 */
async function measureForeignDelivery(o) {
	const { n8n, sim } = o;
	const count = o.count ?? 100;
	const rounds = o.rounds ?? 4;
	const registration = sim
		.listWebhooks()
		.find((/** @type {any} */ w) => w.callbackUrl === o.waitCallbackUrl);
	if (!registration?.hmacSecret) throw new Error('the waiting execution has no registration');
	const refusing = await startRefusingWait(n8n);
	const cpu = () => treeCpuSeconds(n8n.pid);
	let seq = 0;
	/** @param {string} url @param {number} expected */
	async function side(url, expected) {
		const c0 = cpu();
		for (let i = 0; i < count; i++) {
			const { body, headers } = signedDelivery(
				registration.hmacSecret,
				makeBody(DELIVERY_BYTES, {
					event: 'documentCompleted',
					documentId: o.otherDocumentId,
					seq: ++seq,
				}),
			);
			const answer = await request('POST', url, { body, headers });
			if (answer.status !== expected)
				throw new Error(`POST ${url}: ${answer.status}, expected ${expected}: ${answer.text}`);
		}
		return ((cpu() - c0) * 1000) / count;
	}
	// A warm-up of each side.
	await side(o.waitCallbackUrl, 200);
	await side(refusing.resumeUrl, 403);
	/** @type {{ a: number, b: number }[]} */
	const perRound = [];
	for (let r = 0; r < rounds; r++) {
		const figures = { a: 0, b: 0 };
		if (r % 2 === 0) {
			figures.a = await side(o.waitCallbackUrl, 200);
			figures.b = await side(refusing.resumeUrl, 403);
		} else {
			figures.b = await side(refusing.resumeUrl, 403);
			figures.a = await side(o.waitCallbackUrl, 200);
		}
		perRound.push(figures);
		o.log(
			`  foreign delivery round ${r + 1}: Send and Wait ${fmt(figures.a, 2)} ms CPU per request, Wait node ${fmt(figures.b, 2)} ms`,
		);
	}
	await waitFor(
		async () =>
			(await n8n.api.getExecution(refusing.executionId, { includeData: false })).status ===
			'waiting',
		{ timeoutMs: 10_000, what: "the Wait node's execution still waiting" },
	);
	await n8n.api.call('POST', `/executions/${refusing.executionId}/stop`, {});
	const ratios = perRound.map((f) => f.a / f.b);
	const ratio = median(ratios);
	const text = [
		`Part 4, one delivery not for the waiting execution's document: n8n CPU per request, ${rounds} round(s) of ${count} requests per side (order alternating), ${DELIVERY_BYTES}-byte signed bodies, the same bytes and headers to both.`,
		table(
			['waiting at', 'answer', 'n8n CPU ms per request', 'a/b (lowest-highest round)', 'goal'],
			[
				[
					'(a) Send and Wait for Signature',
					'200, keeps waiting',
					fmt(median(perRound.map((f) => f.a)), 2),
					`${fmt(ratio, 2)} (${fmt(Math.min(...ratios), 2)} to ${fmt(Math.max(...ratios), 2)})`,
					`<= ${GOAL}: ${verdict(ratio <= GOAL)}`,
				],
				[
					"(b) n8n's Wait node, Header Auth",
					'403, refused',
					fmt(median(perRound.map((f) => f.b)), 2),
					'',
					'',
				],
			],
		),
	].join('\n');
	return { text, ok: ratio <= GOAL, ratio };
}

module.exports = { measureForeignDelivery, refusingWaitWorkflow };
