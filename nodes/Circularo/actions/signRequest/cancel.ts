import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { asObject, CANCEL_SHARE } from '../../assumptions';
import { circularoApiRequest } from '../../transport/request';
import { SHARE_ADVICE } from '../advice';
import { requiredText, textParameter } from '../inputChecks';

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
): Promise<INodeExecutionData[]> {
	const shareId = requiredText(this, itemIndex, 'shareId', 'Share ID');
	const message = textParameter(this, itemIndex, 'message') || undefined;
	const answer: unknown = await circularoApiRequest.call(
		this,
		CANCEL_SHARE.method,
		CANCEL_SHARE.path,
		CANCEL_SHARE.body(shareId, message),
		{ action: 'cancel the sign request', fixes: SHARE_ADVICE },
	);
	return [{ json: { shareId, cancelled: true, ...asObject(answer) } }];
}
