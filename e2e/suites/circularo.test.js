// @ts-check
'use strict';
/**
 * The Circularo Trigger in a real n8n 2.41.1, installed the way users get it, against the
 * Circularo simulator over real HTTP. Everything is judged through n8n's public API and the
 * simulator's state.
 *
 * Run: npm run e2e   (or: npm run build && node --test e2e/suites/circularo.test.js)
 */

const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const { EVENTS } = require('../../simulator');
const { waitFor, request } = require('../lib/http');
const { PublicApi } = require('../lib/api');
const { CREDENTIAL_TYPE, useStack, createCircularoCredential } = require('../lib/circularo/stack');
const {
	TRIGGER_NODE_TYPE,
	TRIGGER_NAME,
	NEXT_NODE_NAME,
	createTriggerWorkflow,
	webhooksFor,
} = require('../lib/circularo/trigger');

const SELECTED = ['documentCompleted', 'documentSigned'];
const SETTLE_MS = 2000;

describe('Circularo Trigger in real n8n', { timeout: 20 * 60_000 }, () => {
	/** @type {any} */ let sim;
	/** @type {any} */ let n8n;
	/** @type {{ id: string, name: string }} */ let credential;
	/** @type {Awaited<ReturnType<typeof createTriggerWorkflow>>} */ let main;

	useStack((s) => {
		({ sim, n8n, credential } = s);
	});

	const executionsOf = (/** @type {string} */ id) => n8n.api.listExecutions(id);

	/** Waits until `id` has `n` finished executions, then a little longer, and returns them all. */
	const settledExecutions = (/** @type {string} */ id, /** @type {number} */ n) =>
		n8n.api.waitForExecutions(id, n, { timeoutMs: 60_000, settleMs: SETTLE_MS });

	test('1. the node and credential types are loaded, and the credential test accepts any valid key and names the problem with a wrong one', async () => {
		const nodes = await n8n.api.nodeTypes();
		assert.ok(
			nodes.some((/** @type {any} */ n) => n.name === TRIGGER_NODE_TYPE),
			`${TRIGGER_NODE_TYPE} is loaded`,
		);
		const credentials = await n8n.api.credentialTypes();
		assert.ok(credentials.some((/** @type {any} */ c) => c.name === CREDENTIAL_TYPE));

		// Tested as saved credentials (n8n 1.x tests no other way).
		const check = async (/** @type {string} */ apiKey) => {
			const stored = await createCircularoCredential(n8n, sim, {
				apiKey,
				serverUrl: `${sim.baseUrl}/api/v1/`,
			});
			return n8n.api.testCredential(stored.id);
		};
		const admin = await check(sim.keys.teamAdmin);
		assert.equal(admin.status, 'OK', JSON.stringify(admin));
		// A plain user's key serves the Circularo node; the trigger's role is checked when it is published.
		const plain = await check(sim.keys.plainUser);
		assert.equal(plain.status, 'OK', JSON.stringify(plain));
		const wrong = await check('not-a-key');
		assert.equal(wrong.status, 'Error');
		assert.match(
			String(wrong.message),
			/401|Unauthori[sz]ed|Authorization failed|token|key/i,
			`message: ${wrong.message}`,
		);
		assert.doesNotMatch(JSON.stringify([plain, wrong]), new RegExp(sim.keys.plainUser));
	});

	test('2. publishing registers exactly one webhook, with a secret, for the production URL', async () => {
		main = await createTriggerWorkflow(n8n, {
			credential,
			events: SELECTED,
			options: { downloadSignedDocument: true },
		});
		await n8n.api.publish(main.id);
		const registered = webhooksFor(sim, main.productionUrl);
		assert.equal(registered.length, 1);
		assert.match(registered[0].hmacSecret, /^[0-9a-f]{64}$/);
		assert.equal(registered[0].type, 'team');
		assert.equal(sim.listWebhooks().length, 1);
	});

	test('3. of all 11 events exactly the 2 selected run the workflow, with typed items and the signed PDF', async () => {
		// documentDeleted last: the simulator deletes the document, and the selected events download it.
		const inOrder = [
			...EVENTS.filter((/** @type {string} */ e) => e !== 'documentDeleted'),
			'documentDeleted',
		];
		for (const event of inOrder) {
			const deliveries = await sim.fire({ event, documentId: 'doc-sales-1' });
			assert.equal(deliveries.length, 1);
			assert.equal(deliveries[0].status, 200, `${event} answered ${deliveries[0].status}`);
		}
		const executions = await settledExecutions(main.id, 2);
		assert.equal(executions.length, 2);
		const seen = new Set();
		for (const summary of executions) {
			const execution = await n8n.api.getExecution(summary.id);
			assert.equal(execution.status, 'success');
			const [item] = PublicApi.nodeOutput(execution, TRIGGER_NAME);
			assert.ok(SELECTED.includes(item.json.event), item.json.event);
			seen.add(item.json.event);
			assert.equal(item.json.documentId, 'doc-sales-1');
			assert.equal(typeof item.json.documentTitle, 'string');
			assert.match(item.json.occurredAt, /^\d{4}-\d\d-\d\dT/);
			assert.match(item.json.receivedAt, /^\d{4}-\d\d-\d\dT/);
			assert.equal(item.json.payload.event, item.json.event);
			assert.equal(item.json.downloadError, undefined);
			assert.equal(item.binary.data.mimeType, 'application/pdf');
			assert.match(item.binary.data.fileName, /\.pdf$/);
			const pdf = await n8n.api.binaryBytes(item.binary.data);
			assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
			assert.match(pdf.subarray(-16).toString(), /%%EOF/);
			assert.equal(
				PublicApi.nodeOutput(execution, NEXT_NODE_NAME).length,
				1,
				'the next node ran on the item',
			);
		}
		assert.deepEqual([...seen].sort(), [...SELECTED].sort());
	});

	test('4. forged, unsigned and wrong-secret deliveries get 401 and start nothing', async () => {
		const before = (await executionsOf(main.id)).length;
		for (const signature of ['missing', 'wrong', 'otherSecret', 'stale']) {
			const [delivery] = await sim.fire({
				event: 'documentCompleted',
				documentId: 'doc-sales-1',
				signature,
			});
			assert.equal(delivery.status, 401, `${signature} signature answered ${delivery.status}`);
		}
		const forged = await request('POST', main.productionUrl, {
			body: { event: 'documentCompleted', documentId: 'x' },
			timeoutMs: 15_000,
		});
		assert.equal(forged.status, 401);
		await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
		assert.equal((await executionsOf(main.id)).length, before);
	});

	test('5. restarting n8n, even after SIGKILL, leaves exactly one webhook and deliveries still work', async () => {
		const [original] = webhooksFor(sim, main.productionUrl);
		await n8n.restart();
		assert.deepEqual(
			webhooksFor(sim, main.productionUrl).map((/** @type {any} */ w) => w.id),
			[original.id],
		);
		await n8n.restart({ kill: true });
		assert.deepEqual(
			webhooksFor(sim, main.productionUrl).map((/** @type {any} */ w) => w.id),
			[original.id],
		);
		assert.equal(sim.listWebhooks().length, 1);

		const before = (await executionsOf(main.id)).length;
		const [delivery] = await sim.fire({ event: 'documentSigned', documentId: 'doc-sales-2' });
		assert.equal(delivery.status, 200);
		await settledExecutions(main.id, before + 1);
	});

	test('6. unpublishing leaves no webhook, also after five publish/unpublish cycles', async () => {
		await n8n.api.unpublish(main.id);
		assert.equal(webhooksFor(sim, main.productionUrl).length, 0);
		for (let cycle = 0; cycle < 5; cycle++) {
			await n8n.api.publish(main.id);
			assert.equal(
				webhooksFor(sim, main.productionUrl).length,
				1,
				`cycle ${cycle}: one webhook while published`,
			);
			await n8n.api.unpublish(main.id);
			assert.equal(
				webhooksFor(sim, main.productionUrl).length,
				0,
				`cycle ${cycle}: none after unpublishing`,
			);
		}
		assert.equal(sim.listWebhooks().length, 0);
		const gone = await request('POST', main.productionUrl, { body: {}, timeoutMs: 15_000 });
		assert.equal(gone.status, 404);
	});

	test('7. "Listen for test event" registers the test URL and removes it afterwards', async () => {
		const started = await n8n.api.listenForTestEvent(main.id, TRIGGER_NAME);
		assert.equal(started.waitingForWebhook, true, JSON.stringify(started));
		assert.equal(webhooksFor(sim, main.testUrl).length, 1);
		assert.equal(webhooksFor(sim, main.productionUrl).length, 0);

		// doc-sales-2: test 1 deleted doc-sales-1, and a completion Circularo cannot confirm (a deleted
		// document) starts nothing (docs/security.md).
		const [delivery] = await sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-2' });
		assert.equal(delivery.status, 200);
		assert.equal(delivery.url, main.testUrl);
		await waitFor(() => webhooksFor(sim, main.testUrl).length === 0, {
			timeoutMs: 30_000,
			what: 'test webhook removed after the test event',
		});

		// Stopping without an event removes it too.
		await n8n.api.listenForTestEvent(main.id, TRIGGER_NAME);
		assert.equal(webhooksFor(sim, main.testUrl).length, 1);
		await n8n.api.stopListening(main.id);
		await waitFor(() => webhooksFor(sim, main.testUrl).length === 0, {
			timeoutMs: 30_000,
			what: 'test webhook removed after stop listening',
		});
		assert.equal(sim.listWebhooks().length, 0);
	});

	test('8. tenant scope works with a global admin key and is refused, with the fix, for a team admin', async () => {
		const globalAdmin = await createCircularoCredential(n8n, sim, { apiKey: sim.keys.globalAdmin });
		const tenantWide = await createTriggerWorkflow(n8n, {
			credential: globalAdmin,
			scope: 'tenant',
			events: ['*'],
		});
		await n8n.api.publish(tenantWide.id);
		const [registered] = webhooksFor(sim, tenantWide.productionUrl);
		assert.equal(registered.type, 'tenant');
		await n8n.api.unpublish(tenantWide.id);

		const refused = await createTriggerWorkflow(n8n, {
			credential,
			scope: 'tenant',
			events: ['*'],
		});
		const refusal = await n8n.api.publish(refused.id).then(
			() => undefined,
			(/** @type {any} */ error) => error,
		);
		assert.ok(refusal, 'publishing must fail');
		assert.ok(refusal.status >= 400, `publish answered ${refusal.status}`);
		assert.match(String(refusal.message), /global admin/i);
		assert.doesNotMatch(String(refusal.message), new RegExp(sim.keys.teamAdmin));
		assert.equal(webhooksFor(sim, refused.productionUrl).length, 0);
		assert.equal(sim.listWebhooks().length, 0);
	});

	test('9. editing the signing secret in the credential while published loses no delivery; re-publishing registers a secret derived from the new one', async () => {
		const data = {
			serverUrl: sim.baseUrl,
			apiKey: sim.keys.teamAdmin,
			webhookSecret: 'secret-when-published',
		};
		const withSecret = await createCircularoCredential(n8n, sim, data);
		const wf = await createTriggerWorkflow(n8n, { credential: withSecret, events: ['*'] });
		await n8n.api.publish(wf.id);
		const [registered] = webhooksFor(sim, wf.productionUrl);
		// Each registration signs with its own secret derived from the credential's, never that secret itself.
		assert.match(registered.hmacSecret, /^[0-9a-f]{64}$/);
		assert.notEqual(registered.hmacSecret, 'secret-when-published');

		// n8n does not re-register webhooks when a credential changes: Circularo keeps signing with the
		// registered secret, and the node must keep accepting those deliveries.
		await n8n.rest.patch(`/rest/credentials/${withSecret.id}`, {
			id: withSecret.id,
			name: withSecret.name,
			type: CREDENTIAL_TYPE,
			data: { ...data, webhookSecret: 'secret-edited-later' },
		});
		const [delivery] = await sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-2' });
		assert.equal(
			delivery.status,
			200,
			`answered ${delivery.status} after the credential's secret was edited`,
		);
		await settledExecutions(wf.id, 1);

		await n8n.api.unpublish(wf.id);
		await n8n.api.publish(wf.id);
		const [again] = webhooksFor(sim, wf.productionUrl);
		assert.notEqual(again.hmacSecret, registered.hmacSecret);
		const [next] = await sim.fire({ event: 'documentSigned', documentId: 'doc-sales-1' });
		assert.equal(next.status, 200);
		await settledExecutions(wf.id, 2);
		await n8n.api.unpublish(wf.id);
	});
});
