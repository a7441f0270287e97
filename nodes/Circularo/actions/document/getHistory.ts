import { updateDisplayOptions } from 'n8n-workflow';

import { getDocument } from '../../circularo/endpoints/documents';
import { documentHistory } from '../../circularo/records';
import type { OperationRun } from '../router';
import { requiredText } from '../common/inputChecks';
import { documentIdProperty } from '../common/parameters';

export const description = updateDisplayOptions(
	{ show: { resource: ['document'], operation: ['getHistory'] } },
	[documentIdProperty],
);

/** One item per entry of the document's history, oldest first, each with the document's ID. */
export const execute: OperationRun = async function (itemIndex, client) {
	const documentId = requiredText(this, itemIndex, 'documentId', 'Document ID');
	const history = documentHistory(await getDocument(client, documentId));
	return history.map((entry) => ({ json: { documentId, ...entry } }));
};
