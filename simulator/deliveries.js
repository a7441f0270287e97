// @ts-check
'use strict';

/**
 * Outgoing deliveries: an event becomes one POST of the exact JSON bytes to every webhook whose
 * scope covers the document, signed as documented (lowercase hex HMAC-SHA256 of the exact bytes
 * sent, header x-circularo-signature). Written independently of the node's verifier so the two
 * check each other.
 */

const crypto = require('node:crypto');
const http = require('node:http');
const https = require('node:https');

const { EVENTS, PAYLOAD_SHAPES, buildPayload } = require('./payloads');
const { ApiError, describeError } = require('./http');

const SIGNATURE_HEADER = 'x-circularo-signature';
const SIGNATURE_MODES = Object.freeze(['valid', 'missing', 'wrong', 'stale', 'otherSecret']);
const SIGNATURE_FORMATS = Object.freeze(['hex', 'upper', 'prefixed']);
const MAX_RESPONSE_BYTES = 64 * 1024;
const MAX_REPEAT = 100;

/**
 * @param {string} secret
 * @param {Buffer} bytes
 */
function hmacHex(secret, bytes) {
	return crypto.createHmac('sha256', secret).update(bytes).digest('hex');
}

/**
 * Is this URL's host a loopback address (127.0.0.0/8, ::1, localhost)?
 * @param {URL} url
 */
function isLoopbackUrl(url) {
	const h = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
	return (
		h === 'localhost' ||
		h.endsWith('.localhost') ||
		h === '::1' ||
		/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
	);
}

/**
 * The header value to send for a signature mode, or null for no header.
 * @param {{ mode: string, format?: string, secret: string | null, body: Buffer, staleBody: Buffer }} o
 * @returns {string | null}
 */
function signatureFor(o) {
	if (!o.secret) return null; // unsigned webhook: never a header
	/** @type {string | null} */
	let hex;
	switch (o.mode) {
		case 'valid':
			hex = hmacHex(o.secret, o.body);
			break;
		case 'missing':
			return null;
		case 'wrong':
			hex = crypto.randomBytes(32).toString('hex');
			break;
		case 'stale':
			hex = hmacHex(o.secret, o.staleBody);
			break;
		case 'otherSecret':
			hex = hmacHex(o.secret + '#not-the-registered-secret', o.body);
			break;
		default:
			throw new RangeError(
				`unknown signature mode "${o.mode}" (known: ${SIGNATURE_MODES.join(', ')})`,
			);
	}
	switch (o.format ?? 'hex') {
		case 'hex':
			return hex;
		case 'upper':
			return hex.toUpperCase();
		case 'prefixed':
			return 'sha256=' + hex;
		default:
			throw new RangeError(
				`unknown signature format "${o.format}" (known: ${SIGNATURE_FORMATS.join(', ')})`,
			);
	}
}

/**
 * @typedef {{ status: number | null, latencyMs: number, responseBody: string | null, error?: string }} PostResult
 */

/**
 * POSTs bytes to a URL with a hard timeout. Never rejects.
 * @param {{ url: string, body: Buffer, headers: Record<string, string>, timeoutMs: number,
 *   track: Set<import('node:http').ClientRequest> }} o
 * @returns {Promise<PostResult>}
 */
function postBytes(o) {
	const started = performance.now();
	return new Promise((resolve) => {
		let settled = false;
		/** @param {Omit<PostResult, 'latencyMs'>} r */
		const finish = (r) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			o.track.delete(req);
			resolve({ ...r, latencyMs: Math.round((performance.now() - started) * 10) / 10 });
		};
		/** @type {import('node:http').ClientRequest} */
		let req;
		try {
			const url = new URL(o.url);
			const mod = url.protocol === 'https:' ? https : http;
			req = mod.request(url, {
				method: 'POST',
				agent: false,
				headers: { ...o.headers, 'content-length': String(o.body.length), connection: 'close' },
			});
		} catch (err) {
			resolve({
				status: null,
				latencyMs: 0,
				responseBody: null,
				error: /** @type {Error} */ (err).message,
			});
			return;
		}
		o.track.add(req);
		const timer = setTimeout(() => {
			finish({
				status: null,
				responseBody: null,
				error: `timeout: no complete response within ${o.timeoutMs} ms`,
			});
			req.destroy();
		}, o.timeoutMs);
		req.on('response', (res) => {
			/** @type {Buffer[]} */
			const chunks = [];
			let size = 0;
			res.on('data', (c) => {
				if (size < MAX_RESPONSE_BYTES) chunks.push(c);
				size += c.length;
			});
			res.on('end', () => {
				finish({
					status: res.statusCode ?? null,
					responseBody: Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8'),
				});
			});
			res.on('error', (err) =>
				finish({ status: res.statusCode ?? null, responseBody: null, error: err.message }),
			);
		});
		req.on('error', (err) => finish({ status: null, responseBody: null, error: err.message }));
		req.end(o.body);
	});
}

/**
 * @typedef {import('./state').Delivery} Delivery
 * @typedef {import('./state').Actor} Actor
 * @typedef {import('./seed').DocumentRecord} DocumentRecord
 * @typedef {import('./state').SimulatorState} Simulator
 * @typedef {{ event: string, documentId?: string, shape?: string, signature?: string,
 *   signatureFormat?: string, actor?: string | Actor, tenant?: string, team?: string, repeat?: number,
 *   parallel?: boolean, body?: Buffer | string | object, at?: Date | number | string, webhookId?: string,
 *   allowUnknownEvent?: boolean }} FireOptions
 */

/**
 * @param {string | undefined} value
 * @param {string} what for the message
 * @param {readonly string[]} known the first is the default
 */
function choice(value, what, known) {
	const v = value ?? known[0];
	if (!known.includes(v))
		throw new ApiError(
			400,
			'INVALID_FIRE',
			`fire: unknown ${what} "${v}" (known: ${known.join(', ')})`,
		);
	return v;
}

/**
 * The document an event is about: the given id, or the first live document of the tenant/team.
 * @param {Simulator} sim
 * @param {FireOptions} opts
 */
function resolveFireDocument(sim, opts) {
	if (opts.documentId !== undefined) {
		const doc = sim.documents.get(opts.documentId);
		if (!doc)
			throw new ApiError(404, 'DOCUMENT_NOT_FOUND', `fire: unknown document "${opts.documentId}"`);
		if (opts.tenant !== undefined && opts.tenant !== doc.tenant) {
			throw new ApiError(
				400,
				'INVALID_FIRE',
				`fire: document "${doc.documentId}" belongs to tenant "${doc.tenant}"`,
			);
		}
		return doc;
	}
	const tenant = opts.tenant ?? 'acme';
	if (!sim.tenants.has(tenant))
		throw new ApiError(400, 'INVALID_FIRE', `fire: unknown tenant "${tenant}"`);
	const doc = [...sim.documents.values()].find(
		(d) => d.tenant === tenant && !d.deleted && (opts.team === undefined || d.team === opts.team),
	);
	if (!doc)
		throw new ApiError(
			404,
			'DOCUMENT_NOT_FOUND',
			`fire: no document in tenant "${tenant}"${opts.team ? ` team "${opts.team}"` : ''}`,
		);
	return doc;
}

/**
 * Fires an event: POSTs it to every webhook whose scope covers the document and returns the
 * deliveries (also appended to `sim.deliveries`).
 * @param {Simulator} sim
 * @param {FireOptions} opts
 * @returns {Promise<Delivery[]>}
 */
async function fire(sim, opts) {
	if (sim.stopped) throw new Error('simulator is stopped');
	if (!opts || typeof opts !== 'object')
		throw new ApiError(400, 'INVALID_FIRE', 'fire: an options object is required');
	const { event } = opts;
	if (typeof event !== 'string' || event === '')
		throw new ApiError(400, 'INVALID_FIRE', 'fire: "event" is required');
	if (!EVENTS.includes(event) && !opts.allowUnknownEvent) {
		throw new ApiError(
			400,
			'INVALID_FIRE',
			`fire: unknown event "${event}" (pass allowUnknownEvent: true to send it anyway)`,
		);
	}
	const shape = choice(opts.shape, 'shape', PAYLOAD_SHAPES);
	const mode = choice(opts.signature, 'signature mode', SIGNATURE_MODES);
	const format = choice(opts.signatureFormat, 'signature format', SIGNATURE_FORMATS);
	const repeat = opts.repeat ?? 1;
	if (!Number.isInteger(repeat) || repeat < 1 || repeat > MAX_REPEAT) {
		throw new ApiError(
			400,
			'INVALID_FIRE',
			`fire: "repeat" must be an integer from 1 to ${MAX_REPEAT}`,
		);
	}
	const doc = resolveFireDocument(sim, opts);
	const actor = sim.resolveActor(opts.actor, doc);
	const at = opts.at === undefined ? new Date() : new Date(opts.at);
	if (Number.isNaN(at.getTime()))
		throw new ApiError(400, 'INVALID_FIRE', 'fire: invalid "at" timestamp');

	sim.applyEvent(doc, event, actor, at);
	return deliverEvent(sim, {
		doc,
		event,
		actor,
		at,
		shape,
		mode,
		format,
		repeat,
		parallel: opts.parallel,
		body: opts.body,
		webhookId: opts.webhookId,
	});
}

/**
 * POSTs one event about a document to every webhook whose scope covers it.
 * @param {Simulator} sim
 * @param {{ doc: DocumentRecord, event: string, actor: Actor, at?: Date, shape?: string, mode?: string, format?: string,
 *   repeat?: number, parallel?: boolean, body?: FireOptions['body'], webhookId?: string }} o
 * @returns {Promise<Delivery[]>}
 */
async function deliverEvent(sim, o) {
	const { doc, event, actor } = o;
	const at = o.at ?? new Date();
	const shape = o.shape ?? PAYLOAD_SHAPES[0];
	const mode = o.mode ?? SIGNATURE_MODES[0];
	const input = { event, documentId: doc.documentId, documentTitle: doc.documentTitle, actor };
	/** @type {Buffer} */
	let body;
	if (o.body === undefined)
		body = Buffer.from(JSON.stringify(buildPayload(shape, { ...input, at })), 'utf8');
	else if (Buffer.isBuffer(o.body)) body = o.body;
	else if (typeof o.body === 'string') body = Buffer.from(o.body, 'utf8');
	else body = Buffer.from(JSON.stringify(o.body), 'utf8');
	let staleBody = Buffer.from(
		JSON.stringify(buildPayload(shape, { ...input, at: at.getTime() - 60_000 })),
		'utf8',
	);
	if (staleBody.equals(body)) staleBody = Buffer.concat([staleBody, Buffer.from(' ')]);

	const targets = sim.webhooks.filter(
		(w) =>
			w.tenant === doc.tenant &&
			(w.type === 'tenant' || (doc.team !== null && w.team === doc.team)) &&
			(o.webhookId === undefined || w.id === o.webhookId),
	);
	const bodyText = body.toString('utf8');
	const perWebhook = await Promise.all(
		targets.map(async (w) => {
			// Computed once per webhook, so a repeat really is the identical request.
			const signature = signatureFor({
				mode,
				format: o.format,
				secret: w.hmacSecret,
				body,
				staleBody,
			});
			/** @type {Record<string, string>} */
			const headers = {
				'content-type': 'application/json',
				'user-agent': 'Circularo-Simulator/1.0',
			};
			if (signature !== null) headers[SIGNATURE_HEADER] = signature;
			/** @param {number} attempt @returns {Promise<Delivery>} */
			const deliverOnce = async (attempt) => {
				const started = new Date().toISOString();
				const result = await postToWebhook(sim, w.callbackUrl, body, headers);
				/** @type {Delivery} */
				const d = {
					webhookId: w.id,
					url: w.callbackUrl,
					status: result.status,
					latencyMs: result.latencyMs,
					body: bodyText,
					signature,
					responseBody: result.responseBody,
					event,
					documentId: doc.documentId,
					shape,
					signatureMode: mode,
					attempt,
					at: started,
				};
				if (result.error) d.error = result.error;
				sim.pushLog(sim.deliveries, d);
				sim.logLine(
					`[sim] delivery ${event} (${doc.documentId}) -> ${w.callbackUrl}: ${d.status ?? d.error} (${d.latencyMs} ms)`,
				);
				return d;
			};
			const attempts = Array.from({ length: o.repeat ?? 1 }, (_, i) => i + 1);
			if (o.parallel) return Promise.all(attempts.map(deliverOnce));
			/** @type {Delivery[]} */
			const out = [];
			for (const a of attempts) out.push(await deliverOnce(a));
			return out;
		}),
	);
	if (targets.length === 0)
		sim.logLine(`[sim] ${event} (${doc.documentId}): no webhook covers this document`);
	return perWebhook.flat();
}

/**
 * Delivers events a change caused (default shape, valid signature), after every event emitted
 * before them, as Circularo sends webhooks after answering the API call. Events still queued
 * when the simulator is reset are dropped. Never rejects.
 * @param {Simulator} sim
 * @param {DocumentRecord} doc
 * @param {Array<{ event: string, actor: Actor }>} emitted
 * @returns {Promise<Delivery[]>}
 */
function emit(sim, doc, emitted) {
	const generation = sim.generation;
	const run = sim.emitting.then(async () => {
		/** @type {Delivery[]} */
		const out = [];
		for (const e of emitted) {
			if (sim.generation !== generation) break; // reset since: that world is gone
			out.push(...(await deliverEvent(sim, { doc, event: e.event, actor: e.actor })));
		}
		return out;
	});
	const safe = run.catch((err) => {
		sim.logLine(`[sim] delivery failed: ${describeError(err)}`);
		return /** @type {Delivery[]} */ ([]);
	});
	sim.emitting = safe;
	return safe;
}

/**
 * One POST to a callback URL, unless the simulator stopped or the URL is remote and remote
 * callbacks are not allowed.
 * @param {Simulator} sim
 * @param {string} callbackUrl
 * @param {Buffer} body
 * @param {Record<string, string>} headers
 * @returns {Promise<PostResult>}
 */
async function postToWebhook(sim, callbackUrl, body, headers) {
	if (sim.stopped)
		return { status: null, latencyMs: 0, responseBody: null, error: 'simulator stopped' };
	/** @type {URL | null} */
	let url;
	try {
		url = new URL(callbackUrl);
	} catch {
		url = null;
	}
	if (url && !isLoopbackUrl(url) && !sim.options.allowRemoteCallbacks) {
		return {
			status: null,
			latencyMs: 0,
			responseBody: null,
			error:
				'not delivered: the simulator only delivers to loopback callback URLs (start it with allowRemoteCallbacks / --allow-remote-callbacks)',
		};
	}
	return postBytes({
		url: callbackUrl,
		body,
		headers,
		timeoutMs: sim.options.deliveryTimeoutMs,
		track: sim.inflight,
	});
}

module.exports = {
	SIGNATURE_HEADER,
	SIGNATURE_MODES,
	SIGNATURE_FORMATS,
	hmacHex,
	isLoopbackUrl,
	signatureFor,
	postBytes,
	fire,
	deliverEvent,
	emit,
};
