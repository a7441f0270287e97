import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import type { CircularoClient } from '../../circularo/client';
import { getDocument } from '../../circularo/endpoints';
import { requiredText } from '../shared/inputChecks';
import { documentItem } from '../shared/output';
import { documentIdProperty } from '../shared/parameters';

export const description = updateDisplayOptions(
	{ show: { resource: ['document'], operation: ['get'] } },
	[documentIdProperty],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	client: CircularoClient,
): Promise<INodeExecutionData[]> {
	const documentId = requiredText(this, itemIndex, 'documentId', 'Document ID');
	return [{ json: documentItem(await getDocument(client, documentId)) }];
}
