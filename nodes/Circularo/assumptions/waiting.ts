/** Send and Wait for Signature: a registration that delivers to one waiting execution. */
import type { IDataObject } from 'n8n-workflow';

import { asObject, textOf } from './answers';

/**
 * [assumed] Circularo delivers to a webhook's `callbackUrl` exactly as it was registered, query
 * string included, and adds no query parameters of its own. n8n 2.x needs the query (it carries
 * the execution's resume token), and the wait's deadline and start ride in it, so that any later
 * run can tell from `GET /webhooks` which registrations are a wait's and which have expired. A
 * registration listed without `until` is never taken for a wait's.
 */
export const WAIT_QUERY = {
	/** When the wait ends at the latest (epoch milliseconds). */
	until: 'circularoWaitUntil',
	/** When the registration was made (epoch milliseconds). */
	since: 'circularoWaitSince',
	/** The document waited for. */
	documentId: 'circularoDocumentId',
} as const;

export interface HistoryEntry {
	actor?: unknown;
	date?: string;
	message?: string;
}

/**
 * [assumed] What a document's history says about the end of its sign request: Circularo documents
 * `workflow.history` but not its entries. They are read as `{ event, actor, date, message }`, the
 * last one whose `event` is `event` wins, and its `message` is taken for the reason given (a
 * rejection's or a cancellation's).
 */
export function lastHistoryEntry(document: IDataObject, event: string): HistoryEntry | undefined {
	const workflow = asObject(document.workflow);
	const history = Array.isArray(workflow?.history) ? workflow.history : [];
	for (let index = history.length - 1; index >= 0; index--) {
		const entry = asObject(history[index]);
		if (entry?.event !== event) continue;
		return { actor: entry.actor, date: textOf(entry.date), message: textOf(entry.message) };
	}
	return undefined;
}
