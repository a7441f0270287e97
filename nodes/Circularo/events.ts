/**
 * Circularo's webhook events: their names exactly as Circularo sends them (documented), how the
 * trigger shows them (display name, description), and after which a signed PDF exists.
 */
export const EVENTS = {
	documentCompleted: ['Document Completed', 'All required signatures are collected'],
	documentCreated: ['Document Created', 'A document is created'],
	documentDeleted: ['Document Deleted', 'A document is deleted'],
	documentEdited: ['Document Edited', 'A document is edited'],
	documentSigned: ['Document Signed', 'A user signs a document'],
	documentSimpleActionExecuted: [
		'Simple Action Executed',
		'An approve, review or accept action is executed',
	],
	signCancelled: ['Sign Request Cancelled', 'A sign request is cancelled'],
	signRequest: ['Sign Request Created', 'A document is shared for signing'],
	signDelegated: ['Sign Request Delegated', 'A sign request is delegated to someone else'],
	signExpired: ['Sign Request Expired', 'A sign request expires'],
	signRejected: ['Sign Request Rejected', 'A recipient rejects the sign request'],
} as const;

export type CircularoEventName = keyof typeof EVENTS;

export const CIRCULARO_EVENTS = Object.keys(EVENTS) as CircularoEventName[];

/**
 * The events that end a sign request, and the state Circularo then reports for the document
 * (`workflow.shareStateName`; `deleted`: the document is gone): what the webhook receivers confirm
 * an ending event by, and what the polling trigger reports an ended document as.
 */
export const ENDING_OF_EVENT = {
	documentCompleted: 'completed',
	signRejected: 'rejected',
	signExpired: 'expired',
	signCancelled: 'cancelled',
	documentDeleted: 'deleted',
} as const satisfies Partial<Record<CircularoEventName, string>>;

export type EndingState = (typeof ENDING_OF_EVENT)[keyof typeof ENDING_OF_EVENT];

/** The events after which a signed PDF exists, so that the trigger can download it. */
const WITH_SIGNED_PDF: readonly string[] = ['documentCompleted', 'documentSigned'];

/** Emitted when a delivery carries no recognisable event type (only with "All Events"). */
export type UnknownEventName = 'unknown';

/** The trigger's "All Events" choice. */
export const ALL_EVENTS = '*';

export function isCircularoEvent(value: unknown): value is CircularoEventName {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(EVENTS, value);
}

export function hasSignedPdf(event: string): boolean {
	return WITH_SIGNED_PDF.includes(event);
}

/** The trigger's event options, in the order of EVENTS (sorted by display name). */
export function eventOptions(events: readonly CircularoEventName[]) {
	return events.map((value) => ({
		name: EVENTS[value][0],
		value,
		description: EVENTS[value][1],
	}));
}

export const EVENT_OPTIONS = eventOptions(CIRCULARO_EVENTS);

/** A trigger's subtitle: its selected events by their display names, e.g. "Document Completed, Document Signed". */
export function eventsSubtitle(options: Array<{ name: string; value: string }>): string {
	const names = JSON.stringify(
		Object.fromEntries(options.map((option) => [option.value, option.name])),
	);
	return `={{(($parameter["events"] || []).includes("${ALL_EVENTS}")) ? "All events" : ($parameter["events"] || []).map((event) => (${names})[event] || event).join(", ")}}`;
}
