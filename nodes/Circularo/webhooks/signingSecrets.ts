/**
 * Where a registration's signing secret comes from (the trigger's and, over other inputs, Send and
 * Wait for Signature's: waitForSignature/registration.ts).
 *
 * Each registration (one per URL kind and activation) gets a fresh random nonce, kept in the
 * workflow's static data. Its signing secret is HMAC-SHA256 over the nonce, keyed by the
 * credential's Webhook Signing Secret or, when that is empty, by its API key. So the secret is
 * never stored anywhere but in Circularo and in the memory of the n8n processes that registered it
 * or confirmed it since (by the fingerprint, at start-up or on a delivery; a 0.1.0 registration by
 * a delivery that verified: see knownSecrets.ts), and any process that can read the credential can
 * derive it again.
 *
 * A fingerprint of the secret (an HMAC of a constant keyed by it, shortened) is kept beside the
 * nonce: it reveals nothing about the secret, but tells any process whether the credential still
 * derives the secret that was registered, so a rotated API key or an edited secret is detected.
 */
import { createHmac, randomBytes } from 'crypto';

import type { CircularoCredentials } from '../circularo/client';

const DERIVATION_LABEL = 'n8n-nodes-circularo/signing-secret/';
const FINGERPRINT_LABEL = 'n8n-nodes-circularo/fingerprint';
const FINGERPRINT_HEX_LENGTH = 16;

/** A fresh 256-bit nonce for a new registration. */
function newNonce(): string {
	return randomBytes(32).toString('hex');
}

/** The registration's signing secret: HMAC-SHA256 over the nonce, keyed by a credential field. */
export function deriveSigningSecret(credentials: CircularoCredentials, nonce: string): string {
	const key = credentials.webhookSecret || credentials.apiKey;
	return createHmac('sha256', key)
		.update(DERIVATION_LABEL + nonce)
		.digest('hex');
}

export function fingerprintOf(secret: string): string {
	return createHmac('sha256', secret)
		.update(FINGERPRINT_LABEL)
		.digest('hex')
		.slice(0, FINGERPRINT_HEX_LENGTH);
}

/** What a registration was made with, as n8n must keep it: no secret in it. */
export function newRegistration(credentials: CircularoCredentials): {
	nonce: string;
	secret: string;
	fingerprint: string;
} {
	const nonce = newNonce();
	const secret = deriveSigningSecret(credentials, nonce);
	return { nonce, secret, fingerprint: fingerprintOf(secret) };
}
