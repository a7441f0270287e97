import type { INodeProperties } from 'n8n-workflow';

import * as get from './get';
import * as getMany from './getMany';
import * as send from './send';

export const operations = {
	get: get.execute,
	getAll: getMany.execute,
	send: send.execute,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['template'] } },
		default: 'send',
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get a template',
				description:
					'Get one signature template by ID. Returns its name, document type, the names of its fields and its roles (who signs, in which order).',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many templates',
				description:
					'List the signature templates of the tenant, optionally those whose name contains a text. Returns one item per template with its ID, name, document type and field names.',
			},
			{
				name: 'Send for Signature',
				value: 'send',
				action: 'Send a document from a template for signature',
				description:
					"Create a document from a template with its fields filled, and send it to the template's recipients (or the ones given, one per role). Returns the document ID, the share IDs and, if asked, each recipient's signing link.",
			},
		],
	},
	...get.description,
	...getMany.description,
	...send.description,
];
