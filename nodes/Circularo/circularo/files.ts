/**
 * A document's files as n8n binary data, the same in both nodes: its current PDF (signed, once
 * everyone has signed) and its audit trail, named after the document's title.
 */
import {
	NodeOperationError,
	type IBinaryData,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
	type IPollFunctions,
	type IWebhookFunctions,
} from 'n8n-workflow';

import { firstString } from './answers';
import type { CircularoClient } from './client';
import { downloadAuditTrail, downloadFile, getDocument } from './endpoints';
import { base64ByteLength, base64Pieces, peekBytes, type ByteStream } from './byteStreams';
import type { MultipartFile } from './multipart';
import {
	downloadFailure,
	incompleteDownload,
	type CheckedPdf,
	type DownloadLimit,
} from './pdfDownload';

/** The binary field the trigger puts the audit trail in, and the action node's default for it. */
export const AUDIT_TRAIL_FIELD = 'auditTrail';

type FileContext = IExecuteFunctions | IWebhookFunctions | IPollFunctions;

const MB = 1024 * 1024;
const DEFAULT_MAX_FILE_MB = 100;
/**
 * The pieces an upload reads from n8n's binary storage. Each piece passes several async steps on
 * its way to the socket (the body's stream, n8n's HTTP client), each leaving garbage: at n8n's
 * default of 64 KB a 90 MB upload held more memory than the HTTP Request node's (bench/files.js),
 * at 256 KB about as much; 1 MB pieces held more again, as garbage buffers.
 */
const UPLOAD_PIECE_BYTES = 256 * 1024;

/** The size limit of downloads, an option of both nodes ("Options" of each). */
export const maxFileSizeOption: INodeProperties = {
	displayName: 'Max File Size (MB)',
	name: 'maxFileSize',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: DEFAULT_MAX_FILE_MB,
	description:
		'The largest PDF to download. A larger one fails with its size rather than filling the memory or disk of n8n.',
};

/** The limit the option sets (its default when not set). */
export function downloadLimit(maxFileSize: unknown): DownloadLimit {
	const megabytes = Number(maxFileSize);
	return {
		maxBytes: (Number.isFinite(megabytes) && megabytes > 0 ? megabytes : DEFAULT_MAX_FILE_MB) * MB,
		setting: '"Max File Size (MB)" in Options',
	};
}

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

/**
 * A checked PDF into n8n's binary storage as it arrives (to disk in n8n's filesystem mode). A
 * download ended by a check (over the size limit) or a broken connection stores nothing; one
 * shorter than its server declared is refused.
 */
async function storedPdf(
	context: FileContext,
	client: CircularoClient,
	pdf: CheckedPdf,
	fileName: string,
): Promise<IBinaryData> {
	let binary: IBinaryData;
	try {
		binary = await context.helpers.prepareBinaryData(pdf.stream, fileName, 'application/pdf');
	} catch (error) {
		throw downloadFailure(client.node, error);
	}
	const incomplete = incompleteDownload(binary.bytes, pdf.size);
	if (incomplete) throw downloadFailure(client.node, incomplete);
	return binary;
}

/** A file name for a PDF from a title, without characters file systems refuse. */
function pdfFileName(title: string): string {
	const safe = title.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').trim() || 'document';
	return safe.toLowerCase().endsWith('.pdf') ? safe : `${safe}.pdf`;
}

/**
 * [assumed] Circularo's downloads carry no file name (none is documented), so files are named after
 * the document's title (Circularo's, else the one the caller knows, else the document ID):
 * `<title>.pdf` and `<title> audit trail.pdf`.
 */
export function fileTitle(documentId: string, ...titles: unknown[]): string {
	return firstString(...titles) ?? documentId;
}

/** The document (GET /documents/:id) and its current PDF, by its `pdfFile.content` hash. */
export async function documentPdf(
	context: FileContext,
	client: CircularoClient,
	documentId: string,
	limit: DownloadLimit,
	knownTitle?: string | null,
): Promise<{ document: IDataObject; pdf: IBinaryData; title: string }> {
	const document = await getDocument(client, documentId);
	const hash = firstString((document.pdfFile as IDataObject | undefined)?.content);
	if (hash === undefined) {
		throw new NodeOperationError(
			client.node,
			`Circularo returned no PDF for document "${documentId}"`,
			{
				description: 'The document has no pdfFile.content (file hash) to download.',
			},
		);
	}
	const title = fileTitle(documentId, document.documentTitle, knownTitle);
	const pdf = await storedPdf(
		context,
		client,
		await downloadFile(client, hash, limit),
		pdfFileName(title),
	);
	return { document, pdf, title };
}

/** The document's audit trail PDF (the Certificate of Fulfilment once completed). */
export async function auditTrailPdf(
	context: FileContext,
	client: CircularoClient,
	documentId: string,
	title: string,
	limit: DownloadLimit,
): Promise<IBinaryData> {
	return await storedPdf(
		context,
		client,
		await downloadAuditTrail(client, documentId, limit),
		pdfFileName(`${title} audit trail`),
	);
}

/** A failed download as one sentence pair, for an item's `downloadError`: what failed, and what to fix. */
export function downloadFailureText(error: unknown, what: string): string {
	const { message, description } = error as { message?: string; description?: string | null };
	const failed =
		error instanceof NodeOperationError ? `Could not download ${what}: ${message}` : message;
	return description ? `${failed}. ${description}` : String(failed);
}
