/**
 * The editor's list of document types for Document > Create (an ID or expression works too).
 */
import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { isFileBasedType, resultsOf } from '../assumptions';
import { circularoApiRequest } from '../transport/request';
import { DEFINITION_ADVICE } from './advice';

export async function searchDocumentTypes(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const answer = await circularoApiRequest.call(this, 'GET', '/definitions/documents', undefined, {
		action: 'list the document types',
		fixes: DEFINITION_ADVICE,
	});
	const wanted = (filter ?? '').trim().toLowerCase();
	const results = resultsOf(answer)
		.filter(isFileBasedType)
		.map((definition) => String(definition.name ?? ''))
		.filter((name) => name !== '' && name.toLowerCase().includes(wanted))
		.sort((a, b) => a.localeCompare(b))
		.map((name) => ({ name, value: name }));
	return { results };
}
