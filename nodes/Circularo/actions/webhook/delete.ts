import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import { deleteWebhook } from '../../circularo/endpoints/webhooks';
import type { OperationRun } from '../router';
import { requiredText } from '../common/inputChecks';

const properties: INodeProperties[] = [
	{
		displayName: 'Webhook ID',
		name: 'webhookId',
		type: 'string',
		default: '',
		required: true,
		description: 'ID of the webhook registration to delete (the "ID" from Webhook > Get Many)',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['webhook'], operation: ['delete'] } },
	properties,
);

/** Deletes one webhook registration. */
export const execute: OperationRun = async function (itemIndex, client) {
	const webhookId = requiredText(this, itemIndex, 'webhookId', 'Webhook ID');
	const answer = await deleteWebhook(client, webhookId);
	return [{ json: { id: webhookId, deleted: true, ...answer } }];
};
