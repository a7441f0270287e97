import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { CANCEL_SHARE } from '../../assumptions';
import { SHARE_ADVICE } from '../advice';
import { answerItem } from '../answerItem';
import { forOperation } from '../descriptions';
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

export const description = forOperation('signRequest', 'cancel', properties);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const shareId = requiredText(this, itemIndex, 'shareId', 'Share ID');
	const message = textParameter(this, itemIndex, 'message') || undefined;
	return await answerItem.call(
		this,
		{ shareId, cancelled: true },
		{
			method: CANCEL_SHARE.method,
			path: CANCEL_SHARE.path,
			body: CANCEL_SHARE.body(shareId, message),
		},
		'cancel the sign request',
		SHARE_ADVICE,
	);
}
