/**
 * Sign requests: sharing a document with its recipients, cancelling a share, a share's token for
 * its signing link, and reminders.
 */
import type { IDataObject } from 'n8n-workflow';

import { answerLacks, asObject, firstResultOf, firstString, resultsOf } from '../answers';
import type { CircularoClient } from '../client';
import type { EndpointAdvice } from '../errors';
import { shareIdOf } from '../records';
import { UNKNOWN_DOCUMENT } from './documents';

const UNKNOWN_SHARE =
	'Check the Share ID: no share with this ID is visible to the user behind the API key.';
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
	automaticReminder?: AutomaticReminder;
}

/** When Circularo starts reminding a recipient who has not acted, and how often it repeats. */
export interface AutomaticReminder {
	/** ISO 8601. */
	start: string;
	intervalDays: number;
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
	/** A template's field keeps its own type (initials, stamp, ...); otherwise a signature. */
	type?: string;
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
	// [assumed] Documented: automatic reminders are set per recipient when sharing; the key and
	// shape are a public client's, `automaticReminder: { start, intervalDays }`.
	if (recipient.automaticReminder) {
		const { start, intervalDays } = recipient.automaticReminder;
		entry.automaticReminder = { start, intervalDays };
	}
	return entry;
}

/** One entry of `signatureFields[]`. [assumed] `pages: [n]` (newer pages) rather than `page: n`. */
function signatureFieldEntry({ shareTo, page, position, type }: SignatureField): IDataObject {
	return {
		user: [shareTo],
		timestamp: false,
		required: true,
		type: type ?? 'signature',
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

function shareIdsOf(shares: IDataObject[]): string[] {
	return shares.map(shareIdOf).filter((shareId): shareId is string => shareId !== undefined);
}

/**
 * POST /share: one share per recipient. The shares it created, documented as a bare array (read
 * leniently), with their ids (records.ts).
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
	return { shares, shareIds: shareIdsOf(shares) };
}

const CANCEL_SHARE: EndpointAdvice = {
	action: 'cancel the sign request',
	advice: {
		403: SHARE_RIGHTS,
		404: UNKNOWN_SHARE,
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

const VALIDATE_SHARE: EndpointAdvice = {
	action: 'get the signing link',
	advice: {
		400: 'Circularo gives a direct signing link only for a share protected by a one-time password (by e-mail or SMS) or OAuth. Send the request with a one-time password for this recipient; a Circularo user signs after logging in instead.',
		403: 'Only the owner of the document or the user who shared it may get its signing links.',
		404: UNKNOWN_SHARE,
	},
};

/**
 * GET /share/:shareId/validate: the share's `shareToken`, for its direct signing link
 * (signingLinks.ts). Documented ("5. Constructing Signing URLs") for a share protected by a
 * one-time password; without it Circularo answers 400 "Share needs to be secured by mail or phone
 * OTP or oAuth.". The token is documented at the top level; [assumed] also read inside
 * `results[0]`. [assumed] The call takes the `token` query parameter like every other call: the
 * documentation's example shows none.
 */
export async function validateShare(client: CircularoClient, shareId: string): Promise<string> {
	const answer = await client.request({
		endpoint: VALIDATE_SHARE,
		method: 'GET',
		path: `/share/${encodeURIComponent(shareId)}/validate`,
	});
	return (
		firstString(asObject(answer)?.shareToken, firstResultOf(answer)?.shareToken) ??
		answerLacks(
			client,
			`Circularo validated share "${shareId}" but its answer holds no shareToken`,
			'Looked for shareToken in the answer of GET /share/:shareId/validate.',
		)
	);
}

/**
 * Circularo's documented rules for manual reminders ("2. Sending Share Reminders"), in the words
 * every refusal of a reminder uses, whether the node or Circularo refuses it.
 */
export const REMINDER_RULES = {
	oncePerDay: 'Circularo sends at most one reminder per share per day',
	onlyWhoMustAct: 'Circularo reminds only recipients who still have to sign, approve or review',
};

/**
 * [assumed] How Circularo words its two documented refusals of a reminder (a 400 or 409): read
 * from the words, leniently, so that either wording explains itself in plain words.
 */
const REMINDER_REFUSALS = {
	alreadyToday: /already|today|once (a|per) day|24 ?h|too (many|soon)|limit/i,
	noActionNeeded:
		/no (longer|action)|not (require|need|active|pending)|completed|does not require/i,
};

/** What Circularo's refusal of a reminder means, in plain words (its documented rules). */
function reminderRefusalFix(serverMessage: string): string {
	if (REMINDER_REFUSALS.alreadyToday.test(serverMessage))
		return `${REMINDER_RULES.oncePerDay}, and this recipient was already reminded today. Try again tomorrow.`;
	if (REMINDER_REFUSALS.noActionNeeded.test(serverMessage))
		return `The recipient no longer has anything to do (already signed, rejected, cancelled or only asked to view). ${REMINDER_RULES.onlyWhoMustAct}.`;
	return `${REMINDER_RULES.onlyWhoMustAct}, at most once per share per day.`;
}

const SEND_REMINDER: EndpointAdvice = {
	action: 'send the reminder',
	advice: {
		400: reminderRefusalFix,
		403: 'Only the owner of the document or the user who shared it may send reminders.',
		404: 'Check the Document ID or Share IDs: nothing with this ID is visible to the user behind the API key.',
		409: reminderRefusalFix,
	},
};

export type ReminderTarget = { documentId: string } | { shareIds: string[] };

/**
 * [assumed] The manual reminder: documented are its rules (REMINDER_RULES; only the document's
 * owner or the original sharer may send it), not its request. Assumed `POST /share/remind` with
 * `{ documentId }` (every recipient who still has to act) or `{ shareIds: [...] }`, answered with
 * the shares reminded (their ids read as POST /share's are).
 */
export async function sendReminder(
	client: CircularoClient,
	target: ReminderTarget,
): Promise<{ answer: IDataObject; remindedShareIds: string[] }> {
	const answer = await client.request({
		endpoint: SEND_REMINDER,
		method: 'POST',
		path: '/share/remind',
		body: { ...target },
	});
	const reminded = resultsOf(answer);
	return {
		answer: asObject(answer) ?? { results: reminded },
		remindedShareIds: shareIdsOf(reminded),
	};
}
