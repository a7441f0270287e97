/**
 * Circularo's webhook events: their names exactly as Circularo sends them (documented), how the
 * trigger shows them, and after which a signed PDF exists.
 */
export const EVENTS = {
	documentCompleted: {
		displayName: 'Document Completed',
		description: 'All required signatures are collected',
		signedPdf: true,
	},
	documentCreated: {
		displayName: 'Document Created',
		description: 'A document is created',
		signedPdf: false,
	},
	documentDeleted: {
		displayName: 'Document Deleted',
		description: 'A document is deleted',
		signedPdf: false,
	},
	documentEdited: {
		displayName: 'Document Edited',
		description: 'A document is edited',
		signedPdf: false,
	},
	documentSigned: {
		displayName: 'Document Signed',
		description: 'A user signs a document',
		signedPdf: true,
	},
	documentSimpleActionExecuted: {
		displayName: 'Simple Action Executed',
		description: 'An approve, review or accept action is executed',
		signedPdf: false,
	},
	signCancelled: {
		displayName: 'Sign Request Cancelled',
		description: 'A sign request is cancelled',
		signedPdf: false,
	},
	signRequest: {
		displayName: 'Sign Request Created',
		description: 'A document is shared for signing',
		signedPdf: false,
	},
	signDelegated: {
		displayName: 'Sign Request Delegated',
		description: 'A sign request is delegated to someone else',
		signedPdf: false,
	},
	signExpired: {
		displayName: 'Sign Request Expired',
		description: 'A sign request expires',
		signedPdf: false,
	},
	signRejected: {
		displayName: 'Sign Request Rejected',
		description: 'A recipient rejects the sign request',
		signedPdf: false,
	},
} as const;

export type CircularoEventName = keyof typeof EVENTS;

export const CIRCULARO_EVENTS = Object.keys(EVENTS) as CircularoEventName[];

/** Emitted when a delivery carries no recognisable event type (only with "All Events"). */
export type UnknownEventName = 'unknown';

/** The trigger's "All Events" choice. */
export const ALL_EVENTS = '*';

export function isCircularoEvent(value: unknown): value is CircularoEventName {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(EVENTS, value);
}

/** Whether a signed PDF exists after this event, so the trigger can download it. */
export function hasSignedPdf(event: string): boolean {
	return isCircularoEvent(event) && EVENTS[event].signedPdf;
}

/** The trigger's event options, in the order of EVENTS (sorted by display name). */
export const EVENT_OPTIONS = CIRCULARO_EVENTS.map((value) => ({
	name: EVENTS[value].displayName,
	value,
	description: EVENTS[value].description,
}));
