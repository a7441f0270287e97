// @ts-check
'use strict';
/**
 * Parts 2 and 3: the Circularo Trigger in a real n8n 2.41.1 (started by the e2e harness, the
 * package installed the way users get it) against n8n's own nodes, per n8n configuration:
 *
 *   single  one n8n process (single.js): workflows (a)-(d), then part 3 (memory) in the first configuration
 *   queue   queue mode (queue.js): main + webhook process + worker, workflows (a)-(d) through the webhook process
 *
 * and, when both ran, their ratios side by side. Throughput is completed executions per second
 * from the first request sent to the last execution's `stoppedAt` (n8n's own record).
 *
 *   node bench/n8n.js [--only single,queue] [--n8n-config defaults,lazy,legacy] [--deliveries N] [--rounds N]
 *     [--memory-deliveries N] [--concurrency N] [--body-bytes N] [--package <checkout with dist/ | .tgz>] [--quick]
 */

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { packPackage } = require('../e2e/lib/package');
const { packedPackage } = require('../e2e/lib/circularo/stack');
const { table, fmt, machineLine } = require('../e2e/lib/report');
const { runAsScript, verdict } = require('./common');
const { CONFIGS, ratioText } = require('./phases');
const { runSingle } = require('./single');
const { runQueue } = require('./queue');

const MODES = ['single', 'queue'];

/**
 * The package to install in n8n: this repo packed (default), another checkout's build (a folder
 * with dist/, packed here), or a .tgz. Returns its path and a line saying what it is.
 * @param {string | undefined} given
 */
async function resolvePackage(given) {
	if (!given) return { packageTgz: await packedPackage(), description: 'this checkout' };
	const p = path.resolve(given);
	if (p.endsWith('.tgz')) {
		if (!fs.existsSync(p)) throw new Error(`--package: ${p} does not exist`);
		return { packageTgz: p, description: p };
	}
	const commit = spawnSync('git', ['-C', p, 'log', '-1', '--format=%h %s'], {
		encoding: 'utf8',
	}).stdout.trim();
	return {
		packageTgz: await packPackage({ repoDir: p }),
		description: `${p}${commit ? ` (${commit.slice(0, 90)})` : ''}`,
	};
}

/**
 * Whether the queue-mode ratio lies in the single process's run-to-run range (their lowest and
 * highest round overlap).
 * @param {{ low: number, high: number }} single @param {{ low: number, high: number }} queue
 */
function rangesOverlap(single, queue) {
	return queue.low <= single.high && queue.high >= single.low;
}

/**
 * @param {{ quick?: boolean, log?: (s: string) => void, modes?: string[], configs?: string[], deliveries?: number,
 *   rounds?: number, memoryDeliveries?: number, concurrency?: number, bodyBytes?: number, package?: string }} [o]
 */
async function runN8nBench(o = {}) {
	const quick = !!o.quick;
	const log = o.log || ((/** @type {string} */ s) => process.stderr.write(`${s}\n`));
	const perWorkflow = o.deliveries ?? (quick ? 300 : 1000);
	const rounds = o.rounds ?? (quick ? 2 : 4);
	const modes = o.modes ?? MODES;
	const names = o.configs ?? ['defaults', 'lazy', 'legacy'];
	for (const m of modes)
		if (!MODES.includes(m)) throw new Error(`unknown mode ${m} (known: ${MODES.join(', ')})`);
	for (const n of names)
		if (!(n in CONFIGS))
			throw new Error(`unknown n8n configuration ${n} (known: ${Object.keys(CONFIGS).join(', ')})`);
	const pkg = await resolvePackage(o.package);
	const opts = {
		log,
		packageTgz: pkg.packageTgz,
		perWorkflow,
		rounds,
		warmup: quick ? 50 : Math.min(200, Math.max(50, Math.round(perWorkflow / 4))),
		concurrency: o.concurrency ?? 16,
		bodyBytes: o.bodyBytes ?? 2048,
		memoryDeliveries: o.memoryDeliveries ?? (quick ? 1000 : 5000),
	};
	const texts = [`n8n parts: package ${pkg.description}; at the start: ${machineLine()}`];
	let ok = true;
	/** @type {{ config: string, single?: any, queue?: any }[]} */
	const compared = [];
	for (const [i, name] of names.entries()) {
		const config = CONFIGS[/** @type {keyof typeof CONFIGS} */ (name)];
		/** @type {{ config: string, single?: any, queue?: any }} */
		const row = { config: config.name };
		for (const mode of modes) {
			const t0 = Date.now();
			let text;
			if (mode === 'single') {
				// Part 3 (memory) runs in the first configuration only: n8n as users get it, by default.
				const r = await runSingle(config, {
					...opts,
					memoryDeliveries: i === 0 ? opts.memoryDeliveries : 0,
				});
				ok = ok && r.ok;
				row.single = r.ratios;
				text = r.text;
			} else {
				const r = await runQueue(config, opts);
				row.queue = r.ratios;
				text = r.text;
			}
			texts.push(
				`${text}\n(${mode} [${config.name}] took ${Math.round((Date.now() - t0) / 1000)} s)`,
			);
		}
		compared.push(row);
	}
	if (modes.length === MODES.length) {
		/** @type {(string | number)[][]} */
		const rows = [];
		for (const c of compared) {
			for (const [key, label] of /** @type {const} */ ([
				['ab', 'a/b throughput'],
				['ac', 'a/c throughput'],
				['abCpu', 'a/b CPU per delivery'],
				['acCpu', 'a/c CPU per delivery'],
				['abCpuMs', 'a - b CPU ms per delivery'],
				['ad', 'a/d throughput'],
				['adCpuMs', 'a - d CPU ms per delivery'],
				// a/c = a/b x b/c: where a/c moves between the modes and a/b does not, b/c shows the move
				// is n8n's own workflows', with no trigger in them.
				['bc', 'b/c throughput (no trigger; reference)'],
				['bcCpu', 'b/c CPU per delivery (no trigger; reference)'],
			])) {
				const s = c.single[key];
				const q = c.queue[key];
				const inMs = key.endsWith('CpuMs');
				const digits = inMs ? 1 : 2;
				rows.push([
					`${c.config}: ${label}`,
					ratioText(s, digits),
					ratioText(q, digits),
					inMs ? '' : fmt(q.value / s.value),
					rounds > 1 ? verdict(rangesOverlap(s, q)) : '',
				]);
			}
		}
		texts.push(
			[
				'Queue mode against a single process, same run (lowest-highest round in brackets; CPU per delivery counts every process of the mode)',
				table(
					[
						'configuration: ratio',
						'single process',
						'queue mode',
						'queue / single',
						'queue within the single run-to-run range',
					],
					rows,
				),
			].join('\n'),
		);
	}
	texts.push(`n8n parts: at the end: ${machineLine()}`);
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
		else if (flag === '--only')
			o.modes = value()
				.split(',')
				.flatMap((m) => (m === 'n8n' ? MODES : [m]));
		else if (flag === '--deliveries') o.deliveries = Math.max(1, num(value(), flag));
		else if (flag === '--memory-deliveries') o.memoryDeliveries = num(value(), flag);
		else if (flag === '--rounds') o.rounds = Math.max(1, num(value(), flag));
		else if (flag === '--concurrency') o.concurrency = Math.max(1, num(value(), flag));
		else if (flag === '--body-bytes') o.bodyBytes = Math.max(512, num(value(), flag));
		else if (flag === '--n8n-config') o.configs = value().split(',');
		else if (flag === '--package') o.package = value();
		else throw new Error(`unknown argument ${argv[i]}`);
	}
	return o;
}

if (require.main === module) {
	runAsScript(() => runN8nBench(parseN8nArgs(process.argv.slice(2))));
}

module.exports = { runN8nBench, parseN8nArgs, resolvePackage, MODES };
