// @ts-check
'use strict';

/** Test helpers for the simulator tests: a plain HTTP client and a recording webhook receiver. */

const http = require('node:http');

/**
 * @typedef {{ status: number, headers: http.IncomingHttpHeaders, buffer: Buffer, text: string, json: any }} HttpResult
 */

/**
 * One HTTP request without keep-alive, bounded by a timeout.
 * @param {string} url
 * @param {{ method?: string, body?: unknown, rawBody?: string | Buffer, timeoutMs?: number, headers?: Record<string, string> }} [o]
 * @returns {Promise<HttpResult>}
 */
function request(url, o = {}) {
	return new Promise((resolve, reject) => {
		const payload =
			o.rawBody !== undefined ? Buffer.from(o.rawBody) : o.body !== undefined ? Buffer.from(JSON.stringify(o.body)) : null;
		/** @type {Record<string, string>} */
		const headers = { ...(o.headers ?? {}) };
		if (payload) {
			headers['content-type'] = headers['content-type'] ?? 'application/json';
			headers['content-length'] = String(payload.length);
		}
		const req = http.request(url, { method: o.method ?? 'GET', agent: false, headers });
		const timer = setTimeout(() => req.destroy(new Error(`request timeout: ${o.method ?? 'GET'} ${url}`)), o.timeoutMs ?? 5000);
		req.on('response', (res) => {
			/** @type {Buffer[]} */
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => {
				clearTimeout(timer);
				const buffer = Buffer.concat(chunks);
				const text = buffer.toString('utf8');
				let json;
				try {
					json = JSON.parse(text);
				} catch {
					json = undefined;
				}
				resolve({ status: res.statusCode ?? 0, headers: res.headers, buffer, text, json });
			});
			res.on('error', (err) => {
				clearTimeout(timer);
				reject(err);
			});
		});
		req.on('error', (err) => {
			clearTimeout(timer);
			reject(err);
		});
		req.end(payload ?? undefined);
	});
}

/**
 * Calls the simulated API with a token.
 * @param {{ apiUrl: string }} sim
 * @param {string} method
 * @param {string} path e.g. '/webhooks'
 * @param {string | null} token
 * @param {unknown} [body]
 */
function api(sim, method, path, token, body) {
	const url = new URL(sim.apiUrl + path);
	if (token !== null) url.searchParams.set('token', token);
	return request(url.toString(), { method, body });
}

/**
 * A loopback webhook receiver that records every request (raw bytes and headers).
 * @param {{ status?: number, delayMs?: number, hang?: boolean }} [behaviour]
 */
async function startReceiver(behaviour = {}) {
	/** @type {Array<{ method: string, url: string, headers: http.IncomingHttpHeaders, body: Buffer }>} */
	const requests = [];
	const state = { status: 200, delayMs: 0, hang: false, ...behaviour };
	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
			if (state.hang) return; // never answer
			setTimeout(() => {
				res.writeHead(state.status, { 'content-type': 'text/plain' });
				res.end('received');
			}, state.delayMs);
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
	return {
		url: `http://127.0.0.1:${port}/hook`,
		port,
		requests,
		state,
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve(undefined));
				server.closeAllConnections();
			}),
	};
}

/**
 * Registers a webhook through the API and returns the response JSON (asserting 200).
 * @param {{ apiUrl: string }} sim
 * @param {string} key
 * @param {Record<string, unknown>} body
 */
async function createWebhook(sim, key, body) {
	const r = await api(sim, 'POST', '/webhooks', key, body);
	if (r.status !== 200) throw new Error(`createWebhook: expected 200, got ${r.status} ${r.text}`);
	return r.json;
}

module.exports = { request, api, startReceiver, createWebhook };
