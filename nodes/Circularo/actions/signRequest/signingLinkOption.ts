/**
 * The "Add Signing Links" option of Sign Request > Create and Template > Send for Signature: the
 * link each recipient signs at, in the item. A recipient outside Circularo gets the direct link
 * of a share protected by a one-time password (Circularo refuses it for any other share, so an
 * unprotected one is refused here before anything is sent); a Circularo user, the link that opens
 * the document after logging in.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { CircularoClient } from '../../circularo/client';
import { DOCUMENT_DEFAULTS } from '../../circularo/endpoints/documents';
import { validateShare, type Recipient } from '../../circularo/endpoints/shares';
import { sharedDocumentType, sharedWithNames, shareIdOf } from '../../circularo/records';
import { directSigningLink, loginSigningLink } from '../../circularo/signingLinks';
import { badInput, textParameter } from '../common/inputChecks';

export const signingLinkProperties: INodeProperties[] = [
	{
		displayName: 'Add Signing Links',
		name: 'signingLinks',
		type: 'boolean',
		default: false,
		description:
			'Whether to put the link each recipient signs at in the output (signingLinks), to send by chat or SMS or to embed. A recipient outside Circularo needs Protection (a one-time password); a Circularo user gets a link that opens the document after logging in.',
	},
	{
		displayName: 'Circularo Users',
		name: 'circularoUsers',
		type: 'string',
		default: '',
		placeholder: 'jane@yourcompany.com, john.doe',
		description:
			'Recipients who have a Circularo account, separated by commas: they get the link that opens the document after logging in. A recipient given by username counts as one. Everyone else is outside Circularo and needs Protection.',
		displayOptions: { show: { signingLinks: [true] } },
	},
];

/** Who gets which kind of link: recipients (by shareTo, lower case) with an account. */
export interface SigningLinkPlan {
	circularoUsers: Set<string>;
}

/**
 * The option as set for this item, refusing before any call a recipient outside Circularo
 * without a one-time password. Undefined when no links are wanted.
 */
export function readSigningLinkPlan(
	context: IExecuteFunctions,
	itemIndex: number,
	recipients: Recipient[],
	recipientsField = 'Recipients',
): SigningLinkPlan | undefined {
	if (!(context.getNodeParameter('signingLinks', itemIndex, false) as boolean)) return undefined;
	const listed = textParameter(context, itemIndex, 'circularoUsers')
		.split(',')
		.map((name) => name.trim().toLowerCase())
		.filter((name) => name !== '');
	const circularoUsers = new Set(listed);
	for (const recipient of recipients) {
		if (!recipient.shareTo.includes('@')) circularoUsers.add(recipient.shareTo.toLowerCase());
	}
	for (const [index, recipient] of recipients.entries()) {
		if (recipient.otp || circularoUsers.has(recipient.shareTo.toLowerCase())) continue;
		throw badInput(
			context,
			itemIndex,
			`"Protection" of recipient ${index + 1} (${recipient.shareTo}) in "${recipientsField}" is None, but "Add Signing Links" needs a one-time password for a recipient outside Circularo`,
			'Circularo gives a direct signing link only for a share protected by a one-time password. Set Protection to One-Time Password by E-Mail or SMS for this recipient, or list them in "Circularo Users" if they have a Circularo account. Nothing was sent.',
		);
	}
	return { circularoUsers };
}

/**
 * The link of every share: GET /share/:shareId/validate for a protected share, no call for a
 * Circularo user's. Shares are matched to recipients by who they are shared with, else by order.
 */
export async function signingLinksOf(
	client: CircularoClient,
	plan: SigningLinkPlan,
	documentId: string,
	recipients: Recipient[],
	shares: IDataObject[],
): Promise<IDataObject[]> {
	const { serverUrl } = await client.credentials();
	const links: IDataObject[] = [];
	for (const [index, recipient] of recipients.entries()) {
		const name = recipient.shareTo.toLowerCase();
		const shareRecord =
			shares.find((entry) => sharedWithNames(entry).includes(name)) ?? shares[index] ?? {};
		const shareId = shareIdOf(shareRecord) ?? null;
		const documentType = sharedDocumentType(shareRecord) ?? DOCUMENT_DEFAULTS.documentType;
		if (recipient.otp && shareId !== null) {
			const shareToken = await validateShare(client, shareId);
			links.push({
				recipient: recipient.shareTo,
				shareId,
				kind: 'direct',
				link: directSigningLink(serverUrl, shareToken),
			});
		} else if (plan.circularoUsers.has(name)) {
			links.push({
				recipient: recipient.shareTo,
				shareId,
				kind: 'afterLogin',
				link: loginSigningLink(serverUrl, documentType, documentId),
			});
		}
	}
	return links;
}
