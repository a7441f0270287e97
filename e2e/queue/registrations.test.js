// @ts-check
'use strict';
/**
 * The Circularo Trigger's registrations across n8n processes in queue mode: main
 * registers, the webhook process verifies. With n8n's defaults, so publishing goes through n8n
 * 2.41's workflow publication service (asynchronous) and the webhook process loads the published
 * workflow through its published-data service.
 *
 * Shown here: after its first verified delivery the webhook process loads no credential for that
 * registration (an edited credential does not change its answers), a webhook process that cannot
 * derive the registered secret says what to do, and after a re-publish the webhook process reads
 * the new registration and refuses the old secret.
 *
 * Run: npm run build && node --test --test-concurrency=1 e2e/queue/registrations.test.js
 */

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { request, waitFor } = require('../lib/http');
const { startQueueStack } = require('./fixture');
const { CREDENTIAL_TYPE, createCircularoCredential } = require('../lib/circularo/stack');
const { TRIGGER_NAME, createTriggerWorkflow, webhooksFor } = require('../lib/circularo/trigger');

const STATIC_KEY = `node:${TRIGGER_NAME}`;

describe(
	'Circularo Trigger registrations in queue mode (main + webhook process + worker)',
	{ timeout: 15 * 60_000 },
	() => {
		/** @type {any} */ let sim;
		/** @type {Awaited<ReturnType<typeof startQueueStack>>} */ let stack;
		/** @type {{ id: string, name: string }} */ let credential;
		/** @type {Awaited<ReturnType<typeof createTriggerWorkflow>>} */ let wf;
		/** @type {string} */ let callbackUrl;
		/** The first delivery Circularo sent, kept to be sent again later. @type {any} */ let firstDelivery;
		const credentialData = (/** @type {string} */ webhookSecret) => ({
			serverUrl: sim.baseUrl,
			apiKey: sim.keys.teamAdmin,
			webhookSecret,
		});

		const set = () => stack.set;
		const api = () => stack.api();

		before(async () => {
			// n8n's default: publishing through the workflow publication service (the harness turns it off elsewhere).
			stack = await startQueueStack({ env: { N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'true' } });
			sim = stack.sim;
			credential = await createCircularoCredential(
				stack.set.main,
				sim,
				credentialData('secret-when-published'),
			);
		});

		after(async () => {
			await stack?.stop();
		});

		/** The webhook Circularo holds for the workflow once n8n has published it (and saved its static data). */
		async function publishedRegistration(/** @type {string | undefined} */ notId) {
			const hook = await waitFor(
				() => webhooksFor(sim, callbackUrl).find((/** @type {any} */ w) => w.id !== notId),
				{ timeoutMs: 60_000, what: 'the webhook registered' },
			);
			await waitFor(
				async () =>
					(await api().getWorkflow(wf.id)).staticData?.[STATIC_KEY]?.webhookId === hook.id,
				{ timeoutMs: 30_000, what: 'the registration saved' },
			);
			return hook;
		}

		const deliver = async (/** @type {string} */ documentId) => {
			const delivered = await sim.fire({ event: 'documentCompleted', documentId });
			assert.equal(delivered.length, 1);
			assert.equal(delivered[0].url, callbackUrl);
			return delivered[0];
		};

		test('publishing registers the webhook process URL; the webhook process verifies the first delivery', async () => {
			wf = await createTriggerWorkflow(set().main, { credential, events: ['*'], typeVersion: 1.1 });
			callbackUrl = `${set().webhook.baseUrl}/webhook/${wf.webhookId}/webhook`;
			await api().publish(wf.id);
			await publishedRegistration(undefined);
			firstDelivery = await deliver('doc-sales-1');
			assert.equal(firstDelivery.status, 200);
			await api().waitForExecutions(wf.id, 1, { timeoutMs: 90_000 });
		});

		test('after a re-publish the webhook process reads the new registration and refuses the secret it knew for the old one', async () => {
			await republish();
			const executions = (await api().listExecutions(wf.id)).length;
			assert.equal((await deliver('doc-sales-2')).status, 200, 'the new registration verifies');
			await api().waitForExecutions(wf.id, executions + 1, { timeoutMs: 90_000 });
			// Exactly what Circularo sent for the first registration, whose secret this process verified with.
			const again = await request('POST', callbackUrl, {
				body: Buffer.from(firstDelivery.body),
				headers: {
					'content-type': 'application/json',
					'x-circularo-signature': firstDelivery.signature,
				},
				timeoutMs: 15_000,
			});
			assert.equal(again.status, 401);
		});

		test('once it verified a delivery, the webhook process loads no credential for it: an edited credential changes nothing', async () => {
			const executions = (await api().listExecutions(wf.id)).length;
			await set().main.rest.patch(`/rest/credentials/${credential.id}`, {
				id: credential.id,
				name: credential.name,
				type: CREDENTIAL_TYPE,
				data: credentialData('secret-edited-later'),
			});
			// Deriving from the edited credential could not give the registered secret: a 200 shows it was not loaded.
			assert.equal((await deliver('doc-sales-1')).status, 200);
			await api().waitForExecutions(wf.id, executions + 1, { timeoutMs: 90_000 });
		});

		test('a webhook process that cannot derive the registered secret answers 401 and logs what to do; doing it recovers', async () => {
			await set().webhook.restart();
			assert.equal((await deliver('doc-sales-2')).status, 401);
			assert.match(
				set().webhook.readLog(),
				/has changed since the webhook was registered\. Unpublish and publish the workflow again/,
			);
			await republish();
			assert.equal((await deliver('doc-sales-2')).status, 200);
		});

		/** Unpublish and publish on main; returns when the new registration is at Circularo and in the workflow. */
		async function republish() {
			const [old] = webhooksFor(sim, callbackUrl);
			await api().unpublish(wf.id);
			await waitFor(() => webhooksFor(sim, callbackUrl).length === 0, {
				timeoutMs: 60_000,
				what: 'the webhook removed',
			});
			await api().publish(wf.id);
			await publishedRegistration(old.id);
		}
	},
);
