/** Creating and deleting documents. */
import type { IDataObject } from 'n8n-workflow';

import { asObject, firstString } from './answers';

/** Every documented example uses these; tenants may define their own types and workflows. */
export const DOCUMENT_DEFAULTS = {
	documentType: 'd_default',
	/** A document made from an uploaded file, whatever its type. */
	definitionType: 'ext',
	workflow: 'wf_archive',
} as const;

interface NewDocument {
	documentType: string;
	title: string;
	fileId: string;
	mimeType: string;
	workflow: string;
	convertToPdf: boolean;
	metadata: IDataObject;
}

/**
 * The body of POST /documents. Assumed: custom metadata fields sit in `body` by field name, next to
 * the documented ones, and `convertToPDF` sits at the top level.
 */
export function createDocumentBody(document: NewDocument): IDataObject {
	const body: IDataObject = {
		body: {
			...document.metadata,
			documentType: document.documentType,
			documentTitle: document.title,
			pdfFile: { content: document.fileId, _content_type: document.mimeType },
		},
		definitionType: DOCUMENT_DEFAULTS.definitionType,
		workflow: document.workflow,
	};
	if (document.convertToPdf) body.convertToPDF = true;
	return body;
}

/** Document types a file can become: those whose `definitionType` lists `ext`, or does not say. */
export function isFileBasedType(definition: IDataObject): boolean {
	const kinds = definition.definitionType;
	if (kinds === undefined || kinds === null) return true;
	return (Array.isArray(kinds) ? kinds : [kinds]).includes(DOCUMENT_DEFAULTS.definitionType);
}

/**
 * A 200 answer of DELETE /documents can still report failures: `errors: true` with details in
 * `items[]` (assumed to be a partial failure).
 */
export function deleteFailures(answer: unknown): string[] | undefined {
	const body = asObject(answer);
	if (body?.errors !== true) return undefined;
	const items = Array.isArray(body.items) ? body.items : [];
	return items.map((item) => {
		const entry = asObject(item) ?? {};
		const error = asObject(entry.error);
		return (
			firstString(entry.message, error?.message, entry.error, entry.reason) ?? JSON.stringify(item)
		);
	});
}
