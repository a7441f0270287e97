/**
 * The one way a delivery reaches either node's webhook(): refused with 401 unless its exact bytes
 * are signed with the secret of the registration it is addressed to, then read into an item.
 *
 * The signature header is read before any secret is looked up, and the credential is loaded only
 * when this process does not know the registration's secret yet (knownSecrets.ts): in n8n 2.x
 * every credential load in the webhook phase costs far more than the rest of the node's work.
 */
import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { circularoClient, type CircularoClient } from '../circularo/client';
import { readSignedBody } from './deliveryAssumptions';
import { deliveryItem, type CircularoTriggerItem } from './deliveryItem';
import { knownSecret, rememberSecret } from './knownSecrets';
import { claimedDigest, digestMatches, SIGNATURE_HEADER } from './signature';

/** The registration a delivery is addressed to, as its receiver reads it from n8n's context. */
export interface DeliveryAddress {
	/** The registration's key in this process's secrets (knownSecrets.ts). */
	secretKey: string;
	/**
	 * The registration's secret as the credential derives it (undefined refuses the delivery), and
	 * whether it is confirmed to be the registered one before any delivery verifies with it: a
	 * confirmed secret is remembered at once, so forged deliveries cannot make the process load the
	 * credential again; an unconfirmed one only once a delivery verifies with it.
	 */
	secretFromCredential(
		client: CircularoClient,
	): Promise<{ secret: string; confirmed: boolean } | undefined>;
}

export interface VerifiedDelivery {
	/** One client per delivery: the credential is loaded at most once, and only when needed. */
	client: CircularoClient;
	/** The signed bytes read, never n8n's parse of them (which follows the unsigned Content-Type). */
	item: CircularoTriggerItem;
	secretKey: string;
	/** The HMAC the delivery was signed with: what tells a repeat. */
	digest: Buffer;
	receivedAt: Date;
}

/** Verifies a delivery and hands it to `handle`, or answers 401 itself. */
export async function receiveVerified(
	context: IWebhookFunctions,
	addressOf: (context: IWebhookFunctions) => DeliveryAddress | undefined,
	handle: (delivery: VerifiedDelivery) => Promise<IWebhookResponseData>,
): Promise<IWebhookResponseData> {
	const receivedAt = new Date();
	const signed = await signedBytes(context.getRequestObject());
	const address = signed && addressOf(context);
	if (!signed || !address) return rejectDelivery(context);
	const client = circularoClient(context);
	const { secretKey } = address;
	let secret = knownSecret(secretKey);
	if (secret === undefined) {
		const derived = await address.secretFromCredential(client);
		secret = derived?.secret;
		if (derived?.confirmed) rememberSecret(secretKey, derived.secret);
		else if (secret !== undefined && digestMatches(secret, signed.rawBody, signed.claimed))
			rememberSecret(secretKey, secret);
	}
	if (secret === undefined || !digestMatches(secret, signed.rawBody, signed.claimed))
		return rejectDelivery(context);
	const item = deliveryItem(readSignedBody(signed.rawBody), receivedAt);
	return await handle({ client, item, secretKey, digest: signed.claimed, receivedAt });
}

/**
 * The digest a delivery's signature header claims and the bytes it must be the HMAC of; null when
 * either is missing.
 */
async function signedBytes(request: {
	headers: Record<string, unknown>;
}): Promise<{ claimed: Buffer; rawBody: Buffer } | null> {
	const claimed = claimedDigest(request.headers[SIGNATURE_HEADER]);
	if (claimed === null) return null;
	const rawBody = rawBodyOf(request) ?? (await readRawBody(request));
	return rawBody === null ? null : { claimed, rawBody };
}

type RequestWithBody = { rawBody?: unknown; readRawBody?: () => Promise<void> };

/** The bytes Circularo signed, when n8n has read them (it does for the content types it parses). */
function rawBodyOf(request: object): Buffer | undefined {
	const { rawBody } = request as RequestWithBody;
	return Buffer.isBuffer(rawBody) ? rawBody : undefined;
}

/** Reads the body n8n left unread (no or unknown Content-Type) with the request's readRawBody(). */
async function readRawBody(request: object): Promise<Buffer | null> {
	const { readRawBody } = request as RequestWithBody;
	if (typeof readRawBody !== 'function') return null;
	try {
		await readRawBody.call(request);
	} catch {
		return null;
	}
	return rawBodyOf(request) ?? null;
}

function rejectDelivery(context: IWebhookFunctions): IWebhookResponseData {
	context
		.getResponseObject()
		.status(401)
		.json({ message: 'Invalid or missing x-circularo-signature' })
		.end();
	return { noWebhookResponse: true };
}
