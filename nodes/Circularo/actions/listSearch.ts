/**
 * The editor's list of document types for Document > Create (an ID or expression works too).
 */
import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { circularoClient } from '../circularo/client';
import { listDocumentTypes } from '../circularo/endpoints/documentTypes';
import { isFileBasedType } from '../circularo/records';

export async function searchDocumentTypes(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const wanted = (filter ?? '').trim().toLowerCase();
	const results = (await listDocumentTypes(circularoClient(this)))
		.filter(isFileBasedType)
		.map((definition) => String(definition.name ?? ''))
		.filter((name) => name !== '' && name.toLowerCase().includes(wanted))
		.sort((a, b) => a.localeCompare(b))
		.map((name) => ({ name, value: name }));
	return { results };
}
