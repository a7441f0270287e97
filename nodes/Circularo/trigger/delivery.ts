/**
 * One delivery to the trigger's URL (the node's webhook()): verify it, then turn the signed bytes
 * into at most one item.
 *
 * The path every genuine delivery takes loads no credential once this process knows the
 * registration's secret (see knownSecrets.ts), in any n8n process: main, a queue-mode webhook
 * process, a multi-main follower.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { circularoClient, type CircularoClient } from '../circularo/client';
import { readSignedBody } from '../circularo/deliveries';
import { ALL_EVENTS } from '../events';
import { downloadDocuments, type TriggerOptions } from './downloads';
import { knownSecret, rememberSecret } from './knownSecrets';
import { toTriggerItem } from './payload';
import { CREDENTIAL_CHANGED, fingerprintOf, registeredSecret, REREGISTER_HINT } from './secrets';
import { isRepeatDelivery } from './replays';
import { claimedDigest, digestMatches, SIGNATURE_HEADER } from './signature';
import {
	registrationDataOf,
	registrationFor,
	registrationKey,
	urlKindOf,
	type RegistrationData,
} from './staticData';

/**
 * The headers "Include Request Headers" passes on: how the delivery was sent and through which
 * proxies. Anything else (credentials of the caller such as authorization, cookies, x-api-key or
 * an access proxy's token, the signature itself, unknown custom headers) is left out.
 */
const DELIVERY_HEADERS = [
	'content-type',
	'content-length',
	'content-encoding',
	'user-agent',
	'x-forwarded-for',
	'x-forwarded-host',
	'x-forwarded-proto',
	'forwarded',
	'x-real-ip',
	'x-request-id',
];

/** Registrations this process has warned about (once each, not once per delivery). */
const warnedAbout = new Set<string>();

export async function receiveDelivery(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const receivedAt = new Date();
	const request = context.getRequestObject();
	// Refused before any secret is looked up or any credential loaded.
	const signed = await signedBytes(request);
	if (signed === null) return rejectDelivery(context);
	const { claimed, rawBody } = signed;

	const kind = urlKindOf(context);
	const registration = registrationFor(registrationDataOf(context), kind);
	if (registration === undefined) return rejectDelivery(context);
	const key = registrationKey(context, kind, registration.webhookId);
	// One client per delivery: the credential is loaded at most once, and only when needed.
	const client = circularoClient(context);
	const secret =
		knownSecret(key) ??
		(await secretFromCredential(context, client, registration, key, rawBody, claimed));
	if (secret === undefined || !digestMatches(secret, rawBody, claimed))
		return rejectDelivery(context);
	if (isRepeatDelivery(key, claimed, receivedAt.getTime())) return {};

	// The signed bytes, never n8n's parse of them, which follows the unsigned Content-Type header.
	const item = toTriggerItem(readSignedBody(rawBody), receivedAt);
	const events = context.getNodeParameter('events', []) as string[];
	if (!events.includes(ALL_EVENTS) && !events.includes(item.event)) {
		// Circularo cannot filter server-side: acknowledge and start nothing.
		return {};
	}
	const options = context.getNodeParameter('options', {}) as TriggerOptions;
	if (options.includeHeaders) item.headers = deliveryHeaders(request.headers as IDataObject);
	if (!options.downloadSignedDocument && !options.includeAuditTrail)
		return { workflowData: [[{ json: item }]] };
	const binary = await downloadDocuments(context, client, item, options);
	return {
		workflowData: [[Object.keys(binary).length > 0 ? { json: item, binary } : { json: item }]],
	};
}

/**
 * The registration's secret as the credential derives it, remembered when it is certain to be the
 * registered one; undefined when the credential has changed since the registration.
 */
async function secretFromCredential(
	context: IWebhookFunctions,
	client: CircularoClient,
	registration: RegistrationData,
	key: string,
	rawBody: Buffer,
	claimed: Buffer,
): Promise<string | undefined> {
	const candidate = registeredSecret(registration, await client.credentials());
	if (registration.fingerprint === undefined) {
		// Version 0.1.0 kept no fingerprint: only a delivery that verifies confirms its secret.
		if (digestMatches(candidate, rawBody, claimed)) rememberSecret(key, candidate);
		return candidate;
	}
	if (fingerprintOf(candidate) === registration.fingerprint) {
		rememberSecret(key, candidate);
		return candidate;
	}
	if (!warnedAbout.has(key)) {
		if (warnedAbout.size >= 1000) warnedAbout.clear();
		warnedAbout.add(key);
		context.logger.warn(
			`Circularo Trigger: deliveries are answered 401 because ${CREDENTIAL_CHANGED}. ${REREGISTER_HINT}`,
		);
	}
	return undefined;
}

/**
 * The digest a delivery's signature header claims and the bytes it must be the HMAC of; null when
 * either is missing (the delivery is refused before any secret is looked up).
 */
export async function signedBytes(request: {
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

function deliveryHeaders(headers: IDataObject): IDataObject {
	const passed: IDataObject = {};
	for (const name of DELIVERY_HEADERS) {
		if (headers[name] !== undefined) passed[name] = headers[name];
	}
	return passed;
}

export function rejectDelivery(context: IWebhookFunctions): IWebhookResponseData {
	context
		.getResponseObject()
		.status(401)
		.json({ message: 'Invalid or missing x-circularo-signature' })
		.end();
	return { noWebhookResponse: true };
}
