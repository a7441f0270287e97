/** Sign requests: sharing a document for signature, and cancelling the share. */
import type { IDataObject } from 'n8n-workflow';

import { firstString, resultsOf } from './answers';

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

/**
 * One entry of `data[]` in POST /share. Documented: `otpEnabled` with `phone`; assumed from a public
 * client: `mail` for OTP by e-mail.
 */
export function shareRecipient(recipient: Recipient): IDataObject {
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

/** Where on a page a signature goes, as fractions of the page (documented `percent*` keys). */
export interface FieldPosition {
	x: number;
	y: number;
	width: number;
	height: number;
}

/** One entry of `signatureFields[]`. Assumed: `pages: [n]` (newer pages) rather than `page: n`. */
export function signatureField(
	shareTo: string,
	page: number,
	position: FieldPosition,
): IDataObject {
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

/** The shares POST /share created: documented as a bare array, read leniently. */
export function sharesOf(answer: unknown): IDataObject[] {
	return resultsOf(answer);
}

export function shareIdOf(share: IDataObject): string | undefined {
	return firstString(share.shareId, share.id);
}

/**
 * Cancelling a sign request. Circularo's page on cancelling shares could not be read; its changelog
 * lists `PUT /share/disable`. Assumed: that endpoint, with the share ids and an optional message.
 */
export const CANCEL_SHARE = {
	method: 'PUT',
	path: '/share/disable',
	body(shareId: string, message: string | undefined): IDataObject {
		const body: IDataObject = { shareIds: [shareId] };
		if (message) body.message = message;
		return body;
	},
} as const;
