/**
 * The recipients of a sign request as the node's "Recipients" parameter holds them, checked and
 * turned into Circularo's share entries and signature fields.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import {
	SHARE_PURPOSES,
	type FieldPosition,
	type Recipient,
	type SharePurpose,
	type SignatureField,
} from '../../circularo/endpoints/shares';
import { badInput, isEmail, optionalDate } from '../common/inputChecks';

/** One entry of the Recipients parameter. */
export interface RecipientParameters {
	shareTo?: string;
	purpose?: string;
	order?: number;
	message?: string;
	validUntil?: string;
	otp?: 'none' | 'email' | 'phone';
	otpEmail?: string;
	otpPhone?: string;
	signaturePage?: number;
	signaturePosition?: 'auto' | 'custom';
	signatureX?: number;
	signatureY?: number;
}

const FIELD_WIDTH = 0.2;
const FIELD_HEIGHT = 0.05;
const PHONE = /^\+?[0-9][0-9 ().-]{5,19}$/;

/**
 * Where the k-th signer signs unless told otherwise: near the bottom of the page, three fields per
 * row from the left, further rows above, so that signers do not cover each other.
 */
function automaticPosition(signerIndex: number): FieldPosition {
	const column = signerIndex % 3;
	const row = Math.floor(signerIndex / 3);
	return {
		x: 0.05 + column * 0.31,
		y: Math.max(0.05, 0.88 - row * 0.08),
		width: FIELD_WIDTH,
		height: FIELD_HEIGHT,
	};
}

interface CheckedRecipients {
	recipients: Recipient[];
	signatureFields: SignatureField[];
}

/** Checks every recipient (naming the field and the recipient on a problem) before any call. */
export function checkedRecipients(
	context: IExecuteFunctions,
	itemIndex: number,
	entries: RecipientParameters[],
	now = new Date(),
): CheckedRecipients {
	if (entries.length === 0) {
		throw badInput(
			context,
			itemIndex,
			'"Recipients" is empty',
			'Add at least one recipient (an e-mail address or a Circularo username).',
		);
	}
	const recipients: Recipient[] = [];
	const signatureFields: SignatureField[] = [];
	for (const [index, entry] of entries.entries()) {
		const of = `of recipient ${index + 1}`;
		const fail = (message: string, description?: string) =>
			badInput(context, itemIndex, message, description);
		const shareTo = (entry.shareTo ?? '').trim();
		if (shareTo === '') throw fail(`"E-Mail or Username" ${of} is empty`);
		if (shareTo.includes('@') && !isEmail(shareTo)) {
			throw fail(`"E-Mail or Username" ${of} is not a valid e-mail address: "${shareTo}"`);
		}
		const purpose = (entry.purpose ?? 'sign') as SharePurpose;
		if (!SHARE_PURPOSES.includes(purpose)) {
			throw fail(
				`"Purpose" ${of} is not one of ${SHARE_PURPOSES.join(', ')}: "${String(entry.purpose)}"`,
			);
		}
		const order = entry.order ?? 0;
		if (!Number.isInteger(order) || order < 0)
			throw fail(`"Order" ${of} must be a whole number of at least 0`);
		const validUntil = optionalDate(context, itemIndex, entry.validUntil, `"Valid Until" ${of}`);
		if (validUntil && new Date(validUntil) <= now)
			throw fail(`"Valid Until" ${of} is in the past: ${validUntil}`);
		const recipient: Recipient = {
			shareTo,
			purpose,
			order: order > 0 ? order : undefined,
			validUntil,
		};
		if (entry.message?.trim()) recipient.message = entry.message.trim();
		if (entry.otp === 'phone') {
			const phone = (entry.otpPhone ?? '').trim();
			if (!PHONE.test(phone)) {
				throw fail(
					`"Phone Number" ${of} is not a phone number: "${phone}"`,
					'Use the international format, for example +420 777 123 456.',
				);
			}
			recipient.otp = { phone };
		} else if (entry.otp === 'email') {
			const email = (entry.otpEmail ?? '').trim() || shareTo;
			if (!isEmail(email)) {
				throw fail(
					`"OTP E-Mail" ${of} is not a valid e-mail address: "${email}"`,
					'Enter the address the one-time password is sent to.',
				);
			}
			recipient.otp = { email };
		}
		recipients.push(recipient);
		if (purpose === 'sign')
			signatureFields.push(fieldFor(fail, of, entry, shareTo, signatureFields.length));
	}
	return { recipients, signatureFields };
}

function fieldFor(
	fail: (message: string) => Error,
	of: string,
	entry: RecipientParameters,
	shareTo: string,
	signerIndex: number,
): SignatureField {
	const page = entry.signaturePage ?? 1;
	if (!Number.isInteger(page) || page < 1)
		throw fail(`"Signature Page" ${of} must be a whole number of at least 1`);
	if (entry.signaturePosition !== 'custom')
		return { shareTo, page, position: automaticPosition(signerIndex) };
	const x = entry.signatureX ?? 5;
	const y = entry.signatureY ?? 88;
	for (const [name, value] of [
		['Signature X (%)', x],
		['Signature Y (%)', y],
	] as const) {
		if (!Number.isFinite(value) || value < 0 || value > 100)
			throw fail(`"${name}" ${of} must be between 0 and 100`);
	}
	const position = {
		x: Math.min(x / 100, 1 - FIELD_WIDTH),
		y: Math.min(y / 100, 1 - FIELD_HEIGHT),
		width: FIELD_WIDTH,
		height: FIELD_HEIGHT,
	};
	return { shareTo, page, position };
}
