import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { DELETE_WEBHOOK } from '../../assumptions';
import { WEBHOOK_ADVICE } from '../advice';
import { answerItem } from '../answerItem';
import { forOperation } from '../descriptions';
import { requiredText } from '../inputChecks';

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

export const description = forOperation('webhook', 'delete', properties);

/** Deletes one webhook (DELETE_WEBHOOK). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const webhookId = requiredText(this, itemIndex, 'webhookId', 'Webhook ID');
	return await answerItem.call(
		this,
		{ id: webhookId, deleted: true },
		{ method: DELETE_WEBHOOK.method, path: DELETE_WEBHOOK.path(webhookId) },
		'delete the webhook',
		WEBHOOK_ADVICE,
	);
}
