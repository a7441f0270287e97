// @ts-check
'use strict';

/**
 * The simulated API under /api/v1: routing, the request log and fault injection. The routes
 * themselves live in routes/, one module per area.
 */

const fs = require('node:fs');
const http = require('node:http');

const { API_PREFIX } = require('./faults');
const {
	MAX_JSON_BYTES,
	ApiError,
	describeError,
	matchPattern,
	readBody,
	parseJson,
	sendJson,
	sendFile,
} = require('./http');
const { multipartBoundary, readMultipart, summarise } = require('./multipart');
const { noteDocuments } = require('./readLag');

/** Circularo takes scanned contracts of tens of megabytes; the simulator takes files to 200 MB. */
const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
const REDACTED_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

/** @type {import('./routes/types').Route[]} */
const ROUTES = [
	...require('./routes/auth').routes,
	...require('./routes/webhooks').routes,
	...require('./routes/documents').routes,
	...require('./routes/files').routes,
	...require('./routes/search').routes,
	...require('./routes/share').routes,
	...require('./routes/signingLinks').routes,
	...require('./routes/reminders').routes,
	...require('./routes/templates').routes,
];

/**
 * @param {unknown} body
 * @returns {unknown}
 */
function redactBody(body) {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
	/** @type {Record<string, unknown>} */
	const copy = { ...body };
	for (const k of ['password', 'hmacSecret', 'token'])
		if (copy[k] !== undefined && copy[k] !== null) copy[k] = '[redacted]';
	return copy;
}

/**
 * The request headers for the log, credentials redacted.
 * @param {http.IncomingHttpHeaders} headers
 */
function loggedHeaders(headers) {
	/** @type {Record<string, string>} */
	const out = {};
	for (const [k, v] of Object.entries(headers)) {
		if (v !== undefined)
			out[k] = REDACTED_HEADERS.has(k) ? '[redacted]' : Array.isArray(v) ? v.join(', ') : v;
	}
	return out;
}

/**
 * Reads the body: a multipart form (parts, its files on disk, summarised in the log) or JSON (a
 * GET's broken body is ignored).
 * @param {import('./index').CircularoSimulator} sim
 * @param {http.IncomingMessage} req
 * @param {string} method
 * @param {import('./state').RequestLogEntry} entry
 */
async function readRequestBody(sim, req, method, entry) {
	const boundary = multipartBoundary(req.headers['content-type']);
	if (boundary !== null) {
		const parts = await readMultipart(req, boundary, {
			maxBytes: MAX_UPLOAD_BYTES,
			newSink: () => sim.fileStore.sink(),
		});
		entry.multipart = summarise(parts);
		return { body: undefined, parts };
	}
	const bytes = await readBody(req, MAX_JSON_BYTES);
	/** @type {unknown} */
	let body;
	try {
		body = parseJson(bytes);
	} catch (err) {
		if (method !== 'GET') throw err;
	}
	if (body !== undefined) entry.body = redactBody(body);
	return { body, parts: undefined };
}

/**
 * Finds the route of a request (404 unknown path, 405 known path with another method).
 * @param {string} method
 * @param {string} apiPath path relative to /api/v1
 * @param {string} fullPath for messages
 */
function findRoute(method, apiPath, fullPath) {
	const matches = ROUTES.map(([m, p, handler]) => ({
		m,
		handler,
		params: matchPattern(p, apiPath),
	})).filter((r) => r.params);
	const route = matches.find((r) => r.m === method);
	if (!route) {
		throw matches.length
			? new ApiError(405, 'METHOD_NOT_ALLOWED', `Method ${method} is not allowed on ${fullPath}`)
			: new ApiError(404, 'NOT_FOUND', `No such endpoint: ${method} ${fullPath}`);
	}
	return { handler: route.handler, params: /** @type {Record<string, string>} */ (route.params) };
}

/**
 * @param {import('./index').CircularoSimulator} sim
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 * @param {URL} url
 */
async function handleApi(sim, req, res, url) {
	const method = (req.method ?? 'GET').toUpperCase();
	let apiPath = url.pathname.slice(API_PREFIX.length) || '/';
	if (apiPath.length > 1 && apiPath.endsWith('/')) apiPath = apiPath.slice(0, -1);
	const started = performance.now();
	/** @type {Record<string, string>} */
	const query = {};
	for (const [k, v] of url.searchParams) query[k] = k === 'token' ? '[redacted]' : v;
	/** @type {import('./state').RequestLogEntry} */
	const entry = {
		method,
		path: url.pathname,
		query,
		headers: loggedHeaders(req.headers),
		status: null,
		at: new Date().toISOString(),
	};
	sim.pushLog(sim.requests, entry);

	/** @param {number | null} status */
	const done = (status) => {
		entry.status = status;
		entry.durationMs = Math.round((performance.now() - started) * 10) / 10;
		sim.logLine(
			`[sim] ${method} ${url.pathname} -> ${status ?? 'dropped'} (${entry.durationMs} ms)${entry.fault ? ' [fault]' : ''}`,
		);
	};
	const drop = () => {
		entry.dropped = true;
		done(null);
		req.socket.destroy();
	};

	const fault = sim.faultTable.take(method, apiPath);
	if (fault) entry.fault = fault.id;
	/** Applies a fault's outcome; returns true when it answered (or dropped). */
	const applyFault = async () => {
		if (!fault) return false;
		if (fault.delayMs) await sim.sleep(fault.delayMs);
		if (sim.stopped || fault.drop) {
			drop();
			return true;
		}
		if (fault.status === undefined) return false;
		/** @type {Record<string, string>} */
		const headers =
			fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
		const message =
			fault.message ??
			`Simulated fault: HTTP ${fault.status} ${http.STATUS_CODES[fault.status] ?? ''}`.trim();
		done(fault.status);
		sendJson(res, fault.status, { error: { code: 'SIMULATED_FAULT', message } }, headers);
		return true;
	};

	if (fault && !fault.afterHandling && (await applyFault())) return;

	/** @type {import('./routes/types').RouteResult} */
	let result;
	/** @type {import('./multipart').Part[] | undefined} */
	let parts;
	try {
		const { handler, params } = findRoute(method, apiPath, url.pathname);
		const read = await readRequestBody(sim, req, method, entry);
		parts = read.parts;
		noteDocuments(sim);
		result = await handler({ sim, url, params, body: read.body, parts, method });
	} catch (err) {
		if (err instanceof ApiError) result = { status: err.status, json: err.toJson() };
		else {
			sim.logLine(`[sim] internal error: ${describeError(err)}`);
			result = {
				status: 500,
				json: { error: { code: 'INTERNAL', message: 'Simulator internal error' } },
			};
		}
	}

	// An upload no stored file points at (a refused request, or bytes stored already) goes.
	for (const p of parts ?? [])
		if (p.file && sim.files.get(p.file.sha256)?.path !== p.file.path)
			fs.rmSync(p.file.path, { force: true });

	if (fault && fault.afterHandling && (await applyFault())) return;
	if (sim.stopped) return drop();

	done(result.status);
	if (result.file)
		sendFile(res, result.status, result.file, {
			contentType: result.contentType ?? 'application/octet-stream',
			filename: result.filename,
			declareLength: sim.variants.fileLength === 'declared',
		});
	else sendJson(res, result.status, result.json ?? {});
}

module.exports = { handleApi };
