// @ts-check
'use strict';
/**
 * The Circularo Trigger's trust boundary in a real n8n 2.41.1: which secret verifies
 * which delivery, what n8n keeps in the workflow, what the item is built from, replays, and the
 * upgrade from 0.1.0 at activation and at start. Queue mode has its own suite
 * (e2e/queue/registrations.test.js).
 *
 * Run: npm run build && node --test --test-concurrency=1 e2e/suites/trust-boundary.test.js
 */

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { waitFor, request } = require('../lib/http');
const { PublicApi } = require('../lib/api');
const { ensureN8n } = require('../lib/install');
const {
	CREDENTIAL_TYPE,
	startStack,
	createCircularoCredential,
} = require('../lib/circularo/stack');
const {
	TRIGGER_NAME,
	WEBHOOK_PATH,
	createTriggerWorkflow,
	triggerWorkflow,
	webhooksFor,
	registeredSecret,
	signedDelivery,
} = require('../lib/circularo/trigger');

const SETTLE_MS = 2000;
const STATIC_KEY = `node:${TRIGGER_NAME}`;

describe('Circularo Trigger trust boundary in real n8n', { timeout: 15 * 60_000 }, () => {
	/** @type {any} */ let stack;
	/** @type {any} */ let sim;
	/** @type {any} */ let n8n;
	/** @type {{ id: string, name: string }} */ let owner;
	/** @type {Awaited<ReturnType<typeof createTriggerWorkflow>>} */ let main;

	before(async () => {
		stack = await startStack();
		({ sim, n8n } = stack);
		owner = await createCircularoCredential(n8n, sim, { apiKey: sim.keys.teamAdmin });
		// Version 1.1, as new nodes get it: n8n reads no body for it unless the Content-Type is one it parses.
		main = await createTriggerWorkflow(n8n, { credential: owner, events: ['*'], typeVersion: 1.1 });
		await n8n.api.publish(main.id);
	});

	after(async () => {
		if (stack) await stack.stop();
	});

	const secretOf = (/** @type {string} */ url) => registeredSecret(sim, url);
	const executionsOf = (/** @type {string} */ id) =>
		n8n.api.listExecutions(id, { includeData: true });
	const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
	const itemsOf = async (/** @type {string} */ id) =>
		(await executionsOf(id)).map((/** @type {any} */ e) => ({
			mode: e.mode,
			json: PublicApi.nodeOutput(e, TRIGGER_NAME)[0]?.json,
		}));

	test('2. the workflow n8n returns holds a nonce and a fingerprint, never a secret', async () => {
		const stored = await n8n.api.getWorkflow(main.id);
		const registration = stored.staticData?.[STATIC_KEY];
		assert.deepEqual(Object.keys(registration || {}).sort(), [
			'fingerprint',
			'kind',
			'nonce',
			'webhookId',
		]);
		assert.equal(registration.kind, 'production');
		const text = JSON.stringify(stored);
		assert.ok(
			!text.includes(secretOf(main.productionUrl)),
			'the registered secret is not in the workflow',
		);
		assert.ok(!text.includes(sim.keys.teamAdmin), 'the API key is not in the workflow');
	});

	test('1. a draft with another credential, listening for a test event, cannot sign events for the published workflow', async () => {
		const productionBefore = webhooksFor(sim, main.productionUrl).map(
			(/** @type {any} */ w) => w.id,
		);
		const before = (await executionsOf(main.id)).length;
		// Someone who may edit the workflow saves a draft with their own credential (the published
		// version keeps the owner's) and listens for a test event.
		const editor = await createCircularoCredential(n8n, sim, {
			apiKey: sim.keys.teamAdmin,
			webhookSecret: 'known-to-the-editor',
		});
		const draft = await n8n.rest.get(`/rest/workflows/${main.id}`);
		const nodes = draft.nodes.map((/** @type {any} */ n) =>
			n.name === TRIGGER_NAME
				? { ...n, credentials: { [CREDENTIAL_TYPE]: { id: editor.id, name: editor.name } } }
				: n,
		);
		const saved = await n8n.rest.patch(`/rest/workflows/${main.id}`, {
			nodes,
			connections: draft.connections,
			versionId: draft.versionId,
		});
		assert.equal(
			saved.activeVersionId,
			draft.activeVersionId,
			'saving a draft does not publish it',
		);
		const listening = await n8n.api.listenForTestEvent(main.id, TRIGGER_NAME);
		assert.equal(listening.waitingForWebhook, true);

		const injected = signedDelivery(secretOf(main.testUrl), {
			event: 'documentDeleted',
			documentId: 'doc-sales-2',
			timestamp: new Date().toISOString(),
		});
		const answer = await request('POST', main.productionUrl, { ...injected, timeoutMs: 15_000 });
		assert.equal(
			answer.status,
			401,
			'a delivery signed for the test URL is refused at the production URL',
		);

		// Circularo's own deliveries to both URLs are accepted, each with its own secret.
		const deliveries = await sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-1' });
		assert.deepEqual(
			deliveries.map((/** @type {any} */ d) => d.status),
			[200, 200],
		);
		await waitFor(() => webhooksFor(sim, main.testUrl).length === 0, {
			timeoutMs: 30_000,
			what: 'the test webhook removed after the test event',
		});
		assert.deepEqual(
			webhooksFor(sim, main.productionUrl).map((/** @type {any} */ w) => w.id),
			productionBefore,
			'the published registration is untouched',
		);
		await n8n.api.waitForExecutions(main.id, before + 2, {
			timeoutMs: 60_000,
			settleMs: SETTLE_MS,
		});
		const items = (await itemsOf(main.id)).slice(0, (await executionsOf(main.id)).length - before);
		assert.deepEqual(items.map((/** @type {any} */ i) => `${i.mode} ${i.json?.event}`).sort(), [
			'manual documentCompleted',
			'webhook documentCompleted',
		]);
	});

	test('3. the item comes from the signed bytes, whatever the Content-Type says, and also without one', async () => {
		const before = (await executionsOf(main.id)).length;
		const secret = secretOf(main.productionUrl);
		// A genuine delivery whose text also reads as a form naming another event and document.
		const title = 'Offer&event=documentDeleted&documentId=someone-elses-document&x=';
		const asForm = signedDelivery(secret, {
			event: 'documentSigned',
			documentId: 'doc-sales-2',
			documentTitle: title,
			timestamp: new Date().toISOString(),
		});
		asForm.headers['content-type'] = 'application/x-www-form-urlencoded';
		const noType = signedDelivery(secret, {
			event: 'documentSigned',
			documentId: 'doc-sales-1',
			timestamp: new Date().toISOString(),
		});
		delete noType.headers['content-type'];
		for (const delivery of [asForm, noType]) {
			const answer = await request('POST', main.productionUrl, { ...delivery, timeoutMs: 15_000 });
			assert.equal(
				answer.status,
				200,
				`${delivery.headers['content-type'] ?? 'no Content-Type'}: answered ${answer.status}`,
			);
		}
		await n8n.api.waitForExecutions(main.id, before + 2, {
			timeoutMs: 60_000,
			settleMs: SETTLE_MS,
		});
		const fresh = (await itemsOf(main.id)).slice(0, 2).map((/** @type {any} */ i) => i.json);
		assert.deepEqual(fresh.map((/** @type {any} */ j) => `${j.event} ${j.documentId}`).sort(), [
			'documentSigned doc-sales-1',
			'documentSigned doc-sales-2',
		]);
		assert.equal(
			fresh.find((/** @type {any} */ j) => j.documentId === 'doc-sales-2').documentTitle,
			title,
		);
	});

	test('4. an exact repeat of a delivery is answered 200 and starts nothing', async () => {
		const before = (await executionsOf(main.id)).length;
		const deliveries = await sim.fire({
			event: 'signRequest',
			documentId: 'doc-sales-1',
			repeat: 3,
		});
		assert.deepEqual(
			deliveries.map((/** @type {any} */ d) => d.status),
			[200, 200, 200],
		);
		await settle();
		const after = await n8n.api.waitForExecutions(main.id, before + 1, {
			timeoutMs: 60_000,
			settleMs: SETTLE_MS,
		});
		assert.equal(after.length, before + 1);
	});

	test("upgrade from 0.1.0 at activation: a workflow imported with 0.1.0's static data is re-registered and loses the secret", async () => {
		const oldSecret = crypto.randomBytes(32).toString('hex');
		const { webhookId, workflow } = triggerWorkflow({ credential: owner, events: ['*'] });
		const url = n8n.webhookUrl(`${webhookId}/${WEBHOOK_PATH}`);
		const old = await registerAt(url, oldSecret);
		const imported = await n8n.api.createWorkflow({
			...workflow,
			staticData: { [STATIC_KEY]: { webhookId: old.id, webhookSecret: oldSecret } },
		});
		await n8n.api.publish(String(imported.id));
		await assertUpgraded(String(imported.id), url, old.id, oldSecret);
	});

	test('upgrade from 0.1.0 at start, and a rotated API key noticed at start: both re-registered by themselves', async () => {
		// A workflow published by 0.1.0: its static data and Circularo's webhook as 0.1.0 left them.
		const legacy = await createTriggerWorkflow(n8n, { credential: owner, events: ['*'] });
		await n8n.api.publish(legacy.id);
		// A workflow whose credential gets a new API key while it is published.
		const rotatedKey = await newApiKey();
		const rotatedCredential = await createCircularoCredential(n8n, sim, {
			apiKey: sim.keys.teamAdmin,
		});
		const rotated = await createTriggerWorkflow(n8n, {
			credential: rotatedCredential,
			events: ['*'],
		});
		await n8n.api.publish(rotated.id);
		const rotatedBefore = webhooksFor(sim, rotated.productionUrl)[0].id;
		await n8n.rest.patch(`/rest/credentials/${rotatedCredential.id}`, {
			id: rotatedCredential.id,
			name: rotatedCredential.name,
			type: CREDENTIAL_TYPE,
			data: { serverUrl: sim.baseUrl, apiKey: rotatedKey, webhookSecret: '' },
		});

		await n8n.stop();
		await deleteAt(webhooksFor(sim, legacy.productionUrl)[0].id);
		const oldSecret = crypto.randomBytes(32).toString('hex');
		const old = await registerAt(legacy.productionUrl, oldSecret);
		await setStaticData(n8n.userFolder, legacy.id, {
			[STATIC_KEY]: { webhookId: old.id, webhookSecret: oldSecret },
		});
		await n8n.restart();
		// n8n answers before it has activated every published workflow: wait for both.
		await waitFor(
			() =>
				webhooksFor(sim, legacy.productionUrl).some((/** @type {any} */ w) => w.id !== old.id) &&
				webhooksFor(sim, rotated.productionUrl).some(
					(/** @type {any} */ w) => w.id !== rotatedBefore,
				),
			{ timeoutMs: 60_000, what: 'both workflows activated after the restart' },
		);
		await waitFor(
			async () => !(await n8n.api.getWorkflow(legacy.id)).staticData?.[STATIC_KEY]?.webhookSecret,
			{ timeoutMs: 30_000, what: 'the static data saved after the activation' },
		);

		await assertUpgraded(legacy.id, legacy.productionUrl, old.id, oldSecret);
		const [reRegistered] = webhooksFor(sim, rotated.productionUrl);
		assert.notEqual(
			reRegistered.id,
			rotatedBefore,
			'the webhook of the rotated credential was registered again at start',
		);
		assert.match(
			n8n.readLog(),
			/credential of this trigger .* has changed since the webhook was registered; registering the webhook again/,
		);
		const before = (await executionsOf(rotated.id)).length;
		await sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-2' });
		await n8n.api.waitForExecutions(rotated.id, before + 1, { timeoutMs: 60_000 });
	});

	/** What "upgraded" means: no secret in static data, one new webhook, events arrive, the old secret is refused. */
	async function assertUpgraded(
		/** @type {string} */ workflowId,
		/** @type {string} */ url,
		/** @type {string} */ oldId,
		/** @type {string} */ oldSecret,
	) {
		const stored = await n8n.api.getWorkflow(workflowId);
		assert.ok(
			!JSON.stringify(stored).includes(oldSecret),
			'the old secret is gone from the workflow',
		);
		assert.equal(stored.staticData?.[STATIC_KEY]?.webhookSecret, undefined);
		const hooks = webhooksFor(sim, url);
		assert.equal(hooks.length, 1, 'exactly one webhook');
		assert.notEqual(hooks[0].id, oldId);
		assert.notEqual(hooks[0].hmacSecret, oldSecret);
		const before = (await executionsOf(workflowId)).length;
		const delivered = await sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-1' });
		assert.equal(delivered.find((/** @type {any} */ d) => d.url === url)?.status, 200);
		await n8n.api.waitForExecutions(workflowId, before + 1, { timeoutMs: 60_000 });
		const stale = signedDelivery(oldSecret, {
			event: 'documentCompleted',
			documentId: 'doc-sales-1',
		});
		assert.equal(
			(await request('POST', url, { ...stale, timeoutMs: 15_000 })).status,
			401,
			'the old secret verifies nothing',
		);
	}

	/** Registers a webhook as 0.1.0 did (its secret given as is). @param {string} url @param {string} secret */
	async function registerAt(url, secret) {
		const r = await request('POST', `${sim.apiUrl}/webhooks?token=${sim.keys.teamAdmin}`, {
			body: { type: 'team', callbackUrl: url, hmacSecret: secret },
		});
		assert.equal(r.status, 200);
		return r.json;
	}

	/** @param {string} id */
	async function deleteAt(id) {
		const r = await request('DELETE', `${sim.apiUrl}/webhooks/${id}?token=${sim.keys.teamAdmin}`);
		assert.equal(r.status, 200);
	}

	async function newApiKey() {
		const r = await request('POST', `${sim.apiUrl}/api/key?token=${sim.keys.teamAdmin}`, {
			body: {},
		});
		return /** @type {string} */ (r.json.id);
	}
});

/**
 * Writes a workflow's static data straight into the SQLite database of a stopped n8n (what an
 * older version of the node left there), with the sqlite3 module of the n8n install.
 * @param {string} userFolder @param {string} workflowId @param {object} staticData
 */
async function setStaticData(userFolder, workflowId, staticData) {
	const { dir, nodeBin } = await ensureN8n({});
	const script = `
    const sqlite3 = require(${JSON.stringify(path.join(dir, 'node_modules', 'sqlite3'))});
    const db = new sqlite3.Database(process.argv[1]);
    db.run('UPDATE workflow_entity SET staticData = ? WHERE id = ?', [process.argv[2], process.argv[3]], function (error) {
      if (error || this.changes !== 1) { console.error(error ? error.message : 'no such workflow'); process.exit(1); }
      db.close();
    });`;
	execFileSync(
		nodeBin,
		[
			'-e',
			script,
			path.join(userFolder, '.n8n', 'database.sqlite'),
			JSON.stringify(staticData),
			workflowId,
		],
		{ stdio: 'inherit' },
	);
}
