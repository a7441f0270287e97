#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Command line of the Circularo simulator.
 *
 *   node simulator/cli.js [--port 8787] [--host 127.0.0.1] [--quiet] [--allow-remote-callbacks]
 *   node simulator/cli.js fire --event documentCompleted [--document doc-sales-1] [--shape default]
 *                              [--signature valid] [--repeat 1] [--url http://127.0.0.1:8787]
 *   node simulator/cli.js sign --document <id> | --latest [--as <email>] | reject --document <id> | --latest [--as <email>] [--reason <text>]
 *   node simulator/cli.js state | reset | document --title T [--team Sales] | fault --path /webhooks --status 503 | clear-faults
 */

const { parseArgs } = require('node:util');
const {
	startSimulator,
	EVENTS,
	PAYLOAD_SHAPES,
	SIGNATURE_MODES,
	CANCEL_SHARE,
} = require('./index');

const DEFAULT_PORT = 8787;
const CONTROL_TIMEOUT_MS = 120_000;

const USAGE = `Circularo simulator

Start it:
  npm run simulator [-- --port ${DEFAULT_PORT} --host 127.0.0.1 --quiet --allow-remote-callbacks]
                    [--variant fileIdKey=id|fileId|hash] [--variant searchTotal=total|hitsTotal|none]
                    [--variant shareResponse=array|results] [--variant readResponse=results|bare]
                    [--variant fileLength=declared|chunked] [--variant readLagMs=<ms>]
  (env CIRCULARO_SIM_PORT sets the default port)

API (under /api/v1, API key in the "token" query parameter):
  POST /login, POST|GET /api/key, DELETE /api/key/:key, POST|GET /webhooks, DELETE /webhooks/:id,
  POST /files/saveFile (multipart: file, fileName), GET /files/loadFile/hash/:hash,
  GET /definitions/documents, POST /documents, GET /documents/:id, GET /documents/:id/audit,
  DELETE /documents?hardDelete=false|true, POST /search, POST /share, ${CANCEL_SHARE.method} ${CANCEL_SHARE.path} (cancel)

Talk to a running simulator (--url defaults to http://127.0.0.1:<CIRCULARO_SIM_PORT or ${DEFAULT_PORT}>):
  npm run simulator -- fire --event <event> [--document <id>] [--shape <shape>] [--signature <mode>]
                            [--repeat <n>] [--actor <username>] [--tenant <id>] [--team <name>] [--json]
  npm run simulator -- sign --document <id> [--as <email>]       a recipient signs (the next one by default)
  npm run simulator -- reject --document <id> [--as <email>] [--reason <text>]
  npm run simulator -- expire --document <id>     its sign request expires (signExpired)
                      (--latest instead of --document: the newest document with an open sign request)
  npm run simulator -- undelivered      deliveries that did not arrive (n8n away); never sent again
  npm run simulator -- state            print webhooks, documents, faults and recent deliveries
  npm run simulator -- reset            back to the seeded state
  npm run simulator -- document --title "My contract" [--team Sales]
  npm run simulator -- fault --path /webhooks [--method POST] [--status 503 | --drop] [--delay-ms 2000]
                             [--times 1] [--after-handling]
  npm run simulator -- clear-faults

Events:     ${EVENTS.join(', ')}
Shapes:     ${PAYLOAD_SHAPES.join(', ')}
Signatures: ${SIGNATURE_MODES.join(', ')}
`;

/** @param {string | undefined} v @param {string} what */
function toInt(v, what) {
	if (v === undefined) return undefined;
	const n = Number(v);
	if (!Number.isInteger(n)) throw new UsageError(`${what} must be an integer, got "${v}"`);
	return n;
}

class UsageError extends Error {}

function defaultPort() {
	const env = process.env.CIRCULARO_SIM_PORT;
	return env !== undefined && env !== ''
		? (toInt(env, 'CIRCULARO_SIM_PORT') ?? DEFAULT_PORT)
		: DEFAULT_PORT;
}

/**
 * @param {string} baseUrl
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 */
async function control(baseUrl, method, path, body) {
	const url = baseUrl.replace(/\/+$/, '') + path;
	/** @type {Response} */
	let res;
	try {
		res = await fetch(url, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS),
		});
	} catch (err) {
		const e = /** @type {any} */ (err);
		throw new Error(
			`cannot reach the simulator at ${baseUrl} (${e.cause?.code ?? e.message}). Is it running?`,
		);
	}
	const text = await res.text();
	/** @type {any} */
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = text;
	}
	if (!res.ok) throw new Error(`simulator answered ${res.status}: ${json?.error?.message ?? text}`);
	return json;
}

/**
 * `--variant key=value` options as an object.
 * @param {string[]} list
 * @returns {Record<string, string>}
 */
function parseVariants(list) {
	/** @type {Record<string, string>} */
	const out = {};
	for (const item of list) {
		const m = /^(\w+)=(\w+)$/.exec(item);
		if (!m) throw new UsageError(`--variant takes key=value, got "${item}"`);
		out[m[1]] = m[2];
	}
	return out;
}

/** @param {string[]} argv */
async function runStart(argv) {
	const { values } = parseArgs({
		args: argv,
		options: {
			port: { type: 'string' },
			host: { type: 'string' },
			quiet: { type: 'boolean' },
			'allow-remote-callbacks': { type: 'boolean' },
			'delivery-timeout-ms': { type: 'string' },
			variant: { type: 'string', multiple: true },
			help: { type: 'boolean', short: 'h' },
		},
	});
	if (values.help) {
		process.stdout.write(USAGE);
		return;
	}
	const port = toInt(values.port, '--port') ?? defaultPort();
	const host = values.host ?? '127.0.0.1';
	const sim = await startSimulator({
		port,
		host,
		log: values.quiet ? false : (line) => console.log(line),
		allowRemoteCallbacks: Boolean(values['allow-remote-callbacks']),
		deliveryTimeoutMs: toInt(values['delivery-timeout-ms'], '--delivery-timeout-ms'),
		variants: parseVariants(values.variant ?? []),
	}).catch((err) => {
		throw err && err.code === 'INVALID_VARIANTS' ? new UsageError(err.message) : err;
	});
	const k = sim.keys;
	const docs = sim.listDocuments().filter((d) => d.tenant === 'acme');
	const url = sim.baseUrl;
	const portArg = sim.port === DEFAULT_PORT ? '' : ` --url ${url}`;
	console.log(`Circularo simulator listening on ${url}

  Server URL (for the Circularo API credential): ${url}
  API root:               ${sim.apiUrl}
  Team admin API key:     ${k.teamAdmin}   (team admin of "${sim.teams[0]}")
  Global admin API key:   ${k.globalAdmin}
  More keys (plain user, no use_webhooks right, other team, webhooks disabled, other tenant): GET ${url}/_sim/state
  Seeded documents: ${docs.map((d) => `${d.documentId} (${d.team})`).join(', ')}
  Open sign requests: ${docs
		.filter((d) => d.waitingFor.length > 0)
		.map((d) => `${d.documentId} waits for ${d.waitingFor.join(', ')}`)
		.join('; ')}

Fire an event from a second terminal:
  npm run simulator -- fire${portArg} --event documentCompleted --document doc-sales-1
  curl -s -X POST ${url}/_sim/fire -H 'content-type: application/json' -d '{"event":"documentCompleted","documentId":"doc-sales-1"}'
  Events: ${EVENTS.join(', ')}
  Options: --shape ${PAYLOAD_SHAPES.join('|')}  --signature ${SIGNATURE_MODES.join('|')}  --repeat N
Let a recipient act: npm run simulator -- sign${portArg} --document doc-sales-1   (or reject ... --reason "...")
Deliveries go to loopback callback URLs only${sim.options.allowRemoteCallbacks ? ' (remote callbacks allowed)' : ' (--allow-remote-callbacks to lift this)'}.
Stop with Ctrl+C.`);
	if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
		console.log(`Warning: listening on ${host}; the API keys above are fixed dev keys.`);
	}

	let stopping = false;
	/** @param {string} signal */
	const shutdown = (signal) => {
		if (stopping) return;
		stopping = true;
		console.log(`\n${signal} received, stopping the simulator.`);
		const force = setTimeout(() => process.exit(1), 5000);
		force.unref();
		sim.stop().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', () => shutdown('SIGINT'));
	process.on('SIGTERM', () => shutdown('SIGTERM'));
}

/**
 * The newest document that waits for a recipient (documents are listed in the order they were
 * made), for `sign --latest` and `reject --latest`.
 * @param {string} base
 * @returns {Promise<string>}
 */
async function newestOpenDocument(base) {
	const s = await control(base, 'GET', '/_sim/state');
	const open = s.documents.filter((/** @type {any} */ d) => !d.deleted && d.waitingFor.length > 0);
	if (open.length === 0) throw new Error('no document waits for a recipient (nothing to --latest)');
	return open[open.length - 1].documentId;
}

/** @param {any[]} deliveries */
function printDeliveries(deliveries) {
	if (deliveries.length === 0) {
		console.log(
			'No webhook covers this document: nothing was delivered. Register a webhook first (activate the n8n workflow).',
		);
		return;
	}
	for (const d of deliveries) {
		const outcome = d.status !== null ? `HTTP ${d.status}` : `failed: ${d.error}`;
		const sig = d.signature ? `signed (${d.signatureMode})` : 'unsigned';
		console.log(
			`${d.event} ${d.documentId} -> ${d.url}  ${outcome}  ${d.latencyMs} ms  ${sig}  attempt ${d.attempt}`,
		);
	}
}

/** @param {string} cmd @param {string[]} argv */
async function runClient(cmd, argv) {
	const { values } = parseArgs({
		args: argv,
		options: {
			url: { type: 'string' },
			event: { type: 'string', short: 'e' },
			document: { type: 'string', short: 'd' },
			shape: { type: 'string' },
			signature: { type: 'string' },
			'signature-format': { type: 'string' },
			repeat: { type: 'string' },
			parallel: { type: 'boolean' },
			actor: { type: 'string' },
			tenant: { type: 'string' },
			team: { type: 'string' },
			body: { type: 'string' },
			title: { type: 'string' },
			as: { type: 'string' },
			reason: { type: 'string' },
			latest: { type: 'boolean' },
			path: { type: 'string' },
			method: { type: 'string' },
			status: { type: 'string' },
			drop: { type: 'boolean' },
			'delay-ms': { type: 'string' },
			times: { type: 'string' },
			'after-handling': { type: 'boolean' },
			json: { type: 'boolean' },
		},
	});
	const base = values.url ?? `http://127.0.0.1:${defaultPort()}`;
	switch (cmd) {
		case 'fire': {
			if (!values.event) throw new UsageError(`fire needs --event (one of: ${EVENTS.join(', ')})`);
			const r = await control(base, 'POST', '/_sim/fire', {
				event: values.event,
				documentId: values.document,
				shape: values.shape,
				signature: values.signature,
				signatureFormat: values['signature-format'],
				repeat: toInt(values.repeat, '--repeat'),
				parallel: values.parallel,
				actor: values.actor,
				tenant: values.tenant,
				team: values.team,
				body: values.body,
			});
			if (values.json) console.log(JSON.stringify(r.deliveries, null, 2));
			else printDeliveries(r.deliveries);
			return;
		}
		case 'sign':
		case 'reject': {
			if (values.document && values.latest)
				throw new UsageError(`${cmd} takes --document <id> or --latest, not both`);
			if (!values.document && !values.latest)
				throw new UsageError(`${cmd} needs --document <id> (or --latest)`);
			const documentId = values.document ?? (await newestOpenDocument(base));
			const r = await control(base, 'POST', `/_sim/${cmd}`, {
				documentId,
				as: values.as,
				reason: values.reason,
			});
			if (values.json) {
				console.log(JSON.stringify(r, null, 2));
				return;
			}
			const d = r.document;
			console.log(
				`${r.share.sharedUsername} ${cmd === 'sign' ? 'acted on' : 'rejected'} ${d.documentId}: events ${r.events.join(', ')}; state ${d.shareStateName}; waiting for ${d.waitingFor.join(', ') || 'nobody'}`,
			);
			printDeliveries(r.deliveries);
			return;
		}
		case 'expire': {
			if (!values.document && !values.latest)
				throw new UsageError('expire needs --document <id> (or --latest)');
			const documentId = values.document ?? (await newestOpenDocument(base));
			const r = await control(base, 'POST', '/_sim/expire', { documentId });
			if (values.json) console.log(JSON.stringify(r, null, 2));
			else {
				console.log(`${documentId}: sign request expired; state ${r.document.shareStateName}`);
				printDeliveries(r.deliveries);
			}
			return;
		}
		case 'undelivered': {
			const r = await control(base, 'GET', '/_sim/undelivered');
			if (values.json) console.log(JSON.stringify(r.results, null, 2));
			else {
				console.log(`Undelivered (not retried, as Circularo retries none): ${r.results.length}`);
				if (r.results.length > 0) printDeliveries(r.results);
			}
			return;
		}
		case 'state': {
			const s = await control(base, 'GET', '/_sim/state');
			if (values.json) {
				console.log(JSON.stringify(s, null, 2));
				return;
			}
			console.log(`Simulator at ${s.baseUrl}`);
			console.log(`Webhooks (${s.webhooks.length}):`);
			for (const w of s.webhooks) {
				console.log(
					`  ${w.id}  ${w.tenant}/${w.type}${w.name ? ' ' + w.name : ''}  ${w.callbackUrl}  ${w.hmacSecret ? 'signed' : 'unsigned'}  by ${w.creator}`,
				);
			}
			console.log('Documents:');
			for (const d of s.documents) {
				const waiting = d.waitingFor.length ? `  waiting for ${d.waitingFor.join(', ')}` : '';
				console.log(
					`  ${d.documentId}  ${d.tenant}/${d.team ?? '-'}  ${d.shareStateName ?? 'not shared'}${d.deleted ? ' (deleted)' : ''}  v${d._version}  "${d.documentTitle}"${waiting}`,
				);
			}
			console.log(`Faults (${s.faults.length}):`);
			for (const f of s.faults)
				console.log(
					`  ${f.id}  ${f.method} ${f.path}  ${JSON.stringify({ status: f.status, delayMs: f.delayMs, drop: f.drop, remaining: f.remaining, afterHandling: f.afterHandling })}`,
				);
			console.log(
				`Deliveries: ${s.deliveries.length} (last 10 below); API requests: ${s.requests.length}`,
			);
			printDeliveries(s.deliveries.slice(-10));
			return;
		}
		case 'reset':
			await control(base, 'POST', '/_sim/reset');
			console.log('Simulator reset to its seeded state.');
			return;
		case 'document': {
			const d = await control(base, 'POST', '/_sim/documents', {
				title: values.title,
				team: values.team,
				tenant: values.tenant,
			});
			console.log(
				values.json
					? JSON.stringify(d, null, 2)
					: `Created ${d.documentId} "${d.documentTitle}" in ${d.tenant}/${d.team}`,
			);
			return;
		}
		case 'fault': {
			if (!values.path)
				throw new UsageError('fault needs --path (for example /webhooks or /webhooks/:id)');
			const f = await control(base, 'POST', '/_sim/faults', {
				path: values.path,
				method: values.method,
				status: toInt(values.status, '--status'),
				drop: values.drop,
				delayMs: toInt(values['delay-ms'], '--delay-ms'),
				times: toInt(values.times, '--times'),
				afterHandling: values['after-handling'],
			});
			console.log(`Fault ${f.id} set: ${f.method} ${f.path}`);
			return;
		}
		case 'clear-faults': {
			const r = await control(base, 'DELETE', '/_sim/faults');
			console.log(`Cleared ${r.cleared} fault(s).`);
			return;
		}
		default:
			throw new UsageError(`unknown command "${cmd}"`);
	}
}

async function main() {
	const [first, ...rest] = process.argv.slice(2);
	if (first === 'help' || first === '--help' || first === '-h') {
		process.stdout.write(USAGE);
		return;
	}
	if (first === undefined || first === 'start' || first.startsWith('-')) {
		await runStart(first === 'start' ? rest : process.argv.slice(2));
		return;
	}
	await runClient(first, rest);
}

main().catch((err) => {
	if (
		err instanceof UsageError ||
		(err && err.code && String(err.code).startsWith('ERR_PARSE_ARGS'))
	) {
		console.error(`Usage error: ${err.message}\n`);
		process.stderr.write(USAGE);
		process.exit(2);
	}
	console.error(`Error: ${err && err.message ? err.message : err}`);
	process.exit(1);
});
