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
 *   node bench/run.js --only files             part 5: uploads, downloads and Get Many against n8n's HTTP Request node
 *   node bench/run.js --only poll              part 6: the polling trigger's requests, static data and memory per poll
 *
 * Part 5 options (see bench/files.js): --sizes 1,25,90 (MB), --binary-modes default,filesystem,
 * --documents N (Get Many, default 10000); --rounds, --package and --quick apply to it too.
 *
 * Part 6 options (see bench/poll.js): --in-progress 100,1000,10000, --others N (documents not in
 * progress, default 20000), --polls N; --quick applies to it too.
 *
 * Part 4 options (see bench/wait.js): --waiting 1,10,100, --events N, --signs N; --rounds, the
 * first --n8n-config, --package and --quick apply to it too.
 *
 * n8n options (see bench/n8n.js): --deliveries N (per workflow and mode, default 1000),
 * --rounds N (interleaved rounds, default 4), --memory-deliveries N (part 3, default 5000; 0
 * skips it), --concurrency N (16), --body-bytes N (2048), --n8n-config defaults,lazy,legacy.
 *
 * Exit code 0 when the run completes (missed targets are reported as MISSED in the tables),
 * 2 on an error; with --strict, 1 when a target is missed.
 */

const fs = require('node:fs');
const path = require('node:path');
const { runHandlerBench } = require('./handler');
const { runN8nBench, parseN8nArgs, resolvePackage, MODES } = require('./n8n');
const { runFilesBench, parseFilesArgs } = require('./files');
const { runWaitBench, parseWaitArgs } = require('./wait');
const { runPollBench, parsePollArgs } = require('./poll');

const PARTS = ['handler', ...MODES, 'wait', 'files', 'poll'];
/** Options of part 5 only; --rounds, --package and --quick go to every part that takes them. */
const FILES_ONLY = ['--sizes', '--binary-modes', '--documents'];
/** Options of part 4 only; --n8n-config goes to parts 2-4. */
const WAIT_ONLY = ['--waiting', '--events', '--signs', '--foreign'];
/** Options of part 6 only. */
const POLL_ONLY = ['--in-progress', '--others', '--polls'];

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
	const files = [];
	/** @type {string[]} */
	const wait = [];
	/** @type {string[]} */
	const poll = [];
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		const value = () => (inline !== undefined ? inline : argv[++i]);
		if (FILES_ONLY.includes(flag)) files.push(flag, value());
		else if (WAIT_ONLY.includes(flag)) wait.push(flag, value());
		else if (POLL_ONLY.includes(flag)) poll.push(flag, value());
		else if (flag === '--rounds' || flag === '--n8n-config') {
			const given = value();
			n8n.push(flag, given);
			wait.push(flag, given);
			if (flag === '--rounds') files.push(flag, given);
		} else if (flag === '--only')
			only = value()
				.split(',')
				.flatMap((p) => (p === 'n8n' ? MODES : [p]));
		else if (flag === '--strict') strict = true;
		else if (flag === '--quick') {
			quick = true;
			n8n.push(flag);
			files.push(flag);
			wait.push(flag);
			poll.push(flag);
		} else if (flag === '--package') {
			pkg = value();
			n8n.push(flag, pkg);
			files.push(flag, pkg);
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
		quick,
		strict,
		nodePath,
		n8nOptions: { ...parseN8nArgs(n8n), modes },
		files: only.includes('files') ? parseFilesArgs(files) : undefined,
		wait: only.includes('wait') ? parseWaitArgs(wait) : undefined,
		poll: only.includes('poll') ? parsePollArgs(poll) : undefined,
		pkg,
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
	if (o.files) {
		const r = await runFilesBench(o.files);
		out.push(r.text);
		ok = ok && r.ok;
	}
	if (o.poll) {
		const r = await runPollBench(o.poll);
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
