// @ts-check
'use strict';
/**
 * Circularo-specific fixtures on top of the n8n harness: the simulator + packed package + n8n
 * stack, the Circularo API credential, a Circularo Trigger workflow, signed deliveries, and
 * workflows around the Circularo action node (a manual chain, a PDF-making Code node, the node's
 * tool variant under n8n's Tool Executor).
 * Every e2e suite, the reliability and queue-mode suites, the bench and `npm start` use these.
 */

const crypto = require('node:crypto');
const { startSimulator, hmacHex } = require('../../simulator');
const { buildPdf } = require('../../simulator/pdf');
const { packPackage } = require('./package');
const { startN8n, setupOwner } = require('./n8n');
const { PublicApi } = require('./api');

const NODE_TYPE = 'n8n-nodes-circularo.circularoTrigger';
/** The action node, and the tool variant n8n derives from it (`usableAsTool`). */
const ACTION_NODE_TYPE = 'n8n-nodes-circularo.circularo';
const TOOL_NODE_TYPE = 'n8n-nodes-circularo.circularoTool';
/** n8n's hidden node that runs a connected tool without an AI Agent (the editor tests tools with it). */
const TOOL_EXECUTOR_TYPE = '@n8n/n8n-nodes-langchain.toolExecutor';
const MANUAL_TRIGGER_NAME = 'Manual Trigger';
const CREDENTIAL_TYPE = 'circularoApi';
const TRIGGER_NAME = 'Circularo Trigger';
const NEXT_NODE_NAME = 'After Trigger';
/** The webhook path the node declares (`webhooks[0].path`). */
const WEBHOOK_PATH = 'webhook';

/** @type {Promise<string> | undefined} */
let packed;
/** One `npm pack` per test process (the package does not change during a run). */
function packedPackage() {
	packed ??= packPackage();
	return packed;
}

/**
 * Starts the Circularo simulator and one n8n (role 'start') with the packed package installed,
 * owner and API key set up. `stop()` stops both. `packageTgz`: another build of the package
 * (default: this repo packed).
 * @param {{ n8n?: import('./n8n').StartOptions, simulator?: object, owner?: object, packageTgz?: string }} [o]
 */
async function startStack(o = {}) {
	const sim = await startSimulator({ port: 0, ...(o.simulator || {}) });
	try {
		const packageTgz = o.packageTgz || (await packedPackage());
		// CIRCULARO_E2E_N8N_VERSION runs the same suites against another pinned n8n (e.g. 1.123.81).
		const n8n = await startN8n({
			packageTgz,
			version: process.env.CIRCULARO_E2E_N8N_VERSION || undefined,
			...(o.n8n || {}),
		});
		await setupOwner(n8n, o.owner);
		return {
			sim,
			n8n,
			packageTgz,
			async stop() {
				await n8n.stop().catch(() => undefined);
				await sim.stop();
			},
		};
	} catch (error) {
		await sim.stop();
		throw error;
	}
}

/**
 * node:test hooks for a suite: before its tests, the stack (startStack) and a Circularo API
 * credential for the simulator's team admin, handed to `ready`; after them, the stack stops.
 * @param {(s: { sim: any, n8n: any, credential: { id: string, name: string } }) => void | Promise<void>} ready
 * @param {Parameters<typeof startStack>[0]} [o]
 */
function useStack(ready, o) {
	const { before, after } = require('node:test');
	/** @type {Awaited<ReturnType<typeof startStack>> | undefined} */
	let stack;
	before(async () => {
		stack = await startStack(o);
		const { sim, n8n } = stack;
		const credential = await createCircularoCredential(n8n, sim, { apiKey: sim.keys.teamAdmin });
		await ready({ sim, n8n, credential });
	});
	after(async () => {
		await stack?.stop();
	});
}

/**
 * Stores a Circularo API credential in n8n through the public API.
 * @param {any} n8n @param {any} sim
 * @param {{ apiKey?: string, webhookSecret?: string, name?: string, serverUrl?: string }} [o]
 * @returns {Promise<{ id: string, name: string }>}
 */
async function createCircularoCredential(n8n, sim, o = {}) {
	const name = o.name || `Circularo ${crypto.randomBytes(3).toString('hex')}`;
	/** @type {Record<string, string>} */
	const data = {
		serverUrl: o.serverUrl || sim.baseUrl,
		apiKey: o.apiKey || sim.keys.teamAdmin,
		webhookSecret: o.webhookSecret || '',
	};
	// n8n 1.x adds a domain restriction to every credential's schema whose `if` also matches when the
	// field is absent, so the public API then demands `allowedDomains`; naming the default avoids it.
	const schema = await n8n.api.credentialSchema(CREDENTIAL_TYPE);
	if (schema?.properties?.allowedHttpRequestDomains) data.allowedHttpRequestDomains = 'all';
	const created = await n8n.api.createCredential({ name, type: CREDENTIAL_TYPE, data });
	return { id: created.id, name: created.name };
}

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
					type: NODE_TYPE,
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
			'x-circularo-signature': hmacHex(secret, bytes),
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

/**
 * A Circularo action node (or, with `tool: true`, its tool variant) for a workflow JSON.
 * @param {{ name: string, parameters: Record<string, any>, credential: { id: string, name: string },
 *   tool?: boolean, typeVersion?: number, position?: [number, number] }} o
 */
function actionNode(o) {
	return {
		id: crypto.randomUUID(),
		name: o.name,
		type: o.tool ? TOOL_NODE_TYPE : ACTION_NODE_TYPE,
		typeVersion: o.typeVersion ?? 1,
		position: o.position || [0, 0],
		parameters: o.parameters,
		credentials: { [CREDENTIAL_TYPE]: { id: o.credential.id, name: o.credential.name } },
	};
}

/**
 * A Code node whose one item carries a one-page PDF (made by the simulator's PDF writer) in the
 * binary field `binaryPropertyName` (default `data`), as a Read File or Form node would.
 * @param {{ name?: string, title: string, fileName?: string, binaryPropertyName?: string }} o
 */
function pdfCodeNode(o) {
	const fileName = o.fileName || `${o.title}.pdf`;
	const base64 = contractPdf(o.title).toString('base64');
	const binary = {
		[o.binaryPropertyName || 'data']: { data: base64, mimeType: 'application/pdf', fileName },
	};
	return {
		id: crypto.randomUUID(),
		name: o.name || 'Make a PDF',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: /** @type {[number, number]} */ ([0, 0]),
		parameters: { jsCode: `return [${JSON.stringify({ json: { fileName }, binary })}];` },
	};
}

/** The bytes of the PDF `pdfCodeNode` makes for `title` (the same every time). @param {string} title */
function contractPdf(title) {
	return buildPdf({ title, lines: ['A contract for the end-to-end tests.'] });
}

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
 * POSTs `body` (JSON) to a published workflow's Webhook node at `url` and resolves the id of the
 * execution that started (the one of workflow `workflowId` that was not there before).
 * @param {any} api main's PublicApi @param {string} workflowId @param {string} url @param {object} body
 * @returns {Promise<string>}
 */
async function startByWebhook(api, workflowId, url, body) {
	const { request, waitFor } = require('./http');
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

/**
 * Circularo's registrations that deliver to execution `executionId`'s resume URL (any node).
 * @param {any} sim @param {string | number} executionId
 */
function waitRegistrationsOf(sim, executionId) {
	return sim
		.listWebhooks()
		.filter((/** @type {any} */ w) => w.callbackUrl.includes(`/webhook-waiting/${executionId}/`));
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
 * A workflow JSON: Manual Trigger -> Tool Executor, with `tool` (a tool node, e.g.
 * `actionNode({ tool: true, ... })` with `$fromAI()` parameters) on the executor's ai_tool input.
 * `query` holds the tool's arguments (`{ <$fromAI key>: value }`), as a model would send them.
 * n8n 2 reads the executor's `query` keyed by tool name, `{ "<tool name>": { ...arguments } }`,
 * where the tool name is the node name with every run of characters outside [A-Za-z0-9_-]
 * replaced by `_` (n8n-workflow's nodeNameToToolName); n8n 1 reads the arguments themselves.
 * The executor outputs one item per tool call whose `json` is the tool's answer: the JSON text
 * of the tool node's output items' `json`.
 * @param {{ name: string, tool: any, query: Record<string, any>, major: number }} o `major`: n8n's major version
 */
function toolExecutorWorkflow(o) {
	const trigger = manualTriggerNode();
	const query = o.major >= 2 ? { [toolName(o.tool.name)]: o.query } : o.query;
	const executor = {
		id: crypto.randomUUID(),
		name: 'Tool Executor',
		type: TOOL_EXECUTOR_TYPE,
		typeVersion: 1,
		position: [260, 0],
		parameters: { query: JSON.stringify(query), toolName: '' },
	};
	return {
		name: o.name,
		nodes: [trigger, executor, { ...o.tool, position: [260, 220] }],
		connections: {
			[trigger.name]: { main: [[{ node: executor.name, type: 'main', index: 0 }]] },
			[o.tool.name]: { ai_tool: [[{ node: executor.name, type: 'ai_tool', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** The tool name n8n gives a tool node (n8n-workflow's nodeNameToToolName). @param {string} nodeName */
function toolName(nodeName) {
	return nodeName.replace(/[^a-zA-Z0-9_-]+/g, '_');
}

module.exports = {
	NODE_TYPE,
	ACTION_NODE_TYPE,
	TOOL_NODE_TYPE,
	TOOL_EXECUTOR_TYPE,
	MANUAL_TRIGGER_NAME,
	CREDENTIAL_TYPE,
	TRIGGER_NAME,
	NEXT_NODE_NAME,
	WEBHOOK_PATH,
	packedPackage,
	startStack,
	useStack,
	createCircularoCredential,
	triggerWorkflow,
	createTriggerWorkflow,
	webhooksFor,
	registeredSecret,
	signedDelivery,
	deliveryRuns,
	webhookNode,
	actionNode,
	pdfCodeNode,
	contractPdf,
	manualWorkflow,
	toolExecutorWorkflow,
	toolName,
	SEND_AND_WAIT_NODES,
	sendAndWaitWorkflow,
	startByWebhook,
	waitRegistrationsOf,
};
