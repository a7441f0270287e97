/** What is assumed about Circularo's webhook deliveries: their fields, body, signature header and repeats. */
/**
 * [assumed] Where each typed field of a delivery may be, in order of preference.
 *
 * Circularo documents four fields of a delivery body by name: `documentId`, `event`, `actor` and
 * `timestamp`, but not their types, so those four come first and the other names are fallbacks
 * for shapes seen in other webhook APIs. No document title is documented at all. Dotted paths
 * read nested objects.
 */
export const DELIVERY_FIELD_CANDIDATES = {
	event: ['event', 'eventType', 'type', 'action', 'name'],
	documentId: ['documentId', 'document.documentId', 'document.id', 'data.documentId', 'id'],
	documentTitle: ['documentTitle', 'document.documentTitle', 'document.title', 'title'],
	actor: ['actor', 'user', 'username', 'userName', 'executor', 'createdBy'],
	occurredAt: ['timestamp', 'date', 'time', 'createDate', 'eventDate'],
} as const;

/** [assumed] The fields an actor object may name its user by, in order of preference. */
export const ACTOR_FIELD_CANDIDATES = {
	id: ['id', 'userId'],
	name: ['name', 'username', 'userName', 'fullName'],
	email: ['email'],
} as const;

/**
 * [assumed] Epoch timestamps (numbers, or strings of digits) below this are seconds, above it
 * milliseconds (1e11 seconds is the year 5138). Circularo does not say which it sends, if any.
 */
export const EPOCH_MILLISECONDS_THRESHOLD = 1e11;

/**
 * [assumed] Circularo documents a JSON body but not its Content-Type header (which is not signed
 * either): the signed bytes are read as JSON in UTF-8, whatever the header says, or as text when
 * they are not JSON.
 */
export function readSignedBody(rawBody: Buffer): unknown {
	const text = rawBody.toString('utf8');
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

const SIGNATURE_PREFIX = /^sha256=/i;

/**
 * [assumed] The signature's hex digest from its header: documented as bare hex, but a `sha256=`
 * prefix (as other webhook APIs send) is read too, in any letter case, around white space ignored.
 */
export function signatureHexOf(header: string): string {
	return header.trim().replace(SIGNATURE_PREFIX, '');
}

/**
 * [assumed] Circularo documents no delivery id and no retries: a delivery is known only by its
 * bytes (so by its signature), and the same bytes again within this window are taken for a repeat.
 */
export const DELIVERY_REPEAT_WINDOW_MS = 24 * 60 * 60 * 1000;
