import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { CircularoClient } from '../../circularo/client';
import { cancelShare } from '../../circularo/endpoints';
import { requiredText, textParameter } from '../shared/inputChecks';

const properties: INodeProperties[] = [
	{
		displayName: 'Share ID',
		name: 'shareId',
		type: 'string',
		default: '',
		required: true,
		description:
			'ID of one share of the sign request (a value of shareIds from Create). Cancelling one share cancels the whole request.',
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		description: 'Why the request is cancelled; recorded in the document history',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['signRequest'], operation: ['cancel'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	client: CircularoClient,
): Promise<INodeExecutionData[]> {
	const shareId = requiredText(this, itemIndex, 'shareId', 'Share ID');
	const message = textParameter(this, itemIndex, 'message') || undefined;
	const answer = await cancelShare(client, shareId, message);
	return [{ json: { shareId, cancelled: true, ...answer } }];
}
