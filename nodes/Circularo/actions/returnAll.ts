/**
 * "Return All" and "Limit" for the operations that list everything in one answer.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { badInput } from './inputChecks';

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
