/**
 * Attaching the signed PDF and the audit trail of a delivery's document.
 */
import { NodeOperationError, type IBinaryKeyData, type IWebhookFunctions } from 'n8n-workflow';

import { DOWNLOAD_FILE_NAMES } from '../assumptions';
import { circularoApiRequest, circularoDownload } from '../transport/request';
import {
	EVENTS_WITH_SIGNED_DOCUMENT,
	type CircularoDocumentList,
	type CircularoEventName,
	type CircularoTriggerItem,
	type TriggerOptions,
} from '../types';
import { describeCallFailure } from './failures';
import { credentialsOf } from './secrets';

const AUDIT_TRAIL_PROPERTY = 'auditTrail';

/** Whether the options ask for any download for this item's event. */
function wantsDownloads(
	item: CircularoTriggerItem,
	options: TriggerOptions,
): { signed: boolean; audit: boolean } {
	return {
		signed:
			options.downloadSignedDocument === true &&
			EVENTS_WITH_SIGNED_DOCUMENT.includes(item.event as CircularoEventName),
		audit: options.includeAuditTrail === true && item.event !== 'documentDeleted',
	};
}

/**
 * Downloads what the options ask for. A failed download never loses the event: the reason goes into
 * `item.downloadError` and the item is still emitted.
 */
export async function downloadDocuments(
	context: IWebhookFunctions,
	item: CircularoTriggerItem,
	options: TriggerOptions,
): Promise<IBinaryKeyData> {
	const binary: IBinaryKeyData = {};
	const wanted = wantsDownloads(item, options);
	if (!wanted.signed && !wanted.audit) return binary;
	const documentId = item.documentId;
	if (!documentId) {
		item.downloadError = 'The delivery carries no document id, so no file could be downloaded';
		return binary;
	}
	const { serverUrl } = await credentialsOf(context);
	const path = `/documents/${encodeURIComponent(documentId)}`;
	const errors: string[] = [];
	if (wanted.signed) {
		try {
			const found = await circularoApiRequest.call<
				IWebhookFunctions,
				['GET', string],
				Promise<CircularoDocumentList>
			>(context, 'GET', path);
			const document = found?.results?.[0];
			const hash = document?.pdfFile?.content;
			if (!hash)
				throw new NodeOperationError(
					context.getNode(),
					'Circularo returned no PDF for this document',
				);
			const bytes = await circularoDownload.call(
				context,
				`/files/loadFile/hash/${encodeURIComponent(hash)}`,
			);
			const title = document.documentTitle ?? item.documentTitle ?? documentId;
			binary[options.binaryPropertyName || 'data'] = await context.helpers.prepareBinaryData(
				bytes,
				DOWNLOAD_FILE_NAMES.document(title),
				'application/pdf',
			);
		} catch (error) {
			errors.push(downloadFailure(error, 'the signed document', serverUrl));
		}
	}
	if (wanted.audit) {
		try {
			const bytes = await circularoDownload.call(context, `${path}/audit`);
			binary[AUDIT_TRAIL_PROPERTY] = await context.helpers.prepareBinaryData(
				bytes,
				DOWNLOAD_FILE_NAMES.auditTrail(item.documentTitle ?? documentId),
				'application/pdf',
			);
		} catch (error) {
			errors.push(downloadFailure(error, 'the audit trail', serverUrl));
		}
	}
	if (errors.length > 0) item.downloadError = errors.join('; ');
	return binary;
}

function downloadFailure(error: unknown, what: string, serverUrl: string): string {
	if (error instanceof NodeOperationError) return `Could not download ${what}: ${error.message}`;
	return describeCallFailure(`download ${what}`, error, serverUrl).text;
}
