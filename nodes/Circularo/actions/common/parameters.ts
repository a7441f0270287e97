/**
 * Parameters several operations share: the Document ID, and "Return All" with "Limit".
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { badInput } from './inputChecks';

/** The Document ID parameter every document operation but Create starts with. */
export const documentIdProperty: INodeProperties = {
	displayName: 'Document ID',
	name: 'documentId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '7a306bc1-4c52-4f0e-9d1a-2b7e0c9f6a11',
	description:
		'ID of the Circularo document (documentId), as returned by Create or Get Many or sent by the Circularo Trigger',
};

export const returnAllProperties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** How many results the user asked for: Infinity for Return All. */
export function wantedCount(context: IExecuteFunctions, itemIndex: number): number {
	if (context.getNodeParameter('returnAll', itemIndex, false) as boolean) return Infinity;
	const limit = Number(context.getNodeParameter('limit', itemIndex, 50));
	if (!Number.isInteger(limit) || limit < 1)
		throw badInput(context, itemIndex, '"Limit" must be a whole number of at least 1');
	return limit;
}
