import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { DOCUMENT_DEFAULTS, shareIdOf, sharesOf } from '../../assumptions';
import { circularoApiRequest } from '../../transport/request';
import { SHARE_ADVICE } from '../advice';
import { forOperation } from '../descriptions';
import { documentIdProperty } from '../document/documentId';
import { requiredText } from '../inputChecks';
import { loadDocument } from '../loadDocument';
import { checkedRecipients, type RecipientParameters } from './recipients';

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
];

export const description = forOperation('signRequest', 'create', shareProperties);

export interface ShareRequest {
	documentId: string;
	sequential: boolean;
	data: IDataObject[];
	signatureFields: IDataObject[];
}

/** The share parameters of an item, refused before any call when one is wrong. */
export function readShareRequest(context: IExecuteFunctions, itemIndex: number): ShareRequest {
	const documentId = requiredText(context, itemIndex, 'documentId', 'Document ID');
	const recipients = context.getNodeParameter('recipients', itemIndex, {}) as {
		recipient?: RecipientParameters[];
	};
	const { data, signatureFields } = checkedRecipients(
		context,
		itemIndex,
		recipients.recipient ?? [],
	);
	const sequential = context.getNodeParameter('sequential', itemIndex, false) as boolean;
	return { documentId, sequential, data, signatureFields };
}

/** POST /share: one share per recipient, a signature field per signer. Resolves Create's item. */
export async function sendShare(
	this: IExecuteFunctions,
	request: ShareRequest,
	itemIndex: number,
): Promise<IDataObject> {
	const { documentId, sequential, data, signatureFields } = request;
	const document = await loadDocument.call(
		this,
		documentId,
		itemIndex,
		'read the document to share',
	);
	const body: IDataObject = {
		id: documentId,
		type:
			typeof document.documentType === 'string'
				? document.documentType
				: DOCUMENT_DEFAULTS.documentType,
		objectType: 'document',
		sequential,
		data,
		signatureFields,
	};
	const answer = await circularoApiRequest.call(this, 'POST', '/share', body, {
		action: 'send the sign request',
		fixes: SHARE_ADVICE,
	});
	const shares = sharesOf(answer);
	return { documentId, sequential, shareIds: shares.map(shareIdOf).filter(Boolean), shares };
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const request = readShareRequest(this, itemIndex);
	return [{ json: await sendShare.call(this, request, itemIndex) }];
}
