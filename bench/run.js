// @ts-check
'use strict';
/**
 * `npm run bench` (after `npm run build`): prints the benchmark tables, each figure a ratio of
 * things measured side by side in one run.
 *
 *   node bench/run.js                 part 1 (handler) and parts 2-3 (real n8n)
 *   node bench/run.js --only handler  part 1 only (no n8n needed, about half a minute)
 *   node bench/run.js --only n8n      parts 2-3 only
 *   node bench/run.js --quick         fewer rounds and deliveries (a smoke run, not for the README)
 *
 * n8n options (passed to bench/n8n.js): --deliveries N (per workflow, default 2000),
 * --memory-deliveries N (part 3, default 10000), --concurrency N (16), --body-bytes N (2048),
 * --rounds N (interleaved rounds, default 4), --n8n-config defaults,lazy,legacy (which n8n configurations
 * to compare; both by default).
 *
 * Exit code 0 when the run completes (missed targets are reported as MISSED in the tables),
 * 2 on an error; with --strict, 1 when a target is missed.
 */

const { runHandlerBench } = require('./handler');
const { parseN8nArgs } = require('./n8n');

/** @param {string[]} argv */
function parseArgs(argv) {
  const o = { only: /** @type {string | undefined} */ (undefined), quick: false, strict: false, n8n: /** @type {string[]} */ ([]) };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') { o.quick = true; o.n8n.push(a); }
    else if (a === '--strict') o.strict = true;
    else if (a === '--only') o.only = argv[++i];
    else if (a.startsWith('--only=')) o.only = a.slice('--only='.length);
    else if (a.includes('=')) o.n8n.push(a);
    else { o.n8n.push(a); if (i + 1 < argv.length) o.n8n.push(argv[++i]); }
  }
  if (o.only !== undefined && !['handler', 'n8n'].includes(o.only)) throw new Error('--only takes handler or n8n');
  return { ...o, n8nOptions: parseN8nArgs(o.n8n) };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const started = Date.now();
  /** @type {string[]} */
  const out = [];
  let ok = true;
  if (o.only !== 'n8n') {
    const r = await runHandlerBench({ quick: o.quick });
    out.push(r.text);
    ok = ok && r.ok;
  }
  if (o.only !== 'handler') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runN8nBench } = require('./n8n');
    const r = await runN8nBench(o.n8nOptions);
    out.push(r.text);
    ok = ok && r.ok;
  }
  out.push(`(bench took ${Math.round((Date.now() - started) / 1000)} s${o.quick ? ', --quick' : ''}; ratios are the figures to compare, absolute numbers depend on the machine and its load)`);
  process.stdout.write(`\n${out.join('\n\n')}\n`);
  return ok || !o.strict;
}

main().then(
  (ok) => { process.exitCode = ok ? 0 : 1; },
  (e) => { process.stderr.write(`${e && e.stack ? e.stack : e}\n`); process.exitCode = 2; },
);
