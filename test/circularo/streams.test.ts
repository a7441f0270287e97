/**
 * The streaming pieces of uploads and downloads, on their own: the multipart body read by an
 * independent parser, the look at a stream's first bytes, base64 decoded piece by piece, and the
 * download checks.
 */
import { createHash } from 'crypto';
import { Readable, Writable } from 'stream';

import {
	base64ByteLength,
	base64Pieces,
	peekBytes,
} from '../../nodes/Circularo/circularo/byteStreams';
import { multipartBody } from '../../nodes/Circularo/circularo/multipart';
import { readAll } from '../helpers/n8nContext';
import {
	checkedPdf,
	incompleteDownload,
	RefusedDownload,
} from '../../nodes/Circularo/circularo/pdfDownload';

const MB = 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function* inPieces(bytes: Buffer, piece: number) {
	for (let at = 0; at < bytes.length; at += piece) yield bytes.subarray(at, at + piece);
}

async function readIterated(
	stream: AsyncIterable<Uint8Array | string> | ReadableStream<Uint8Array>,
): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream as AsyncIterable<Uint8Array | string>)
		chunks.push(Buffer.from(chunk));
	return Buffer.concat(chunks);
}

/** Reads a stream through pipe() into a writable. */
function readPiped(stream: Readable): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		const sink = new Writable({
			write(chunk: Buffer, _, done) {
				chunks.push(chunk);
				done();
			},
		});
		stream.once('error', reject);
		sink.once('finish', () => resolve(Buffer.concat(chunks)));
		stream.pipe(sink);
	});
}

/**
 * Ways a stream is read: by 'data' events (n8n's default binary mode), async iteration (fs.writeFile,
 * n8n's filesystem mode) and a pipe.
 */
const READERS = [
	['data events', readAll],
	['async iteration', readIterated],
	['a pipe', readPiped],
] as const;

/** A stream of `total` bytes that counts how many were taken from it. */
function countingStream(total: number, head = '%PDF-1.7\n') {
	let taken = 0;
	const stream = new Readable({
		read(size) {
			const n = Math.min(size, total - taken);
			if (n <= 0) return void this.push(null);
			const chunk = Buffer.alloc(n, 0x41);
			if (taken === 0) chunk.write(head, 'latin1');
			taken += n;
			this.push(chunk);
		},
	});
	return { stream, taken: () => taken };
}

describe('multipartBody', () => {
	const data = Buffer.concat([
		Buffer.from('%PDF-1.7\r\n--boundary\r\n'),
		Buffer.from([0, 255, 13, 10, 45, 45]),
		Buffer.alloc(100_000, 7),
	]);

	it('is read back exactly by an independent parser, its size the exact Content-Length', async () => {
		const body = multipartBody({ fileName: 'Smlouva č. 7.pdf', note: 'two\r\nlines' }, 'file', {
			chunks: inPieces(data, 1000),
			size: data.length,
			fileName: 'Smlouva č. 7.pdf',
			mimeType: 'application/pdf',
		});
		expect(Object.prototype.toString.call(body)).toBe('[object Blob]');
		const bytes = await readIterated(body.stream());
		expect(bytes.length).toBe(body.size);
		const form = await new Response(new Uint8Array(bytes), {
			headers: { 'content-type': body.type },
		}).formData();
		expect(form.get('fileName')).toBe('Smlouva č. 7.pdf');
		expect(form.get('note')).toBe('two\r\nlines');
		const file = form.get('file') as File;
		expect([file.name, file.type]).toEqual(['Smlouva č. 7.pdf', 'application/pdf']);
		expect(sha256(Buffer.from(await file.arrayBuffer()))).toBe(sha256(data));
	});

	it('reads the file only as the body is read', async () => {
		const source = countingStream(50 * MB);
		const body = multipartBody({}, 'file', {
			chunks: source.stream,
			size: 50 * MB,
			fileName: 'big.pdf',
			mimeType: 'application/pdf',
		});
		const reader = body.stream().getReader();
		await reader.read(); // the part header
		await reader.read(); // the first piece of the file
		expect(source.taken()).toBeLessThan(MB);
		await reader.cancel();
	});

	it.each([
		['fewer', data.length + 1, 'gave 100028 bytes, not the 100029 bytes its binary data declares'],
		['more', data.length - 1, 'gave more than the 100027 bytes its binary data declares'],
	])('fails when the file gives %s bytes than it declared', async (_, size, message) => {
		const body = multipartBody({}, 'file', {
			chunks: inPieces(data, 1000),
			size,
			fileName: 'a.pdf',
			mimeType: 'application/pdf',
		});
		await expect(readIterated(body.stream())).rejects.toThrow(message);
	});

	it('uses a new boundary every time, and can be sent once only', async () => {
		const file = () => ({
			chunks: inPieces(data, 10),
			size: data.length,
			fileName: 'x.pdf',
			mimeType: 'application/pdf',
		});
		const body = multipartBody({}, 'file', file());
		expect(body.type).not.toBe(multipartBody({}, 'file', file()).type);
		body.stream();
		expect(() => body.stream()).toThrow('once only');
	});
});

describe('peekBytes', () => {
	it('returns the first bytes and leaves every byte in the stream, however it is cut', async () => {
		const bytes = Buffer.from('%PDF-1.7 and the rest of a file');
		for (const piece of [1, 2, 3, 7, 100]) {
			const stream = Readable.from(inPieces(bytes, piece), { objectMode: false });
			expect((await peekBytes(stream, 5)).toString()).toBe('%PDF-');
			expect((await readAll(stream)).equals(bytes)).toBe(true);
		}
	});

	it('returns what there is of a shorter stream, and a stream error', async () => {
		expect((await peekBytes(Readable.from([Buffer.from('%P')]), 5)).toString()).toBe('%P');
		const failing = new Readable({
			read() {
				this.destroy(new Error('connection reset'));
			},
		});
		await expect(peekBytes(failing, 5)).rejects.toThrow('connection reset');
	});
});

describe('base64Pieces', () => {
	it.each([0, 1, 2, 3, 49_151, 49_152, 49_153, 200_000])(
		'decodes %d bytes piece by piece to the same bytes',
		async (size) => {
			const bytes = Buffer.alloc(size);
			for (let i = 0; i < size; i++) bytes[i] = (i * 7919) % 256;
			const base64 = bytes.toString('base64');
			expect(base64ByteLength(base64)).toBe(size);
			const pieces = [];
			for await (const piece of base64Pieces(base64)) pieces.push(piece);
			expect(pieces.every((p) => p.length <= 49_152)).toBe(true);
			expect(Buffer.concat(pieces).equals(bytes)).toBe(true);
		},
	);
});

describe('checkedPdf', () => {
	const limit = { maxBytes: 10 * MB, setting: '"Max File Size (MB)" in Options' };

	it('refuses a declared size over the limit before reading the file, naming the size and the option', async () => {
		const source = countingStream(40 * MB);
		const error = await checkedPdf(source.stream, { size: 40 * MB }, limit).catch((e) => e);
		expect(error).toBeInstanceOf(RefusedDownload);
		expect(error.message).toBe('The file is 40 MB, larger than the 10 MB this node downloads');
		expect(error.description).toBe('Raise "Max File Size (MB)" in Options to download it.');
		expect(source.taken()).toBe(0);
		expect(source.stream.destroyed).toBe(true);
	});

	it.each(READERS)(
		'fails a file of no declared size once more than the limit is read by %s, reading no further',
		async (_, read) => {
			const source = countingStream(40 * MB);
			const checked = await checkedPdf(source.stream, {}, limit);
			const error = await read(checked.stream).catch((e) => e);
			expect(error).toBeInstanceOf(RefusedDownload);
			expect(error.message).toBe('The file is larger than the 10 MB this node downloads');
			expect(error.description).toBe('Raise "Max File Size (MB)" in Options to download it.');
			expect(source.taken()).toBeLessThan(11 * MB);
		},
	);

	it('hands on a declared-size PDF as the stream itself, every byte still in it', async () => {
		const source = countingStream(3 * MB);
		const checked = await checkedPdf(source.stream, { size: 3 * MB }, limit);
		expect(checked.size).toBe(3 * MB);
		const bytes = await readAll(checked.stream);
		expect(bytes.length).toBe(3 * MB);
		expect(bytes.subarray(0, 9).toString()).toBe('%PDF-1.7\n');
	});

	it.each(READERS)(
		'hands on a PDF of no declared size as the stream, read only when it is read (by %s), every byte still in it',
		async (_, read) => {
			const source = countingStream(3 * MB);
			const checked = await checkedPdf(source.stream, {}, limit);
			await new Promise((resolve) => setTimeout(resolve, 20));
			expect(source.taken()).toBeLessThan(MB);
			const bytes = await read(checked.stream);
			expect(bytes.length).toBe(3 * MB);
			expect(bytes.subarray(0, 9).toString()).toBe('%PDF-1.7\n');
		},
	);

	it.each([
		['declared', { size: 20, contentType: 'text/html' }],
		['not declared', { contentType: 'text/html' }],
	])('refuses what is not a PDF (%s size)', async (_, declared) => {
		const page = Readable.from([Buffer.from('<html>login</html>!!')]);
		const error = await checkedPdf(page, declared, limit).catch((e) => e);
		expect(error.message).toBe("Circularo's answer is not a PDF");
		expect(error.description).toMatch(/does not start with %PDF- \(text\/html\)/);
	});

	it('refuses a stored file that is not the declared size', () => {
		expect(incompleteDownload(1000, 1000)).toBeUndefined();
		expect(incompleteDownload(undefined, 1000)).toBeUndefined();
		expect(incompleteDownload(1000, undefined)).toBeUndefined();
		expect(incompleteDownload(999, 1000)?.message).toBe(
			'The download ended after 999 of 1000 bytes',
		);
	});
});
