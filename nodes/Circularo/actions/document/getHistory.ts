import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import type { CircularoClient } from '../../circularo/client';
import { documentHistory, getDocument } from '../../circularo/endpoints';
import { requiredText } from '../shared/inputChecks';
import { documentIdProperty } from '../shared/parameters';

export const description = updateDisplayOptions(
	{ show: { resource: ['document'], operation: ['getHistory'] } },
	[documentIdProperty],
);

/** One item per entry of the document's history, oldest first, each with the document's ID. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	client: CircularoClient,
): Promise<INodeExecutionData[]> {
	const documentId = requiredText(this, itemIndex, 'documentId', 'Document ID');
	const history = documentHistory(await getDocument(client, documentId));
	return history.map((entry) => ({ json: { documentId, ...entry } }));
}
