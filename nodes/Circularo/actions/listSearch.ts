/**
 * The editor's searchable lists: document types for Document > Create, templates for Template >
 * Get and Send for Signature (an ID or an expression works too).
 */
import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { circularoClient } from '../circularo/client';
import { listDocumentTypes } from '../circularo/endpoints/documentTypes';
import { listTemplates } from '../circularo/endpoints/templates';
import { isFileBasedType } from '../circularo/records';

/** The entries whose name holds the filter, case aside, sorted by name. */
function matching(entries: INodeListSearchItems[], filter?: string): INodeListSearchResult {
	const wanted = (filter ?? '').trim().toLowerCase();
	const results = entries
		.filter(({ name }) => name !== '' && name.toLowerCase().includes(wanted))
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}

export async function searchDocumentTypes(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const names = (await listDocumentTypes(circularoClient(this)))
		.filter(isFileBasedType)
		.map((definition) => String(definition.name ?? ''));
	return matching(
		names.map((name) => ({ name, value: name })),
		filter,
	);
}

export async function searchTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const templates = await listTemplates(circularoClient(this));
	return matching(
		templates.map(({ name, templateId }) => ({ name, value: templateId })),
		filter,
	);
}
