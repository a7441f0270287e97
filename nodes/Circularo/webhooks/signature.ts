/**
 * Circularo's delivery signature: HMAC-SHA256 of the exact body bytes, hex, in the
 * `x-circularo-signature` header.
 */
import { createHmac, timingSafeEqual } from 'crypto';

import { signatureHexOf } from './deliveryAssumptions';

export const SIGNATURE_HEADER = 'x-circularo-signature';

const SHA256_HEX_LENGTH = 64;
const SHA256_BYTES = 32;

/** The 32 digest bytes a signature header names (read by signatureHexOf), or null when it names none. */
export function claimedDigest(header: unknown): Buffer | null {
	if (typeof header !== 'string') return null;
	const hex = signatureHexOf(header);
	if (hex.length !== SHA256_HEX_LENGTH) return null;
	// Hex decoding stops at the first character that is not hex, so 32 bytes means all 64 were.
	const digest = Buffer.from(hex, 'hex');
	return digest.length === SHA256_BYTES ? digest : null;
}

/** True only when `claimed` is the HMAC-SHA256 of `rawBody` under `secret` (compared in constant time). */
export function digestMatches(secret: string, rawBody: Buffer, claimed: Buffer): boolean {
	if (secret === '') return false;
	return timingSafeEqual(createHmac('sha256', secret).update(rawBody).digest(), claimed);
}
