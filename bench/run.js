// @ts-check
'use strict';
/**
 * `npm run bench` (after `npm run build`): prints the benchmark tables, each figure a ratio of
 * things measured side by side in one run.
 *
 *   node bench/run.js                          every part: handler, single-process n8n, queue-mode n8n
 *   node bench/run.js --only handler           part 1 only (no n8n needed, about half a minute)
 *   node bench/run.js --only single,queue      the real-n8n parts only (`--only n8n` says the same)
 *   node bench/run.js --only wait              part 4: executions waiting at Send and Wait for Signature
 *   node bench/run.js --quick                  fewer rounds and deliveries (a smoke run, not for the docs)
 *   node bench/run.js --package ../other-checkout   another build of the package (before/after)
 *
 * n8n options (see bench/n8n.js): --deliveries N (per workflow and mode, default 1000),
 * --rounds N (interleaved rounds, default 4), --memory-deliveries N (part 3, default 5000; 0
 * skips it), --concurrency N (16), --body-bytes N (2048), --n8n-config defaults,lazy,legacy.
 * Wait options (see bench/wait.js): --waiting 1,10,100, --events N, --signs N; --rounds and the
 * first --n8n-config apply to it too.
 *
 * Exit code 0 when the run completes (missed targets are reported as MISSED in the tables),
 * 2 on an error; with --strict, 1 when a target is missed.
 */

const fs = require('node:fs');
const path = require('node:path');
const { runHandlerBench } = require('./handler');
const { runN8nBench, parseN8nArgs, resolvePackage, MODES } = require('./n8n');
const { runWaitBench, parseWaitArgs } = require('./wait');

const PARTS = ['handler', ...MODES, 'wait'];
/** Options of the wait part only; --rounds, --n8n-config and --quick go to it too. */
const WAIT_ONLY = ['--waiting', '--events', '--signs'];
const SHARED = ['--rounds', '--n8n-config'];

/** @param {string[]} argv */
function parseArgs(argv) {
	let only = PARTS;
	let quick = false;
	let strict = false;
	/** @type {string | undefined} */
	let pkg;
	/** @type {string[]} */
	const n8n = [];
	/** @type {string[]} */
	const wait = [];
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		const value = () => (inline !== undefined ? inline : argv[++i]);
		if (flag === '--only')
			only = value()
				.split(',')
				.flatMap((p) => (p === 'n8n' ? MODES : [p]));
		else if (flag === '--strict') strict = true;
		else if (flag === '--quick') {
			quick = true;
			n8n.push(flag);
			wait.push(flag);
		} else if (WAIT_ONLY.includes(flag) || SHARED.includes(flag)) {
			const given = inline !== undefined ? [argv[i]] : [flag, argv[++i]];
			wait.push(...given);
			if (SHARED.includes(flag)) n8n.push(...given);
		} else if (flag === '--package') {
			pkg = value();
			n8n.push(flag, pkg);
		} else if (inline !== undefined) n8n.push(argv[i]);
		else {
			n8n.push(flag);
			if (i + 1 < argv.length) n8n.push(argv[++i]);
		}
	}
	for (const p of only)
		if (!PARTS.includes(p))
			throw new Error(
				`--only takes ${PARTS.join(', ')} (or n8n for both n8n modes), separated by commas`,
			);
	const modes = MODES.filter((m) => only.includes(m));
	// A checkout given with --package also gives part 1 its compiled node.
	const nodePath =
		pkg && !pkg.endsWith('.tgz')
			? path.resolve(pkg, 'dist', 'nodes', 'Circularo', 'CircularoTrigger.node.js')
			: undefined;
	if (nodePath && only.includes('handler') && !fs.existsSync(nodePath))
		throw new Error(`--package: ${nodePath} does not exist (build that checkout first)`);
	return {
		handler: only.includes('handler'),
		modes,
		wait: only.includes('wait') ? parseWaitArgs(wait) : undefined,
		pkg,
		quick,
		strict,
		nodePath,
		n8nOptions: { ...parseN8nArgs(n8n), modes },
	};
}

async function main() {
	const o = parseArgs(process.argv.slice(2));
	const started = Date.now();
	/** @type {string[]} */
	const out = [];
	let ok = true;
	if (o.handler) {
		const t0 = Date.now();
		const r = await runHandlerBench({ quick: o.quick, nodePath: o.nodePath });
		out.push(`${r.text}\n(handler took ${Math.round((Date.now() - t0) / 1000)} s)`);
		ok = ok && r.ok;
	}
	if (o.modes.length > 0) {
		const r = await runN8nBench(o.n8nOptions);
		out.push(r.text);
		ok = ok && r.ok;
	}
	if (o.wait) {
		const { packageTgz } = await resolvePackage(o.pkg);
		const r = await runWaitBench({ ...o.wait, packageTgz });
		out.push(r.text);
		ok = ok && r.ok;
	}
	out.push(
		`(bench took ${Math.round((Date.now() - started) / 1000)} s${o.quick ? ', --quick' : ''}; ratios are the figures to compare, absolute numbers depend on the machine and its load)`,
	);
	process.stdout.write(`\n${out.join('\n\n')}\n`);
	return ok || !o.strict;
}

main().then(
	(ok) => {
		process.exitCode = ok ? 0 : 1;
	},
	(e) => {
		process.stderr.write(`${e && e.stack ? e.stack : e}\n`);
		process.exitCode = 2;
	},
);
