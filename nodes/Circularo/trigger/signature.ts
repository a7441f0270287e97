import { createHmac, createSecretKey, randomBytes, timingSafeEqual } from 'crypto';
import type { KeyObject } from 'crypto';

export const SIGNATURE_HEADER = 'x-circularo-signature';

const SHA256_HEX_LENGTH = 64;
const SHA256_BYTES = 32;
const PREFIX = 'sha256=';

/** Lower-case hex HMAC-SHA256 of the exact bytes, as Circularo signs deliveries. */
export function computeSignature(secret: string, rawBody: Buffer): string {
	return createHmac('sha256', secret).update(rawBody).digest('hex');
}

// The key is prepared once per secret, not on every delivery (a trigger sees one secret for life).
let lastKey: { secret: string; key: KeyObject } | undefined;

function hmacKey(secret: string): KeyObject {
	if (lastKey?.secret !== secret) lastKey = { secret, key: createSecretKey(Buffer.from(secret, 'utf8')) };
	return lastKey.key;
}

/**
 * The 32 digest bytes a header names, or null. Accepts bare hex or a `sha256=` prefix, in either
 * letter case, with surrounding white space (the prefix is not documented, so both are read).
 */
function claimedDigest(header: string): Buffer | null {
	let hex = header;
	if (hex.length !== SHA256_HEX_LENGTH) {
		hex = hex.trim();
		if (hex.length === PREFIX.length + SHA256_HEX_LENGTH && hex.slice(0, PREFIX.length).toLowerCase() === PREFIX) {
			hex = hex.slice(PREFIX.length);
		}
		if (hex.length !== SHA256_HEX_LENGTH) return null;
	}
	// Hex decoding stops at the first character that is not hex, so 32 bytes means all 64 were.
	const digest = Buffer.from(hex, 'hex');
	return digest.length === SHA256_BYTES ? digest : null;
}

/** True only when `header` is the HMAC-SHA256 of `rawBody` under `secret`. */
export function isValidSignature(
	rawBody: Buffer,
	header: string | string[] | undefined,
	secret: string,
): boolean {
	if (typeof header !== 'string' || secret === '') return false;
	const claimed = claimedDigest(header);
	if (claimed === null) return false;
	// Compared as bytes, in constant time: the digest is never turned into hex.
	const expected = createHmac('sha256', hmacKey(secret)).update(rawBody).digest();
	return timingSafeEqual(expected, claimed);
}

/** A fresh secret for registrations whose credential leaves the signing secret empty. */
export function generateSigningSecret(): string {
	return randomBytes(32).toString('hex');
}
