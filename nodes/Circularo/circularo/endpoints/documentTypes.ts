/** The tenant's document types. */
import type { IDataObject } from 'n8n-workflow';

import { resultsOf } from '../answers';
import type { CircularoClient } from '../client';
import type { EndpointAdvice } from '../errors';

const LIST_DOCUMENT_TYPES: EndpointAdvice = {
	action: 'list the document types',
	advice: { 403: 'The user behind the API key may not read the document types of this tenant.' },
};

/** GET /definitions/documents: the tenant's document types. */
export async function listDocumentTypes(client: CircularoClient): Promise<IDataObject[]> {
	const answer = await client.request({
		endpoint: LIST_DOCUMENT_TYPES,
		method: 'GET',
		path: '/definitions/documents',
	});
	return resultsOf(answer);
}
