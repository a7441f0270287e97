// @ts-check
'use strict';
/**
 * Nothing orphaned, nothing duplicated: the Circularo Trigger's webhook lifecycle in real n8n
 * 2.41.1 while the Circularo simulator fails (500, 503, 429, a timeout beyond the node's 10 s, a
 * dropped connection), before or after it performed the operation, during activation (publish)
 * and deactivation (unpublish); a webhook deleted on the Circularo side while active; n8n killed
 * with SIGKILL while active. Judged by the simulator's webhook list, n8n's answers, n8n's log and
 * real deliveries. No secret may show up in any message, item or log line.
 *
 * Run: npm run build && node --test e2e/reliability/faults.test.js
 */

const { describe, test, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { request, waitFor } = require('../lib/http');
const { useStack } = require('../lib/circularo/stack');
const { createTriggerWorkflow, webhooksFor, TRIGGER_NAME } = require('../lib/circularo/trigger');
const { SecretWatch, scanForSecrets } = require('./helpers');
const { PublicApi } = require('../lib/api');
const { printBlock, machineLine } = require('../lib/report');

/** Longer than the node's 10 s API timeout. */
const TIMEOUT_DELAY_MS = 12_000;

/**
 * @typedef {{ name: string, fault: Record<string, any>, cause: RegExp }} FaultCase
 * @type {FaultCase[]}
 */
const FAULTS = [
	{ name: '500', fault: { status: 500 }, cause: /\(500\)/ },
	{ name: '503', fault: { status: 503 }, cause: /\(503\)/ },
	{ name: '429', fault: { status: 429, retryAfter: 30 }, cause: /rate limiting requests \(429\)/ },
	{
		name: `timeout (${TIMEOUT_DELAY_MS / 1000} s)`,
		fault: { delayMs: TIMEOUT_DELAY_MS, drop: true },
		cause: /timed out/,
	},
	{
		name: 'dropped connection',
		fault: { drop: true },
		cause: /connection was dropped|socket hang up|ECONNRESET/,
	},
];

describe(
	'reliability: Circularo faults, deleted webhooks and crashes in real n8n',
	{ timeout: 30 * 60_000 },
	() => {
		/** @type {any} */ let sim;
		/** @type {any} */ let n8n;
		/** @type {{ id: string, name: string }} */ let credential;
		const watch = new SecretWatch();
		/** Error messages n8n gave us, scanned for secrets at the end. @type {Record<string, string>} */
		const messages = {};
		/** @type {string[]} */ const workflowIds = [];
		/**
		 * Workflow JSON the public API returned (not error messages): n8n returns the workflow's static
		 * data with it, where the node keeps a secret it generated. Reported, not asserted.
		 * @type {Record<string, string>}
		 */
		const workflowAnswers = {};
		/** One line per case for the printed summary. @type {string[]} */ const summary = [];

		useStack((s) => {
			({ sim, n8n, credential } = s);
			watch.addFromSimulator(sim);
		});

		// Each case starts clean even when the one before failed half-way: no faults, nothing published,
		// no webhook at Circularo. (Only clean-up; every case asserts its own outcome before this runs.)
		afterEach(async () => {
			if (!sim || !n8n || !n8n.running()) return;
			sim.clearFaults();
			for (const id of workflowIds) {
				if (await isActive(id).catch(() => false))
					await n8n.api.unpublish(id).catch(() => undefined);
			}
			for (const w of sim.listWebhooks()) {
				await request(
					'DELETE',
					`${sim.apiUrl}/webhooks/${encodeURIComponent(w.id)}?token=${encodeURIComponent(sim.keys.globalAdmin)}`,
					{ timeoutMs: 10_000, noThrow: true },
				);
			}
		});

		after(async () => {
			if (summary.length)
				printBlock('Reliability: faults (e2e/reliability/faults.test.js)', [
					...summary,
					`machine: ${machineLine()}`,
				]);
		});

		/** @param {Record<string, any>} [o] */
		const newWorkflow = async (o = {}) => {
			const wf = await createTriggerWorkflow(n8n, { credential, events: ['*'], ...o });
			workflowIds.push(wf.id);
			return wf;
		};

		/** A new workflow, published once the simulator fails no more. */
		const publishFresh = async () => {
			sim.clearFaults();
			const wf = await newWorkflow();
			await n8n.api.publish(wf.id);
			return wf;
		};

		/** A delivery still runs exactly once; unpublishing then leaves no webhook. @param {any} wf @param {string} [why] */
		const runsThenUnpublish = async (wf, why) => {
			watch.addFromSimulator(sim);
			await deliveryRuns(wf);
			await n8n.api.unpublish(wf.id);
			assert.equal(sim.listWebhooks().length, 0, why);
		};

		/** Publish expecting failure; returns status, message and how long it took. @param {string} id */
		const failedPublish = async (id) => {
			const t0 = Date.now();
			const r = await n8n.api.call(
				'POST',
				`/workflows/${id}/publish`,
				{},
				{ allowStatus: [400, 401, 403, 404, 409, 422, 500, 502, 503] },
			);
			return {
				status: r.status,
				message: String(r.json?.message ?? JSON.stringify(r.json)),
				ms: Date.now() - t0,
			};
		};

		/** @param {string} id */
		const isActive = async (id) => (await n8n.api.getWorkflow(id)).active === true;

		/** Fires one event at every webhook of the simulator, expects one 200 delivery, and one more execution. @param {any} wf */
		const deliveryRuns = async (wf) => {
			const before = (await n8n.api.listExecutions(wf.id)).length;
			const deliveries = await sim.fire({ event: 'documentSigned', documentId: 'doc-sales-2' });
			assert.equal(
				deliveries.length,
				1,
				`one delivery (to ${deliveries.map((/** @type {any} */ d) => d.url).join(', ')})`,
			);
			assert.equal(deliveries[0].status, 200, `the delivery answered ${deliveries[0].status}`);
			const list = await n8n.api.waitForExecutions(wf.id, before + 1, {
				timeoutMs: 120_000,
				settleMs: 1500,
				includeData: true,
			});
			assert.equal(list.length, before + 1, 'exactly one new execution');
			const newest = list.reduce((/** @type {any} */ a, /** @type {any} */ b) =>
				Number(a.id) > Number(b.id) ? a : b,
			);
			assert.equal(newest.status, 'success');
			assert.equal(PublicApi.nodeOutput(newest, TRIGGER_NAME)[0].json.documentId, 'doc-sales-2');
		};

		/**
		 * n8n reports ready before it has re-activated published workflows at start-up; wait (bounded)
		 * for its "Activated workflow ... (ID: <id>)" line in the log written since `logFrom`.
		 * @param {string} id @param {number} logFrom
		 */
		const activatedAfterStart = (id, logFrom) =>
			waitFor(() => n8n.readLog().slice(logFrom).includes(`(ID: ${id})`), {
				timeoutMs: 120_000,
				intervalMs: 250,
				what: `n8n to activate workflow ${id} after start-up`,
			});

		/** Requests the simulator logged since index `from`, as "METHOD /path -> status". @param {number} from */
		const requestsSince = (from) =>
			sim.requests
				.slice(from)
				.map(
					(/** @type {any} */ r) =>
						`${r.method} ${r.path.replace(/\/api\/v1/, '')} -> ${r.status ?? 'dropped'}${r.fault ? ' [fault]' : ''}`,
				);

		for (const afterHandling of [false, true]) {
			for (const c of FAULTS) {
				const when = afterHandling
					? 'after Circularo created the webhook'
					: 'before Circularo created anything';
				test(`activation, POST /webhooks ${c.name} ${when}: publish fails naming the cause, no webhook left`, async () => {
					const wf = await newWorkflow();
					sim.clearFaults();
					const logFrom = sim.requests.length;
					sim.setFault({ method: 'POST', path: '/webhooks', times: 1, afterHandling, ...c.fault });
					const r = await failedPublish(wf.id);
					messages[`publish with ${c.name} ${when}`] = r.message;
					const calls = requestsSince(logFrom);
					summary.push(
						`activation, ${c.name.padEnd(20)} ${afterHandling ? 'after create ' : 'before create'}: publish ${r.status} in ${(r.ms / 1000).toFixed(1)} s, "${r.message}"; webhooks left ${webhooksFor(sim, wf.productionUrl).length}`,
					);
					assert.ok(r.status >= 400, `publish answered ${r.status}`);
					assert.match(r.message, c.cause);
					assert.match(r.message, /register the webhook/);
					assert.equal(await isActive(wf.id), false, 'the workflow is not active');
					assert.equal(
						webhooksFor(sim, wf.productionUrl).length,
						0,
						`no webhook left; calls: ${calls.join('; ')}`,
					);
					assert.equal(sim.listWebhooks().length, 0);
					if (afterHandling) {
						// The fault really came after the webhook existed, and the node removed it.
						assert.ok(
							calls.some((/** @type {string} */ line) =>
								/^POST \/webhooks -> (\d+|dropped) \[fault\]$/.test(line),
							),
							calls.join('; '),
						);
						assert.ok(
							calls.some((/** @type {string} */ line) =>
								/^DELETE \/webhooks\/\S+ -> 200$/.test(line),
							),
							`the half-created webhook was deleted; calls: ${calls.join('; ')}`,
						);
					}
				});
			}
		}

		for (const c of FAULTS.filter((f) => !/timeout/.test(f.name))) {
			test(`activation, GET /webhooks ${c.name} (listing fails): publish fails naming the cause, no webhook`, async () => {
				const wf = await newWorkflow();
				sim.clearFaults();
				sim.setFault({ method: 'GET', path: '/webhooks', times: 1, ...c.fault });
				const r = await failedPublish(wf.id);
				messages[`publish with GET ${c.name}`] = r.message;
				summary.push(
					`activation, list ${c.name.padEnd(15)}: publish ${r.status}, "${r.message}"; webhooks left ${webhooksFor(sim, wf.productionUrl).length}`,
				);
				assert.ok(r.status >= 400);
				assert.match(r.message, c.cause);
				assert.equal(await isActive(wf.id), false);
				assert.equal(sim.listWebhooks().length, 0);
			});
		}

		test('activation, a registration that lands at Circularo only after the node gave up: the next publish leaves exactly one', async () => {
			const wf = await newWorkflow();
			sim.clearFaults();
			sim.setFault({
				method: 'POST',
				path: '/webhooks',
				times: 1,
				delayMs: TIMEOUT_DELAY_MS,
				drop: true,
			});
			const r = await failedPublish(wf.id);
			messages['publish before a late registration'] = r.message;
			assert.match(r.message, /timed out/);
			assert.equal(await isActive(wf.id), false);
			assert.equal(webhooksFor(sim, wf.productionUrl).length, 0);
			// A slow Circularo may still store that request after the node's timeout and clean-up. The
			// simulator cannot finish a request whose client has gone, so the late registration is made here,
			// as Circularo would have stored it: same callback URL and scope, a secret n8n never saw.
			const landed = await request(
				'POST',
				`${sim.apiUrl}/webhooks?token=${encodeURIComponent(sim.keys.teamAdmin)}`,
				{
					body: {
						type: 'team',
						callbackUrl: wf.productionUrl,
						hmacSecret: require('node:crypto').randomBytes(32).toString('hex'),
					},
					timeoutMs: 10_000,
				},
			);
			assert.ok(landed.status < 300, `late registration answered ${landed.status}`);
			watch.addFromSimulator(sim);
			await n8n.api.publish(wf.id);
			const registered = webhooksFor(sim, wf.productionUrl);
			summary.push(
				`activation, registration landing after the timeout: publish failed ("${r.message}"); the next publish -> ${registered.length} webhook (${registered[0]?.id === landed.json.id ? 'the leftover kept' : 'the leftover replaced'})`,
			);
			assert.equal(registered.length, 1, 'replaced, not duplicated');
			assert.notEqual(
				registered[0].id,
				landed.json.id,
				'the leftover (a secret n8n never saw) is deleted, not kept',
			);
			await runsThenUnpublish(wf);
		});

		test('activation works again once Circularo recovers: one webhook, deliveries run', async () => {
			const wf = await publishFresh();
			assert.equal(webhooksFor(sim, wf.productionUrl).length, 1);
			await runsThenUnpublish(wf);
		});

		const deactivationFaults = [
			...FAULTS.map((c) => ({
				...c,
				where: 'DELETE /webhooks/:id',
				spec: { method: 'DELETE', path: '/webhooks/:id', ...c.fault },
			})),
			{
				name: 'every call 503 (Circularo down)',
				fault: {},
				cause: /\(503\)/,
				where: '*',
				spec: { path: '*', status: 503 },
			},
		];
		for (const c of deactivationFaults) {
			test(`deactivation, ${c.where} ${c.name}: unpublish completes, the failure is logged, the next publish leaves exactly one webhook`, async () => {
				const wf = await publishFresh();
				const [original] = webhooksFor(sim, wf.productionUrl);
				assert.ok(original);
				watch.addFromSimulator(sim);

				sim.setFault(c.spec);
				const logFrom = n8n.readLog().length;
				const t0 = Date.now();
				const r = await n8n.api.call(
					'POST',
					`/workflows/${wf.id}/unpublish`,
					{},
					{ allowStatus: [400, 500] },
				);
				const ms = Date.now() - t0;
				sim.clearFaults();
				const logged = n8n
					.readLog()
					.slice(logFrom)
					.split('\n')
					.filter((/** @type {string} */ l) =>
						/Circularo Trigger: could not remove the webhook/.test(l),
					);
				if (r.status !== 200) messages[`unpublish with ${c.name}`] = JSON.stringify(r.json);
				else workflowAnswers[`unpublish answer with ${c.name}`] = JSON.stringify(r.json);
				const leftover = webhooksFor(sim, wf.productionUrl).length;

				await n8n.api.publish(wf.id);
				const registered = webhooksFor(sim, wf.productionUrl);
				summary.push(
					`deactivation, ${c.where} ${c.name}: unpublish ${r.status} in ${(ms / 1000).toFixed(1)} s, ${logged.length} warning logged, ${leftover} left at Circularo, next publish -> ${registered.length} webhook (${registered[0]?.id === original.id ? 'the leftover kept' : 'the leftover replaced'})`,
				);
				assert.equal(r.status, 200, `unpublish answered ${r.status}: ${JSON.stringify(r.json)}`);
				assert.equal(await isActive(wf.id), true, 'published again');
				assert.equal(logged.length, 1, "the failure is in n8n's log");
				assert.match(logged[0], c.cause);
				assert.equal(leftover, 1, 'Circularo still holds the webhook the node could not remove');
				assert.equal(registered.length, 1, 'replaced, not duplicated');
				assert.notEqual(
					registered[0].id,
					original.id,
					'the leftover is deleted and a new webhook registered',
				);
				assert.equal(sim.listWebhooks().length, 1);
				await runsThenUnpublish(wf, 'unpublish without faults removes it');
			});
		}

		test('a webhook deleted on the Circularo side while active is registered again by a restart and by the next publish', async () => {
			const wf = await publishFresh();
			const removeRemotely = async () => {
				const [w] = webhooksFor(sim, wf.productionUrl);
				const r = await request(
					'DELETE',
					`${sim.apiUrl}/webhooks/${encodeURIComponent(w.id)}?token=${encodeURIComponent(sim.keys.teamAdmin)}`,
					{ timeoutMs: 10_000 },
				);
				assert.equal(r.status, 200);
				assert.equal(webhooksFor(sim, wf.productionUrl).length, 0);
				assert.deepEqual(
					await sim.fire({ event: 'documentSigned', documentId: 'doc-sales-2' }),
					[],
					'nothing is delivered any more',
				);
				return w.id;
			};

			const first = await removeRemotely();
			const logFrom = n8n.readLog().length;
			await n8n.restart();
			await activatedAfterStart(wf.id, logFrom);
			const afterRestart = webhooksFor(sim, wf.productionUrl);
			watch.addFromSimulator(sim);
			summary.push(
				`deleted at Circularo while active, then restart: ${afterRestart.length} webhook (${afterRestart[0] && afterRestart[0].id !== first ? 'new' : 'same'})`,
			);
			assert.equal(afterRestart.length, 1, 'the restart registered it again');
			await deliveryRuns(wf);

			await removeRemotely();
			await n8n.api.unpublish(wf.id);
			await n8n.api.publish(wf.id);
			const afterPublish = webhooksFor(sim, wf.productionUrl);
			watch.addFromSimulator(sim);
			summary.push(
				`deleted at Circularo while active, then unpublish + publish: ${afterPublish.length} webhook`,
			);
			assert.equal(afterPublish.length, 1, 'the next publish registered it again');
			assert.equal(sim.listWebhooks().length, 1);
			await runsThenUnpublish(wf);
		});

		test('n8n killed with SIGKILL while active, then restarted: exactly one webhook and deliveries work again', async () => {
			const wf = await publishFresh();
			const [original] = webhooksFor(sim, wf.productionUrl);
			watch.addFromSimulator(sim);
			await deliveryRuns(wf);

			await n8n.kill();
			assert.equal(n8n.running(), false);
			const whileDown = await sim.fire({ event: 'documentSigned', documentId: 'doc-sales-2' });
			const logFrom = n8n.readLog().length;
			await n8n.restart();
			await activatedAfterStart(wf.id, logFrom);
			const registered = webhooksFor(sim, wf.productionUrl);
			summary.push(
				`SIGKILL while active, restart after ${(n8n.lastStartMs / 1000).toFixed(1)} s: ${registered.length} webhook (${registered[0]?.id === original.id ? 'same id' : 'new id'}); delivery while down: ${whileDown[0]?.status || whileDown[0]?.error || 'none'}`,
			);
			assert.equal(registered.length, 1);
			assert.equal(sim.listWebhooks().length, 1);
			assert.equal(whileDown.length, 1);
			assert.notEqual(whileDown[0].status, 200, 'nobody accepted a delivery while n8n was down');
			await runsThenUnpublish(wf);
		});

		test("no API key or signing secret in any error message, item or line of n8n's log", async () => {
			watch.addFromSimulator(sim);
			const result = await scanForSecrets(watch, n8n, { texts: messages, workflowIds });
			const inWorkflowJson = Object.entries(workflowAnswers).flatMap(([where, text]) =>
				watch.findIn(text, where),
			);
			summary.push(
				`note: a generated signing secret is readable in the workflow JSON (staticData) the public API returns: ${inWorkflowJson.length} of ${Object.keys(workflowAnswers).length} unpublish answers`,
			);
			summary.push(
				`secrets: ${watch.size} API keys and signing secrets searched in ${result.scannedBytes} bytes of n8n log, ${Object.keys(messages).length} error messages and ${result.executions} executions: ${result.findings.length} found`,
			);
			assert.deepEqual(result.findings, []);
		});
	},
);
