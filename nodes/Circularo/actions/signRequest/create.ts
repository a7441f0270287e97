import { updateDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import type { CircularoClient } from '../../circularo/client';
import { DOCUMENT_DEFAULTS, getDocument } from '../../circularo/endpoints/documents';
import { share, type Recipient, type SignatureField } from '../../circularo/endpoints/shares';
import type { OperationRun } from '../router';
import { requiredText } from '../common/inputChecks';
import { documentIdProperty } from '../common/parameters';
import { checkedRecipients, type RecipientParameters } from './recipients';
import { reminderProperties, withAutomaticReminders } from './reminderOptions';
import { readSigningLinkPlan, signingLinkProperties, signingLinksOf } from './signingLinkOption';

const recipientValues: INodeProperties[] = [
	{
		displayName: 'E-Mail or Username',
		name: 'shareTo',
		type: 'string',
		default: '',
		placeholder: 'name@email.com',
		description:
			'E-mail address of the recipient (anyone, inside or outside the organisation) or the username of a Circularo user',
	},
	{
		displayName: 'Purpose',
		name: 'purpose',
		type: 'options',
		default: 'sign',
		description: 'What the recipient is asked to do',
		options: [
			{ name: 'Accept', value: 'accept', description: 'Accept the document' },
			{ name: 'Approve', value: 'approve', description: 'Approve the document' },
			{ name: 'Review', value: 'review', description: 'Review the document' },
			{ name: 'Sign', value: 'sign', description: 'Sign the document in a signature field' },
			{ name: 'View', value: 'view', description: 'Only view the document' },
		],
	},
	{
		displayName: 'Order',
		name: 'order',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description:
			'Position of the recipient in sequential signing (1 first). 0 uses the position in this list.',
	},
	{
		displayName: 'Private Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		description: 'A message only this recipient sees in the invitation',
	},
	{
		displayName: 'Valid Until',
		name: 'validUntil',
		type: 'dateTime',
		default: '',
		description:
			'When the request expires for this recipient (ISO 8601, in the future). Empty: no expiry.',
	},
	{
		displayName: 'Protection',
		name: 'otp',
		type: 'options',
		default: 'none',
		description:
			'Whether the recipient must enter a one-time password before opening the document (recommended for recipients outside Circularo)',
		options: [
			{ name: 'None', value: 'none' },
			{ name: 'One-Time Password by E-Mail', value: 'email' },
			{ name: 'One-Time Password by SMS', value: 'phone' },
		],
	},
	{
		displayName: 'OTP E-Mail',
		name: 'otpEmail',
		type: 'string',
		default: '',
		placeholder: 'name@email.com',
		description: "Where the one-time password is sent. Empty: the recipient's e-mail address.",
		displayOptions: { show: { otp: ['email'] } },
	},
	{
		displayName: 'Phone Number',
		name: 'otpPhone',
		type: 'string',
		default: '',
		placeholder: '+420 777 123 456',
		description: 'Mobile number the one-time password is sent to, in international format',
		displayOptions: { show: { otp: ['phone'] } },
	},
	{
		displayName: 'Signature Page',
		name: 'signaturePage',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1,
		description: 'Page of the signature field of this signer (1 is the first page)',
		displayOptions: { show: { purpose: ['sign'] } },
	},
	{
		displayName: 'Signature Position',
		name: 'signaturePosition',
		type: 'options',
		default: 'auto',
		description: 'Where on the page the signature field goes',
		options: [
			{
				name: 'Bottom of the Page',
				value: 'auto',
				description: 'Near the bottom, side by side with the other signers',
			},
			{
				name: 'Custom',
				value: 'custom',
				description: 'At a position given in percent of the page',
			},
		],
		displayOptions: { show: { purpose: ['sign'] } },
	},
	{
		displayName: 'Signature X (%)',
		name: 'signatureX',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 100 },
		default: 5,
		description:
			"Distance of the field's left edge from the left edge of the page, in percent of the page width",
		displayOptions: { show: { purpose: ['sign'], signaturePosition: ['custom'] } },
	},
	{
		displayName: 'Signature Y (%)',
		name: 'signatureY',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 100 },
		default: 88,
		description:
			"Distance of the field's top edge from the top of the page, in percent of the page height",
		displayOptions: { show: { purpose: ['sign'], signaturePosition: ['custom'] } },
	},
];

/** The document and its recipients: Create's parameters, which Send and Wait for Signature shares. */
export const shareProperties: INodeProperties[] = [
	documentIdProperty,
	{
		displayName: 'Recipients',
		name: 'recipients',
		type: 'fixedCollection',
		placeholder: 'Add recipient',
		typeOptions: { multipleValues: true, sortable: true },
		default: { recipient: [{ shareTo: '', purpose: 'sign' }] },
		description:
			'Who receives the request. A signer gets a signature field near the bottom of page 1 unless told otherwise.',
		options: [{ displayName: 'Recipient', name: 'recipient', values: recipientValues }],
	},
	{
		displayName: 'Sequential Signing',
		name: 'sequential',
		type: 'boolean',
		default: false,
		description:
			'Whether recipients act one after another (by Order, or in list order) instead of all at once',
	},
	...reminderProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['signRequest'], operation: ['create'] } },
	[...shareProperties, ...signingLinkProperties],
);

export interface ShareParameters {
	documentId: string;
	sequential: boolean;
	recipients: Recipient[];
	signatureFields: SignatureField[];
}

/** The share parameters of an item, refused before any call when one is wrong. */
export function readShareRequest(context: IExecuteFunctions, itemIndex: number): ShareParameters {
	const documentId = requiredText(context, itemIndex, 'documentId', 'Document ID');
	const parameters = context.getNodeParameter('recipients', itemIndex, {}) as {
		recipient?: RecipientParameters[];
	};
	const { recipients, signatureFields } = checkedRecipients(
		context,
		itemIndex,
		parameters.recipient ?? [],
	);
	const sequential = context.getNodeParameter('sequential', itemIndex, false) as boolean;
	return {
		documentId,
		sequential,
		recipients: withAutomaticReminders(context, itemIndex, recipients),
		signatureFields,
	};
}

/** GET /documents/:id (Circularo wants the document's type with the share), then POST /share. */
export async function sendShare(client: CircularoClient, request: ShareParameters) {
	const { documentType } = await getDocument(client, request.documentId);
	const { shares, shareIds } = await share(client, {
		...request,
		documentType: typeof documentType === 'string' ? documentType : DOCUMENT_DEFAULTS.documentType,
	});
	return { documentId: request.documentId, sequential: request.sequential, shareIds, shares };
}

/**
 * POST /share: one share per recipient, a signature field per signer; with signing links, then
 * GET /share/:shareId/validate per protected share.
 */
export const execute: OperationRun = async function (itemIndex, client) {
	const request = readShareRequest(this, itemIndex);
	const linkPlan = readSigningLinkPlan(this, itemIndex, request.recipients);
	const sent = await sendShare(client, request);
	if (!linkPlan) return [{ json: sent }];
	const signingLinks = await signingLinksOf(
		client,
		linkPlan,
		sent.documentId,
		request.recipients,
		sent.shares,
	);
	return [{ json: { ...sent, signingLinks } }];
};
