import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { asObject, DELETE_WEBHOOK } from '../../assumptions';
import { circularoApiRequest } from '../../transport/request';
import { WEBHOOK_ADVICE } from '../advice';
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

export const description = updateDisplayOptions(
	{ show: { resource: ['webhook'], operation: ['delete'] } },
	properties,
);

/** Deletes one webhook (DELETE_WEBHOOK). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const webhookId = requiredText(this, itemIndex, 'webhookId', 'Webhook ID');
	const answer: unknown = await circularoApiRequest.call(
		this,
		DELETE_WEBHOOK.method,
		DELETE_WEBHOOK.path(webhookId),
		undefined,
		{
			action: 'delete the webhook',
			fixes: WEBHOOK_ADVICE,
		},
	);
	return [{ json: { id: webhookId, deleted: true, ...asObject(answer) } }];
}
