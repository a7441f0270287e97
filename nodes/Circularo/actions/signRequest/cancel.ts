import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import { cancelShare } from '../../circularo/endpoints/shares';
import type { OperationRun } from '../router';
import { requiredText, textParameter } from '../common/inputChecks';

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

export const execute: OperationRun = async function (itemIndex, client) {
	const shareId = requiredText(this, itemIndex, 'shareId', 'Share ID');
	const message = textParameter(this, itemIndex, 'message') || undefined;
	const answer = await cancelShare(client, shareId, message);
	return [{ json: { shareId, cancelled: true, ...answer } }];
};
