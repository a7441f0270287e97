/** Sign requests: sharing a document with its recipients, and cancelling a share. */
import type { IDataObject } from 'n8n-workflow';

import { asObject, firstString, resultsOf } from '../answers';
import type { CircularoClient } from '../client';
import type { EndpointAdvice } from '../errors';
import { UNKNOWN_DOCUMENT } from './documents';

const SHARE_RIGHTS =
	'Only the owner of the document or the user who shared it may share it or cancel the sign request.';

export const SHARE_PURPOSES = ['sign', 'approve', 'review', 'accept', 'view'] as const;
export type SharePurpose = (typeof SHARE_PURPOSES)[number];

export interface Recipient {
	shareTo: string;
	purpose: SharePurpose;
	order?: number;
	message?: string;
	validUntil?: string;
	otp?: { phone: string } | { email: string };
}

/** Where on a page a signature goes, as fractions of the page (documented `percent*` keys). */
export interface FieldPosition {
	x: number;
	y: number;
	width: number;
	height: number;
}

export interface SignatureField {
	shareTo: string;
	page: number;
	position: FieldPosition;
}

export interface ShareRequest {
	documentId: string;
	documentType: string;
	sequential: boolean;
	recipients: Recipient[];
	signatureFields: SignatureField[];
}

/**
 * One entry of `data[]` in POST /share. Documented: `otpEnabled` with `phone`; [assumed] from a
 * public client: `mail` for OTP by e-mail.
 */
function shareEntry(recipient: Recipient): IDataObject {
	const entry: IDataObject = { sharePurpose: recipient.purpose, shareTo: recipient.shareTo };
	if (recipient.order !== undefined) entry.order = recipient.order;
	if (recipient.message) entry.message = recipient.message;
	if (recipient.validUntil) entry.validUntil = recipient.validUntil;
	if (recipient.otp) {
		entry.otpEnabled = true;
		if ('phone' in recipient.otp) entry.phone = recipient.otp.phone;
		else entry.mail = recipient.otp.email;
	}
	return entry;
}

/** One entry of `signatureFields[]`. [assumed] `pages: [n]` (newer pages) rather than `page: n`. */
function signatureFieldEntry({ shareTo, page, position }: SignatureField): IDataObject {
	return {
		user: [shareTo],
		timestamp: false,
		required: true,
		type: 'signature',
		pages: [page],
		position: {
			percentX: position.x,
			percentY: position.y,
			percentWidth: position.width,
			percentHeight: position.height,
		},
	};
}

const SHARE: EndpointAdvice = {
	action: 'send the sign request',
	advice: {
		400: 'Check the recipients (e-mail addresses or usernames, purposes, dates) and the signature fields.',
		403: SHARE_RIGHTS,
		404: UNKNOWN_DOCUMENT,
		409: 'The document already has an open sign request: cancel it first.',
	},
};

/**
 * POST /share: one share per recipient. The shares it created, documented as a bare array (read
 * leniently), with their ids: [assumed] `shareId`, or `id`.
 */
export async function share(
	client: CircularoClient,
	request: ShareRequest,
): Promise<{ shares: IDataObject[]; shareIds: string[] }> {
	const answer = await client.request({
		endpoint: SHARE,
		method: 'POST',
		path: '/share',
		body: {
			id: request.documentId,
			type: request.documentType,
			objectType: 'document',
			sequential: request.sequential,
			data: request.recipients.map(shareEntry),
			signatureFields: request.signatureFields.map(signatureFieldEntry),
		},
	});
	const shares = resultsOf(answer);
	const shareIds = shares
		.map((entry) => firstString(entry.shareId, entry.id))
		.filter((shareId): shareId is string => shareId !== undefined);
	return { shares, shareIds };
}

const CANCEL_SHARE: EndpointAdvice = {
	action: 'cancel the sign request',
	advice: {
		403: SHARE_RIGHTS,
		404: 'Check the Share ID: no share with this ID is visible to the user behind the API key.',
		409: 'The sign request is no longer active (completed or cancelled).',
	},
};

/**
 * [assumed] Cancelling a sign request: Circularo's page on it could not be read; its changelog
 * lists `PUT /share/disable`. Assumed: that endpoint, with the share ids and an optional message.
 */
export async function cancelShare(
	client: CircularoClient,
	shareId: string,
	message: string | undefined,
): Promise<IDataObject> {
	const body: IDataObject = { shareIds: [shareId] };
	if (message) body.message = message;
	const answer = await client.request({
		endpoint: CANCEL_SHARE,
		method: 'PUT',
		path: '/share/disable',
		body,
	});
	return asObject(answer) ?? {};
}
