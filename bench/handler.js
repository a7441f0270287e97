// @ts-check
'use strict';
/**
 * Part 1: the Circularo Trigger's own work per delivery inside `webhook()` (verify the signature,
 * filter the event, map the body to the item) on the compiled node in dist/, against a bare
 * HMAC-SHA256 over the same bytes, in the same process, rounds interleaved.
 *
 * The context is a minimal fake of what n8n hands `webhook()`: the request with `rawBody` (a
 * Buffer of the bytes as received), `body` (already parsed by n8n) and headers; the credential;
 * the node parameters; the static data and the process's memory as activation leaves them. It does
 * what n8n's own accessors would do at the least cost, so the time measured is the node's.
 *
 *   node bench/handler.js [--quick] [--node <path of a compiled CircularoTrigger.node.js>]
 */

const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { signedDelivery } = require('../e2e/lib/circularo/trigger');
const { table, fmt } = require('../e2e/lib/report');
const { BENCH_SECRET, makeBody, median, runAsScript, sizeLabel, verdict } = require('./common');

const DIST_NODE = path.join(
	__dirname,
	'..',
	'dist',
	'nodes',
	'Circularo',
	'CircularoTrigger.node.js',
);

const BENCH_WORKFLOW_ID = 'bench-workflow';
const BENCH_NODE_ID = 'bench-node';

const SIZES = [1024, 10 * 1024, 100 * 1024, 1024 * 1024];
const TARGET_RATIO = 1.5; // from 10 KB up
const TARGET_FROM_BYTES = 10 * 1024;

/**
 * Every call must be a first delivery: the trigger drops an exact repeat (same registration, same
 * signature) before mapping it, and remembers the last 10,000 deliveries it verified. So the calls
 * cycle through BODIES bodies (no two alike) for each of REGISTRATIONS registrations (within the
 * 1,000 secrets a process remembers), more pairs than it remembers. The registrations share one
 * secret, so BODIES signatures sign them all. The bare HMAC cycles through the same bodies.
 */
const BODIES = 12;
const REGISTRATIONS = 900;

/**
 * What activation leaves behind for the build under test, so that webhook() takes the path a
 * published workflow takes (its registration's secret known to the process, no credential load):
 * from the build's own modules, a registration as newRegistration() makes it, its secret
 * remembered under each registration's key; for a build without them (23f9d3a), the credential's
 * secret registered under the workflow and node. Other shapes take whatever path their first
 * delivery leaves: the "credential loads/call" column shows which.
 * @param {string} nodePath @param {any} ctx a fake context (for the registration key)
 * @returns {{ secret: string, staticData: object[] }} the secret deliveries are signed with, and
 *   each registration's static data
 */
function activate(nodePath, ctx) {
	// The trigger's modules, or the webhook layer's where later builds moved them.
	const folders = ['trigger', 'webhooks'].map((folder) =>
		path.join(path.dirname(nodePath), folder),
	);
	const load = (/** @type {string} */ name) => {
		const folder = folders.find((dir) => fs.existsSync(path.join(dir, `${name}.js`)));
		return folder ? require(path.join(folder, name)) : {};
	};
	// secrets.js in builds before webhooks/signingSecrets.js
	const { newRegistration } = { ...load('secrets'), ...load('signingSecrets') };
	const { rememberSecret } = load('knownSecrets');
	// staticData.js; registrationData.js in builds before it was renamed
	const { registrationKey } = { ...load('registrationData'), ...load('staticData') };
	if (newRegistration && rememberSecret && registrationKey) {
		const { nonce, secret, fingerprint } = newRegistration(CREDENTIALS);
		const staticData = Array.from({ length: REGISTRATIONS }, (_, i) => {
			const webhookId = `bench-webhook-${i}`;
			rememberSecret(registrationKey(ctx, 'production', webhookId), secret);
			return { kind: 'production', webhookId, nonce, fingerprint };
		});
		return { secret, staticData };
	}
	const { rememberRegisteredSecret } = load('registeredSecrets');
	if (typeof rememberRegisteredSecret === 'function' && rememberRegisteredSecret.length === 4)
		rememberRegisteredSecret(
			BENCH_WORKFLOW_ID,
			BENCH_NODE_ID,
			'http://127.0.0.1:5678/webhook/bench/webhook',
			BENCH_SECRET,
		);
	return { secret: BENCH_SECRET, staticData: [{}] };
}

const CREDENTIALS = {
	serverUrl: 'http://127.0.0.1:9',
	apiKey: 'bench-key',
	webhookSecret: BENCH_SECRET,
};

/**
 * A fake IWebhookFunctions for a published workflow's deliveries, reused across calls (n8n builds
 * one per request; building it is n8n's work, not the node's). `use(i)` makes it call number i:
 * body i % BODIES to registration i / BODIES (see BODIES).
 * @param {string[]} events
 */
function fakeContext(events) {
	/** @type {{ rawBody: Buffer, body: unknown, headers: Record<string, string> }[]} */
	let requests = [];
	/** @type {object[]} */
	let registrations = [{}];
	let request = requests[0];
	let staticData = registrations[0];
	/** @type {Record<string, unknown>} */
	const parameters = { events, options: {}, scope: 'myTeam', teamName: '' };
	let rejected = 0;
	let credentialLoads = 0;
	const response = {
		status() {
			return response;
		},
		json() {
			rejected++;
			return response;
		},
		send() {
			rejected++;
			return response;
		},
		end() {
			return response;
		},
	};
	return {
		/** @param {{ rawBody: Buffer, signature: string }[]} bodies @param {object[]} staticData */
		setDeliveries(bodies, staticData) {
			requests = bodies.map(({ rawBody, signature }) => ({
				rawBody,
				body: JSON.parse(rawBody.toString('utf8')),
				headers: {
					'content-type': 'application/json',
					'content-length': String(rawBody.length),
					'x-circularo-signature': signature,
				},
			}));
			registrations = staticData;
		},
		/** @param {number} i */
		use(i) {
			request = requests[i % requests.length];
			staticData = registrations[Math.floor(i / requests.length) % registrations.length];
		},
		rejectedCount: () => rejected,
		credentialLoads: () => credentialLoads,
		getRequestObject: () => request,
		getResponseObject: () => response,
		getCredentials: async () => {
			credentialLoads++;
			return CREDENTIALS;
		},
		getMode: () => 'webhook',
		getWorkflowStaticData: () => staticData,
		getNodeParameter: (/** @type {string} */ name, /** @type {unknown} */ fallback) =>
			name in parameters ? parameters[name] : fallback,
		getNode: () => ({
			id: BENCH_NODE_ID,
			name: 'Circularo Trigger',
			type: 'n8n-nodes-circularo.circularoTrigger',
			typeVersion: 1,
			parameters,
		}),
		getWorkflow: () => ({ id: BENCH_WORKFLOW_ID, name: 'bench', active: true }),
		logger: { warn() {}, info() {}, debug() {}, error() {} },
		helpers: {
			prepareBinaryData: async () => {
				throw new Error('the benchmark downloads nothing');
			},
		},
	};
}

/**
 * @param {{ quick?: boolean, log?: (s: string) => void, nodePath?: string }} [o]
 * @returns {Promise<{ rows: { size: number, nodeNs: number, bareNs: number, ratio: number, ok: boolean | null, credentialLoadsPerCall: number }[], text: string, ok: boolean }>}
 */
async function runHandlerBench(o = {}) {
	const log = o.log || ((s) => process.stderr.write(`${s}\n`));
	const rounds = o.quick ? 7 : 15;
	const roundMs = o.quick ? 60 : 150;

	const nodePath = o.nodePath ? path.resolve(o.nodePath) : DIST_NODE;
	const { CircularoTrigger } = require(nodePath);
	const node = new CircularoTrigger();
	const ctx = fakeContext(['documentCompleted', 'documentSigned']);
	const { secret, staticData } = activate(nodePath, ctx);

	/** @type {{ size: number, nodeNs: number, bareNs: number, ratio: number, ok: boolean | null, credentialLoadsPerCall: number }[]} */
	const rows = [];
	for (const size of SIZES) {
		const bodies = Array.from({ length: BODIES }, (_, seq) => {
			const rawBody = makeBody(size, { event: 'documentSigned', seq });
			return {
				rawBody,
				signature: signedDelivery(secret, rawBody).headers['x-circularo-signature'],
			};
		});
		ctx.setDeliveries(bodies, staticData);

		// Correctness first: the delivery must pass and come out as one item of the right event.
		ctx.use(0);
		const first = await node.webhook.call(ctx);
		const item =
			first &&
			first.workflowData &&
			first.workflowData[0] &&
			first.workflowData[0][0] &&
			first.workflowData[0][0].json;
		if (
			!item ||
			item.event !== 'documentSigned' ||
			item.documentId !== 'doc-sales-1' ||
			ctx.rejectedCount() !== 0
		) {
			throw new Error(
				`handler bench: the node did not emit the expected item for a ${sizeLabel(size)} body`,
			);
		}

		let sink = 0;
		let items = 1;
		let nodeCalls = 1;
		let bareCalls = 0;
		/** @param {number} n */
		const runNode = async (n) => {
			for (let i = 0; i < n; i++) {
				ctx.use(nodeCalls++);
				const r = await node.webhook.call(ctx);
				if (r.workflowData) items++;
			}
		};
		/** @param {number} n */
		const runBare = async (n) => {
			for (let i = 0; i < n; i++) {
				const raw = bodies[bareCalls++ % BODIES].rawBody;
				const d = crypto.createHmac('sha256', secret).update(raw).digest();
				sink += d[0];
			}
		};

		// Warm-up (JIT), then calibrate the iteration count so one bare round takes about roundMs of CPU.
		// Enough calls for V8 to optimise both sides (a few hundred are not), bounded in time.
		const warmUntil = Date.now() + (o.quick ? 300 : 800);
		for (let i = 0; i < 1000 && (i < 10 || Date.now() < warmUntil); i++) {
			await runNode(50);
			await runBare(50);
		}
		let n = 16;
		for (let i = 0; i < 20; i++) {
			const c0 = process.cpuUsage();
			await runBare(n);
			const c = process.cpuUsage(c0);
			const ms = (c.user + c.system) / 1000;
			if (ms >= roundMs / 4) {
				n = Math.max(32, Math.round((n * roundMs) / ms));
				break;
			}
			n *= 4;
		}

		const callsBefore = nodeCalls;
		const loadsBefore = ctx.credentialLoads();
		/** @type {number[]} */ const nodeNs = [];
		/** @type {number[]} */ const bareNs = [];
		/** @type {number[]} */ const ratios = [];
		for (let r = 0; r < rounds + 1; r++) {
			// Alternate which goes first so drift from other load hits both alike.
			const order = r % 2 === 0 ? [runNode, runBare] : [runBare, runNode];
			/** @type {number[]} */ const t = [];
			for (const f of order) {
				// CPU time of this process (user + system, all its threads): other processes on the
				// machine that take the CPU away do not count against either side.
				const c0 = process.cpuUsage();
				await f(n);
				const c = process.cpuUsage(c0);
				t.push(((c.user + c.system) * 1000) / n);
			}
			if (r === 0) continue; // one more warm-up round
			const [a, b] = r % 2 === 0 ? [t[0], t[1]] : [t[1], t[0]];
			nodeNs.push(a);
			bareNs.push(b);
			ratios.push(a / b);
		}
		if (sink === 0) throw new Error('unreachable');
		if (items !== nodeCalls || ctx.rejectedCount() !== 0)
			throw new Error(
				`handler bench: ${nodeCalls - items} of ${nodeCalls} calls started nothing (taken for repeats, or refused)`,
			);
		const row = {
			size,
			// n8n's getCredentials() costs far more than this fake's (decryption, and an expression
			// isolate under n8n's default engine): a build that loads the credential per call is
			// measured here at less than its real cost, so the count is shown.
			credentialLoadsPerCall: (ctx.credentialLoads() - loadsBefore) / (nodeCalls - callsBefore),
			nodeNs: median(nodeNs),
			bareNs: median(bareNs),
			ratio: median(ratios),
			ok: size >= TARGET_FROM_BYTES ? median(ratios) <= TARGET_RATIO : null,
		};
		rows.push(row);
		log(
			`  handler ${sizeLabel(size)}: node ${fmt(row.nodeNs / 1000, 1)} us, bare HMAC ${fmt(row.bareNs / 1000, 1)} us, ratio ${fmt(row.ratio)} (${n} ops x ${rounds} rounds)`,
		);
	}

	const text = [
		`Part 1: handler cost per delivery (node's webhook() on dist/ vs bare HMAC-SHA256, same bytes, same process; CPU time of the process, median of ${rounds} interleaved rounds)`,
		table(
			[
				'body',
				'webhook() ns/op',
				'bare HMAC ns/op',
				'overhead ns/op',
				'ratio',
				`target <= ${TARGET_RATIO}x`,
				'credential loads/call',
			],
			rows.map((r) => [
				sizeLabel(r.size),
				Math.round(r.nodeNs),
				Math.round(r.bareNs),
				Math.round(r.nodeNs - r.bareNs),
				`${fmt(r.ratio)}x`,
				r.ok === null ? 'report only' : verdict(r.ok),
				fmt(r.credentialLoadsPerCall),
			]),
		),
	].join('\n');
	return { rows, text, ok: rows.every((r) => r.ok !== false) };
}

if (require.main === module) {
	const at = process.argv.indexOf('--node');
	runAsScript(() =>
		runHandlerBench({
			quick: process.argv.includes('--quick'),
			nodePath: at > 0 ? process.argv[at + 1] : undefined,
		}),
	);
}

module.exports = { runHandlerBench, fakeContext };
