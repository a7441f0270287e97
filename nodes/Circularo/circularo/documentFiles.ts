/**
 * A document's files as n8n binary data, the same in every node: its current PDF (signed, once
 * everyone has signed) and its audit trail, named after the document's title, each at most as
 * large as the Max File Size (MB) option allows.
 */
import {
	NodeOperationError,
	type IBinaryData,
	type IBinaryKeyData,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
	type IPollFunctions,
	type IWebhookFunctions,
} from 'n8n-workflow';

import { firstString } from './answers';
import type { CircularoClient } from './client';
import { getDocument } from './endpoints/documents';
import { downloadAuditTrail, downloadFile } from './endpoints/files';
import {
	downloadFailure,
	incompleteDownload,
	type CheckedPdf,
	type DownloadLimit,
} from './pdfDownload';
import { fileHashOf } from './records';

/** The binary field the trigger puts the audit trail in, and the action node's default for it. */
export const AUDIT_TRAIL_FIELD = 'auditTrail';

type FileContext = IExecuteFunctions | IWebhookFunctions | IPollFunctions;

const MB = 1024 * 1024;
const DEFAULT_MAX_FILE_MB = 100;

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

/** Both triggers' file options: the signed PDF, the audit trail and their size limit. */
export const eventFileOptions: INodeProperties[] = [
	{
		displayName: 'Download Signed Document',
		name: 'downloadSignedDocument',
		type: 'boolean',
		default: false,
		description:
			'Whether to download the signed PDF and attach it as binary data (for Document Completed and Document Signed events)',
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		hint: 'The name of the output binary field to put the signed PDF in',
		description: 'Used with Download Signed Document',
	},
	{
		displayName: 'Include Audit Trail',
		name: 'includeAuditTrail',
		type: 'boolean',
		default: false,
		description:
			'Whether to download the audit-trail PDF of the document and attach it as binary field "auditTrail"',
	},
	{
		...maxFileSizeOption,
		description: `${maxFileSizeOption.description} Used with Download Signed Document and Include Audit Trail.`,
	},
];

/** The download options of every node, by their parameter names. */
export interface DownloadOptions {
	downloadSignedDocument?: boolean;
	binaryPropertyName?: string;
	includeAuditTrail?: boolean;
	auditTrailBinaryPropertyName?: string;
	maxFileSize?: number;
}

/** Which files to fetch (each by the binary field it goes in) and the largest to download. */
export interface WantedFiles {
	pdfField?: string;
	auditTrailField?: string;
	limit: DownloadLimit;
}

/** The one reader of the download options: field names trimmed, defaults filled. */
export function wantedFiles(options: DownloadOptions): WantedFiles {
	const megabytes = Number(options.maxFileSize);
	return {
		pdfField: options.downloadSignedDocument
			? (options.binaryPropertyName ?? 'data').trim()
			: undefined,
		auditTrailField: options.includeAuditTrail
			? (options.auditTrailBinaryPropertyName ?? AUDIT_TRAIL_FIELD).trim()
			: undefined,
		limit: {
			maxBytes:
				(Number.isFinite(megabytes) && megabytes > 0 ? megabytes : DEFAULT_MAX_FILE_MB) * MB,
			setting: '"Max File Size (MB)" in Options',
		},
	};
}

export interface DocumentFiles {
	/** The document (GET /documents/:id) when it was read, for its PDF or given by the caller. */
	document?: IDataObject;
	binary: IBinaryKeyData;
	/** What failed and what to fix, a sentence pair per file (with `failures: 'record'`). */
	downloadError?: string;
}

/**
 * The files `wanted` asks for. With `failures: 'throw'` the first failure is thrown as it is; with
 * `'record'` every file is tried and each failure is described in `downloadError`, so that an event is
 * never lost to a failed download. A `known` document is not read again; a `known` title names the
 * files when Circularo's record gives none.
 */
export async function documentFiles(
	context: FileContext,
	client: CircularoClient,
	documentId: string,
	wanted: WantedFiles & { failures: 'throw' | 'record' },
	known: { document?: IDataObject; title?: unknown } = {},
): Promise<DocumentFiles> {
	const binary: IBinaryKeyData = {};
	const failures: string[] = [];
	let document = known.document;
	const fetch = async (what: string, field: string, file: () => Promise<IBinaryData>) => {
		if (wanted.failures === 'throw') binary[field] = await file();
		else
			try {
				binary[field] = await file();
			} catch (error) {
				failures.push(downloadFailureText(error, what));
			}
	};
	const title = () => firstString(document?.documentTitle, known.title) ?? documentId;
	if (wanted.pdfField !== undefined) {
		await fetch('the signed document', wanted.pdfField, async () => {
			document ??= await getDocument(client, documentId);
			const hash = firstString(fileHashOf(document));
			if (hash === undefined) {
				throw new NodeOperationError(
					client.node,
					`Circularo returned no PDF for document "${documentId}"`,
					{ description: 'The document has no pdfFile.content (file hash) to download.' },
				);
			}
			const pdf = await downloadFile(client, hash, wanted.limit);
			return await storedPdf(context, client, pdf, pdfFileName(title()));
		});
	}
	if (wanted.auditTrailField !== undefined) {
		await fetch('the audit trail', wanted.auditTrailField, async () => {
			const pdf = await downloadAuditTrail(client, documentId, wanted.limit);
			return await storedPdf(context, client, pdf, pdfFileName(`${title()} audit trail`));
		});
	}
	const downloadError = failures.length > 0 ? failures.join('; ') : undefined;
	return { document, binary, downloadError };
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

/**
 * [assumed] Circularo's downloads carry no file name (none is documented), so files are named after
 * the document's title (Circularo's, else the one the caller knows, else the document ID):
 * `<title>.pdf` and `<title> audit trail.pdf`, without characters file systems refuse.
 */
function pdfFileName(title: string): string {
	const safe = title.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').trim() || 'document';
	return safe.toLowerCase().endsWith('.pdf') ? safe : `${safe}.pdf`;
}

/** A failed download as one sentence pair, for an item's `downloadError`: what failed, and what to fix. */
function downloadFailureText(error: unknown, what: string): string {
	const { message, description } = error as { message?: string; description?: string | null };
	const failed =
		error instanceof NodeOperationError ? `Could not download ${what}: ${message}` : message;
	return description ? `${failed}. ${description}` : String(failed);
}
