/**
 * The checks on a downloaded PDF, made without holding the file: its declared size against the
 * limit before a byte of it is read, `%PDF-` on its first bytes, its bytes counted against the
 * limit as they arrive, and, once n8n has stored it, that every declared byte arrived. A file that
 * fails one is an error, never a cut-short PDF.
 */
import { NodeOperationError, type INode } from 'n8n-workflow';

import { onEveryChunk, peekBytes, type ByteStream } from './byteStreams';

export function isPdf(bytes: Buffer): boolean {
	return bytes.subarray(0, 5).toString('latin1') === '%PDF-';
}

export function sizeText(bytes: number): string {
	const megabytes = bytes / (1024 * 1024);
	return megabytes >= 1 ? `${Math.round(megabytes * 10) / 10} MB` : `${bytes} bytes`;
}

/** The most a download may hold, and the setting a user changes it with. */
export interface DownloadLimit {
	maxBytes: number;
	/** Names the setting, e.g. `"Max File Size (MB)" in Options`. */
	setting: string;
}

/** A download refused by a check; its message and description say what to do. */
export class RefusedDownload extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
		this.name = 'RefusedDownload';
	}
}

/** A failed download as the node reports it: a refusal says what to do, a broken connection what broke. */
export function downloadFailure(node: INode, error: unknown): NodeOperationError {
	return new NodeOperationError(node, error as Error, {
		description: error instanceof RefusedDownload ? error.description : undefined,
	});
}

function tooLarge(limit: DownloadLimit, size: number | undefined): RefusedDownload {
	const what = size === undefined ? 'larger than' : `${sizeText(size)}, larger than`;
	return new RefusedDownload(
		`The file is ${what} the ${sizeText(limit.maxBytes)} this node downloads`,
		`Raise ${limit.setting} to download it.`,
	);
}

function notPdf(contentType: string): RefusedDownload {
	return new RefusedDownload(
		"Circularo's answer is not a PDF",
		`Expected a PDF file but got one that does not start with %PDF- (${contentType}). A proxy or login page between n8n and Circularo may have answered instead.`,
	);
}

/** A checked PDF: the stream for n8n to store, and the size its server declared, if it did. */
export interface CheckedPdf {
	stream: ByteStream;
	size?: number;
}

/**
 * Checks a download before n8n stores it and hands on the stream itself, its first bytes left in
 * it. A declared size (Content-Length, which the HTTP framing holds the body to) over the limit
 * is refused before a byte is read. Every download is counted as n8n reads it: one byte over the
 * limit ends the stream with the size error, which n8n's read then fails with, storing nothing.
 */
export async function checkedPdf(
	body: ByteStream,
	declared: { size?: number; contentType?: string },
	limit: DownloadLimit,
): Promise<CheckedPdf> {
	const contentType = declared.contentType || 'no content type';
	/** Stops the download (nothing more is read) and returns why. */
	const refuse = (why: RefusedDownload) => {
		body.destroy();
		return why;
	};
	if (declared.size !== undefined && declared.size > limit.maxBytes)
		throw refuse(tooLarge(limit, declared.size));
	if (!isPdf(await peekBytes(body, 5))) throw refuse(notPdf(contentType));
	let size = 0;
	onEveryChunk(body, (chunk) => {
		size += Buffer.byteLength(chunk);
		if (size > limit.maxBytes) body.destroy(tooLarge(limit, undefined));
	});
	// An error between now and when n8n starts reading reaches n8n's read as well; with no
	// listener meanwhile it would stop the process instead.
	body.on('error', () => undefined);
	return { stream: body, size: declared.size };
}

/** After n8n stored a streamed PDF: why it is refused when it is not the size its server declared. */
export function incompleteDownload(
	storedBytes: number | undefined,
	declaredBytes: number | undefined,
): RefusedDownload | undefined {
	if (storedBytes === undefined || declaredBytes === undefined || storedBytes === declaredBytes)
		return undefined;
	return new RefusedDownload(
		`The download ended after ${storedBytes} of ${declaredBytes} bytes`,
		'The connection to Circularo broke off. Run the node again.',
	);
}
