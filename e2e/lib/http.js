// @ts-check
'use strict';
/**
 * Small HTTP helpers for the end-to-end harness: bounded requests, bounded polling, free
 * loopback ports, and `postConcurrent` for load (statuses and latencies).
 * Only loopback addresses are meant to be used with these.
 */

const http = require('node:http');
const net = require('node:net');

/**
 * @typedef {object} HttpResult
 * @property {number} status   HTTP status, or 0 when no answer came (see `error`)
 * @property {Record<string, string | string[] | undefined>} headers
 * @property {Buffer} body
 * @property {string} text
 * @property {any} json        parsed body, or undefined when it is not JSON
 * @property {number} ms       latency from send to the end of the answer
 * @property {string} [error]  network error or timeout
 */

/**
 * One HTTP request over node:http (exact request bytes, no automatic redirects).
 * Never rejects for HTTP statuses; rejects on network errors or timeout unless `noThrow`.
 * @param {string} method
 * @param {string} url
 * @param {{ headers?: Record<string, string>, body?: string | Buffer | object, timeoutMs?: number, agent?: http.Agent, noThrow?: boolean }} [o]
 * @returns {Promise<HttpResult>}
 */
function request(method, url, o = {}) {
	const headers = { ...(o.headers || {}) };
	/** @type {Buffer | undefined} */
	let body;
	if (Buffer.isBuffer(o.body)) body = o.body;
	else if (typeof o.body === 'string') body = Buffer.from(o.body);
	else if (o.body !== undefined) {
		body = Buffer.from(JSON.stringify(o.body));
		if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
			headers['content-type'] = 'application/json';
	}
	if (body) headers['content-length'] = String(body.length);
	const timeoutMs = o.timeoutMs ?? 30_000;
	const started = process.hrtime.bigint();
	const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
	return new Promise((resolve, reject) => {
		/** @param {string} msg */
		const fail = (msg) => {
			if (o.noThrow)
				resolve({
					status: 0,
					headers: {},
					body: Buffer.alloc(0),
					text: '',
					json: undefined,
					ms: elapsed(),
					error: msg,
				});
			else reject(new Error(`${method} ${url}: ${msg}`));
		};
		const req = http.request(url, { method, headers, agent: o.agent }, (res) => {
			/** @type {Buffer[]} */
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('error', (e) => fail(e.message));
			res.on('end', () => {
				clearTimeout(timer);
				const buf = Buffer.concat(chunks);
				const text = buf.toString('utf8');
				let json;
				try {
					json = text ? JSON.parse(text) : undefined;
				} catch {
					json = undefined;
				}
				resolve({
					status: res.statusCode || 0,
					headers: res.headers,
					body: buf,
					text,
					json,
					ms: elapsed(),
				});
			});
		});
		const timer = setTimeout(() => {
			req.destroy(new Error(`timed out after ${timeoutMs} ms`));
		}, timeoutMs);
		req.on('error', (e) => {
			clearTimeout(timer);
			fail(e.message);
		});
		req.end(body);
	});
}

/**
 * Polls `fn` until it returns a truthy value (which is returned), bounded by `timeoutMs`.
 * Errors thrown by `fn` count as "not yet"; the last one is reported on timeout.
 * @template T
 * @param {() => Promise<T> | T} fn
 * @param {{ timeoutMs?: number, intervalMs?: number, what?: string }} [o]
 * @returns {Promise<NonNullable<T>>}
 */
async function waitFor(fn, o = {}) {
	const timeoutMs = o.timeoutMs ?? 30_000;
	const intervalMs = o.intervalMs ?? 250;
	const deadline = Date.now() + timeoutMs;
	let last;
	for (let i = 0; ; i++) {
		try {
			const v = await fn();
			if (v) return /** @type {NonNullable<T>} */ (v);
			last = undefined;
		} catch (e) {
			last = e;
		}
		if (Date.now() + intervalMs > deadline) {
			const why = last ? `: ${/** @type {Error} */ (last).message}` : '';
			throw new Error(
				`timed out after ${timeoutMs} ms waiting for ${o.what || 'a condition'}${why}`,
			);
		}
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}

/** Ports handed out by this process, so two instances started together never get the same one. */
const handedOut = new Set();

/**
 * A free TCP port on 127.0.0.1 (asks the kernel for one; never the same twice per process).
 * @returns {Promise<number>}
 */
async function freePort() {
	for (let i = 0; i < 50; i++) {
		const port = await new Promise((resolve, reject) => {
			const srv = net.createServer();
			srv.unref();
			srv.on('error', reject);
			srv.listen(0, '127.0.0.1', () => {
				const a = srv.address();
				const p = typeof a === 'object' && a ? a.port : 0;
				srv.close(() => resolve(p));
			});
		});
		if (!handedOut.has(port)) {
			handedOut.add(port);
			return port;
		}
	}
	throw new Error('could not find a free port in 50 tries');
}

/** @param {number[]} sorted ascending @param {number} p 0..100 */
function percentile(sorted, p) {
	if (sorted.length === 0) return NaN;
	const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[idx];
}

/**
 * @typedef {{ url: string, method?: string, headers?: Record<string, string>, body?: string | Buffer | object }} RequestSpec
 * @typedef {object} LoadResult
 * @property {{ status: number, ms: number, error?: string, tag?: any }[]} results  in request order
 * @property {Record<string, number>} statuses  count per status ("0" = no answer)
 * @property {{ p50: number, p90: number, p99: number, max: number, mean: number }} latencyMs
 * @property {number} wallMs     first request sent to last answer received
 * @property {number} perSecond  answers per second over wallMs
 */

/**
 * Sends requests with at most `concurrency` in flight, over keep-alive connections.
 * `requests` is an array, or `{ count, make(i) }` to build each request lazily (bodies for
 * thousands of requests need not sit in memory at once). A spec may carry `tag` (kept in the
 * result, e.g. "forged"). Bounded: each request by `timeoutMs`, the whole run by `totalTimeoutMs`
 * (requests not started by then are reported with status 0 and error "not sent").
 * @param {(RequestSpec & { tag?: any })[] | { count: number, make: (i: number) => RequestSpec & { tag?: any } }} requests
 * @param {number} concurrency
 * @param {{ timeoutMs?: number, totalTimeoutMs?: number }} [o]
 * @returns {Promise<LoadResult>}
 */
async function postConcurrent(requests, concurrency, o = {}) {
	const count = Array.isArray(requests) ? requests.length : requests.count;
	const make = Array.isArray(requests) ? (/** @type {number} */ i) => requests[i] : requests.make;
	const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
	const totalDeadline = Date.now() + (o.totalTimeoutMs ?? 30 * 60_000);
	/** @type {LoadResult['results']} */
	const results = new Array(count);
	let next = 0;
	const started = Date.now();
	const worker = async () => {
		for (;;) {
			const i = next++;
			if (i >= count) return;
			const spec = make(i);
			if (Date.now() > totalDeadline) {
				results[i] = { status: 0, ms: 0, error: 'not sent', tag: spec.tag };
				continue;
			}
			const r = await request(spec.method || 'POST', spec.url, {
				headers: spec.headers,
				body: spec.body,
				timeoutMs: o.timeoutMs ?? 30_000,
				agent,
				noThrow: true,
			});
			results[i] = { status: r.status, ms: r.ms, error: r.error, tag: spec.tag };
		}
	};
	try {
		await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
	} finally {
		agent.destroy();
	}
	const wallMs = Date.now() - started;
	/** @type {Record<string, number>} */
	const statuses = {};
	for (const r of results) statuses[r.status] = (statuses[r.status] || 0) + 1;
	const lat = results
		.filter((r) => r.status !== 0)
		.map((r) => r.ms)
		.sort((a, b) => a - b);
	const mean = lat.length ? lat.reduce((a, b) => a + b, 0) / lat.length : NaN;
	return {
		results,
		statuses,
		latencyMs: {
			p50: percentile(lat, 50),
			p90: percentile(lat, 90),
			p99: percentile(lat, 99),
			max: lat[lat.length - 1] ?? NaN,
			mean,
		},
		wallMs,
		perSecond: count / (wallMs / 1000),
	};
}

module.exports = { request, waitFor, freePort, percentile, postConcurrent };
