import { createHmac, randomBytes, timingSafeEqual } from 'crypto';

export const SIGNATURE_HEADER = 'x-circularo-signature';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Lower-case hex HMAC-SHA256 of the exact bytes, as Circularo signs deliveries. */
export function computeSignature(secret: string, rawBody: Buffer): string {
	return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/**
 * True only when `header` is the HMAC-SHA256 of `rawBody` under `secret`. Accepts bare hex or a
 * `sha256=` prefix in either letter case (the prefix is not documented, so both are read).
 */
export function isValidSignature(
	rawBody: Buffer,
	header: string | string[] | undefined,
	secret: string,
): boolean {
	if (typeof header !== 'string' || secret === '') return false;
	// The usual header (bare lower-case hex) is used as it is; other forms are normalised first.
	let candidate = header;
	if (!SHA256_HEX.test(candidate)) {
		candidate = header.trim().toLowerCase();
		if (candidate.startsWith('sha256=')) candidate = candidate.slice('sha256='.length);
		if (!SHA256_HEX.test(candidate)) return false;
	}
	// Compared as bytes: the digest is never turned into hex and back.
	const expected = createHmac('sha256', secret).update(rawBody).digest();
	return timingSafeEqual(expected, Buffer.from(candidate, 'hex'));
}

/** A fresh secret for registrations whose credential leaves the signing secret empty. */
export function generateSigningSecret(): string {
	return randomBytes(32).toString('hex');
}
