/**
 * Paging through a search newest first, one page in memory at a time, keyed by creation date
 * rather than by offset: each page asks for documents created at or before the oldest of the page
 * before (the documented `createDate` range), skipping those of that date already seen. Offsets
 * would skip documents whenever one leaves the result between two pages (a document completed
 * during the poll) and stop at Elasticsearch's 10,000-hit window; this way neither happens.
 */
import type { IDataObject } from 'n8n-workflow';

import type { CircularoClient } from '../circularo/client';
import { searchDocuments } from '../circularo/endpoints/documents';
import { createDateOf } from '../circularo/records';

/**
 * [assumed] Documents per search page. Circularo documents `from`/`size` paging but no largest
 * page; 100 is small enough for any server's cap and for a page's memory (full documents with
 * their history).
 */
export const PAGE_SIZE = 100;

/**
 * Every document in `states` created at or after `createdAfter` (ISO 8601, optional), page by page.
 * [assumed] The search answers newest first by `createDate` (as searchDocuments asks) and takes a
 * document's exact `createDate` as the `lte` bound of the next page (documented is `gte`).
 * A page shorter than asked ends the search unless the answer's total says more are left.
 */
export async function* searchPages(
	client: CircularoClient,
	filter: { states: string[]; createdAfter?: string },
	pageSize = PAGE_SIZE,
): AsyncGenerator<IDataObject[]> {
	let createdBefore: string | undefined;
	/** How many documents of the date `createdBefore` the pages so far held. */
	let seenAtBoundary = 0;
	for (;;) {
		const { documents, total } = await searchDocuments(
			client,
			{ states: filter.states, createdAfter: filter.createdAfter, createdBefore },
			seenAtBoundary,
			pageSize,
		);
		if (documents.length === 0) return;
		yield documents;
		const lastDate = createDateOf(documents[documents.length - 1]);
		const more =
			documents.length >= pageSize ||
			(total !== undefined && total > seenAtBoundary + documents.length);
		if (!more || lastDate === undefined) return;
		const atLast = documents.filter((document) => createDateOf(document) === lastDate).length;
		seenAtBoundary = lastDate === createdBefore ? seenAtBoundary + atLast : atLast;
		createdBefore = lastDate;
	}
}
