/**
 * What the nodes assume about Circularo where its documentation is silent. Each section is one
 * self-contained block; code that depends on an assumption reads it from here and is lenient
 * about it.
 */

// ---------------------------------------------------------------------------------------------
// Deliveries
// ---------------------------------------------------------------------------------------------

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
 * [assumed] Epoch timestamps below this are seconds, above it milliseconds (1e11 seconds is the
 * year 5138). Circularo does not say which it sends, if it sends numbers at all.
 */
export const EPOCH_MILLISECONDS_THRESHOLD = 1e11;
