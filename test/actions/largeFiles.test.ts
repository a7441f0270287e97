/**
 * Files larger than the node may hold: an upload from n8n's binary store streams to Circularo
 * (the fake store refuses to hand out more than a few megabytes nobody has received yet), and a
 * download over the size limit is refused with its size and the option that raises it.
 */
import { createHash } from 'crypto';
import { readdirSync, statSync } from 'fs';
import { join } from 'path';
import { Readable } from 'stream';

import { binaryItem } from '../helpers/n8nContext';
import { useSimulator } from './harness';

const t = useSimulator();
const MB = 1024 * 1024;

/** Bytes of the upload the simulator has received so far (it writes them to disk as they come). */
function receivedBytes(): number {
	const dir = t.sim.fileStore.dir;
	if (!dir) return 0;
	const sizes = readdirSync(dir).map((name) => statSync(join(dir, name)).size);
	return Math.max(0, ...sizes);
}

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
				items: [
					{
						json: {},
						binary: {
							data: {
								id: 'filesystem-v2:large',
								data: 'filesystem-v2',
								fileName: 'scan.pdf',
								mimeType: 'application/pdf',
							},
						},
					},
				],
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
