import type { INodeProperties } from 'n8n-workflow';

import * as cancel from './cancel';
import * as create from './create';
import * as sendAndWaitForSignature from './sendAndWaitForSignature';

export const operations = {
	cancel: cancel.execute,
	create: create.execute,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['signRequest'] } },
		default: 'create',
		options: [
			{
				name: 'Cancel',
				value: 'cancel',
				action: 'Cancel a sign request',
				description:
					'Cancel a sign request by one of its share IDs, with an optional message. Returns the share ID and cancelled: true.',
			},
			{
				name: 'Create',
				value: 'create',
				action: 'Send a document for signature',
				description:
					'Share a document with recipients to sign, approve, review, accept or view it. Returns the share IDs, one per recipient.',
			},
			{
				name: 'Send and Wait for Signature',
				value: 'sendAndWaitForSignature',
				action: 'Send a document for signature and wait',
				description:
					'Share a document for signature and wait until the signing ends. Returns one item with the outcome: completed on the Completed output; rejected, expired, cancelled, deleted or the wait limit on Not Completed. Not offered to AI agents.',
				displayOptions: { show: { '@tool': [false] } },
			},
		],
	},
	...cancel.description,
	...create.description,
	...sendAndWaitForSignature.description,
];
