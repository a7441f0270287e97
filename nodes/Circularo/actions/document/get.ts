import { updateDisplayOptions } from 'n8n-workflow';

import { getDocument } from '../../circularo/endpoints/documents';
import type { OperationRun } from '../router';
import { requiredText } from '../common/inputChecks';
import { documentItem } from '../common/output';
import { documentIdProperty } from '../common/parameters';

export const description = updateDisplayOptions(
	{ show: { resource: ['document'], operation: ['get'] } },
	[documentIdProperty],
);

export const execute: OperationRun = async function (itemIndex, client) {
	const documentId = requiredText(this, itemIndex, 'documentId', 'Document ID');
	return [{ json: documentItem(await getDocument(client, documentId)) }];
};
