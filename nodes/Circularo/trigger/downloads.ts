/**
 * Attaching the signed PDF and the audit trail of a delivery's document (the "Download Signed
 * Document" and "Include Audit Trail" options).
 */
import { NodeOperationError, type IBinaryKeyData, type IWebhookFunctions } from 'n8n-workflow';

import type { CircularoClient } from '../circularo/client';
import { AUDIT_TRAIL_FIELD, auditTrailPdf, documentPdf, fileTitle } from '../circularo/files';
import { hasSignedPdf } from '../events';
import type { CircularoTriggerItem } from './payload';

/** The trigger's "Options" parameter. */
export interface TriggerOptions {
	downloadSignedDocument?: boolean;
	binaryPropertyName?: string;
	includeAuditTrail?: boolean;
	includeHeaders?: boolean;
}

/** A failed download as one sentence pair: what failed, and what to fix. */
function failureText(error: unknown, what: string): string {
	const { message, description } = error as { message?: string; description?: string | null };
	const failed =
		error instanceof NodeOperationError ? `Could not download ${what}: ${message}` : message;
	return description ? `${failed}. ${description}` : String(failed);
}

/**
 * Downloads what the options ask for. A failed download never loses the event: what failed and
 * what to fix go into `item.downloadError` and the item is still emitted.
 */
export async function downloadDocuments(
	context: IWebhookFunctions,
	client: CircularoClient,
	item: CircularoTriggerItem,
	options: TriggerOptions,
): Promise<IBinaryKeyData> {
	const binary: IBinaryKeyData = {};
	const signed = options.downloadSignedDocument === true && hasSignedPdf(item.event);
	const audit = options.includeAuditTrail === true && item.event !== 'documentDeleted';
	if (!signed && !audit) return binary;
	const documentId = item.documentId;
	if (!documentId) {
		item.downloadError = 'The delivery carries no document id, so no file could be downloaded';
		return binary;
	}
	let title = fileTitle(documentId, item.documentTitle);
	const errors: string[] = [];
	if (signed) {
		try {
			const downloaded = await documentPdf(context, client, documentId, item.documentTitle);
			binary[options.binaryPropertyName || 'data'] = downloaded.pdf;
			title = downloaded.title;
		} catch (error) {
			errors.push(failureText(error, 'the signed document'));
		}
	}
	if (audit) {
		try {
			binary[AUDIT_TRAIL_FIELD] = await auditTrailPdf(context, client, documentId, title);
		} catch (error) {
			errors.push(failureText(error, 'the audit trail'));
		}
	}
	if (errors.length > 0) item.downloadError = errors.join('; ');
	return binary;
}
