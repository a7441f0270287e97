/**
 * Documents: get, search, create and delete. As in every file of endpoints/, one function per
 * endpoint: its path and method, the body it sends, how its answer is read (leniently, answers.ts)
 * and, beside it, the advice its failures get. Each point Circularo's documentation is silent on is
 * marked [assumed] at the field and listed in docs/assumptions.md.
 */
import type { IDataObject } from 'n8n-workflow';

import { answerLacks, asObject, firstResultOf, firstString, resultsOf } from '../answers';
import type { EndpointAdvice } from '../errors';
import { ABSENT, HIDDEN, type CircularoClient } from '../client';
import { FILE_DEFINITION_TYPE } from '../records';

export const DOCUMENT_RIGHTS =
	'The user behind the API key may not do this with this document: it needs the use_document_management right and access to the document (its owner, its team or an admin).';
export const UNKNOWN_DOCUMENT =
	'Check the Document ID: no document with this ID is visible to the user behind the API key.';

/** Every documented example uses these; tenants may define their own types and workflows. */
export const DOCUMENT_DEFAULTS = {
	documentType: 'd_default',
	workflow: 'wf_archive',
} as const;

/** The states `workflow.shareStateName` takes, as documented. */
export const DOCUMENT_STATES = [
	'inprogress',
	'completed',
	'rejected',
	'expired',
	'cancelled',
] as const;

/** Elasticsearch answers no page past this many hits (its default `max_result_window`). */
export const SEARCH_WINDOW = 10_000;

const GET_DOCUMENT: EndpointAdvice = {
	action: 'get the document',
	advice: { 403: DOCUMENT_RIGHTS, 404: UNKNOWN_DOCUMENT },
};

/**
 * GET /documents/:id. Documented wrapped in `results[]`; [assumed] some versions answer the
 * document unwrapped, which is read too.
 */
export async function getDocument(
	client: CircularoClient,
	documentId: string,
): Promise<IDataObject> {
	return (await readDocument(client, documentId, {})) as IDataObject;
}

/**
 * The document, or undefined when it is gone: [assumed] a deleted document, in the trash or
 * removed for good, answers GET /documents/:id with 404, as an unknown id does.
 */
export async function findDocument(
	client: CircularoClient,
	documentId: string,
): Promise<IDataObject | undefined> {
	return (await readDocument(client, documentId, { absentOn404: true })) as IDataObject | undefined;
}

/** What a watched document's lookup answers: the document, gone, or out of the key's sight. */
export type WatchedDocument = { document: IDataObject } | { gone: true } | { outOfSight: true };

/**
 * A document someone watches (the polling trigger's record): gone as findDocument says, or out of
 * sight: [assumed] a document the key could see and no longer may (its share withdrawn, the user's
 * rights changed) answers GET /documents/:id with 403.
 */
export async function watchedDocument(
	client: CircularoClient,
	documentId: string,
): Promise<WatchedDocument> {
	const answer = await readDocument(client, documentId, { absentOn404: true, hiddenOn403: true });
	if (answer === undefined) return { gone: true };
	if (answer === HIDDEN) return { outOfSight: true };
	return { document: answer };
}

async function readDocument(
	client: CircularoClient,
	documentId: string,
	answers: { absentOn404?: boolean; hiddenOn403?: boolean },
): Promise<IDataObject | undefined | typeof HIDDEN> {
	const answer = await client.request({
		endpoint: GET_DOCUMENT,
		method: 'GET',
		path: `/documents/${encodeURIComponent(documentId)}`,
		...answers,
	});
	if (answer === ABSENT) return undefined;
	if (answer === HIDDEN) return HIDDEN;
	return (
		firstResultOf(answer) ??
		answerLacks(
			client,
			`Circularo returned no document for ID "${documentId}"`,
			'Its answer to GET /documents/:id held no document.',
		)
	);
}

export interface DocumentFilters {
	states?: string[];
	titleContains?: string;
	createdAfter?: string;
	createdBefore?: string;
}

const SEARCH_DOCUMENTS: EndpointAdvice = {
	action: 'search documents',
	advice: { 400: 'Check the filters of this operation.', 403: DOCUMENT_RIGHTS },
};

/**
 * POST /search, an Elasticsearch body. Documented: the nested `workflow.shareStateName` terms query
 * and the `createDate` range. [assumed] `from`/`size` at the top level, a `match` on
 * `documentTitle` (all words) for "title contains", newest first by `createDate`; the total as
 * `total`, `total.value` or `hits.total(.value)`.
 */
export async function searchDocuments(
	client: CircularoClient,
	filters: DocumentFilters,
	from: number,
	size: number,
): Promise<{ documents: IDataObject[]; total?: number }> {
	const must: IDataObject[] = [];
	if (filters.states?.length) {
		must.push({
			nested: { path: 'workflow', query: { terms: { 'workflow.shareStateName': filters.states } } },
		});
	}
	if (filters.titleContains) {
		must.push({ match: { documentTitle: { query: filters.titleContains, operator: 'and' } } });
	}
	if (filters.createdAfter || filters.createdBefore) {
		const range: IDataObject = {};
		if (filters.createdAfter) range.gte = filters.createdAfter;
		if (filters.createdBefore) range.lte = filters.createdBefore;
		must.push({ range: { createDate: range } });
	}
	const answer = await client.request({
		endpoint: SEARCH_DOCUMENTS,
		method: 'POST',
		path: '/search',
		body: {
			query: must.length ? { bool: { must } } : { match_all: {} },
			sort: [{ createDate: { order: 'desc' } }],
			from,
			size,
		},
	});
	const body = asObject(answer) ?? {};
	let total: number | undefined;
	for (const candidate of [body.total, asObject(body.hits)?.total]) {
		const value = Number(asObject(candidate)?.value ?? candidate);
		if (candidate !== undefined && Number.isInteger(value)) {
			total = value;
			break;
		}
	}
	return { documents: resultsOf(answer), total };
}

export interface NewDocument {
	documentType: string;
	title: string;
	fileId: string;
	mimeType: string;
	workflow: string;
	convertToPdf: boolean;
	metadata: IDataObject;
}

const CREATE_DOCUMENT: EndpointAdvice = {
	action: 'create the document',
	advice: {
		400: 'Check the Document Type, the metadata fields and the workflow.',
		403: 'The user behind the API key needs the use_document_management right and access to this document type.',
	},
};

/**
 * POST /documents from an uploaded file; the created record, its `documentId` documented at
 * `results[0].documentId`. [assumed] Custom metadata fields sit in `body` by field name, next to
 * the documented ones, and `convertToPDF` sits at the top level.
 */
export async function createDocument(
	client: CircularoClient,
	document: NewDocument,
): Promise<IDataObject & { documentId: string }> {
	const body: IDataObject = {
		body: {
			...document.metadata,
			documentType: document.documentType,
			documentTitle: document.title,
			pdfFile: { content: document.fileId, _content_type: document.mimeType },
		},
		definitionType: FILE_DEFINITION_TYPE,
		workflow: document.workflow,
	};
	if (document.convertToPdf) body.convertToPDF = true;
	const answer = await client.request({
		endpoint: CREATE_DOCUMENT,
		method: 'POST',
		path: '/documents',
		body,
	});
	const record = firstResultOf(answer) ?? {};
	const documentId =
		firstString(record.documentId, record.id, asObject(answer)?.documentId) ??
		answerLacks(
			client,
			'Circularo created the document but its answer names no document ID',
			'Looked for results[0].documentId in the answer of POST /documents.',
		);
	return { ...record, documentId };
}

const DELETE_DOCUMENT: EndpointAdvice = {
	action: 'delete the document',
	advice: {
		403: DOCUMENT_RIGHTS,
		404: UNKNOWN_DOCUMENT,
		409: 'The document changed since the given Version. Get the document for its current version, or leave Version empty.',
	},
};

/**
 * DELETE /documents?hardDelete=, one document, at a version when given (a 409 when it moved on).
 * [assumed] A 200 answer can still report failures: `errors: true` with details in `items[]`;
 * they are returned as `failures`.
 */
export async function deleteDocument(
	client: CircularoClient,
	documentId: string,
	options: { permanent: boolean; version?: number },
): Promise<{ answer: IDataObject; failures?: string[] }> {
	const entry: IDataObject = { id: documentId };
	if (options.version !== undefined) entry.version = options.version;
	const answer =
		asObject(
			await client.request({
				endpoint: DELETE_DOCUMENT,
				method: 'DELETE',
				path: '/documents',
				qs: { hardDelete: options.permanent },
				body: { documents: [entry] },
			}),
		) ?? {};
	if (answer.errors !== true) return { answer };
	const items = Array.isArray(answer.items) ? answer.items : [];
	const failures = items.map((item) => {
		const failed = asObject(item) ?? {};
		const error = asObject(failed.error);
		return (
			firstString(failed.message, error?.message, failed.error, failed.reason) ??
			JSON.stringify(item)
		);
	});
	return { answer, failures };
}
