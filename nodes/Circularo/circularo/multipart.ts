/**
 * A multipart/form-data body that is read as it is sent: the text fields and the file's part
 * header, the file's bytes as its source gives them, the closing boundary. No run-time
 * dependency and no stream module: the body has the shape of a Blob (size, type, stream()),
 * which n8n's HTTP client sends by reading `stream()` onto the socket with `size` as the
 * Content-Length, so an upload of any size goes through n8n's own authenticated request without
 * a copy of the file in memory.
 */
import { randomBytes } from 'crypto';
import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { base64ByteLength, base64Pieces, peekBytes, type ByteStream } from './byteStreams';

export interface MultipartFile {
	/** The file's bytes, read once, in order. */
	chunks: AsyncIterable<Uint8Array>;
	/** How many bytes `chunks` gives; the body's Content-Length is computed from it. */
	size: number;
	fileName: string;
	mimeType: string;
}

/** What n8n's HTTP client needs of a Blob to stream it. */
export interface StreamedBody {
	readonly [Symbol.toStringTag]: 'Blob';
	/** Bytes of the whole body: the Content-Length. */
	readonly size: number;
	/** The Content-Type, with the boundary. */
	readonly type: string;
	stream(): ReadableStream<Uint8Array>;
}

// What browsers do with a name in a Content-Disposition header (WHATWG HTML, multipart/form-data).
function quoted(name: string): string {
	return `"${name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}"`;
}

/** Yields the file's bytes, failing when they are not as many as it said (a body cut short or overlong). */
async function* exactly(file: MultipartFile): AsyncGenerator<Uint8Array> {
	let sent = 0;
	for await (const chunk of file.chunks) {
		sent += chunk.length;
		if (sent > file.size) break;
		yield chunk;
	}
	if (sent !== file.size)
		throw new Error(
			`The file "${file.fileName}" gave ${sent > file.size ? 'more than the' : `${sent} bytes, not the`} ${file.size} bytes its binary data declares`,
		);
}

/** Text fields first, then the file: the order the parts are read in on the other side. */
export function multipartBody(
	fields: Record<string, string>,
	fileField: string,
	file: MultipartFile,
): StreamedBody {
	const boundary = `----n8nCircularo${randomBytes(16).toString('hex')}`;
	let preamble = '';
	for (const [name, value] of Object.entries(fields))
		preamble += `--${boundary}\r\nContent-Disposition: form-data; name=${quoted(name)}\r\n\r\n${value}\r\n`;
	preamble += `--${boundary}\r\nContent-Disposition: form-data; name=${quoted(fileField)}; filename=${quoted(file.fileName)}\r\nContent-Type: ${file.mimeType}\r\n\r\n`;
	const head = Buffer.from(preamble, 'utf8');
	const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
	let used = false;
	async function* parts(): AsyncGenerator<Uint8Array> {
		yield head;
		yield* exactly(file);
		yield tail;
	}
	return {
		[Symbol.toStringTag]: 'Blob',
		size: head.length + file.size + tail.length,
		type: `multipart/form-data; boundary=${boundary}`,
		stream() {
			if (used) throw new Error('The upload body can be sent once only');
			used = true;
			const source = parts();
			return new ReadableStream<Uint8Array>({
				async pull(controller) {
					const next = await source.next();
					if (next.done) controller.close();
					else controller.enqueue(next.value);
				},
				async cancel() {
					await source.return(undefined);
				},
			});
		},
	};
}

/** The pieces an upload reads from n8n's binary storage (docs/performance.md: why not 64 KB). */
const UPLOAD_PIECE_BYTES = 256 * 1024;

/** An input file to upload: its first bytes, to tell a PDF, and the rest read as it is sent. */
export interface UploadSource extends Pick<MultipartFile, 'chunks' | 'size'> {
	head: Buffer;
	/** Lets go of the file when it is not sent after all. */
	close(): void;
}

/**
 * An item's binary as an upload source, never read whole: from n8n's binary storage where n8n
 * keeps it there (filesystem or object store, `binary.id`), else decoded piece by piece from the
 * item.
 */
export async function uploadSource(
	context: IExecuteFunctions,
	binary: IBinaryData,
): Promise<UploadSource> {
	if (binary.id) {
		const { fileSize } = await context.helpers.getBinaryMetadata(binary.id);
		const stream: ByteStream = await context.helpers.getBinaryStream(binary.id, UPLOAD_PIECE_BYTES);
		return {
			head: await peekBytes(stream, 5),
			size: fileSize,
			chunks: stream,
			close: () => stream.destroy(),
		};
	}
	return {
		head: Buffer.from(binary.data.slice(0, 8), 'base64'),
		size: base64ByteLength(binary.data),
		chunks: base64Pieces(binary.data),
		close: () => undefined,
	};
}
