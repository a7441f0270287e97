/**
 * A document's files as n8n binary data, the same in both nodes: its current PDF (signed, once
 * everyone has signed) and its audit trail, named after the document's title.
 */
import {
	NodeOperationError,
	type IBinaryData,
	type IDataObject,
	type IExecuteFunctions,
	type IWebhookFunctions,
} from 'n8n-workflow';

import { firstString } from './answers';
import type { CircularoClient } from './client';
import { downloadAuditTrail, downloadFile, getDocument } from './endpoints';

/** The binary field the trigger puts the audit trail in, and the action node's default for it. */
export const AUDIT_TRAIL_FIELD = 'auditTrail';

type FileContext = IExecuteFunctions | IWebhookFunctions;

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
	const bytes = await downloadFile(client, hash);
	const pdf = await context.helpers.prepareBinaryData(bytes, pdfFileName(title), 'application/pdf');
	return { document, pdf, title };
}

/** The document's audit trail PDF (the Certificate of Fulfilment once completed). */
export async function auditTrailPdf(
	context: FileContext,
	client: CircularoClient,
	documentId: string,
	title: string,
): Promise<IBinaryData> {
	const bytes = await downloadAuditTrail(client, documentId);
	return await context.helpers.prepareBinaryData(
		bytes,
		pdfFileName(`${title} audit trail`),
		'application/pdf',
	);
}
