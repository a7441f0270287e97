/**
 * Bytes that are read as they are needed: a look at the first bytes of a stream without taking
 * them from it, a watch on every chunk its reader takes, and an item's base64 binary decoded piece
 * by piece. No stream module is imported (n8n's rules for community nodes allow none): the streams
 * are the ones n8n hands over.
 */
import type { BinaryHelperFunctions } from 'n8n-workflow';

/** A Node.js readable stream, as n8n hands them over (getBinaryStream, a download's body). */
export type ByteStream = Awaited<ReturnType<BinaryHelperFunctions['getBinaryStream']>>;

/** Waits until the stream has something to read, has ended or has failed. */
function readable(stream: ByteStream): Promise<void> {
	return new Promise((resolve, reject) => {
		const done = () => {
			stream.off('readable', done);
			stream.off('end', done);
			stream.off('error', failed);
			resolve();
		};
		const failed = (error: Error) => {
			done();
			reject(error);
		};
		stream.on('readable', done);
		stream.on('end', done);
		stream.on('error', failed);
	});
}

/**
 * The first `count` bytes of a stream (fewer when it is shorter), left in the stream: whoever
 * reads it next gets every byte. The stream must not be flowing yet.
 */
export async function peekBytes(stream: ByteStream, count: number): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	while (size < count && !stream.readableEnded) {
		if (stream.errored) throw stream.errored;
		const chunk = stream.read() as Buffer | string | null;
		if (chunk === null) await readable(stream);
		else {
			const piece = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
			chunks.push(piece);
			size += piece.length;
		}
	}
	const head = Buffer.concat(chunks);
	if (head.length > 0) stream.unshift(head);
	return head.subarray(0, count);
}

/**
 * Calls `seen` with every chunk read from the stream, however its reader reads it: a 'data'
 * listener, a pipe, async iteration (each read() emits 'data'). Attached when the reader attaches
 * its first 'data' or 'readable' listener, not before: a 'data' listener on a stream nobody reads
 * yet starts it flowing, and what flowed would reach `seen` alone.
 */
export function onEveryChunk(stream: ByteStream, seen: (chunk: Buffer | string) => void): void {
	const attach = (event: string | symbol) => {
		if (event !== 'data' && event !== 'readable') return;
		stream.off('newListener', attach);
		stream.on('data', seen);
	};
	stream.on('newListener', attach);
}

/** Base64 characters per decoded piece: a multiple of 4, so every piece decodes on its own. */
const BASE64_PIECE = 4 * 16 * 1024;

/** An item's base64 binary as 48 KB pieces, so the whole file is never decoded at once. */
export async function* base64Pieces(base64: string): AsyncGenerator<Buffer> {
	for (let at = 0; at < base64.length; at += BASE64_PIECE)
		yield Buffer.from(base64.slice(at, at + BASE64_PIECE), 'base64');
}

/** How many bytes a base64 text decodes to, without decoding it. */
export function base64ByteLength(base64: string): number {
	return Buffer.byteLength(base64, 'base64');
}
