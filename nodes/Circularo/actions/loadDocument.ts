/**
 * Reads one document (GET /documents/:id), for the operations that need its type, file or version.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { firstResultOf } from '../assumptions';
import { circularoApiRequest } from '../transport/request';
import { DOCUMENT_ADVICE } from './advice';

export async function loadDocument(
	this: IExecuteFunctions,
	documentId: string,
	itemIndex: number,
	action = 'get the document',
): Promise<IDataObject> {
	const answer = await circularoApiRequest.call(
		this,
		'GET',
		`/documents/${encodeURIComponent(documentId)}`,
		undefined,
		{
			action,
			fixes: DOCUMENT_ADVICE,
		},
	);
	const record = firstResultOf(answer);
	if (!record) {
		throw new NodeOperationError(
			this.getNode(),
			`Circularo returned no document for ID "${documentId}"`,
			{ itemIndex },
		);
	}
	return record;
}
