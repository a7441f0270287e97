// @ts-check
'use strict';
/**
 * n8n's queue mode on loopback, on top of the harness's startN8n: Redis + Postgres (services.js),
 * then main (`n8n start`, runs the migrations), then one webhook process (`n8n webhook`) and
 * worker(s) (`n8n worker`), each with its own user folder and the package installed in it.
 * WEBHOOK_URL of every process points at the webhook process, so main's trigger hooks register
 * that URL.
 *
 *   const q = await startQueueSet({ packageTgz });
 *   await setupOwner(q.main);                     // public API lives on main
 *   ... q.webhook.webhookUrl(path) ... q.workers[0].readLog() ...
 *   await q.stop();
 */

const fs = require('node:fs');
const { startN8n } = require('./n8n');
const { freePort } = require('./http');
const { startQueueServices } = require('./services');

/**
 * Settings that make one n8n process part of the queue-mode set (besides the role).
 * @param {{ n8nEnv: () => Record<string, string> }} services
 */
function queueEnv(services) {
  // EXECUTIONS_MODE=queue, QUEUE_BULL_REDIS_*, DB_TYPE=postgresdb, DB_POSTGRESDB_* (n8n's defaults otherwise).
  // Postgres 15 is what Debian 12 ships; n8n warns about it and works.
  return { ...services.n8nEnv() };
}

/**
 * @typedef {object} QueueSet
 * @property {Awaited<ReturnType<typeof startQueueServices>>} services
 * @property {import('./n8n').N8nInstance} main
 * @property {import('./n8n').N8nInstance} webhook
 * @property {import('./n8n').N8nInstance[]} workers
 * @property {() => import('./n8n').N8nInstance[]} all
 * @property {() => Promise<void>} stop   stops every n8n process, then Redis and Postgres
 */

/**
 * @param {{ packageTgz: string, workers?: number, logLevel?: string, env?: Record<string, string>,
 *   services?: Awaited<ReturnType<typeof startQueueServices>> }} o
 * @returns {Promise<QueueSet>}
 */
async function startQueueSet(o) {
  const services = o.services || await startQueueServices();
  /** @type {import('./n8n').N8nInstance[]} */
  const started = [];
  const stopAll = async () => {
    await Promise.allSettled(started.map((p) => p.stop()));
    if (!o.services) await services.stop();
  };
  try {
    const webhookPort = await freePort();
    const webhookBaseUrl = `http://127.0.0.1:${webhookPort}/`;
    const common = { packageTgz: o.packageTgz, logLevel: o.logLevel, webhookBaseUrl };
    const env = { ...queueEnv(services), ...(o.env || {}) };
    const main = await startN8n({ ...common, role: 'start', env: { ...env, OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true' } });
    started.push(main);
    const rest = await Promise.all([
      startN8n({ ...common, role: 'webhook', port: webhookPort, env }).then((p) => { started.push(p); return p; }),
      ...Array.from({ length: o.workers ?? 1 }, () =>
        startN8n({ ...common, role: 'worker', env }).then((p) => { started.push(p); return p; })),
    ]);
    const [webhook, ...workers] = rest;
    return {
      services,
      main,
      webhook,
      workers,
      all: () => [main, webhook, ...workers],
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/**
 * Proportional set size (shared pages split between the processes sharing them) of a process
 * and its descendants, in bytes: the fair figure for Postgres, whose backends share memory.
 * @param {number} rootPid
 */
function treePssBytes(rootPid) {
  /** @type {Map<number, number[]>} */
  const children = new Map();
  for (const e of safeReaddir('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      /** @type {number[]} */ (children.get(ppid)).push(Number(e));
    } catch { /* gone */ }
  }
  let total = 0;
  const stack = [rootPid];
  const seen = new Set();
  while (stack.length > 0 && seen.size < 10_000) {
    const p = /** @type {number} */ (stack.pop());
    if (seen.has(p)) continue;
    seen.add(p);
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'));
      if (m) total += Number(m[1]) * 1024;
    } catch { /* gone or not readable */ }
    for (const c of children.get(p) || []) stack.push(c);
  }
  return total;
}

/** Clock ticks per second for /proc times (USER_HZ; 100 on Linux unless `getconf CLK_TCK` says otherwise). */
let clkTck = 0;
function ticksPerSecond() {
  if (!clkTck) {
    try {
      const r = require('node:child_process').spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 5000 });
      clkTck = Number(String(r.stdout).trim()) || 100;
    } catch { clkTck = 100; }
  }
  return clkTck;
}

/**
 * CPU time (user + system, in seconds) used so far by a process and its live descendants, plus
 * what their ended children used (cutime/cstime). Compare two readings to get the CPU a piece of
 * work cost, which (unlike wall-clock throughput) hardly depends on what else the machine runs.
 * @param {number} rootPid
 */
function treeCpuSeconds(rootPid) {
  /** @type {Map<number, number[]>} */
  const children = new Map();
  /** @type {Map<number, number>} */
  const ticks = new Map();
  for (const e of safeReaddir('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // after ")": state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
      const ppid = Number(f[1]);
      ticks.set(Number(e), Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]));
      if (!children.has(ppid)) children.set(ppid, []);
      /** @type {number[]} */ (children.get(ppid)).push(Number(e));
    } catch { /* gone */ }
  }
  let total = 0;
  const stack = [rootPid];
  const seen = new Set();
  while (stack.length > 0 && seen.size < 10_000) {
    const p = /** @type {number} */ (stack.pop());
    if (seen.has(p)) continue;
    seen.add(p);
    total += ticks.get(p) || 0;
    for (const c of children.get(p) || []) stack.push(c);
  }
  return total / ticksPerSecond();
}

/** @param {string} dir */
function safeReaddir(dir) {
  try { return fs.readdirSync(dir); } catch { return []; }
}

module.exports = { startQueueSet, queueEnv, treePssBytes, treeCpuSeconds };
