// @ts-check
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const { Readable } = require('node:stream');
const { readMultipart } = require('../../simulator/multipart');
const { FileStore } = require('../../simulator/fileStore');
const { useSimulator } = require('./helpers');

/** @type {import('./helpers').Simulator} */
let sim;

useSimulator((s) => (sim = s));

const MB = 1024 * 1024;
const BOUNDARY = 'large-file-test-boundary';

/** A form of one text field and one file, as three pieces: before the file, the file, after it. */
function formAround(/** @type {string} */ fileName) {
	return {
		head: Buffer.from(
			`--${BOUNDARY}\r\nContent-Disposition: form-data; name="fileName"\r\n\r\n${fileName}\r\n` +
				`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
		),
		tail: Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
	};
}

/**
 * `size` bytes starting with %PDF-, made and hashed chunk by chunk and full of CR, LF and dashes
 * (the bytes of a delimiter), streamed as they are made.
 * @param {number} size
 */
function pdfChunks(size) {
	const hash = crypto.createHash('sha256');
	const pattern = Buffer.from(`\r\n--${BOUNDARY.slice(0, 10)}\r\n-`);
	async function* chunks() {
		let sent = 0;
		for (let i = 0; sent < size; i++) {
			const n = Math.min(256 * 1024, size - sent);
			const chunk = crypto.randomBytes(n);
			if (i === 0) chunk.write('%PDF-1.7\n', 0, 'latin1');
			for (let at = 4096; at + pattern.length < n; at += 65_537) pattern.copy(chunk, at);
			hash.update(chunk);
			sent += n;
			yield chunk;
		}
	}
	return { chunks, sha256: () => hash.digest('hex') };
}

/** @param {string} url @param {AsyncIterable<Buffer>} body @returns {Promise<any>} */
function postStream(url, body) {
	return new Promise((resolve, reject) => {
		const req = http.request(
			url,
			{
				method: 'POST',
				headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
				agent: false,
			},
			(res) => {
				const chunks = /** @type {Buffer[]} */ ([]);
				res.on('data', (c) => chunks.push(c));
				res.on('end', () =>
					resolve({ status: res.statusCode, json: JSON.parse(Buffer.concat(chunks).toString()) }),
				);
			},
		);
		req.on('error', reject);
		Readable.from(body).pipe(req);
	});
}

/** Downloads a URL, hashing as it arrives. @param {string} url */
function hashDownload(url) {
	return new Promise((resolve, reject) => {
		http
			.get(url, { agent: false }, (res) => {
				const hash = crypto.createHash('sha256');
				let size = 0;
				res.on('data', (c) => {
					hash.update(c);
					size += c.length;
				});
				res.on('end', () =>
					resolve({
						status: res.statusCode,
						contentLength: res.headers['content-length'] ?? null,
						transferEncoding: res.headers['transfer-encoding'] ?? null,
						size,
						sha256: hash.digest('hex'),
					}),
				);
			})
			.on('error', reject);
	});
}

test('a 100 MB upload streams to disk: the answer, the request log and the download (declared size or chunked) carry its exact size and SHA-256', async () => {
	const size = 100 * MB;
	const file = pdfChunks(size);
	const { head, tail } = formAround('Scanned contract');
	async function* form() {
		yield head;
		yield* file.chunks();
		yield tail;
	}
	const url = `${sim.apiUrl}/files/saveFile?token=${sim.keys.teamAdmin}`;
	const r = await postStream(url, form());
	const sha256 = file.sha256();
	expect(r.status).toBe(200);
	expect(r.json.file).toMatchObject({ id: sha256, size, mimetype: 'application/pdf' });
	expect(sim.requests.at(-1)?.multipart?.files).toEqual([
		{ name: 'file', filename: 'big.pdf', contentType: 'application/pdf', size, sha256 },
	]);
	// Kept on disk, not in memory.
	const stored = sim.files.get(sha256);
	expect(stored?.bytes).toBeUndefined();
	expect(fs.statSync(/** @type {string} */ (stored?.path)).size).toBe(size);
	const download = `${sim.apiUrl}/files/loadFile/hash/${sha256}?token=${sim.keys.teamAdmin}`;
	expect(await hashDownload(download)).toEqual({
		status: 200,
		contentLength: String(size),
		transferEncoding: null,
		size,
		sha256,
	});
	sim.setVariants({ fileLength: 'chunked' });
	expect(await hashDownload(download)).toEqual({
		status: 200,
		contentLength: null,
		transferEncoding: 'chunked',
		size,
		sha256,
	});
}, 120_000);

describe('readMultipart', () => {
	const store = new FileStore();
	afterAll(() => store.remove());

	/** @param {Buffer[]} chunks */
	const read = (chunks, maxBytes = 10 * MB) =>
		readMultipart(Readable.from(chunks), BOUNDARY, { maxBytes, newSink: () => store.sink() });

	test('reads the same form however the request is cut into chunks, a delimiter split across two included', async () => {
		const content = Buffer.from(
			`%PDF-1.7\r\n--${BOUNDARY.slice(0, 5)}\r\n--${BOUNDARY.slice(0, -1)}\r\n-\r`,
		);
		const { head, tail } = formAround('Name');
		const whole = Buffer.concat([head, content, tail]);
		const sha256 = crypto.createHash('sha256').update(content).digest('hex');
		for (let cut = 1; cut < whole.length; cut += 3) {
			const chunks = [];
			for (let at = 0; at < whole.length; at += cut) chunks.push(whole.subarray(at, at + cut));
			const parts = await read(chunks);
			expect(parts.map((p) => [p.name, p.data.toString(), p.file?.size, p.file?.sha256])).toEqual([
				['fileName', 'Name', undefined, undefined],
				['file', '', content.length, sha256],
			]);
			const file = /** @type {import('../../simulator/fileStore').ReceivedFile} */ (parts[1].file);
			expect(fs.readFileSync(file.path).equals(content)).toBe(true);
			fs.rmSync(file.path);
		}
	});

	test('a body over the limit is refused with 413 and leaves no file behind', async () => {
		const { head, tail } = formAround('Name');
		const error = await read([head, Buffer.alloc(2 * MB), tail], MB).catch((e) => e);
		expect([error.status, error.code]).toEqual([413, 'BODY_TOO_LARGE']);
		expect(fs.readdirSync(store.directory())).toEqual([]);
	});
});
