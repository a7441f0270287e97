/**
 * One poll: what happened to documents since the last one, found by comparing (Circularo documents
 * no modification date). Three steps, each paging newest first (pages.ts):
 *
 * 1. Documents in progress (`workflow.shareStateName: inprogress`) against the record of the last
 *    poll: one unknown is a new sign request; one whose `_version` or history moved on was signed
 *    by someone (its new history entries say who).
 * 2. Documents that ended (completed, rejected, expired, cancelled) created since shortly before
 *    the newest creation date seen: those created and ended between two polls, and recent ones of
 *    the record, which then need no request of their own.
 * 3. Each document of the record that neither search returned: GET /documents/:id says how it
 *    ended, or that it is gone (deleted: only when a second read a moment later says so too, as
 *    the doorbell's state check counts it, since one 404 can come from a proxy or a lagging index).
 *
 * The result is the next state and what to report; nothing is written here, so a poll that fails
 * half-way leaves the stored state as it was and the next poll finds the same changes again.
 */
import { sleep, type IDataObject } from 'n8n-workflow';

import type { CircularoClient } from '../circularo/client';
import {
	searchDocuments,
	watchedDocument,
	type WatchedDocument,
} from '../circularo/endpoints/documents';
import { createdAt, documentHistory, documentIdOf, documentVersion } from '../circularo/records';
import {
	ENDING_EVENTS,
	endingOf,
	eventsSince,
	IN_PROGRESS,
	stateOf,
	type DocumentEvent,
} from './items';
import { GONE_CONFIRM_DELAY_MS } from '../webhooks/stateCheck';
import { searchPages } from './pages';
import { ENDED_SEARCH_MARGIN_MS, pruneEnded, type OpenRecord, type PollState } from './state';

const ENDED_STATES = Object.keys(ENDING_EVENTS);

/** What a poll found about one document. */
export interface DocumentReport {
	documentId: string;
	/** The document as Circularo answered; only `documentId` when it is gone. */
	document: IDataObject;
	events: DocumentEvent[];
}

export interface PollOutcome {
	state: PollState;
	reports: DocumentReport[];
	/**
	 * The documents whose sign request ended in this poll or that were deleted, whether or not
	 * their events are selected: what a step that acts on endings (for example waits of this n8n
	 * whose delivery was lost) would take from the poll.
	 */
	ended: string[];
	/** Documents of the record this key can no longer see: dropped without an event. */
	outOfSight: string[];
}

function recordOf(document: IDataObject): OpenRecord {
	return [documentVersion(document) ?? 0, documentHistory(document).length];
}

/** A recorded document, read again a moment later when the first read says it is gone. */
async function recordedDocument(
	client: CircularoClient,
	documentId: string,
): Promise<WatchedDocument> {
	const watched = await watchedDocument(client, documentId);
	if (!('gone' in watched)) return watched;
	await sleep(GONE_CONFIRM_DELAY_MS);
	return await watchedDocument(client, documentId);
}

/** The creation date of the newest document the key can see, or undefined in an empty tenant. */
async function newestCreateDate(client: CircularoClient): Promise<number | undefined> {
	const { documents } = await searchDocuments(client, {}, 0, 1);
	return documents[0] && createdAt(documents[0]);
}

/**
 * Runs one poll from `previous` (undefined for the first, which only records what is in progress
 * and what ended recently, reporting nothing).
 */
export async function pollDocuments(
	client: CircularoClient,
	previous: PollState | undefined,
	now: Date,
): Promise<PollOutcome> {
	const first = previous === undefined;
	const baseline = previous?.watermark ?? (await newestCreateDate(client)) ?? now.getTime();
	const state: PollState = { watermark: baseline, open: {}, ended: { ...previous?.ended } };
	const outcome: PollOutcome = { state, reports: [], ended: [], outOfSight: [] };
	const seen = (document: IDataObject) => {
		const created = createdAt(document);
		if (created !== undefined && created > state.watermark) state.watermark = created;
		return created;
	};
	const report = (documentId: string, document: IDataObject, events: DocumentEvent[]) => {
		if (!first && events.length > 0) outcome.reports.push({ documentId, document, events });
	};

	// 1. In progress.
	for await (const page of searchPages(client, { states: [IN_PROGRESS] })) {
		for (const document of page) {
			const documentId = documentIdOf(document);
			if (documentId === undefined || documentId in state.open) continue;
			seen(document);
			const record = recordOf(document);
			state.open[documentId] = record;
			const known = previous?.open[documentId];
			if (known && known[0] === record[0] && known[1] === record[1]) continue;
			// An ended document in progress again was shared anew.
			delete state.ended[documentId];
			report(documentId, document, eventsSince(document, known ? known[1] : 'new'));
		}
	}

	// 2. Ended recently.
	const endedSeen = new Set<string>();
	const createdAfter = new Date(baseline - ENDED_SEARCH_MARGIN_MS).toISOString();
	for await (const page of searchPages(client, { states: ENDED_STATES, createdAfter })) {
		for (const document of page) {
			const documentId = documentIdOf(document);
			// In progress a moment ago in this poll: the next poll reports its ending.
			if (documentId === undefined || documentId in state.open || endedSeen.has(documentId))
				continue;
			endedSeen.add(documentId);
			const created = seen(document) ?? baseline;
			if (documentId in state.ended) continue;
			state.ended[documentId] = created;
			const known = previous?.open[documentId];
			if (!first) outcome.ended.push(documentId);
			report(documentId, document, eventsSince(document, known ? known[1] : 'new'));
		}
	}

	// 3. The rest of the record, one by one.
	for (const [documentId, known] of Object.entries(previous?.open ?? {})) {
		if (documentId in state.open || endedSeen.has(documentId)) continue;
		const watched = await recordedDocument(client, documentId);
		if ('gone' in watched) {
			outcome.ended.push(documentId);
			report(documentId, { documentId }, [{ event: 'documentDeleted' }]);
			continue;
		}
		if ('outOfSight' in watched) {
			outcome.outOfSight.push(documentId);
			continue;
		}
		const { document } = watched;
		const created = seen(document);
		const documentState = stateOf(document);
		if (documentState === IN_PROGRESS) {
			// Missed by the search (it changed while the poll paged through it): keep it.
			state.open[documentId] = recordOf(document);
			report(documentId, document, eventsSince(document, known[1]));
		} else if (endingOf(documentState)) {
			outcome.ended.push(documentId);
			if (created !== undefined) state.ended[documentId] = created;
			report(documentId, document, eventsSince(document, known[1]));
		} else {
			outcome.outOfSight.push(documentId);
		}
	}

	pruneEnded(state);
	return outcome;
}
