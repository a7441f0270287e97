// @ts-check
'use strict';
/**
 * Parts 2 and 3: the Circularo Trigger in a real n8n 2.41.1 (started by the e2e harness, the
 * package installed the way users get it), side by side with its floors in the same instance,
 * with the same body, the same signature and the same concurrency:
 *
 *   (a) Circularo Trigger -> NoOp                 (signature verified, event filtered, item mapped)
 *   (b) Webhook -> NoOp                           (n8n's built-in webhook, no verification: the floor)
 *   (c) Webhook (raw body) -> Crypto HMAC-SHA256 over the binary -> IF (hmac = header and event
 *       selected) -> NoOp                         (the hand-built equivalent a user would assemble)
 *   (d) Webhook with Header Auth -> NoOp          (n8n's own node holding a credential: the floor for
 *       any trigger that needs one, since n8n checks and loads credentials per execution)
 *
 * Throughput is completed executions per second from the first request sent to the last
 * execution's `stoppedAt` (n8n's own record), not HTTP answers. Latency is per request.
 * Memory is n8n's resident set (n8n plus its task runner), sampled while each workload runs.
 * Part 3 measures n8n's resident memory before and after 10,000 deliveries to (a).
 *
 *   node bench/n8n.js [--quick]
 */

const crypto = require('node:crypto');
const { postConcurrent, percentile, request } = require('../e2e/lib/http');
const { startStack, createCircularoCredential, createTriggerWorkflow } = require('../e2e/lib/circularo');
const { BENCH_SECRET, makeBody, sign, median, sizeLabel, table, fmt, verdict } = require('./common');

const TARGET_AB = 0.95;
const TARGET_AC = 1.1;
const TARGET_MEMORY_GROWTH = 0.1;
const SELECTED_EVENTS = ['documentCompleted', 'documentSigned'];
/** The Circularo Trigger's default node version, read from the compiled node. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const TRIGGER_VERSION = /** @type {number} */ (new (require('../dist/nodes/Circularo/CircularoTrigger.node.js').CircularoTrigger)().description.defaultVersion ?? 1);

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @typedef {{ key: 'a' | 'b' | 'c' | 'd', label: string, id: string, url: string, lastNode: string }} BenchWorkflow
 */

/**
 * (b), (c) and (d): built-in nodes only.
 * @param {'b' | 'c' | 'd'} key @param {{ id: string, name: string }} [credential] Crypto for (c), Header Auth for (d)
 */
function builtInWorkflow(key, credential) {
  const webhookId = crypto.randomUUID();
  const webhookPath = `bench-${key}-${webhookId.slice(0, 8)}`;
  const id = () => crypto.randomUUID();
  const webhook = {
    id: id(),
    name: 'Webhook',
    type: 'n8n-nodes-base.webhook',
    typeVersion: 2.1,
    position: [0, 0],
    webhookId,
    parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: key === 'c' ? { rawBody: true } : {} },
  };
  if (key === 'd') {
    if (!credential) throw new Error('(d) needs a Header Auth credential');
    Object.assign(webhook.parameters, { authentication: 'headerAuth' });
    Object.assign(webhook, { credentials: { httpHeaderAuth: { id: credential.id, name: credential.name } } });
  }
  const done = { id: id(), name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [660, 0], parameters: {} };
  if (key === 'b' || key === 'd') {
    return {
      path: webhookPath,
      workflow: {
        name: `bench (${key}) Webhook${key === 'd' ? ' (Header Auth)' : ''} -> NoOp ${webhookId.slice(0, 8)}`,
        nodes: [webhook, done],
        connections: { Webhook: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
        settings: { executionOrder: 'v1' },
      },
    };
  }
  if (!credential) throw new Error('(c) needs a Crypto credential');
  const hmac = {
    id: id(),
    name: 'HMAC',
    type: 'n8n-nodes-base.crypto',
    typeVersion: 2,
    position: [220, 0],
    parameters: { action: 'hmac', binaryData: true, binaryPropertyName: 'data', type: 'SHA256', dataPropertyName: 'hmac', encoding: 'hex' },
    credentials: { crypto: { id: credential.id, name: credential.name } },
  };
  const check = {
    id: id(),
    name: 'Valid and selected',
    type: 'n8n-nodes-base.if',
    typeVersion: 2.2,
    position: [440, 0],
    parameters: {
      conditions: {
        options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
        conditions: [
          {
            id: id(),
            leftValue: '={{ $json.hmac }}',
            rightValue: "={{ $json.headers['x-circularo-signature'] }}",
            operator: { type: 'string', operation: 'equals' },
          },
          {
            id: id(),
            leftValue: `={{ ${JSON.stringify(SELECTED_EVENTS)}.includes($json.body.event) }}`,
            rightValue: '',
            operator: { type: 'boolean', operation: 'true', singleValue: true },
          },
        ],
        combinator: 'and',
      },
      options: {},
    },
  };
  return {
    path: webhookPath,
    workflow: {
      name: `bench (c) Webhook -> Crypto -> IF ${webhookId.slice(0, 8)}`,
      nodes: [webhook, hmac, check, done],
      connections: {
        Webhook: { main: [[{ node: 'HMAC', type: 'main', index: 0 }]] },
        HMAC: { main: [[{ node: 'Valid and selected', type: 'main', index: 0 }]] },
        'Valid and selected': { main: [[{ node: 'Done', type: 'main', index: 0 }], []] },
      },
      settings: { executionOrder: 'v1' },
    },
  };
}

/**
 * Finished executions of a workflow (n8n's editor API gives the count without listing them).
 * @param {any} n8n @param {string} workflowId @param {string[]} status
 */
async function executionCount(n8n, workflowId, status) {
  const filter = encodeURIComponent(JSON.stringify({ workflowId, status }));
  const r = await n8n.rest.call('GET', `/rest/executions?filter=${filter}&limit=1`);
  const data = r.data || r.json;
  return Number(data.count);
}

/** Latest `stoppedAt` among the workflow's newest 250 executions (ms since epoch). @param {any} n8n @param {string} workflowId */
async function lastStoppedAt(n8n, workflowId) {
  const { json } = await n8n.api.call('GET', `/executions?workflowId=${workflowId}&limit=250`);
  let last = 0;
  for (const e of json.data || []) {
    const t = e.stoppedAt ? Date.parse(e.stoppedAt) : 0;
    if (t > last) last = t;
  }
  return last;
}

/**
 * Waits (bounded) until `target` executions of the workflow have finished and none is running.
 * @param {any} n8n @param {string} workflowId @param {number} target @param {number} timeoutMs
 */
async function waitFinished(n8n, workflowId, target, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let done = 0;
  for (let i = 0; Date.now() < deadline && i < 100_000; i++) {
    done = await executionCount(n8n, workflowId, ['success', 'error', 'crashed', 'canceled']);
    if (done >= target) {
      const running = await executionCount(n8n, workflowId, ['new', 'running', 'waiting']);
      if (running === 0) return done;
    }
    await sleep(500);
  }
  throw new Error(`workflow ${workflowId}: ${done} of ${target} executions finished after ${Math.round(timeoutMs / 1000)} s`);
}

/** Samples n8n's resident memory every 250 ms until stopped; returns the peak. @param {any} n8n */
function rssSampler(n8n) {
  let peak = n8n.rssBytes();
  const timer = setInterval(() => { peak = Math.max(peak, n8n.rssBytes()); }, 250);
  return { stop: () => { clearInterval(timer); peak = Math.max(peak, n8n.rssBytes()); return peak; } };
}

/** Median of a few RSS samples after a quiet pause. @param {any} n8n @param {number} quietMs */
async function settledRss(n8n, quietMs) {
  await sleep(quietMs);
  /** @type {number[]} */
  const xs = [];
  for (let i = 0; i < 5; i++) { xs.push(n8n.rssBytes()); await sleep(1000); }
  return median(xs);
}

/**
 * Sends `count` identical signed deliveries to one workflow and measures until its executions
 * have finished.
 * @param {any} n8n @param {BenchWorkflow} wf @param {Buffer} body @param {number} count @param {number} concurrency
 */
async function runPhase(n8n, wf, body, count, concurrency) {
  const headers = { 'content-type': 'application/json', 'x-circularo-signature': sign(body) };
  const before = await executionCount(n8n, wf.id, ['success', 'error', 'crashed', 'canceled', 'new', 'running', 'waiting']);
  const sampler = rssSampler(n8n);
  const t0 = Date.now();
  const load = await postConcurrent({ count, make: () => ({ url: wf.url, headers, body }) }, concurrency, { timeoutMs: 60_000, totalTimeoutMs: 30 * 60_000 });
  const finished = await waitFinished(n8n, wf.id, before + count, 10 * 60_000);
  const peakRss = sampler.stop();
  const stoppedAt = await lastStoppedAt(n8n, wf.id);
  const failed = await executionCount(n8n, wf.id, ['error', 'crashed', 'canceled']);
  const ok = load.statuses['200'] || 0;
  if (ok !== count) throw new Error(`(${wf.key}) ${count - ok} of ${count} deliveries were not answered 200: ${JSON.stringify(load.statuses)}`);
  if (failed > 0) throw new Error(`(${wf.key}) ${failed} executions failed`);
  if (finished - before !== count) throw new Error(`(${wf.key}) ${finished - before} executions for ${count} deliveries`);
  return { executions: count, activeMs: stoppedAt - t0, latencies: load.results.map((r) => r.ms), peakRss };
}

/**
 * One delivery to each workflow, then checks that it ran to the last node with the right data
 * (so the hand-built HMAC check really passes, and the trigger really emits its item).
 * @param {any} n8n @param {BenchWorkflow[]} wfs @param {Buffer} body
 */
async function checkWorkflows(n8n, wfs, body) {
  const headers = { 'content-type': 'application/json', 'x-circularo-signature': sign(body) };
  for (const wf of wfs) {
    const r = await request('POST', wf.url, { headers, body, timeoutMs: 30_000 });
    if (r.status !== 200) throw new Error(`(${wf.key}) answered ${r.status}: ${r.text.slice(0, 200)}`);
    await waitFinished(n8n, wf.id, 1, 60_000);
    const { json } = await n8n.api.call('GET', `/executions?workflowId=${wf.id}&limit=1&includeData=true`);
    const e = json.data && json.data[0];
    const runs = e && e.data && e.data.resultData && e.data.resultData.runData && e.data.resultData.runData[wf.lastNode];
    const out = (runs && runs[0] && runs[0].data && runs[0].data.main && runs[0].data.main[0]) || [];
    if (out.length !== 1) throw new Error(`(${wf.key}) the delivery did not reach "${wf.lastNode}" (status ${e && e.status})`);
    if (wf.key === 'a' && out[0].json.event !== 'documentCompleted') throw new Error('(a) the trigger did not emit the documentCompleted item');
  }
  // A forged delivery: (a) must refuse it, (c) must route it away from "Done".
  const forged = { 'content-type': 'application/json', 'x-circularo-signature': sign(body, 'not-the-secret') };
  const ra = await request('POST', wfs[0].url, { headers: forged, body, timeoutMs: 30_000 });
  if (ra.status !== 401) throw new Error(`(a) answered ${ra.status} to a forged signature`);
}

/**
 * Creates and publishes the three workflows (a), (b), (c) in a running n8n. (a) uses the
 * Circularo Trigger's current node version (what the editor puts in new workflows) unless
 * `triggerVersion` says otherwise.
 * @param {any} n8n @param {any} sim @param {{ triggerVersion?: number, body?: Buffer }} [o] `body`: what the deliveries will carry
 * @returns {Promise<BenchWorkflow[]>}
 */
async function setupBenchWorkflows(n8n, sim, o = {}) {
  // (a) Circularo Trigger: registered with the simulator on publish; the credential's signing
  // secret is the one the deliveries are signed with.
  const circularoCredential = await createCircularoCredential(n8n, sim, { apiKey: sim.keys.teamAdmin, webhookSecret: BENCH_SECRET });
  const a = await createTriggerWorkflow(n8n, {
    credential: circularoCredential,
    events: SELECTED_EVENTS,
    name: 'bench (a) Circularo Trigger -> NoOp',
    typeVersion: o.triggerVersion ?? TRIGGER_VERSION,
  });
  await n8n.api.publish(a.id);
  const cryptoCredential = await n8n.api.createCredential({ name: 'bench HMAC secret', type: 'crypto', data: { hmacSecret: BENCH_SECRET } });
  // (d) checks a fixed header value: every bench delivery carries the same body, so the same signature.
  const headerAuthCredential = await n8n.api.createCredential({
    name: 'bench header auth',
    type: 'httpHeaderAuth',
    data: { name: 'x-circularo-signature', value: sign(o.body ?? makeBody(2048, { event: 'documentCompleted' })) },
  });
  /** @type {BenchWorkflow[]} */
  const wfs = [{ key: 'a', label: '(a) Circularo Trigger', id: a.id, url: a.productionUrl, lastNode: 'After Trigger' }];
  const labels = { b: '(b) Webhook -> NoOp, no check', c: '(c) Webhook -> Crypto -> IF', d: '(d) Webhook, Header Auth -> NoOp' };
  for (const key of /** @type {const} */ (['b', 'c', 'd'])) {
    const built = builtInWorkflow(key, key === 'd' ? headerAuthCredential : cryptoCredential);
    const stored = await n8n.api.createWorkflow(built.workflow);
    await n8n.api.publish(String(stored.id));
    wfs.push({ key, label: labels[key], id: String(stored.id), url: n8n.webhookUrl(built.path), lastNode: 'Done' });
  }
  return wfs;
}

/**
 * The n8n configurations compared. n8n 2.41's default expression engine ('vm', isolated-vm)
 * acquires an isolate for the webhook phase of every trigger except its own Webhook node (see
 * n8n's live-webhooks.js, webhookPhaseNeedsIsolate) and for every execution, and disposes and
 * re-creates it afterwards. With N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true an isolate is only
 * created when an expression is evaluated. Both are measured so that n8n's cost and the
 * node's cost can be told apart.
 */
const CONFIGS = {
  defaults: { name: 'n8n defaults', env: {} },
  lazy: { name: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true', env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' } },
  legacy: { name: 'N8N_EXPRESSION_ENGINE=legacy', env: { N8N_EXPRESSION_ENGINE: 'legacy' } },
};

/**
 * Parts 2 (and 3, when `memoryDeliveries` > 0) in one n8n instance with one configuration.
 * @param {{ name: string, env: Record<string, string> }} config
 * @param {{ log: (s: string) => void, quick: boolean, perWorkflow: number, concurrency: number, bodyBytes: number, memoryDeliveries: number, rounds: number }} o
 */
async function runConfig(config, o) {
  const { log, quick, perWorkflow, concurrency, bodyBytes, memoryDeliveries } = o;
  const warmup = quick ? 50 : Math.min(200, Math.max(50, Math.round(perWorkflow / 4)));
  // Interleaved rounds (a b c d, d c b a, ...; four by default) so that drift (load from other
  // processes, n8n's growing database) falls on all four alike; --quick runs one round.
  const rounds = quick ? 1 : o.rounds;
  /** @type {('a' | 'b' | 'c' | 'd')[]} */
  const order = [];
  for (let r = 0; r < rounds; r++) order.push(...(r % 2 === 0 ? /** @type {const} */ (['a', 'b', 'c', 'd']) : /** @type {const} */ (['d', 'c', 'b', 'a'])));
  const perPhase = Math.round(perWorkflow / rounds);

  const started = Date.now();
  log(`  n8n [${config.name}]: starting simulator + n8n 2.41.1 with the packed package`);
  const stack = await startStack({ n8n: { env: { EXECUTIONS_DATA_PRUNE_MAX_COUNT: '0', ...config.env }, logLevel: 'warn' } });
  try {
    const { n8n, sim } = stack;
    log(`  n8n [${config.name}]: ready after ${Math.round((Date.now() - started) / 1000)} s at ${n8n.baseUrl}`);
    const body = makeBody(bodyBytes, { event: 'documentCompleted' });
    const wfs = await setupBenchWorkflows(n8n, sim, { body });
    const byKey = Object.fromEntries(wfs.map((w) => [w.key, w]));

    await checkWorkflows(n8n, wfs, body);
    log(`  n8n [${config.name}]: all four workflows run to their last node; warming up with ${warmup} deliveries each`);
    for (const wf of wfs) await runPhase(n8n, wf, body, warmup, concurrency);

    /** @type {Record<string, { executions: number, activeMs: number, latencies: number[], peakRss: number }>} */
    const agg = {};
    for (const key of order) {
      const wf = byKey[key];
      const r = await runPhase(n8n, wf, body, perPhase, concurrency);
      log(`  n8n [${config.name}] ${wf.label}: ${perPhase} deliveries, ${fmt((r.executions * 1000) / r.activeMs, 1)} executions/s, peak RSS ${Math.round(r.peakRss / 2 ** 20)} MiB`);
      const s = (agg[key] ??= { executions: 0, activeMs: 0, latencies: [], peakRss: 0 });
      s.executions += r.executions;
      s.activeMs += r.activeMs;
      s.latencies.push(...r.latencies);
      s.peakRss = Math.max(s.peakRss, r.peakRss);
    }
    const stats = Object.fromEntries(Object.entries(agg).map(([k, s]) => {
      const lat = [...s.latencies].sort((x, y) => x - y);
      return [k, { perSecond: (s.executions * 1000) / s.activeMs, p50: percentile(lat, 50), p99: percentile(lat, 99), peakRss: s.peakRss, executions: s.executions }];
    }));
    const ab = stats.a.perSecond / stats.b.perSecond;
    const ac = stats.a.perSecond / stats.c.perSecond;
    const ad = stats.a.perSecond / stats.d.perSecond;

    const mib = (/** @type {number} */ b) => Math.round(b / 2 ** 20);
    const lines = [
      `Part 2 [${config.name}]: real n8n 2.41.1, one instance, ${perWorkflow} signed deliveries per workflow (${sizeLabel(bodyBytes)} body) at concurrency ${concurrency}${rounds > 1 ? `, ${rounds} interleaved rounds (${order.join(' ')})` : ''}`,
      table(
        ['workflow', 'executions/s', 'p50 ms', 'p99 ms', 'peak RSS MiB'],
        wfs.map((w) => [w.label, fmt(stats[w.key].perSecond, 1), fmt(stats[w.key].p50, 0), fmt(stats[w.key].p99, 0), mib(stats[w.key].peakRss)]),
      ),
      table(
        ['ratio', 'value', 'target', 'verdict'],
        [
          ['a/b throughput (trigger vs unchecked floor)', fmt(ab), `>= ${TARGET_AB}`, verdict(ab >= TARGET_AB)],
          ['a/c throughput (trigger vs hand-built check)', fmt(ac), `>= ${TARGET_AC}`, verdict(ac >= TARGET_AC)],
          ['a/d throughput (trigger vs Webhook with a credential)', fmt(ad), '', ''],
          ['b/c throughput (for reference)', fmt(stats.b.perSecond / stats.c.perSecond), '', ''],
          ['a/b p50 latency', fmt(stats.a.p50 / stats.b.p50), '', ''],
          ['a/c p50 latency', fmt(stats.a.p50 / stats.c.p50), '', ''],
        ],
      ),
    ];
    let ok = ab >= TARGET_AB && ac >= TARGET_AC;

    if (memoryDeliveries > 0) {
      // Part 3: memory before and after many deliveries to the Circularo Trigger.
      log(`  n8n [${config.name}]: part 3, ${memoryDeliveries} deliveries to (a)`);
      const rssBefore = await settledRss(n8n, 5000);
      const mem = await runPhase(n8n, byKey.a, body, memoryDeliveries, concurrency);
      const rssAfter = await settledRss(n8n, 5000);
      const growth = rssAfter / rssBefore - 1;
      ok = ok && growth < TARGET_MEMORY_GROWTH;
      lines.push(
        '',
        `Part 3 [${config.name}]: n8n resident memory (n8n + task runner) before and after ${memoryDeliveries} deliveries to (a) (${fmt((mem.executions * 1000) / mem.activeMs, 1)} executions/s)`,
        table(
          ['before MiB', 'after MiB', 'peak MiB', 'growth', 'target', 'verdict'],
          [[mib(rssBefore), mib(rssAfter), mib(mem.peakRss), `${fmt(growth * 100, 1)}%`, `< ${TARGET_MEMORY_GROWTH * 100}%`, verdict(growth < TARGET_MEMORY_GROWTH)]],
        ),
      );
    }
    return { text: lines.join('\n'), ok, stats, ratios: { ab, ac, ad } };
  } finally {
    await stack.stop();
  }
}

/**
 * @param {{ quick?: boolean, log?: (s: string) => void, deliveries?: number, concurrency?: number, bodyBytes?: number,
 *   memoryDeliveries?: number, configs?: string[], rounds?: number }} [o]
 */
async function runN8nBench(o = {}) {
  const quick = !!o.quick;
  const opts = {
    log: o.log || ((/** @type {string} */ s) => process.stderr.write(`${s}\n`)),
    quick,
    perWorkflow: o.deliveries ?? (quick ? 300 : 2000),
    concurrency: o.concurrency ?? 16,
    bodyBytes: o.bodyBytes ?? 2048,
    memoryDeliveries: o.memoryDeliveries ?? (quick ? 1000 : 10_000),
    rounds: o.rounds ?? 4,
  };
  const names = o.configs ?? ['defaults', 'lazy', 'legacy'];
  /** @type {string[]} */
  const texts = [];
  let ok = true;
  for (const [i, name] of names.entries()) {
    const config = CONFIGS[/** @type {keyof typeof CONFIGS} */ (name)];
    if (!config) throw new Error(`unknown n8n configuration ${name} (known: ${Object.keys(CONFIGS).join(', ')})`);
    // Part 3 (memory) runs in the first configuration only: n8n as users get it.
    const r = await runConfig(config, { ...opts, memoryDeliveries: i === 0 ? opts.memoryDeliveries : 0 });
    texts.push(r.text);
    ok = ok && r.ok;
  }
  return { text: texts.join('\n\n'), ok };
}

/** @param {string[]} argv */
function parseN8nArgs(argv) {
  /** @type {Record<string, any>} */
  const o = {};
  const num = (/** @type {string} */ v, /** @type {string} */ flag) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} takes a whole number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (flag === '--quick') o.quick = true;
    else if (flag === '--deliveries') o.deliveries = num(value(), flag);
    else if (flag === '--memory-deliveries') o.memoryDeliveries = num(value(), flag);
    else if (flag === '--rounds') o.rounds = Math.max(1, num(value(), flag));
    else if (flag === '--concurrency') o.concurrency = Math.max(1, num(value(), flag));
    else if (flag === '--body-bytes') o.bodyBytes = Math.max(512, num(value(), flag));
    else if (flag === '--n8n-config') o.configs = value().split(',');
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return o;
}

if (require.main === module) {
  Promise.resolve()
    .then(() => runN8nBench(parseN8nArgs(process.argv.slice(2))))
    .then((r) => { process.stdout.write(`${r.text}\n`); process.exitCode = 0; })
    .catch((e) => { process.stderr.write(`${e.stack || e}\n`); process.exitCode = 2; });
}

module.exports = { runN8nBench, parseN8nArgs, runConfig, CONFIGS, builtInWorkflow, setupBenchWorkflows, runPhase, checkWorkflows, executionCount, waitFinished, SELECTED_EVENTS };
