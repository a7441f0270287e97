// @ts-check
'use strict';
/**
 * Large PDF files on disk for the upload tests and the file benchmark.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');

/**
 * Writes a PDF of exactly `size` bytes to `filePath` (a PDF header, random bytes with CR, LF and
 * dashes among them, `%%EOF`), chunk by chunk, and returns its SHA-256.
 * @param {string} filePath @param {number} size at least 64
 * @returns {Promise<{ filePath: string, size: number, sha256: string }>}
 */
async function writeLargePdf(filePath, size) {
	const head = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1');
	const tail = Buffer.from('\n%%EOF\n', 'latin1');
	const hash = crypto.createHash('sha256');
	const out = fs.openSync(filePath, 'w');
	try {
		const write = (/** @type {Buffer} */ b) => {
			hash.update(b);
			fs.writeSync(out, b);
		};
		write(head);
		for (let left = size - head.length - tail.length; left > 0;) {
			const chunk = crypto.randomBytes(Math.min(1024 * 1024, left));
			left -= chunk.length;
			write(chunk);
		}
		write(tail);
	} finally {
		fs.closeSync(out);
	}
	return { filePath, size, sha256: hash.digest('hex') };
}

module.exports = {
	writeLargePdf,
};
