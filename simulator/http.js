// @ts-check
'use strict';

/**
 * HTTP plumbing shared by the simulated API and the control API: errors as JSON, body reading,
 * path patterns, answers.
 */

const { pipeline } = require('node:stream');
const { openFile } = require('./fileStore');

const MAX_JSON_BYTES = 1024 * 1024;

class ApiError extends Error {
	/**
	 * @param {number} status
	 * @param {string} code
	 * @param {string} message
	 * @param {Record<string, unknown>} [extra] more fields of the error body
	 */
	constructor(status, code, message, extra) {
		super(message);
		this.status = status;
		this.code = code;
		this.extra = extra;
	}

	/** The JSON error body: `{ error: { code, message, ... } }`. */
	toJson() {
		return { error: { code: this.code, message: this.message, ...this.extra } };
	}
}

/** @param {string} address */
function isLoopbackAddress(address) {
	const a = String(address || '');
	return a === '::1' || a.startsWith('127.') || a.startsWith('::ffff:127.');
}

/** For logs: the stack of an Error, or the thing itself. @param {unknown} err */
const describeError = (err) => (err instanceof Error ? (err.stack ?? err.message) : String(err));

/** @param {unknown} v */
const nonEmpty = (v) => typeof v === 'string' && v.trim() !== '';

/** @param {unknown} v @returns {v is Record<string, any>} */
const isObject = (v) => Boolean(v) && typeof v === 'object' && !Array.isArray(v);

/**
 * Matches `/webhooks/:id` against `/webhooks/abc`, returning the parameters.
 * @param {string} pattern
 * @param {string} path
 * @returns {Record<string, string> | null}
 */
function matchPattern(pattern, path) {
	const a = pattern.split('/');
	const b = path.split('/');
	if (a.length !== b.length) return null;
	/** @type {Record<string, string>} */
	const params = {};
	for (let i = 0; i < a.length; i++) {
		if (a[i].startsWith(':')) {
			if (b[i] === '') return null;
			try {
				params[a[i].slice(1)] = decodeURIComponent(b[i]);
			} catch {
				return null;
			}
		} else if (a[i] !== b[i]) return null;
	}
	return params;
}

/**
 * Reads a request body, refusing (413) more than `maxBytes`.
 * @param {import('node:http').IncomingMessage} req
 * @param {number} maxBytes
 * @returns {Promise<Buffer>}
 */
function readBody(req, maxBytes) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		let failed = false;
		req.on('data', (c) => {
			size += c.length;
			if (size > maxBytes) {
				if (!failed)
					reject(new ApiError(413, 'BODY_TOO_LARGE', `Request body larger than ${maxBytes} bytes`));
				failed = true;
				return;
			}
			chunks.push(c);
		});
		req.on('end', () => {
			if (!failed) resolve(Buffer.concat(chunks));
		});
		req.on('error', reject);
	});
}

/**
 * Parses a JSON body; an empty body is `undefined`.
 * @param {Buffer} bytes
 * @returns {unknown}
 */
function parseJson(bytes) {
	const text = bytes.toString('utf8');
	if (text.trim() === '') return undefined;
	try {
		return JSON.parse(text);
	} catch {
		throw new ApiError(400, 'INVALID_JSON', 'Request body is not valid JSON');
	}
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<unknown>}
 */
async function readJsonBody(req) {
	return parseJson(await readBody(req, MAX_JSON_BYTES));
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} json
 * @param {Record<string, string>} [headers]
 */
function sendJson(res, status, json, headers = {}) {
	if (res.headersSent || res.destroyed) return;
	const body = Buffer.from(JSON.stringify(json), 'utf8');
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': body.length,
		...headers,
	});
	res.end(body);
}

/**
 * Answers with a stored file, streamed from where it is kept; without a Content-Length (chunked)
 * when `declareLength` is false.
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {import('./fileStore').FileContent} file
 * @param {{ contentType: string, filename?: string, declareLength: boolean }} how
 */
function sendFile(res, status, file, { contentType, filename, declareLength }) {
	if (res.headersSent || res.destroyed) return;
	/** @type {Record<string, string | number>} */
	const headers = { 'content-type': contentType };
	if (declareLength) headers['content-length'] = file.size;
	if (filename) {
		// RFC 6266: an ASCII fallback, and the exact name percent-encoded as UTF-8.
		const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
		headers['content-disposition'] =
			`inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename).replace(/['()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())}`;
	}
	res.writeHead(status, headers);
	// A client that goes away ends the read of the file too.
	pipeline(openFile(file), res, () => undefined);
}

module.exports = {
	MAX_JSON_BYTES,
	ApiError,
	describeError,
	isLoopbackAddress,
	nonEmpty,
	isObject,
	matchPattern,
	readBody,
	parseJson,
	readJsonBody,
	sendJson,
	sendFile,
};
