import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../descriptions';
import * as getMany from './getMany';

export const operations = {
	getAll: getMany.execute,
};

export const description: INodeProperties[] = [
	operationProperty('documentType', 'getAll', [
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many document types',
			description:
				'List the document types of the tenant. Returns one item per type with its name (for Document > Create), default workflow and fields.',
		},
	]),
	...getMany.description,
];
