// @ts-check
'use strict';
/**
 * The Circularo Trigger in n8n's queue mode: Debian's Redis and Postgres on loopback,
 * n8n 2.41.1 as main + one webhook process + one worker, each with the package installed the way
 * users get it, and the Circularo simulator registering the webhook process's URL. Which process
 * did what is read from their logs. The load through the same set is e2e/queue/load.test.js.
 *
 * Run: npm run build && node --test --test-concurrency=1 e2e/queue/queue-mode.test.js
 */

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { request, waitFor } = require('../lib/http');
const { PublicApi } = require('../lib/api');
const { createCircularoCredential } = require('../lib/circularo/stack');
const {
	TRIGGER_NAME,
	NEXT_NODE_NAME,
	createTriggerWorkflow,
	triggerWorkflow,
	webhooksFor,
	signedDelivery,
} = require('../lib/circularo/trigger');
const {
	SELECTED,
	startQueueStack,
	loggedIds,
	logShows,
	urlsOf,
	WORKER_STARTED,
	WORKER_FINISHED_OK,
	ENQUEUED,
} = require('./fixture');

const SETTLE_MS = 3000;

describe(
	'Circularo Trigger in n8n queue mode (main + webhook process + worker)',
	{ timeout: 20 * 60_000 },
	() => {
		/** @type {Awaited<ReturnType<typeof startQueueStack>>} */ let stack;
		/** @type {any} */ let sim;
		/** @type {{ id: string, name: string }} */ let credential;
		/** @type {Awaited<ReturnType<typeof createTriggerWorkflow>>} */ let wf;
		/** @type {string} */ let callbackUrl;
		/** @type {string} */ let webhookId;

		const api = () => stack.api();
		const processes = () => ({ ...stack.set, worker: stack.set.workers[0] });
		const secret = () => {
			const [w] = webhooksFor(sim, callbackUrl);
			assert.ok(
				w && typeof w.hmacSecret === 'string',
				'the simulator holds a secret for the webhook',
			);
			return /** @type {string} */ (w.hmacSecret);
		};
		/** Execution ids and statuses straight from Postgres (works while main is down). */
		const dbExecutions = () =>
			stack.set.services.pg
				.psql(
					`SELECT id, status FROM execution_entity WHERE "workflowId" = '${wf.id.replace(/'/g, '')}' ORDER BY id`,
				)
				.split('\n')
				.filter(Boolean)
				.map((l) => {
					const [id, status] = l.split('|');
					return { id, status };
				});

		before(async () => {
			stack = await startQueueStack({ logLevel: 'info' });
			sim = stack.sim;
			credential = await createCircularoCredential(stack.set.main, sim, {
				apiKey: sim.keys.teamAdmin,
			});
		});

		after(async () => {
			await stack?.stop();
		});

		test('1. publishing on main registers exactly one webhook, for the webhook process URL', async () => {
			const { main, webhook } = stack.set;
			wf = await createTriggerWorkflow(main, { credential, events: SELECTED });
			webhookId = wf.webhookId;
			callbackUrl = `${webhook.baseUrl}/webhook/${webhookId}/webhook`;
			assert.notEqual(main.port, webhook.port);
			await api().publish(wf.id);
			const all = sim.listWebhooks();
			assert.equal(
				all.length,
				1,
				`exactly one webhook: ${JSON.stringify(all.map((/** @type {any} */ w) => w.callbackUrl))}`,
			);
			assert.equal(
				all[0].callbackUrl,
				callbackUrl,
				'registered for the webhook process, not for main',
			);
			assert.ok(
				/^[0-9a-f]{64}$/.test(all[0].hmacSecret),
				'the node registered a 64-hex-digit secret',
			);
			assert.equal(wf.productionUrl, callbackUrl);
		});

		test('2. signed deliveries are verified by the webhook process and executed by the worker', async () => {
			const { main, webhook, worker } = processes();
			for (const event of ['documentCompleted', 'signRequest', 'documentSigned']) {
				const [d] = await sim.fire({ event, documentId: 'doc-sales-1' });
				assert.equal(d.url, callbackUrl);
				assert.equal(d.status, 200, `${event}: ${d.status} ${d.error || ''}`);
			}
			const executions = await api().waitForExecutions(wf.id, 2, {
				timeoutMs: 90_000,
				settleMs: SETTLE_MS,
			});
			assert.equal(executions.length, 2, 'the two selected events ran, the unselected one did not');
			const events = [];
			for (const summaryRow of executions) {
				const id = String(summaryRow.id);
				const e = await api().getExecution(id);
				assert.equal(e.status, 'success');
				assert.equal(e.mode, 'webhook');
				const [item] = PublicApi.nodeOutput(e, TRIGGER_NAME);
				assert.equal(item.json.documentId, 'doc-sales-1');
				assert.equal(item.json.payload.event, item.json.event);
				events.push(item.json.event);
				assert.equal(PublicApi.nodeOutput(e, NEXT_NODE_NAME).length, 1);
				// Which process did what: enqueued by the webhook process, run by the worker, not by main.
				assert.ok(
					await logShows(webhook, ENQUEUED, id),
					`webhook process enqueued execution ${id}`,
				);
				assert.ok(await logShows(worker, WORKER_STARTED, id), `worker started execution ${id}`);
				assert.ok(
					await logShows(worker, WORKER_FINISHED_OK, id),
					`worker finished execution ${id} successfully`,
				);
				assert.ok(
					!loggedIds(main, ENQUEUED).has(id),
					`main did not receive the delivery of execution ${id}`,
				);
				assert.ok(!loggedIds(main, WORKER_STARTED).has(id), `main did not run execution ${id}`);
			}
			assert.deepEqual(events.sort(), [...SELECTED].sort());
		});

		test('3. forged deliveries get 401 from the webhook process and run nothing', async () => {
			const { webhook, worker } = processes();
			const before = (await api().listExecutions(wf.id)).length;
			const startedBefore = loggedIds(worker, WORKER_STARTED).size;
			const enqueuedBefore = loggedIds(webhook, ENQUEUED).size;
			for (const signature of ['missing', 'wrong', 'otherSecret', 'stale']) {
				const [d] = await sim.fire({
					event: 'documentCompleted',
					documentId: 'doc-sales-1',
					signature,
				});
				assert.equal(d.url, callbackUrl);
				assert.equal(d.status, 401, `${signature} signature answered ${d.status}`);
			}
			const body = { event: 'documentCompleted', documentId: 'doc-sales-1' };
			const forged = signedDelivery(crypto.randomBytes(32).toString('hex'), body);
			const r = await request('POST', callbackUrl, { ...forged, timeoutMs: 15_000 });
			assert.equal(r.status, 401, 'a delivery signed with another key');
			await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
			assert.equal((await api().listExecutions(wf.id)).length, before, 'no execution');
			assert.equal(loggedIds(worker, WORKER_STARTED).size, startedBefore, 'the worker ran nothing');
			assert.equal(
				loggedIds(webhook, ENQUEUED).size,
				enqueuedBefore,
				'the webhook process enqueued nothing',
			);
		});

		test('4. restarting main keeps exactly one webhook, and deliveries still run', async () => {
			const { main, worker } = processes();
			const [original] = webhooksFor(sim, callbackUrl);
			await main.restart();
			assert.deepEqual(
				sim.listWebhooks().map((/** @type {any} */ w) => w.id),
				[original.id],
			);
			await main.restart({ kill: true });
			assert.deepEqual(
				sim.listWebhooks().map((/** @type {any} */ w) => w.id),
				[original.id],
				'also after a SIGKILL of main',
			);
			const before = (await api().listExecutions(wf.id)).length;
			const [d] = await sim.fire({ event: 'documentSigned', documentId: 'doc-sales-2' });
			assert.equal(d.status, 200);
			const executions = await api().waitForExecutions(wf.id, before + 1, {
				timeoutMs: 90_000,
				settleMs: SETTLE_MS,
			});
			assert.equal(executions.length, before + 1);
			const newest = executions.map((e) => String(e.id)).sort((a, b) => Number(b) - Number(a))[0];
			const [item] = PublicApi.nodeOutput(await api().getExecution(newest), TRIGGER_NAME);
			assert.equal(item.json.documentId, 'doc-sales-2');
			assert.ok(
				await logShows(worker, WORKER_FINISHED_OK, newest),
				`worker ran execution ${newest}`,
			);
		});

		test('5. with main stopped, the webhook process and the worker keep serving deliveries', async () => {
			const { main, worker } = processes();
			const before = dbExecutions();
			const [original] = webhooksFor(sim, callbackUrl);
			const stopped = await main.stop();
			/** @type {{ id: string, status: string }[]} */
			let fresh;
			const docs = ['doc-sales-1', 'doc-sales-2', 'doc-sales-1'];
			try {
				assert.equal(main.running(), false);
				assert.notEqual(stopped.signal, 'SIGKILL', 'main stopped on SIGTERM');
				assert.deepEqual(
					sim.listWebhooks().map((/** @type {any} */ w) => w.id),
					[original.id],
					'stopping main removes nothing',
				);
				for (const documentId of docs) {
					const [d] = await sim.fire({ event: 'documentCompleted', documentId });
					assert.equal(d.status, 200, `delivery while main is down: ${d.status} ${d.error || ''}`);
				}
				const knownIds = new Set(before.map((e) => e.id));
				fresh = await waitFor(
					() => {
						const rows = dbExecutions().filter((e) => !knownIds.has(e.id));
						return rows.length >= docs.length && rows.every((e) => e.status === 'success')
							? rows
							: undefined;
					},
					{ timeoutMs: 90_000, intervalMs: 500, what: 'three executions while main is down' },
				);
				assert.equal(fresh.length, docs.length);
				for (const e of fresh)
					assert.ok(
						await logShows(worker, WORKER_FINISHED_OK, e.id),
						`worker ran execution ${e.id}`,
					);
				assert.equal(main.running(), false, 'main was down the whole time');
			} finally {
				// Later steps need main again, also when this one failed.
				await main.restart();
			}
			assert.deepEqual(
				sim.listWebhooks().map((/** @type {any} */ w) => w.id),
				[original.id],
				'exactly one webhook after main is back',
			);
			const got = [];
			for (const e of fresh) {
				const [item] = PublicApi.nodeOutput(await api().getExecution(e.id), TRIGGER_NAME);
				got.push(item.json.documentId);
			}
			assert.deepEqual(got.sort(), [...docs].sort());
		});

		test('6. unpublishing leaves no webhook, and the webhook process stops serving the URL', async () => {
			const { worker } = processes();
			const key = secret();
			const before = (await api().listExecutions(wf.id)).length;
			const startedBefore = loggedIds(worker, WORKER_STARTED).size;
			await api().unpublish(wf.id);
			assert.deepEqual(urlsOf(sim.listWebhooks()), [], 'no webhook left at Circularo');
			const [d] = await sim
				.fire({ event: 'documentCompleted', documentId: 'doc-sales-1' })
				.then((/** @type {any[]} */ x) => (x.length ? x : [undefined]));
			assert.equal(d, undefined, 'the simulator has nothing to deliver to');
			const signed = signedDelivery(key, { event: 'documentCompleted', documentId: 'doc-sales-1' });
			const r = await waitFor(
				async () => {
					const res = await request('POST', callbackUrl, { ...signed, timeoutMs: 15_000 });
					return res.status === 404 ? res : undefined;
				},
				{ timeoutMs: 30_000, intervalMs: 500, what: 'the webhook process to answer 404' },
			);
			assert.equal(r.status, 404);
			await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
			assert.equal((await api().listExecutions(wf.id)).length, before);
			assert.equal(loggedIds(worker, WORKER_STARTED).size, startedBefore);
		});

		test('7. a signed PDF downloaded in the webhook process is read by the worker (binary data in the database)', async () => {
			const { main, webhook, worker } = processes();
			const { workflow, webhookId: pdfHookId } = triggerWorkflow({
				credential,
				events: ['documentCompleted'],
				options: { downloadSignedDocument: true },
			});
			// The node after the trigger hashes the PDF's bytes: it runs on the worker, which must read
			// the binary data the webhook process stored.
			/** @type {any[]} */ (workflow.nodes)[1] = {
				...workflow.nodes[1],
				type: 'n8n-nodes-base.crypto',
				typeVersion: 2,
				parameters: {
					action: 'hash',
					type: 'SHA256',
					binaryData: true,
					binaryPropertyName: 'data',
					dataPropertyName: 'pdfSha256',
					encoding: 'hex',
				},
			};
			const stored = await api().createWorkflow(workflow);
			const id = String(stored.id);
			await api().publish(id);
			const pdfUrl = `${webhook.baseUrl}/webhook/${pdfHookId}/webhook`;
			assert.deepEqual(urlsOf(sim.listWebhooks()), [pdfUrl]);
			try {
				const [d] = await sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-2' });
				assert.equal(d.status, 200);
				const [row] = await api().waitForExecutions(id, 1, { timeoutMs: 90_000 });
				const e = await api().getExecution(row.id);
				assert.equal(e.status, 'success');
				assert.ok(await logShows(worker, WORKER_FINISHED_OK, String(row.id)), 'the worker ran it');
				const [item] = PublicApi.nodeOutput(e, TRIGGER_NAME);
				assert.equal(item.json.downloadError, undefined, 'the webhook process downloaded the PDF');
				assert.equal(item.binary.data.mimeType, 'application/pdf');
				assert.match(
					String(item.binary.data.id || ''),
					/^database:/,
					'queue mode keeps binary data in the database',
				);
				// The same PDF straight from the simulator (the event gave the document its final PDF).
				const hash = sim.getDocument('doc-sales-2').pdfHash;
				const r = await request(
					'GET',
					`${sim.apiUrl}/files/loadFile/hash/${encodeURIComponent(hash)}?token=${encodeURIComponent(sim.keys.teamAdmin)}`,
					{ timeoutMs: 15_000, noThrow: true },
				);
				assert.equal(r.status, 200, 'the simulator serves the PDF');
				assert.equal(r.body.subarray(0, 5).toString(), '%PDF-');
				const [hashed] = PublicApi.nodeOutput(e, NEXT_NODE_NAME);
				assert.equal(
					hashed.json.pdfSha256,
					crypto.createHash('sha256').update(r.body).digest('hex'),
					'the worker read the exact bytes',
				);
				assert.ok(!loggedIds(main, WORKER_STARTED).has(String(row.id)));
			} finally {
				await api().unpublish(id);
			}
			assert.deepEqual(urlsOf(sim.listWebhooks()), []);
		});
	},
);
