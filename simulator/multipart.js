// @ts-check
'use strict';

/**
 * A streaming multipart/form-data parser (RFC 7578) for uploads: text fields are kept in memory,
 * each file goes to the file store as it arrives (hashed on the way), so an upload of any size
 * costs the simulator a few chunks of memory. Also the summary of a form that the request log
 * keeps (text fields verbatim, files as name, type, size and hash).
 */

const { ApiError } = require('./http');

/** A text field larger than this is refused; files have no limit here but the body's. */
const MAX_FIELD_BYTES = 1024 * 1024;
const MAX_HEADER_BYTES = 16 * 1024;

/**
 * @typedef {import('./fileStore').ReceivedFile} ReceivedFile
 * @typedef {{ name: string, filename: string | null, contentType: string | null, data: Buffer,
 *   file?: ReceivedFile }} Part  a text field has `data`; a file part has `file` (and empty `data`)
 * @typedef {{ fields: Record<string, string>, files: Array<{ name: string, filename: string | null,
 *   contentType: string | null, size: number, sha256: string }> }} MultipartSummary
 * @typedef {ReturnType<import('./fileStore').FileStore['sink']>} FileSink
 */

/**
 * The boundary of a multipart/form-data content type, or null for any other type.
 * @param {string | undefined} contentType
 */
function multipartBoundary(contentType) {
	if (!contentType || !/^multipart\/form-data\s*(;|$)/i.test(contentType)) return null;
	const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	if (!m) throw new ApiError(400, 'INVALID_MULTIPART', 'multipart/form-data without a boundary');
	return m[1] ?? m[2];
}

/**
 * A header parameter such as `name="file"` of a Content-Disposition value.
 * @param {string} header
 * @param {string} key
 */
function headerParam(header, key) {
	const m = new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"|;\\s*${key}=([^;\\s]+)`, 'i').exec(
		header,
	);
	if (!m) return null;
	return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2];
}

/** @param {string} why */
const malformed = (why) =>
	new ApiError(400, 'INVALID_MULTIPART', `Malformed multipart/form-data: ${why}`);

/**
 * The part a header block starts.
 * @param {Buffer} block the header lines, without the blank line
 * @returns {Part}
 */
function partOf(block) {
	/** @type {Record<string, string>} */
	const headers = {};
	for (const line of block.toString('utf8').split('\r\n')) {
		const colon = line.indexOf(':');
		if (colon > 0)
			headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	const disposition = headers['content-disposition'] ?? '';
	const name = headerParam(disposition, 'name');
	if (!/^form-data/i.test(disposition) || name === null)
		throw malformed('part without Content-Disposition: form-data; name=...');
	return {
		name,
		filename: headerParam(disposition, 'filename'),
		contentType: headers['content-type'] ?? null,
		data: Buffer.alloc(0),
	};
}

/**
 * Reads a form from `body` (a request) as it arrives. Files go to sinks from `newSink()`;
 * on any error every file received so far is dropped.
 * @param {AsyncIterable<Buffer>} body
 * @param {string} boundary
 * @param {{ maxBytes: number, newSink: () => FileSink }} o
 * @returns {Promise<Part[]>}
 */
async function readMultipart(body, boundary, o) {
	const delimiter = Buffer.from(`--${boundary}`);
	const nextDelimiter = Buffer.from(`\r\n--${boundary}`);
	/** @type {Part[]} */
	const parts = [];
	/** @type {FileSink[]} */
	const sinks = [];
	/** Where the parser is; `advance()` moves it (so TypeScript does not narrow it here). */
	let state = /** @type {'preamble' | 'afterDelimiter' | 'headers' | 'body' | 'done'} */ (
		String('preamble')
	);
	/** @type {Part | undefined} */
	let part;
	/** @type {FileSink | undefined} */
	let sink;
	/** @type {Buffer[]} */
	let fieldChunks = [];
	let fieldSize = 0;
	/** @type {Buffer} */
	let pending = Buffer.alloc(0);
	let total = 0;

	/** @param {Buffer} bytes */
	const toPart = async (bytes) => {
		if (bytes.length === 0) return;
		if (sink) return sink.write(bytes);
		fieldSize += bytes.length;
		if (fieldSize > MAX_FIELD_BYTES)
			throw malformed(`a text field larger than ${MAX_FIELD_BYTES} bytes`);
		fieldChunks.push(bytes);
	};
	const endPart = () => {
		const done = /** @type {Part} */ (part);
		if (sink) done.file = sink.end();
		else done.data = Buffer.concat(fieldChunks);
		parts.push(done);
		part = undefined;
		sink = undefined;
		fieldChunks = [];
		fieldSize = 0;
	};
	/** Consumes what `pending` allows; returns when it needs more bytes. */
	const advance = async () => {
		for (;;) {
			if (state === 'preamble') {
				const at = pending.indexOf(delimiter);
				if (at < 0) {
					pending = pending.subarray(Math.max(0, pending.length - delimiter.length + 1));
					return;
				}
				pending = pending.subarray(at + delimiter.length);
				state = 'afterDelimiter';
			} else if (state === 'afterDelimiter') {
				if (pending.length < 2) return;
				const next = pending.subarray(0, 2).toString('latin1');
				if (next === '--') {
					state = 'done';
					return;
				}
				if (next !== '\r\n') throw malformed('expected CRLF after a boundary');
				pending = pending.subarray(2);
				state = 'headers';
			} else if (state === 'headers') {
				const end = pending.indexOf('\r\n\r\n');
				if (end < 0) {
					if (pending.length > MAX_HEADER_BYTES)
						throw malformed('part without a blank line after its headers');
					return;
				}
				part = partOf(pending.subarray(0, end));
				if (part.filename !== null) {
					sink = o.newSink();
					sinks.push(sink);
				}
				pending = pending.subarray(end + 4);
				state = 'body';
			} else if (state === 'body') {
				const at = pending.indexOf(nextDelimiter);
				if (at < 0) {
					// Keep what could be the start of the next delimiter.
					const safe = Math.max(0, pending.length - nextDelimiter.length + 1);
					await toPart(pending.subarray(0, safe));
					pending = pending.subarray(safe);
					return;
				}
				await toPart(pending.subarray(0, at));
				endPart();
				pending = pending.subarray(at + nextDelimiter.length);
				state = 'afterDelimiter';
			} else return;
		}
	};

	try {
		for await (const chunk of body) {
			total += chunk.length;
			if (total > o.maxBytes)
				throw new ApiError(413, 'BODY_TOO_LARGE', `Request body larger than ${o.maxBytes} bytes`);
			if (state === 'done') continue; // the epilogue
			// Copy only the few bytes left over; a chunk on its own is used as it came.
			pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
			await advance();
		}
		if (state === 'preamble') throw malformed('boundary not found');
		if (state === 'headers') throw malformed('part without a blank line after its headers');
		if (state !== 'done') throw malformed('missing closing boundary');
		return parts;
	} catch (error) {
		for (const s of sinks) s.abort();
		throw error;
	}
}

/**
 * What the request log keeps of a form.
 * @param {Part[]} parts
 * @returns {MultipartSummary}
 */
function summarise(parts) {
	/** @type {MultipartSummary} */
	const summary = { fields: {}, files: [] };
	for (const p of parts) {
		if (!p.file) summary.fields[p.name] = p.data.toString('utf8');
		else {
			summary.files.push({
				name: p.name,
				filename: p.filename,
				contentType: p.contentType,
				size: p.file.size,
				sha256: p.file.sha256,
			});
		}
	}
	return summary;
}

module.exports = { multipartBoundary, readMultipart, summarise };
