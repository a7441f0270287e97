/**
 * The signed PDF and the audit trail of a reported document, attached as the Circularo Trigger
 * attaches them (same options, same binary fields). A failed download never loses the event: what
 * failed goes into the item's `downloadError`.
 */
import type { IBinaryKeyData, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import type { CircularoClient } from '../circularo/client';
import {
	AUDIT_TRAIL_FIELD,
	auditTrailPdf,
	documentPdf,
	downloadFailureText,
	downloadLimit,
	fileTitle,
} from '../circularo/files';
import { hasSignedPdf } from '../events';
import type { PolledItem } from './items';

/** The "Options" parameter. */
export interface PollOptions {
	downloadSignedDocument?: boolean;
	binaryPropertyName?: string;
	includeAuditTrail?: boolean;
	maxFileSize?: number;
}

async function attachmentsOf(
	context: IPollFunctions,
	client: CircularoClient,
	item: PolledItem,
	options: PollOptions,
): Promise<IBinaryKeyData> {
	const binary: IBinaryKeyData = {};
	const signed = options.downloadSignedDocument === true && hasSignedPdf(item.event);
	const audit = options.includeAuditTrail === true && item.event !== 'documentDeleted';
	const limit = downloadLimit(options.maxFileSize);
	let title = fileTitle(item.documentId, item.documentTitle);
	const errors: string[] = [];
	if (signed) {
		try {
			const downloaded = await documentPdf(context, client, item.documentId, limit, title);
			binary[options.binaryPropertyName || 'data'] = downloaded.pdf;
			title = downloaded.title;
		} catch (error) {
			errors.push(downloadFailureText(error, 'the signed document'));
		}
	}
	if (audit) {
		try {
			binary[AUDIT_TRAIL_FIELD] = await auditTrailPdf(
				context,
				client,
				item.documentId,
				title,
				limit,
			);
		} catch (error) {
			errors.push(downloadFailureText(error, 'the audit trail'));
		}
	}
	if (errors.length > 0) item.downloadError = errors.join('; ');
	return binary;
}

/** The items of a poll, with the files the options ask for. */
export async function withAttachments(
	context: IPollFunctions,
	client: CircularoClient,
	items: PolledItem[],
	options: PollOptions,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	for (const item of items) {
		const binary = await attachmentsOf(context, client, item, options);
		out.push(Object.keys(binary).length > 0 ? { json: item, binary } : { json: item });
	}
	return out;
}
