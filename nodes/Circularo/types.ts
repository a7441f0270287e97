import type { IDataObject } from 'n8n-workflow';

/** The documented event names, exactly as Circularo sends them. */
export const CIRCULARO_EVENTS = [
	'documentCreated',
	'documentEdited',
	'documentDeleted',
	'signRequest',
	'signDelegated',
	'signRejected',
	'signExpired',
	'signCancelled',
	'documentSigned',
	'documentCompleted',
	'documentSimpleActionExecuted',
] as const;

export type CircularoEventName = (typeof CIRCULARO_EVENTS)[number];

/** Emitted when a delivery carries no recognisable event type (only with "All Events"). */
export type UnknownEventName = 'unknown';

/** Events after which a signed PDF exists and can be downloaded. */
export const EVENTS_WITH_SIGNED_DOCUMENT: readonly CircularoEventName[] = [
	'documentCompleted',
	'documentSigned',
];

export type WebhookScopeType = 'tenant' | 'team';

/** A webhook as Circularo returns it from POST /webhooks and GET /webhooks. */
export interface CircularoWebhook {
	id: string;
	creator?: string;
	createDate?: string;
	type: WebhookScopeType;
	name?: string | null;
	callbackUrl: string;
	hmacSecret?: string | null;
}

export interface CircularoWebhookList {
	results: CircularoWebhook[];
}

/** The fields of the Circularo API credential the trigger reads. */
export interface CircularoCredentials {
	serverUrl: string;
	apiKey: string;
	webhookSecret?: string;
}

/** Which of n8n's two URLs a registration is for: "Listen for test event" or the published workflow. */
export type UrlKind = 'test' | 'production';

/**
 * What the trigger keeps in the workflow's static data (stored unencrypted with the workflow and
 * returned by n8n's APIs and exports), so nothing here is secret. The signing secret is derived
 * from the credential and the nonce when needed.
 */
export interface RegistrationData extends IDataObject {
	kind?: UrlKind;
	/** Circularo's id of the webhook. */
	webhookId?: string;
	/** Random, per registration; the signing secret is an HMAC over it keyed by the credential. */
	nonce?: string;
	/** Tells whether the credential still derives the registered secret; reveals nothing about it. */
	fingerprint?: string;
	/** Version 0.1.0 only: a generated secret kept in clear. Removed at the next start or activation. */
	webhookSecret?: string;
}

/** The trigger's "Options" parameter. */
export interface TriggerOptions {
	downloadSignedDocument?: boolean;
	binaryPropertyName?: string;
	includeAuditTrail?: boolean;
	includeHeaders?: boolean;
}

/** What POST /webhooks takes. */
export interface CircularoWebhookRequest {
	type: WebhookScopeType;
	name?: string;
	callbackUrl: string;
	hmacSecret: string;
}

/** One document from GET /documents/:id. */
export interface CircularoDocument {
	documentId: string;
	documentTitle?: string;
	documentType?: string;
	pdfFile?: { content?: string };
	workflow?: { shareStateName?: string };
}

export interface CircularoDocumentList {
	results: CircularoDocument[];
}

/** Who caused the event, normalised from whatever shape the delivery used. */
export interface CircularoActor extends IDataObject {
	id: string | null;
	name: string | null;
	email: string | null;
}

/** The item the trigger emits for one delivery of event E. */
export interface CircularoEventItem<
	E extends CircularoEventName | UnknownEventName,
> extends IDataObject {
	event: E;
	documentId: string | null;
	documentTitle: string | null;
	actor: CircularoActor | null;
	/** ISO 8601; null when the delivery carried no readable timestamp. */
	occurredAt: string | null;
	/** ISO 8601, when n8n received the delivery. */
	receivedAt: string;
	/** The delivery body exactly as signed: its bytes parsed as JSON, or the text when they are not JSON. */
	payload: IDataObject | IDataObject[] | string | number | boolean | null;
	/** Set when the signed PDF or audit trail was requested but could not be downloaded. */
	downloadError?: string;
	/** Present only when the "Include Request Headers" option is on. */
	headers?: IDataObject;
}

/** Every item the trigger can emit, discriminated by `event`. */
export type CircularoTriggerItem =
	| { [E in CircularoEventName]: CircularoEventItem<E> }[CircularoEventName]
	| CircularoEventItem<UnknownEventName>;
