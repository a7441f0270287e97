import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

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

export const description = updateDisplayOptions({ show: { resource: ['webhook'], operation: ['delete'] } }, properties);

/** DELETE /webhooks/:id. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const webhookId = requiredText(this, itemIndex, 'webhookId', 'Webhook ID');
	const answer: unknown = await circularoApiRequest.call(this, 'DELETE', `/webhooks/${encodeURIComponent(webhookId)}`, undefined, {
		action: 'delete the webhook',
		fixes: WEBHOOK_ADVICE,
	});
	const details = answer && typeof answer === 'object' && !Array.isArray(answer) ? (answer as IDataObject) : {};
	return [{ json: { id: webhookId, deleted: true, ...details } }];
}
