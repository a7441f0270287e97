import type { INodeProperties } from 'n8n-workflow';

import * as deleteWebhook from './delete';
import * as getMany from './getMany';

export const operations = {
	delete: deleteWebhook.execute,
	getAll: getMany.execute,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['webhook'] } },
		default: 'getAll',
		options: [
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a webhook',
				description:
					'Delete a webhook registration, for example one left behind by another tool. Returns the ID and deleted: true.',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many webhooks',
				description:
					'List the webhook registrations the API key can see. Returns one item per webhook with its ID, scope and callback URL (never its secret).',
			},
		],
	},
	...deleteWebhook.description,
	...getMany.description,
];
