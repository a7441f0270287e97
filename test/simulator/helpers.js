// @ts-check
'use strict';

/**
 * Test helpers for the simulator tests: a plain HTTP client, uploads and documents through the
 * API, a structural PDF check and a recording webhook receiver.
 */

const http = require('node:http');
const { buildPdf, startSimulator } = require('../../simulator');
const { request: httpRequest } = require('../../e2e/lib/http');

/**
 * @typedef {{ status: number, headers: http.IncomingHttpHeaders, buffer: Buffer, text: string, json: any }} HttpResult
 */

/**
 * One HTTP request without keep-alive, bounded by a timeout (the harness's request, with the
 * simulator tests' defaults: JSON bodies, 5 s).
 * @param {string} url
 * @param {{ method?: string, body?: unknown, rawBody?: string | Buffer, timeoutMs?: number, headers?: Record<string, string> }} [o]
 * @returns {Promise<HttpResult>}
 */
async function request(url, o = {}) {
	const body =
		o.rawBody !== undefined
			? Buffer.from(o.rawBody)
			: o.body !== undefined
				? Buffer.from(JSON.stringify(o.body))
				: undefined;
	const headers = { ...(o.headers ?? {}) };
	if (body) headers['content-type'] = headers['content-type'] ?? 'application/json';
	const r = await httpRequest(o.method ?? 'GET', url, {
		headers,
		body,
		timeoutMs: o.timeoutMs ?? 5000,
		agent: /** @type {any} */ (false),
	});
	return { status: r.status, headers: r.headers, buffer: r.body, text: r.text, json: r.json };
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
			requests.push({
				method: req.method ?? '',
				url: req.url ?? '',
				headers: req.headers,
				body: Buffer.concat(chunks),
			});
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
 * @typedef {Awaited<ReturnType<typeof startSimulator>>} Simulator
 * @typedef {Awaited<ReturnType<typeof startReceiver>>} Receiver
 */

/**
 * Jest hooks for a test file (or describe block): one simulator, and a receiver if asked, for all
 * its tests; before each test the previous test's deliveries are awaited, then both are reset.
 * @param {(sim: Simulator, rx: Receiver) => void} ready gets them once started
 * @param {{ receiver?: boolean, options?: import('../../simulator/state').SimulatorOptions }} [o]
 */
function useSimulator(ready, o = {}) {
	/** @type {Simulator | undefined} */
	let sim;
	/** @type {Receiver | undefined} */
	let rx;
	beforeAll(async () => {
		sim = await startSimulator({ port: 0, log: false, ...o.options });
		if (o.receiver) rx = await startReceiver();
		ready(sim, /** @type {Receiver} */ (rx));
	});
	afterAll(async () => {
		await sim?.stop();
		await rx?.close();
	});
	beforeEach(async () => {
		await sim?.settled(); // a delivery of the previous test may still be on its way
		sim?.reset();
		if (rx) {
			rx.requests.length = 0;
			Object.assign(rx.state, { status: 200, delayMs: 0, hang: false });
		}
	});
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

/**
 * Downloads a stored file by its hash (GET /files/loadFile/hash/:hash).
 * @param {{ apiUrl: string }} sim
 * @param {string} hash
 * @param {string} key
 */
function loadFile(sim, hash, key) {
	return api(sim, 'GET', `/files/loadFile/hash/${hash}`, key);
}

/**
 * Structural PDF check written for the test: header, %%EOF, startxref pointing at the xref
 * table, every in-use xref entry pointing at "<n> 0 obj", and stream /Length matching.
 * @param {Buffer} buf
 */
function checkPdf(buf) {
	const s = buf.toString('latin1');
	expect(s.startsWith('%PDF-1.')).toBe(true);
	expect(s.trimEnd().endsWith('%%EOF')).toBe(true);
	const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(s);
	expect(m).not.toBeNull();
	const xrefAt = Number(/** @type {RegExpExecArray} */ (m)[1]);
	expect(s.startsWith('xref', xrefAt)).toBe(true);
	const head = /^xref\r?\n0 (\d+)\r?\n/.exec(s.slice(xrefAt));
	expect(head).not.toBeNull();
	const count = Number(/** @type {RegExpExecArray} */ (head)[1]);
	const entriesAt = xrefAt + /** @type {RegExpExecArray} */ (head)[0].length;
	expect(count).toBeGreaterThan(1);
	for (let i = 0; i < count; i++) {
		const entry = s.slice(entriesAt + i * 20, entriesAt + (i + 1) * 20);
		expect(entry).toMatch(/^\d{10} \d{5} [nf](\r\n| \n| \r)$/);
		if (i === 0) {
			expect(entry.startsWith('0000000000 65535 f')).toBe(true);
			continue;
		}
		const offset = Number(entry.slice(0, 10));
		expect(s.startsWith(`${i} 0 obj`, offset)).toBe(true);
	}
	const trailer = s.slice(entriesAt + count * 20);
	expect(trailer).toMatch(new RegExp(`^trailer\\s*<<[^]*/Size ${count}[^]*/Root 1 0 R`));
	for (const sm of s.matchAll(/<< \/Length (\d+) >>\nstream\n/g)) {
		const start = /** @type {number} */ (sm.index) + sm[0].length;
		expect(s.indexOf('endstream', start)).toBe(start + Number(sm[1]));
	}
	return s;
}

/**
 * `POST /files/saveFile` through fetch's own multipart encoder (independent of the simulator's parser).
 * @param {{ apiUrl: string }} sim
 * @param {string} key
 * @param {{ data: Buffer | string, filename?: string, contentType?: string, fileName?: string | null }} o
 *   `fileName: null` leaves the field out
 */
async function upload(sim, key, o) {
	const form = new FormData();
	form.append(
		'file',
		new Blob([typeof o.data === 'string' ? o.data : new Uint8Array(o.data)], {
			type: o.contentType ?? 'application/pdf',
		}),
		o.filename ?? 'upload.pdf',
	);
	if (o.fileName !== null) form.append('fileName', o.fileName ?? 'Uploaded file');
	const res = await fetch(`${sim.apiUrl}/files/saveFile?token=${encodeURIComponent(key)}`, {
		method: 'POST',
		body: form,
	});
	const text = await res.text();
	return { status: res.status, json: JSON.parse(text) };
}

/**
 * Uploads a PDF and creates a document from it (asserting success); returns `results[0]`.
 * @param {{ apiUrl: string }} sim
 * @param {string} key
 * @param {{ title?: string, documentType?: string, fields?: Record<string, unknown>, pdf?: Buffer }} [o]
 */
async function createDocument(sim, key, o = {}) {
	const title = o.title ?? 'Contract';
	const up = await upload(sim, key, {
		data: o.pdf ?? buildPdf({ title, lines: ['Original text'] }),
		fileName: title,
	});
	if (up.status !== 200) throw new Error(`upload: ${up.status} ${JSON.stringify(up.json)}`);
	const r = await api(sim, 'POST', '/documents', key, {
		body: {
			documentType: o.documentType ?? 'd_default',
			documentTitle: title,
			pdfFile: { content: up.json.file.id, _content_type: 'application/pdf' },
			...o.fields,
		},
		definitionType: 'ext',
		workflow: 'wf_archive',
	});
	if (r.status !== 200) throw new Error(`createDocument: ${r.status} ${r.text}`);
	return r.json.results[0];
}

module.exports = {
	request,
	api,
	startReceiver,
	useSimulator,
	createWebhook,
	loadFile,
	checkPdf,
	upload,
	createDocument,
};
