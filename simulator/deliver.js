// @ts-check
'use strict';

/**
 * Outgoing deliveries: POST of the exact JSON bytes to a webhook's callbackUrl, signed as
 * documented (lowercase hex HMAC-SHA256 of the exact bytes sent, header x-circularo-signature).
 * Written independently of the node's verifier so the two check each other.
 */

const crypto = require('node:crypto');
const http = require('node:http');
const https = require('node:https');

const SIGNATURE_HEADER = 'x-circularo-signature';
const SIGNATURE_MODES = Object.freeze(['valid', 'missing', 'wrong', 'stale', 'otherSecret']);
const SIGNATURE_FORMATS = Object.freeze(['hex', 'upper', 'prefixed']);
const MAX_RESPONSE_BYTES = 64 * 1024;

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
	return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
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
			throw new RangeError(`unknown signature mode "${o.mode}" (known: ${SIGNATURE_MODES.join(', ')})`);
	}
	switch (o.format ?? 'hex') {
		case 'hex':
			return hex;
		case 'upper':
			return hex.toUpperCase();
		case 'prefixed':
			return 'sha256=' + hex;
		default:
			throw new RangeError(`unknown signature format "${o.format}" (known: ${SIGNATURE_FORMATS.join(', ')})`);
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
			resolve({ status: null, latencyMs: 0, responseBody: null, error: /** @type {Error} */ (err).message });
			return;
		}
		o.track.add(req);
		const timer = setTimeout(() => {
			finish({ status: null, responseBody: null, error: `timeout: no complete response within ${o.timeoutMs} ms` });
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
			res.on('error', (err) => finish({ status: res.statusCode ?? null, responseBody: null, error: err.message }));
		});
		req.on('error', (err) => finish({ status: null, responseBody: null, error: err.message }));
		req.end(o.body);
	});
}

module.exports = { SIGNATURE_HEADER, SIGNATURE_MODES, SIGNATURE_FORMATS, hmacHex, isLoopbackUrl, signatureFor, postBytes };
