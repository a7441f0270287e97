/**
 * Files larger than the node may hold: an upload from n8n's binary store streams to Circularo
 * (the fake store refuses to hand out more than a few megabytes nobody has received yet), a
 * download without a declared size streams into n8n's binary store (never far ahead of what the
 * store has written), and a download over the size limit is refused with its size and the option
 * that raises it, leaving no item and no file.
 */
import { createHash } from 'crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'fs';
import type { IncomingMessage } from 'http';
import type { INodeExecutionData } from 'n8n-workflow';
import { tmpdir } from 'os';
import { join } from 'path';
import { Readable } from 'stream';

import { binaryItem, type StoredBinary } from '../helpers/n8nContext';
import { useSimulator } from './harness';

const t = useSimulator();
const MB = 1024 * 1024;

/** Bytes of the largest file in `dir` (none: 0). */
function largestFile(dir: string | undefined): number {
	if (!dir) return 0;
	const sizes = readdirSync(dir).map((name) => statSync(join(dir, name)).size);
	return Math.max(0, ...sizes);
}

/** Bytes of the upload the simulator has received so far (it writes them to disk as they come). */
const receivedBytes = () => largestFile(t.sim.fileStore.dir);

/** An item whose binary `scan.pdf` n8n keeps in its binary store under `id`. */
function storedItem(id: string): INodeExecutionData {
	return {
		json: {},
		binary: {
			data: { id, data: 'filesystem-v2', fileName: 'scan.pdf', mimeType: 'application/pdf' },
		},
	};
}

/** A document of a generated PDF of `size` bytes, uploaded by the node; its id and SHA-256. */
async function createdDocument(size: number) {
	const file = storedPdf(size, size);
	const [created] = await t.run(
		{ resource: 'document', operation: 'create' },
		{
			items: [storedItem('filesystem-v2:source')],
			binaryStore: { 'filesystem-v2:source': file },
		},
	);
	return { documentId: created.json.documentId as string, sha256: file.sha256() };
}

/** Bytes the simulator has written in answer to file downloads since this was called. */
function downloadBytesSent() {
	const answers: Array<{ req: IncomingMessage; from: number }> = [];
	const watch = (req: IncomingMessage) => {
		if (req.url?.includes('/files/loadFile/')) answers.push({ req, from: req.socket.bytesWritten });
	};
	t.sim.server.on('request', watch);
	return {
		sent: () => answers.reduce((sum, { req, from }) => sum + req.socket.bytesWritten - from, 0),
		stop: () => t.sim.server.off('request', watch),
	};
}

/** A fresh folder for n8n's filesystem binary mode, removed after the test. */
function binaryFolder(): string {
	const dir = mkdtempSync(join(tmpdir(), 'circularo-binaries-'));
	folders.push(dir);
	return dir;
}
const folders: string[] = [];
afterEach(() => {
	for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A stored binary of `size` bytes (a PDF header, then a pattern) that never gets more than
 * `allowance` bytes ahead of what reached Circularo: a reader that holds the file fails.
 */
function storedPdf(size: number, allowance: number) {
	const hash = createHash('sha256');
	let sha256 = '';
	const open = () => {
		let made = 0;
		return new Readable({
			highWaterMark: 64 * 1024,
			async read() {
				for (let waited = 0; made - receivedBytes() > allowance; waited += 10) {
					if (waited > 5000) {
						this.destroy(
							new Error(
								`${made - receivedBytes()} bytes of the file held, more than ${allowance} allowed`,
							),
						);
						return;
					}
					await new Promise((resolve) => setTimeout(resolve, 10));
				}
				if (made >= size) {
					sha256 = hash.digest('hex');
					this.push(null);
					return;
				}
				const chunk = Buffer.alloc(Math.min(256 * 1024, size - made), made % 251);
				if (made === 0) chunk.write('%PDF-1.7\n', 'latin1');
				made += chunk.length;
				hash.update(chunk);
				this.push(chunk);
			},
		});
	};
	return { open, size, sha256: () => sha256 };
}

describe('Document > Create of a large file', () => {
	it("streams a 64 MB file from n8n's binary store, never more than 8 MB of it held", async () => {
		const file = storedPdf(64 * MB, 8 * MB);
		const [item] = await t.run(
			{ resource: 'document', operation: 'create' },
			{
				items: [storedItem('filesystem-v2:large')],
				binaryStore: { 'filesystem-v2:large': file },
			},
		);
		const [upload] = t.requests();
		expect(upload.multipart?.files).toEqual([
			{
				name: 'file',
				filename: 'scan.pdf',
				contentType: 'application/pdf',
				size: 64 * MB,
				sha256: file.sha256(),
			},
		]);
		expect(item.json).toMatchObject({ fileHash: file.sha256(), fileName: 'scan.pdf' });
	});
});

describe('Document > Download over the size limit', () => {
	it('is refused with the size of the file and the option that raises the limit, and attaches nothing', async () => {
		const pdf = Buffer.alloc(3 * MB, 1);
		pdf.write('%PDF-1.7\n', 'latin1');
		const [created] = await t.run(
			{ resource: 'document', operation: 'create' },
			{ items: [binaryItem('data', pdf, 'scan.pdf', 'application/pdf')] },
		);
		const download = {
			resource: 'document',
			operation: 'download',
			documentId: created.json.documentId as string,
		};
		const error = await t.failure({ ...download, options: { maxFileSize: 2 } });
		expect(error.message).toBe('The file is 3 MB, larger than the 2 MB this node downloads');
		expect(error.description).toBe('Raise "Max File Size (MB)" in Options to download it.');
		const [item] = await t.run(
			{ ...download, options: { maxFileSize: 2 } },
			{ continueOnFail: true },
		);
		expect(item.binary).toBeUndefined();
		const [allowed] = await t.run({ ...download, options: { maxFileSize: 3 } });
		expect(Buffer.from(allowed.binary!.data.data, 'base64').equals(pdf)).toBe(true);
	});
});

describe('Document > Download with no declared size (chunked)', () => {
	beforeEach(() => t.sim.setVariants({ fileLength: 'chunked' }));

	it("streams a 64 MB file into n8n's binary store, never more than 8 MB of it held", async () => {
		const document = await createdDocument(64 * MB);
		const binaryDir = binaryFolder();
		const binaryStore: Record<string, StoredBinary> = {};
		const download = downloadBytesSent();
		let held = 0;
		const watch = setInterval(() => {
			held = Math.max(held, download.sent() - largestFile(binaryDir));
		}, 2);
		try {
			const [item] = await t.run(
				{ resource: 'document', operation: 'download', documentId: document.documentId },
				{ binaryDir, binaryStore },
			);
			const stored = binaryStore[item.binary!.data.id!];
			expect(stored.size).toBe(64 * MB);
			const hash = createHash('sha256');
			for await (const chunk of stored.open()) hash.update(chunk as Buffer);
			expect(hash.digest('hex')).toBe(document.sha256);
		} finally {
			clearInterval(watch);
			download.stop();
		}
		expect(download.sent()).toBeGreaterThan(64 * MB);
		expect(held).toBeLessThan(8 * MB);
	});

	it.each([
		['default', false],
		['filesystem', true],
	])(
		'over the size limit fails with the option that raises it, and leaves no item and no file (%s binary mode)',
		async (_, onDisk) => {
			const document = await createdDocument(3 * MB);
			const binaryDir = onDisk ? binaryFolder() : undefined;
			const download = {
				resource: 'document',
				operation: 'download',
				documentId: document.documentId,
				options: { maxFileSize: 2 },
			};
			const error = await t.failure(download, { binaryDir });
			expect(error.message).toBe('The file is larger than the 2 MB this node downloads');
			expect(error.description).toBe('Raise "Max File Size (MB)" in Options to download it.');
			const [item] = await t.run(download, { binaryDir, continueOnFail: true });
			expect(item.binary).toBeUndefined();
			if (binaryDir) expect(readdirSync(binaryDir)).toEqual([]);
		},
	);
});
