import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import {
	DOCUMENT_STATES,
	SEARCH_WINDOW,
	searchDocuments,
	type DocumentFilters,
} from '../../circularo/endpoints/documents';
import type { OperationRun } from '../router';
import { badInput, optionalDate } from '../common/inputChecks';
import { documentItem } from '../common/output';
import { returnAllProperties, wantedCount } from '../common/parameters';

/** Documents per POST /search call. */
const PAGE_SIZE = 100;

const STATE_NAMES: Record<(typeof DOCUMENT_STATES)[number], string> = {
	inprogress: 'In Progress',
	completed: 'Completed',
	rejected: 'Rejected',
	expired: 'Expired',
	cancelled: 'Cancelled',
};

const properties: INodeProperties[] = [
	...returnAllProperties,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		description: 'Which documents to return. Without filters: every document the API key can see.',
		options: [
			{
				displayName: 'Created After',
				name: 'createdAfter',
				type: 'dateTime',
				default: '',
				description: 'Only documents created at or after this date and time (ISO 8601)',
			},
			{
				displayName: 'Created Before',
				name: 'createdBefore',
				type: 'dateTime',
				default: '',
				description: 'Only documents created at or before this date and time (ISO 8601)',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'multiOptions',
				default: [],
				description: 'Only documents in one of these signing states',
				options: DOCUMENT_STATES.map((value) => ({ name: STATE_NAMES[value], value })),
			},
			{
				displayName: 'Title Contains',
				name: 'titleContains',
				type: 'string',
				default: '',
				placeholder: 'agreement',
				description: 'Only documents whose title contains all of these words',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['document'], operation: ['getAll'] } },
	properties,
);

interface FilterParameters {
	createdAfter?: string;
	createdBefore?: string;
	status?: string[];
	titleContains?: string;
}

function filtersOf(context: IExecuteFunctions, itemIndex: number): DocumentFilters {
	const given = context.getNodeParameter('filters', itemIndex, {}) as FilterParameters;
	const filters: DocumentFilters = {
		createdAfter: optionalDate(context, itemIndex, given.createdAfter, '"Created After"'),
		createdBefore: optionalDate(context, itemIndex, given.createdBefore, '"Created Before"'),
		titleContains: given.titleContains?.trim() || undefined,
		states: given.status?.length ? given.status : undefined,
	};
	const unknown = (filters.states ?? []).filter(
		(state) => !(DOCUMENT_STATES as readonly string[]).includes(state),
	);
	if (unknown.length > 0) {
		throw badInput(
			context,
			itemIndex,
			`"Status" has unknown values: ${unknown.join(', ')}`,
			`Use ${DOCUMENT_STATES.join(', ')}.`,
		);
	}
	if (
		filters.createdAfter &&
		filters.createdBefore &&
		filters.createdAfter > filters.createdBefore
	) {
		throw badInput(context, itemIndex, '"Created After" is later than "Created Before"');
	}
	return filters;
}

/** Pages through POST /search with from/size until `wanted` documents, the total or the last page. */
export const execute: OperationRun = async function (itemIndex, client) {
	const limit = Math.min(wantedCount(this, itemIndex), SEARCH_WINDOW);
	const filters = filtersOf(this, itemIndex);
	// Each page becomes output items at once: beyond the items, one page is held at a time.
	const items: INodeExecutionData[] = [];
	while (items.length < limit) {
		const size = Math.min(PAGE_SIZE, limit - items.length);
		const page = await searchDocuments(client, filters, items.length, size);
		for (const document of page.documents.slice(0, size))
			items.push({ json: documentItem(document) });
		const total = page.total;
		if (page.documents.length < size || (total !== undefined && items.length >= total)) break;
	}
	return items;
};
