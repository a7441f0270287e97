// @ts-check
'use strict';
/**
 * Smoke test of the real-n8n harness: n8n 2.41.1 starts with the packed package installed the
 * way users get it, the owner and an API key are set up without a person, the package's node
 * and credential types are loaded, a built-in Webhook -> NoOp workflow is published and runs
 * on a POST, and it is still served after a restart and after a SIGKILL + restart.
 *
 * Run: npm run build && node --test e2e/suites/smoke.test.js
 */

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const { startN8n, setupOwner, packPackage, request, PublicApi } = require('../lib');

describe('harness smoke: real n8n 2.41.1', { timeout: 15 * 60_000 }, () => {
  /** @type {import('../lib/n8n').N8nInstance | undefined} */
  let n8n;
  /** @type {any} */
  let workflow;
  const path = `smoke-${crypto.randomUUID()}`;

  before(async () => {
    const tgz = await packPackage();
    n8n = await startN8n({ packageTgz: tgz });
    await setupOwner(n8n);
  });

  after(async () => {
    if (n8n) {
      const r = await n8n.stop();
      // SIGTERM must end n8n (not the harness's fallback SIGKILL)
      assert.equal(r.signal === 'SIGKILL', false, `n8n did not stop on SIGTERM: ${JSON.stringify(r)}`);
      assert.equal(n8n.running(), false);
    }
  });

  /** POSTs to the workflow's production URL and returns the status. */
  const post = async (/** @type {object} */ body) => {
    const r = await request('POST', /** @type {any} */ (n8n).webhookUrl(path), { body, timeoutMs: 15_000 });
    return r.status;
  };

  test('the packed package is loaded: Circularo node and credential types are known to n8n', async () => {
    const api = /** @type {PublicApi} */ (/** @type {any} */ (n8n).api);
    const nodes = await api.nodeTypes();
    const names = new Set(nodes.map((n) => n.name));
    assert.ok(names.has('n8n-nodes-base.webhook'), 'built-in nodes are listed');
    assert.ok(names.has('n8n-nodes-circularo.circularoTrigger'), 'n8n-nodes-circularo.circularoTrigger is loaded');
    const creds = await api.credentialTypes();
    assert.ok(creds.some((c) => c.name === 'circularoApi'), 'credential type circularoApi is loaded');
    const schema = await api.credentialSchema('circularoApi');
    assert.equal(schema.type, 'object');
    assert.ok(Object.keys(schema.properties || {}).length > 0, 'the credential schema has properties');
    const log = /** @type {any} */ (n8n).readLog();
    assert.doesNotMatch(log, /Unrecognized node type|Class could not be found|Error loading package/i);
  });

  test('a published Webhook -> NoOp workflow runs once per POST', async () => {
    const api = /** @type {PublicApi} */ (/** @type {any} */ (n8n).api);
    workflow = await api.createWorkflow({
      name: 'harness smoke',
      nodes: [
        {
          id: crypto.randomUUID(), name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0],
          webhookId: crypto.randomUUID(), parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
        },
        { id: crypto.randomUUID(), name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
      ],
      connections: { Webhook: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
    });
    assert.ok(workflow.id);
    assert.equal(await post({ before: 'publish' }), 404, 'not served before publishing');
    await api.publish(workflow.id);
    assert.equal(await post({ hello: 'world' }), 200);
    const execs = await api.waitForExecutions(workflow.id, 1, { timeoutMs: 30_000, settleMs: 500 });
    assert.equal(execs.length, 1);
    assert.equal(execs[0].status, 'success');
    const full = await api.getExecution(execs[0].id);
    const out = PublicApi.nodeOutput(full, 'Done');
    assert.equal(out.length, 1);
    assert.deepEqual(out[0].json.body, { hello: 'world' });
  });

  test('still served after a restart (SIGTERM), and after SIGKILL + restart', async () => {
    const inst = /** @type {import('../lib/n8n').N8nInstance} */ (n8n);
    const api = /** @type {PublicApi} */ (inst.api);
    const pid1 = inst.pid;
    await inst.restart();
    assert.notEqual(inst.pid, pid1);
    assert.equal(await post({ n: 2 }), 200);
    await api.waitForExecutions(workflow.id, 2, { timeoutMs: 30_000 });

    const pid2 = inst.pid;
    await inst.restart({ kill: true });
    assert.notEqual(inst.pid, pid2);
    assert.throws(() => process.kill(pid2, 0), 'the killed process is gone');
    assert.equal(await post({ n: 3 }), 200);
    const execs = await api.waitForExecutions(workflow.id, 3, { timeoutMs: 30_000, settleMs: 500 });
    assert.equal(execs.length, 3);
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
});
