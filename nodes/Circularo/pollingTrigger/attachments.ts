/**
 * The signed PDF and the audit trail of a reported document, attached as the Circularo Trigger
 * attaches them (same options, same binary fields, the same documentFiles). A failed download
 * never loses the event: what failed goes into the item's `downloadError`.
 */
import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import type { CircularoClient } from '../circularo/client';
import { documentFiles, wantedFiles, type DownloadOptions } from '../circularo/documentFiles';
import { hasSignedPdf } from '../events';
import type { PolledItem } from './items';

/** The "Options" parameter. */
export type PollOptions = Omit<DownloadOptions, 'auditTrailBinaryPropertyName'>;

async function withFiles(
	context: IPollFunctions,
	client: CircularoClient,
	item: PolledItem,
	options: PollOptions,
): Promise<INodeExecutionData> {
	const wanted = wantedFiles({
		...options,
		downloadSignedDocument: options.downloadSignedDocument === true && hasSignedPdf(item.event),
		binaryPropertyName: options.binaryPropertyName || 'data',
		includeAuditTrail: options.includeAuditTrail === true && item.event !== 'documentDeleted',
	});
	if (wanted.pdfField === undefined && wanted.auditTrailField === undefined) return { json: item };
	const files = await documentFiles(
		context,
		client,
		item.documentId,
		{ ...wanted, failures: 'record' },
		{ title: item.documentTitle },
	);
	if (files.downloadError) item.downloadError = files.downloadError;
	return Object.keys(files.binary).length > 0
		? { json: item, binary: files.binary }
		: { json: item };
}

/** The items of a poll, with the files the options ask for. */
export async function withAttachments(
	context: IPollFunctions,
	client: CircularoClient,
	items: PolledItem[],
	options: PollOptions,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	for (const item of items) out.push(await withFiles(context, client, item, options));
	return out;
}
