/**
 * What a poll reports about a document, as items with the Circularo Trigger's field names (`event`,
 * `documentId`, `documentTitle`, `actor`, `occurredAt`, `receivedAt`, `payload`), so that a
 * workflow can switch between the two triggers without rewiring. The mapping is the poll's own,
 * from the document as Circularo's API returns it: the event from its documented state, the actor
 * and time from its history where the history names them.
 */
import type { IDataObject } from 'n8n-workflow';

import { textOf } from '../circularo/answers';
import type { DOCUMENT_STATES } from '../circularo/endpoints/documents';
import {
	documentHistory,
	documentStatus,
	documentTitleOf,
	historyEntry,
	recordUser,
	type HistoryEntry,
} from '../circularo/records';
import { ENDING_OF_EVENT, type CircularoEventName } from '../events';
import type { CircularoEventItem } from '../webhooks/deliveryItem';

/** The events a poll can see, in the order of the Events parameter. */
export const POLLED_EVENTS = [
	'documentCompleted',
	'documentDeleted',
	'documentSigned',
	'signCancelled',
	'signRequest',
	'signExpired',
	'signRejected',
] as const satisfies readonly CircularoEventName[];

export type PolledEvent = (typeof POLLED_EVENTS)[number];

export const IN_PROGRESS = 'inprogress' satisfies (typeof DOCUMENT_STATES)[number];

/** The documented end states (`workflow.shareStateName`) and the event each ends with. */
export const ENDING_EVENTS = Object.fromEntries(
	Object.entries(ENDING_OF_EVENT)
		.filter(([, state]) => state !== 'deleted')
		.map(([event, state]) => [state, event]),
) as Record<Exclude<(typeof DOCUMENT_STATES)[number], typeof IN_PROGRESS>, PolledEvent>;

/** A document's documented state, as text. */
export function stateOf(document: IDataObject): string | undefined {
	return textOf(documentStatus(document));
}

/** The event a document's state ends its sign request with, or undefined while it has not ended. */
export function endingOf(state: string | undefined): PolledEvent | undefined {
	return state !== undefined && Object.prototype.hasOwnProperty.call(ENDING_EVENTS, state)
		? ENDING_EVENTS[state as keyof typeof ENDING_EVENTS]
		: undefined;
}

/** An item of a poll: the Circularo Trigger's item for the same event, with the document as payload. */
export interface PolledItem extends CircularoEventItem<PolledEvent> {
	documentId: string;
	/** The document as Circularo answered the poll (only `documentId` for a deleted one). */
	payload: IDataObject;
}

/** A history entry's time as ISO 8601, or null when it has none readable. */
function isoOf(text: string | undefined): string | null {
	if (text === undefined) return null;
	const date = new Date(/^\d+$/.test(text) ? Number(text) : text);
	return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** One event of a document, with what its history entry says (nothing when it has none). */
export interface DocumentEvent {
	event: PolledEvent;
	entry?: HistoryEntry;
}

export function polledItem(
	document: IDataObject,
	documentId: string,
	{ event, entry }: DocumentEvent,
	receivedAt: Date,
): PolledItem {
	return {
		event,
		documentId,
		documentTitle: documentTitleOf(document) ?? null,
		actor: recordUser(entry?.actor),
		occurredAt: isoOf(entry?.date),
		receivedAt: receivedAt.toISOString(),
		payload: document,
	};
}

const REPORTED_IN_HISTORY: readonly string[] = [
	'signRequest',
	'documentSigned',
	...Object.values(ENDING_EVENTS),
];

/**
 * The events of a document since the poll last saw it: its history entries from `fromIndex` on
 * ([assumed] entries `{ event, actor, date }` named as the webhook events), then its ending from
 * its documented state when no entry of the history reported it (a history that cannot be read
 * still ends the document once). A document the poll did not know starts at its last sign request.
 */
export function eventsSince(document: IDataObject, fromIndex: number | 'new'): DocumentEvent[] {
	const history = documentHistory(document).map(historyEntry);
	let start = fromIndex === 'new' ? -1 : fromIndex;
	if (fromIndex === 'new') start = history.map((entry) => entry.event).lastIndexOf('signRequest');
	const events: DocumentEvent[] = [];
	if (start < 0) {
		events.push({ event: 'signRequest' });
		start = history.length;
	}
	for (const entry of history.slice(start)) {
		if (entry.event !== undefined && REPORTED_IN_HISTORY.includes(entry.event))
			events.push({ event: entry.event as PolledEvent, entry });
	}
	const ending = endingOf(stateOf(document));
	if (ending && events.at(-1)?.event !== ending) events.push({ event: ending });
	return events;
}
