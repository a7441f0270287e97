import type { INodeProperties } from 'n8n-workflow';

import * as cancel from './cancel';
import * as create from './create';
import * as getSigningLink from './getSigningLink';
import * as sendAndWaitForSignature from './sendAndWaitForSignature';
import * as sendReminder from './sendReminder';

export const operations = {
	cancel: cancel.execute,
	create: create.execute,
	getSigningLink: getSigningLink.execute,
	sendReminder: sendReminder.execute,
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
				name: 'Get Signing Link',
				value: 'getSigningLink',
				action: 'Get the signing link of a recipient',
				description:
					'Get the link a recipient signs at, to send by chat or SMS or to embed: a direct link for a share protected by a one-time password, or the after-login link of a Circularo user. Returns the link and its kind.',
			},
			{
				name: 'Send and Wait for Signature',
				value: 'sendAndWaitForSignature',
				action: 'Send a document for signature and wait',
				description:
					'Share a document for signature and wait until the signing ends. Returns one item with the outcome: completed on the Completed output; rejected, expired, cancelled, deleted or the wait limit on Not Completed. Not offered to AI agents.',
				displayOptions: { show: { '@tool': [false] } },
			},
			{
				name: 'Send Reminder',
				value: 'sendReminder',
				action: 'Remind recipients to act on a sign request',
				description:
					'Remind everyone who still has to sign, approve or review a document, or the recipients of given shares. Circularo allows one reminder per share per day. Returns the IDs of the shares reminded.',
			},
		],
	},
	...cancel.description,
	...create.description,
	...getSigningLink.description,
	...sendAndWaitForSignature.description,
	...sendReminder.description,
];
