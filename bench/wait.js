// @ts-check
'use strict';
/**
 * Part 4 (`--only wait`): what waiting at Send and Wait for Signature costs. Every registration
 * of a wait is a team webhook, so every Circularo event of the team is delivered to every waiting
 * execution's resume URL, and n8n loads that execution and runs the node's webhook() for each
 * delivery, only for it to answer "not mine, keep waiting". With N executions waiting (1, 10 and
 * 100 by default, each on its own document of team Sales), in one n8n process:
 *
 *   - CPU per event: the CPU time of n8n and its children (task runner) while the simulator fires
 *     an event of the team about a document no one waits on (`documentSigned`), divided by the
 *     events fired; the simulator's `fire` returns once all N deliveries are answered, each must
 *     be 200 and no execution may go on;
 *   - sign -> finished: the simulator's signer signs one waited-on document (`documentSigned`,
 *     then `documentCompleted`, each to all N URLs) and the bench waits until that document's
 *     execution has finished by its Completed output; the time from the sign to the execution's
 *     `stoppedAt` as n8n recorded it. The pool is then topped up to N again.
 *
 * Rounds alternate the order of N (1 10 100, 100 10 1, ...), so drift falls on every N alike;
 * each figure is given over all rounds with its lowest and highest round.
 *
 * Then, with one execution waiting, the side-by-side figure of foreignDelivery.js: a delivery not
 * for its document against the same request refused by n8n's own Wait node (`--foreign N`
 * requests per side and round, default 100; 0 skips it).
 *
 *   node bench/wait.js [--waiting 1,10,100] [--events N] [--signs N] [--foreign N] [--rounds N] [--n8n-config defaults] [--quick]
 */

const os = require('node:os');
const { startStack } = require('../e2e/lib/circularo/stack');
const { SEND_AND_WAIT_NODES } = require('../e2e/lib/circularo/sendAndWait');
const { PublicApi, FINISHED } = require('../e2e/lib/api');
const { treeCpuSeconds } = require('../e2e/lib/proctree');
const { table, fmt, machineLine } = require('../e2e/lib/report');
const { runAsScript, median } = require('./common');
const { CONFIGS, ratioText } = require('./phases');
const { startWaitPool } = require('./waiting');
const { measureForeignDelivery } = require('./foreignDelivery');

const DEFAULT_WAITING = [1, 10, 100];
const EVENT = 'documentSigned';

/**
 * @typedef {{ cpuMs: number[], fanOutMs: number[], signMs: number[], signCpuMs: number[] }} RoundFigures
 */

/**
 * @param {{ log?: (s: string) => void, packageTgz?: string, waiting?: number[], events?: number, signs?: number,
 *   foreign?: number, rounds?: number, config?: string, quick?: boolean }} o
 */
async function runWaitBench(o = {}) {
	const log = o.log || ((/** @type {string} */ s) => process.stderr.write(`${s}\n`));
	const quick = !!o.quick;
	const sizes = o.waiting ?? DEFAULT_WAITING;
	const rounds = o.rounds ?? (quick ? 1 : 2);
	const eventsPerRound = o.events ?? (quick ? 2 : 3);
	const signsPerRound = o.signs ?? (quick ? 1 : 2);
	const foreignPerRound = o.foreign ?? (quick ? 30 : 100);
	const configName = o.config ?? 'defaults';
	const config = CONFIGS[/** @type {keyof typeof CONFIGS} */ (configName)];
	if (!config) throw new Error(`unknown n8n configuration ${configName}`);
	const started = Date.now();
	const loadBefore = machineLine();
	log(`  wait [${config.name}]: starting simulator + n8n with the packed package`);
	const stack = await startStack({
		// With 100 executions waiting n8n takes longer than the simulator's usual 10 s to answer
		// every delivery of an event; the bench measures how long, so it waits for all of them.
		simulator: { deliveryTimeoutMs: 600_000 },
		packageTgz: o.packageTgz,
		n8n: {
			env: {
				EXECUTIONS_DATA_PRUNE_MAX_COUNT: '0',
				// n8n answers every request 503 while a 'SELECT 1' takes over 5 s, which happens on a
				// shared 2-core machine while a hundred deliveries queue on SQLite.
				DB_PING_TIMEOUT_MS: '60000',
				...config.env,
			},
			logLevel: 'warn',
		},
	});
	try {
		const { n8n, sim } = stack;
		if (!n8n.api) throw new Error('setupOwner gave n8n no public API client');
		const api = /** @type {import('../e2e/lib/api').PublicApi} */ (n8n.api);
		const cpu = () => treeCpuSeconds(n8n.pid);
		const pool = await startWaitPool({ n8n, sim, log });
		const other = pool.otherDocument();

		/** Fires `count` events about a document no one waits on; CPU and fan-out per event. @param {number} n @param {number} count */
		async function measureEvents(n, count) {
			const cpuMs = [];
			const fanOutMs = [];
			for (let i = 0; i < count; i++) {
				const c0 = cpu();
				const t0 = performance.now();
				const deliveries = await sim.fire({ event: EVENT, documentId: other.documentId });
				fanOutMs.push(performance.now() - t0);
				cpuMs.push((cpu() - c0) * 1000);
				const ok = deliveries.filter((/** @type {any} */ d) => d.status === 200).length;
				if (deliveries.length !== n || ok !== n)
					throw new Error(
						`${EVENT} with ${n} waiting: ${deliveries.length} deliveries, ${ok} answered 200: ${JSON.stringify(deliveries.map((/** @type {any} */ d) => d.status))}`,
					);
			}
			const stillWaiting = await api.countExecutions(pool.workflowId, ['waiting']);
			if (stillWaiting !== n)
				throw new Error(`after events of other documents ${stillWaiting} of ${n} still wait`);
			return { cpuMs, fanOutMs };
		}

		/** Signs the oldest waited-on document; until its execution has finished. @param {number} n */
		async function measureSign(n) {
			const [documentId, w] = [...pool.waiting.entries()][0];
			const c0 = cpu();
			const t0 = Date.now();
			await sim.sign({ documentId });
			// The execution removes its registration when it goes on: watched in the simulator, so that
			// polling n8n adds nothing to the CPU measured.
			await sim.waitFor(() => !pool.registrationOf(documentId), {
				timeoutMs: 120_000,
				intervalMs: 20,
				what: `the registration of ${documentId} removed`,
			});
			const done = await api.waitForStatus(w.executionId, FINISHED, { timeoutMs: 120_000 });
			const signCpuMs = (cpu() - c0) * 1000;
			pool.waiting.delete(documentId);
			const signed = PublicApi.nodeOutput(done, SEND_AND_WAIT_NODES.completed);
			if (
				done.status !== 'success' ||
				signed.length !== 1 ||
				signed[0].json.documentId !== documentId
			)
				throw new Error(
					`${documentId} (${n} waiting): execution ${w.executionId} ${done.status}, "${SEND_AND_WAIT_NODES.completed}" got ${JSON.stringify(signed.map((/** @type {any} */ i) => i.json))}`,
				);
			return { signMs: Date.parse(done.stoppedAt) - t0, signCpuMs };
		}

		/** @type {Map<number, RoundFigures[]>} */
		const figures = new Map(sizes.map((n) => [n, []]));
		for (let r = 0; r < rounds; r++) {
			const order = r % 2 === 0 ? sizes : [...sizes].reverse();
			for (const n of order) {
				const t0 = Date.now();
				await pool.resize(n);
				log(
					`  wait round ${r + 1}: ${n} waiting (set up in ${Math.round((Date.now() - t0) / 1000)} s), load average ${fmt(os.loadavg()[0], 1)}`,
				);
				const { cpuMs, fanOutMs } = await measureEvents(n, eventsPerRound);
				/** @type {RoundFigures} */
				const round = { cpuMs, fanOutMs, signMs: [], signCpuMs: [] };
				for (let s = 0; s < signsPerRound; s++) {
					const m = await measureSign(n);
					round.signMs.push(m.signMs);
					round.signCpuMs.push(m.signCpuMs);
					await pool.resize(n);
				}
				/** @type {RoundFigures[]} */ (figures.get(n)).push(round);
				log(
					`  wait round ${r + 1}, ${n} waiting: n8n CPU ms per event ${cpuMs.map((x) => fmt(x, 0)).join(', ')}; all answered after ${fanOutMs.map((x) => fmt(x, 0)).join(', ')} ms; sign -> finished ${round.signMs.join(', ')} ms`,
				);
			}
		}
		let foreign;
		if (foreignPerRound > 0) {
			await pool.resize(1);
			const [documentId] = [...pool.waiting.keys()];
			foreign = await measureForeignDelivery({
				n8n,
				sim,
				waitCallbackUrl: pool.registrationOf(documentId).callbackUrl,
				otherDocumentId: other.documentId,
				count: foreignPerRound,
				rounds: Math.max(rounds * 2, 4),
				log,
			});
		}
		await pool.resize(0);

		/** Over all rounds (median of every sample), with the lowest and highest round's median. @param {number[][]} perRound */
		const spread = (perRound) => {
			const medians = perRound.map(median);
			return {
				value: median(perRound.flat()),
				low: Math.min(...medians),
				high: Math.max(...medians),
			};
		};
		const base = spread(/** @type {RoundFigures[]} */ (figures.get(sizes[0])).map((f) => f.cpuMs));
		const rows = sizes.map((n) => {
			const f = /** @type {RoundFigures[]} */ (figures.get(n));
			const cpuMs = spread(f.map((x) => x.cpuMs));
			return [
				String(n),
				ratioText(cpuMs, 1),
				fmt(cpuMs.value / n, 1),
				fmt(cpuMs.value / base.value, 1),
				ratioText(spread(f.map((x) => x.fanOutMs)), 0),
				ratioText(spread(f.map((x) => x.signMs)), 0),
				ratioText(spread(f.map((x) => x.signCpuMs)), 0),
			];
		});
		const text = [
			`Part 4 [${config.name}]: executions waiting at Send and Wait for Signature, one n8n 2.41.1 process; ${rounds} round(s) (order of N alternating), per round and N ${eventsPerRound} ${EVENT} event(s) about a team document no one waits on and ${signsPerRound} sign(s) of a waited-on document. Median over all rounds (lowest-highest round's median).`,
			table(
				[
					'executions waiting (N)',
					'n8n CPU ms per event',
					'per delivery',
					`vs N=${sizes[0]}`,
					'all N deliveries answered, ms',
					'sign -> execution finished, ms',
					'n8n CPU ms per sign',
				],
				rows,
			),
			'Each event is delivered to all N resume URLs; a sign sends two events (documentSigned, documentCompleted) and resumes one execution.',
			...(foreign ? [foreign.text] : []),
			`At the start: ${loadBefore}`,
			`At the end: ${machineLine()}`,
			`(wait took ${Math.round((Date.now() - started) / 1000)} s)`,
		].join('\n');
		return { text, ok: foreign?.ok ?? true };
	} finally {
		await stack.stop();
	}
}

/** @param {string[]} argv */
function parseWaitArgs(argv) {
	/** @type {Record<string, any>} */
	const o = {};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		const value = () => (inline !== undefined ? inline : argv[++i]);
		const whole = (/** @type {string} */ v) => {
			const n = Number(v);
			if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} takes whole numbers above 0`);
			return n;
		};
		if (flag === '--quick') o.quick = true;
		else if (flag === '--waiting') o.waiting = value().split(',').map(whole);
		else if (flag === '--events') o.events = whole(value());
		else if (flag === '--signs') o.signs = whole(value());
		else if (flag === '--foreign') {
			const given = value();
			o.foreign = given === '0' ? 0 : whole(given);
		} else if (flag === '--rounds') o.rounds = whole(value());
		else if (flag === '--n8n-config') o.config = value().split(',')[0];
		else throw new Error(`unknown argument ${argv[i]}`);
	}
	return o;
}

if (require.main === module) {
	runAsScript(() => runWaitBench(parseWaitArgs(process.argv.slice(2))));
}

module.exports = { runWaitBench, parseWaitArgs };
