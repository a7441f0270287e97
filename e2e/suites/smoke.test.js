// @ts-check
'use strict';
/**
 * Smoke test of the real-n8n harness: n8n 2.41.1 starts with the packed package installed the
 * way users get it, the owner and an API key are set up without a person, the package's node
 * and credential types are loaded, a built-in Webhook -> NoOp workflow is published and runs
 * on a POST, and it is still served after a restart and after a SIGKILL + restart.
 *
 * Run: npm run build && node --test e2e/suites/smoke.test.js
 * (another n8n: CIRCULARO_E2E_N8N_VERSION=1.123.81 node --test e2e/suites/smoke.test.js)
 */

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const {
	startN8n,
	setupOwner,
	packPackage,
	request,
	postConcurrent,
	waitFor,
	PublicApi,
} = require('../lib');
const { webhookNode } = require('../lib/workflows');

describe(
	`harness smoke: real n8n ${process.env.CIRCULARO_E2E_N8N_VERSION || '2.41.1'}`,
	{ timeout: 15 * 60_000 },
	() => {
		/** @type {import('../lib/n8n').N8nInstance | undefined} */
		let n8n;
		/** @type {any} */
		let workflow;
		const path = `smoke-${crypto.randomUUID()}`;

		before(async () => {
			const tgz = await packPackage();
			n8n = await startN8n({ packageTgz: tgz });
			process.stderr.write(
				`# fresh n8n ready after ${n8n.lastStartMs} ms (load average ${require('node:os').loadavg()[0].toFixed(1)})\n`,
			);
			await setupOwner(n8n);
		});

		after(async () => {
			if (n8n) {
				const r = await n8n.stop();
				// SIGTERM must end n8n (not the harness's fallback SIGKILL)
				assert.equal(
					r.signal === 'SIGKILL',
					false,
					`n8n did not stop on SIGTERM: ${JSON.stringify(r)}`,
				);
				assert.equal(n8n.running(), false);
			}
		});

		/** POSTs to the workflow's production URL and returns the status. */
		const post = async (/** @type {object} */ body) => {
			const r = await request('POST', /** @type {any} */ (n8n).webhookUrl(path), {
				body,
				timeoutMs: 15_000,
			});
			return r.status;
		};

		test('the packed package is loaded: Circularo node and credential types are known to n8n', async () => {
			const api = /** @type {PublicApi} */ (/** @type {any} */ (n8n).api);
			const nodes = await api.nodeTypes();
			const names = new Set(nodes.map((n) => n.name));
			assert.ok(names.has('n8n-nodes-base.webhook'), 'built-in nodes are listed');
			assert.ok(
				names.has('n8n-nodes-circularo.circularoTrigger'),
				'n8n-nodes-circularo.circularoTrigger is loaded',
			);
			const creds = await api.credentialTypes();
			assert.ok(
				creds.some((c) => c.name === 'circularoApi'),
				'credential type circularoApi is loaded',
			);
			const schema = await api.credentialSchema('circularoApi');
			assert.equal(schema.type, 'object');
			assert.ok(
				Object.keys(schema.properties || {}).length > 0,
				'the credential schema has properties',
			);
			const log = /** @type {any} */ (n8n).readLog();
			assert.doesNotMatch(
				log,
				/Unrecognized node type|Class could not be found|Error loading package/i,
			);
		});

		test('a published Webhook -> NoOp workflow runs once per POST', async () => {
			const api = /** @type {PublicApi} */ (/** @type {any} */ (n8n).api);
			workflow = await api.createWorkflow({
				name: 'harness smoke',
				nodes: [
					webhookNode(path),
					{
						id: crypto.randomUUID(),
						name: 'Done',
						type: 'n8n-nodes-base.noOp',
						typeVersion: 1,
						position: [220, 0],
						parameters: {},
					},
				],
				connections: { Webhook: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
			});
			assert.ok(workflow.id);
			assert.equal(await post({ before: 'publish' }), 404, 'not served before publishing');
			await api.publish(workflow.id);
			assert.equal(await post({ hello: 'world' }), 200);
			const execs = await api.waitForExecutions(workflow.id, 1, {
				timeoutMs: 30_000,
				settleMs: 500,
			});
			assert.equal(execs.length, 1);
			assert.equal(execs[0].status, 'success');
			const full = await api.getExecution(execs[0].id);
			const out = PublicApi.nodeOutput(full, 'Done');
			assert.equal(out.length, 1);
			assert.deepEqual(out[0].json.body, { hello: 'world' });
		});

		test('postConcurrent: 40 POSTs at concurrency 8 give 40 answers and 40 executions', async (t) => {
			const api = /** @type {PublicApi} */ (/** @type {any} */ (n8n).api);
			const url = /** @type {any} */ (n8n).webhookUrl(path);
			const load = await postConcurrent({ count: 40, make: (i) => ({ url, body: { i } }) }, 8, {
				timeoutMs: 30_000,
				totalTimeoutMs: 120_000,
			});
			t.diagnostic(
				`40 POSTs at concurrency 8: ${load.perSecond.toFixed(1)} answers/s, p50 ${load.latencyMs.p50.toFixed(0)} ms, p99 ${load.latencyMs.p99.toFixed(0)} ms`,
			);
			assert.deepEqual(load.statuses, { 200: 40 });
			assert.ok(load.latencyMs.p50 > 0 && load.latencyMs.p99 >= load.latencyMs.p50);
			const execs = await api.waitForExecutions(workflow.id, 41, {
				timeoutMs: 60_000,
				settleMs: 500,
			});
			assert.equal(execs.length, 41);
			const seen = new Set();
			for (const e of execs.slice(0, 10)) {
				const body = PublicApi.nodeOutput(await api.getExecution(e.id), 'Done')[0].json.body;
				if (body.i !== undefined) seen.add(body.i);
			}
			assert.ok(seen.size >= 9, 'executions carry the bodies that were sent');
		});

		test('listen for test event: the test URL runs the workflow once, then stops being served', async () => {
			const api = /** @type {PublicApi} */ (/** @type {any} */ (n8n).api);
			const testUrl = /** @type {any} */ (n8n).testWebhookUrl(path);
			const before = (await api.listExecutions(workflow.id)).length;
			assert.equal(
				(await request('POST', testUrl, { body: {} })).status,
				404,
				'test URL not served before listening',
			);
			const r = await api.listenForTestEvent(workflow.id, 'Webhook');
			assert.equal(r.waitingForWebhook, true);
			assert.equal((await request('POST', testUrl, { body: { test: true } })).status, 200);
			const execs = await api.waitForExecutions(workflow.id, before + 1, { timeoutMs: 30_000 });
			const manual = execs.filter((e) => e.mode === 'manual');
			assert.equal(manual.length, 1, 'one manual execution');
			assert.deepEqual(
				PublicApi.nodeOutput(await api.getExecution(manual[0].id), 'Done')[0].json.body,
				{ test: true },
			);
			// a test webhook serves one delivery; listening again and stopping removes it
			await api.listenForTestEvent(workflow.id, 'Webhook');
			await api.stopListening(workflow.id);
			await waitFor(async () => (await request('POST', testUrl, { body: {} })).status === 404, {
				timeoutMs: 10_000,
				what: 'test URL to be removed',
			});
		});

		test('still served after a restart (SIGTERM), and after SIGKILL + restart', async (t) => {
			const inst = /** @type {import('../lib/n8n').N8nInstance} */ (n8n);
			const api = /** @type {PublicApi} */ (inst.api);
			const n0 = (await api.listExecutions(workflow.id)).length;
			const pid1 = inst.pid;
			await inst.restart();
			t.diagnostic(`warm restart ready after ${inst.lastStartMs} ms`);
			assert.notEqual(inst.pid, pid1);
			assert.equal(await post({ n: 2 }), 200);
			await api.waitForExecutions(workflow.id, n0 + 1, { timeoutMs: 30_000 });

			const pid2 = inst.pid;
			await inst.restart({ kill: true });
			assert.notEqual(inst.pid, pid2);
			assert.throws(() => process.kill(pid2, 0), 'the killed process is gone');
			assert.equal(await post({ n: 3 }), 200);
			const execs = await api.waitForExecutions(workflow.id, n0 + 2, {
				timeoutMs: 30_000,
				settleMs: 500,
			});
			assert.equal(execs.length, n0 + 2);
			assert.ok(execs.every((e) => e.status === 'success'));
		});

		test('the harness reports memory and keeps a log', async () => {
			const inst = /** @type {import('../lib/n8n').N8nInstance} */ (n8n);
			const rss = inst.rssBytes();
			assert.ok(rss > 100 * 2 ** 20 && rss < 8 * 2 ** 30, `n8n + runner RSS ${rss} is plausible`);
			assert.ok(fs.statSync(inst.logFile).size > 0);
			assert.match(inst.readLog(), /n8n ready|Editor is now accessible/i);
			// the owner password and the API key never reach the log
			assert.ok(inst.owner && !inst.readLog().includes(inst.owner.password));
			assert.ok(!inst.readLog().includes(/** @type {any} */ (inst.api).apiKey));
		});

		test('unpublishing stops serving the URL', async () => {
			const api = /** @type {PublicApi} */ (/** @type {any} */ (n8n).api);
			await api.unpublish(workflow.id);
			assert.equal(await post({ after: 'unpublish' }), 404);
		});
	},
);
