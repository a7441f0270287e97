import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { forOperation } from '../descriptions';
import { requiredText } from '../inputChecks';
import { loadDocument } from '../loadDocument';
import { readableDocument } from '../readableDocument';
import { documentIdProperty } from './documentId';

export const description = forOperation('document', 'get', [documentIdProperty]);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const documentId = requiredText(this, itemIndex, 'documentId', 'Document ID');
	const record = await loadDocument.call(this, documentId, itemIndex);
	return [{ json: readableDocument(record) }];
}
