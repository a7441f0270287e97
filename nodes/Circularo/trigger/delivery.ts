/**
 * One delivery to the trigger's URL (the node's webhook()): verified (webhooks/verifiedDelivery.ts),
 * then at most one item, with the files the options ask for. A failed download never loses the
 * event: what failed and what to fix go into `downloadError` and the item is still emitted.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { documentFiles, wantedFiles, type DownloadOptions } from '../circularo/documentFiles';
import { ALL_EVENTS, hasSignedPdf } from '../events';
import { fingerprintOf, deriveSigningSecret } from '../webhooks/signingSecrets';
import {
	confirmedState,
	endingOfDocument,
	endingOfEvent,
	readDocument,
} from '../webhooks/stateCheck';
import { outsideWindow } from '../webhooks/timestampWindow';
import {
	receiveVerified,
	type DeliveryAddress,
	type VerifiedDelivery,
} from '../webhooks/verifiedDelivery';
import { CREDENTIAL_CHANGED, REREGISTER_HINT } from './lifecycle';
import { isRepeatDelivery } from './replays';
import { registrationDataOf, registrationFor, registrationKey, urlKindOf } from './staticData';
import { version010Secret } from './version010';

/** The trigger's "Options" parameter. */
interface TriggerOptions extends DownloadOptions {
	includeHeaders?: boolean;
}

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
	return await receiveVerified(context, registrationAddressed, async (delivery) => {
		const { item, secretKey, digest, receivedAt } = delivery;
		// A replay of a genuine delivery carries its original signed time.
		if (outsideWindow(item.occurredAt, receivedAt)) return {};
		if (isRepeatDelivery(secretKey, digest, receivedAt.getTime())) return {};
		const events = context.getNodeParameter('events', []) as string[];
		// Circularo cannot filter server-side: other events are acknowledged and start nothing.
		if (!events.includes(ALL_EVENTS) && !events.includes(item.event)) return {};
		const confirmed = await confirmedEnding(context, delivery);
		if (confirmed === false) return {};
		const options = context.getNodeParameter('options', {}) as TriggerOptions;
		if (options.includeHeaders) {
			const headers = context.getRequestObject().headers as IDataObject;
			item.headers = {};
			for (const name of DELIVERY_HEADERS)
				if (headers[name] !== undefined) item.headers[name] = headers[name];
		}
		const binary = await attachedFiles(context, delivery, options, confirmed);
		return { workflowData: [[binary ? { json: item, binary } : { json: item }]] };
	});
}

/**
 * The registration of this node's URL kind; its secret as the credential derives it, or undefined
 * (warned once) when the credential has changed since the registration.
 */
function registrationAddressed(context: IWebhookFunctions): DeliveryAddress | undefined {
	const kind = urlKindOf(context);
	const registration = registrationFor(registrationDataOf(context), kind);
	if (registration === undefined) return undefined;
	const secretKey = registrationKey(context, kind, registration.webhookId);
	return {
		secretKey,
		async secretFromCredential(client) {
			const credentials = await client.credentials();
			// Version 0.1.0 kept no nonce and no fingerprint: only a delivery that verifies confirms it.
			if (registration.nonce === undefined)
				return { secret: version010Secret(registration, credentials), confirmed: false };
			const secret = deriveSigningSecret(credentials, registration.nonce);
			if (fingerprintOf(secret) === registration.fingerprint) return { secret, confirmed: true };
			if (!warnedAbout.has(secretKey)) {
				if (warnedAbout.size >= 1000) warnedAbout.clear();
				warnedAbout.add(secretKey);
				context.logger.warn(
					`Circularo Trigger: deliveries are answered 401 because ${CREDENTIAL_CHANGED}. ${REREGISTER_HINT}`,
				);
			}
			return undefined;
		},
	};
}

/**
 * For an event that claims an ending (stateCheck.ts): the document as Circularo reports it in that
 * state (undefined for a document confirmed gone), or false when Circularo does not confirm the
 * claim within a few seconds, and nothing starts. Other events: undefined, believed as signed.
 */
async function confirmedEnding(
	context: IWebhookFunctions,
	{ client, item }: VerifiedDelivery,
): Promise<IDataObject | undefined | false> {
	const claimed = endingOfEvent(item.event);
	if (claimed === undefined) return undefined;
	const documentId = item.documentId;
	const confirmed =
		documentId &&
		(await confirmedState({
			read: async () => await readDocument(client, documentId),
			accepts: (document) => endingOfDocument(document) === claimed,
			acceptsGone: claimed === 'deleted',
		}));
	if (!confirmed) {
		context.logger.info(
			`Circularo Trigger: a delivery said ${item.event} for document ${documentId ?? '(none)'}, but Circularo does not report it; no execution was started.`,
		);
		return false;
	}
	return confirmed.kind === 'document' ? confirmed.document : undefined;
}

/**
 * The signed PDF and the audit trail, as the options ask for them; undefined when none. The PDF is
 * the one of `confirmed` (the read that showed the ending), never one read before it.
 */
async function attachedFiles(
	context: IWebhookFunctions,
	{ client, item }: VerifiedDelivery,
	options: TriggerOptions,
	confirmed: IDataObject | undefined,
) {
	const wanted = wantedFiles({
		...options,
		downloadSignedDocument: options.downloadSignedDocument === true && hasSignedPdf(item.event),
		binaryPropertyName: options.binaryPropertyName || 'data',
		includeAuditTrail: options.includeAuditTrail === true && item.event !== 'documentDeleted',
		auditTrailBinaryPropertyName: undefined,
	});
	if (wanted.pdfField === undefined && wanted.auditTrailField === undefined) return undefined;
	if (!item.documentId) {
		item.downloadError = 'The delivery carries no document id, so no file could be downloaded';
		return undefined;
	}
	const files = await documentFiles(
		context,
		client,
		item.documentId,
		{ ...wanted, failures: 'record' },
		{ title: item.documentTitle, document: confirmed },
	);
	if (files.downloadError) item.downloadError = files.downloadError;
	return Object.keys(files.binary).length > 0 ? files.binary : undefined;
}
