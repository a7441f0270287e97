import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany';

export const operations = {
	getAll: getMany.execute,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['documentType'] } },
		default: 'getAll',
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many document types',
				description:
					'List the document types of the tenant. Returns one item per type with its name (for Document > Create), default workflow and fields.',
			},
		],
	},
	...getMany.description,
];
