// @ts-check
'use strict';

/**
 * A small multipart/form-data parser (RFC 7578) for uploads, and the summary of a form that the
 * request log keeps (text fields verbatim, files as name, type, size and hash).
 */

const crypto = require('node:crypto');
const { ApiError } = require('./http');

/**
 * @typedef {{ name: string, filename: string | null, contentType: string | null, data: Buffer }} Part
 * @typedef {{ fields: Record<string, string>, files: Array<{ name: string, filename: string | null,
 *   contentType: string | null, size: number, sha256: string }> }} MultipartSummary
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

/**
 * @param {Buffer} body
 * @param {string} boundary
 * @returns {Part[]}
 */
function parseMultipart(body, boundary) {
	const bad = (/** @type {string} */ why) =>
		new ApiError(400, 'INVALID_MULTIPART', `Malformed multipart/form-data: ${why}`);
	const delimiter = Buffer.from(`--${boundary}`);
	let pos = body.indexOf(delimiter);
	if (pos < 0) throw bad('boundary not found');
	/** @type {Part[]} */
	const parts = [];
	for (;;) {
		pos += delimiter.length;
		if (body.subarray(pos, pos + 2).toString() === '--') return parts; // closing delimiter
		if (body.subarray(pos, pos + 2).toString() !== '\r\n')
			throw bad('expected CRLF after a boundary');
		pos += 2;
		const headerEnd = body.indexOf('\r\n\r\n', pos);
		if (headerEnd < 0) throw bad('part without a blank line after its headers');
		/** @type {Record<string, string>} */
		const headers = {};
		for (const line of body.subarray(pos, headerEnd).toString('utf8').split('\r\n')) {
			const colon = line.indexOf(':');
			if (colon > 0)
				headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
		}
		const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
		if (next < 0) throw bad('missing closing boundary');
		const disposition = headers['content-disposition'] ?? '';
		const name = headerParam(disposition, 'name');
		if (!/^form-data/i.test(disposition) || name === null)
			throw bad('part without Content-Disposition: form-data; name=...');
		parts.push({
			name,
			filename: headerParam(disposition, 'filename'),
			contentType: headers['content-type'] ?? null,
			data: body.subarray(headerEnd + 4, next),
		});
		pos = next + 2;
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
		if (p.filename === null) summary.fields[p.name] = p.data.toString('utf8');
		else {
			summary.files.push({
				name: p.name,
				filename: p.filename,
				contentType: p.contentType,
				size: p.data.length,
				sha256: crypto.createHash('sha256').update(p.data).digest('hex'),
			});
		}
	}
	return summary;
}

module.exports = { multipartBoundary, parseMultipart, summarise };
