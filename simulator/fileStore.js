// @ts-check
'use strict';

/**
 * Where uploads go: a temporary folder of the simulator, written while the request arrives and
 * hashed on the way, so a file of a hundred megabytes is never held in memory. Files the
 * simulator makes itself (signed pages, conversions) are small and stay in memory.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Readable } = require('node:stream');

/** What is kept in memory of every file: enough to sniff its type and to "convert" a text file. */
const HEAD_BYTES = 64 * 1024;

/**
 * @typedef {{ path: string, size: number, sha256: string, head: Buffer }} ReceivedFile
 *   an upload on disk, named by nothing yet
 * @typedef {{ size: number, head: Buffer, bytes?: Buffer, path?: string }} FileContent
 *   a stored file's bytes: in memory (`bytes`) or on disk (`path`)
 */

class FileStore {
	constructor() {
		/** @type {string | undefined} */
		this.dir = undefined;
		let seq = 0;
		this.nextName = () => `upload-${process.pid}-${++seq}`;
	}

	/** The folder, made on first use. */
	directory() {
		this.dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'circularo-sim-files-'));
		return this.dir;
	}

	/**
	 * A file being received: `write` each chunk in order (awaiting it keeps a slow disk from
	 * filling memory), then `end()` for the file, or `abort()` to drop it.
	 */
	sink() {
		const filePath = path.join(this.directory(), this.nextName());
		const fd = fs.openSync(filePath, 'w');
		const hash = crypto.createHash('sha256');
		/** @type {Buffer[]} */
		const head = [];
		let headSize = 0;
		let size = 0;
		let closed = false;
		const close = () => {
			if (!closed) fs.closeSync(fd);
			closed = true;
		};
		return {
			/** @param {Buffer} chunk */
			write: async (chunk) => {
				hash.update(chunk);
				size += chunk.length;
				if (headSize < HEAD_BYTES) {
					const piece = Buffer.from(chunk.subarray(0, HEAD_BYTES - headSize));
					head.push(piece);
					headSize += piece.length;
				}
				for (let at = 0; at < chunk.length;) {
					const { bytesWritten } = await writeAt(fd, chunk.subarray(at));
					at += bytesWritten;
				}
			},
			/** @returns {ReceivedFile} */
			end: () => {
				close();
				return { path: filePath, size, sha256: hash.digest('hex'), head: Buffer.concat(head) };
			},
			abort: () => {
				close();
				fs.rmSync(filePath, { force: true });
			},
		};
	}

	/** Removes the folder and every upload in it. */
	remove() {
		if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
		this.dir = undefined;
	}
}

/** @param {number} fd @param {Buffer} bytes @returns {Promise<{ bytesWritten: number }>} */
function writeAt(fd, bytes) {
	return new Promise((resolve, reject) =>
		fs.write(fd, bytes, (err, bytesWritten) => (err ? reject(err) : resolve({ bytesWritten }))),
	);
}

/**
 * The content of a file made in memory.
 * @param {Buffer} bytes @returns {FileContent}
 */
function inMemory(bytes) {
	return { bytes, size: bytes.length, head: bytes.subarray(0, HEAD_BYTES) };
}

/**
 * The bytes of a stored file as a stream (from disk for uploads).
 * @param {FileContent} file @returns {Readable}
 */
function openFile(file) {
	return file.bytes
		? Readable.from([file.bytes])
		: fs.createReadStream(/** @type {string} */ (file.path));
}

module.exports = { FileStore, HEAD_BYTES, inMemory, openFile };
