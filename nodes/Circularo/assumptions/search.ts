/** Searching documents: POST /search, an Elasticsearch body. */
import type { IDataObject } from 'n8n-workflow';

import { asObject } from './answers';

/** The states `workflow.shareStateName` takes, as documented. */
export const DOCUMENT_STATES = [
	'inprogress',
	'completed',
	'rejected',
	'expired',
	'cancelled',
] as const;

export interface DocumentFilters {
	states?: string[];
	titleContains?: string;
	createdAfter?: string;
	createdBefore?: string;
}

/**
 * The Elasticsearch body of POST /search. Documented: the nested `workflow.shareStateName` terms
 * query and the `createDate` range. Assumed: `from`/`size` at the top level, a `match` on
 * `documentTitle` (all words) for "title contains", newest first by `createDate`.
 */
export function searchBody(filters: DocumentFilters, from: number, size: number): IDataObject {
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
	return {
		query: must.length ? { bool: { must } } : { match_all: {} },
		sort: [{ createDate: { order: 'desc' } }],
		from,
		size,
	};
}

/** How many documents match, when the answer says: `total`, `total.value` or `hits.total(.value)`. */
export function searchTotal(answer: unknown): number | undefined {
	const body = asObject(answer) ?? {};
	for (const candidate of [body.total, asObject(body.hits)?.total]) {
		const total = Number(asObject(candidate)?.value ?? candidate);
		if (candidate !== undefined && Number.isInteger(total)) return total;
	}
	return undefined;
}

/** Elasticsearch answers no page past this many hits (its default `max_result_window`). */
export const SEARCH_WINDOW = 10_000;
