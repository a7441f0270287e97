/**
 * A verified delivery is a doorbell, not a fact: anyone who may list the team's webhooks reads
 * every registration's secret in clear, so a correctly signed delivery proves only that someone
 * with that right sent it. What it claims about a document counts once Circularo's API reports
 * it: both receivers read the document (the wait: any ending; the trigger: the ending its event
 * names) and decide on what that read says.
 *
 * [assumed] Reads may come from a search index that refreshes after writes, so the first read
 * after an event may still show the state before it. A state that does not yet match is read
 * again after short pauses, a few seconds in all (`RECHECK_DELAYS_MS`), then given up: the
 * delivery is acknowledged and nothing ends. "Gone" counts only when two reads, a pause apart, both
 * answer that the document does not exist (one 404 can come from a proxy or a lagging index).
 */
import { sleep, type IDataObject } from 'n8n-workflow';

import type { CircularoClient } from '../circularo/client';
import { findDocument } from '../circularo/endpoints/documents';
import { documentStatus } from '../circularo/records';
import { ENDING_OF_EVENT, type EndingState } from '../events';

export function endingOfEvent(event: string): EndingState | undefined {
	return (ENDING_OF_EVENT as Record<string, EndingState>)[event];
}

/** A document's state when it is an ending one (the states are named like the endings). */
export function endingOfDocument(document: IDataObject): EndingState | undefined {
	const state = documentStatus(document);
	return typeof state === 'string' &&
		state !== 'deleted' &&
		Object.values(ENDING_OF_EVENT).includes(state as EndingState)
		? (state as EndingState)
		: undefined;
}

/** What one read of the document answered. */
export type DocumentRead =
	/** The document as GET /documents/:id answered it. */
	| { kind: 'document'; document: IDataObject }
	/** Circularo answered that it does not exist (404). */
	| { kind: 'gone' }
	/** Any other failure: nothing is learnt from it. */
	| { kind: 'failed'; error: unknown };

/** What was confirmed: the document in the state accepted, or gone. */
export type ConfirmedState = { kind: 'document'; document: IDataObject } | { kind: 'gone' };

/**
 * The pauses before each read after the first: 3.5 s in all, inside the few seconds Circularo's
 * documentation asks a receiver to answer in ([assumed] how long an index takes to refresh).
 */
export const RECHECK_DELAYS_MS = [250, 500, 1000, 1750] as const;

/** The pause before the read that confirms a 404 seen on the last read. */
export const GONE_CONFIRM_DELAY_MS = 500;

export interface StateCheck {
	/** One read of the document. Must not throw: failures are a `failed` read. */
	read: () => Promise<DocumentRead>;
	/** Whether this document state is what the caller waits for. */
	accepts: (document: IDataObject) => boolean;
	/** Whether a confirmed disappearance counts (the wait: yes; the trigger: for documentDeleted). */
	acceptsGone: boolean;
	delaysMs?: readonly number[];
	sleep?: (ms: number) => Promise<void>;
}

/** One read of the document for a state check: never throws. */
export async function readDocument(
	client: CircularoClient,
	documentId: string,
): Promise<DocumentRead> {
	try {
		const document = await findDocument(client, documentId);
		return document === undefined ? { kind: 'gone' } : { kind: 'document', document };
	} catch (error) {
		return { kind: 'failed', error };
	}
}

const pause = async (ms: number) => await sleep(ms);

/**
 * Reads until Circularo reports an accepted state (or, when `acceptsGone`, the document gone on two
 * reads in a row), at most `delaysMs.length + 1` reads; undefined when it never did.
 */
export async function confirmedState(check: StateCheck): Promise<ConfirmedState | undefined> {
	const delays = check.delaysMs ?? RECHECK_DELAYS_MS;
	const sleep = check.sleep ?? pause;
	let goneBefore = false;
	for (let attempt = 0; attempt <= delays.length; attempt++) {
		if (attempt > 0) await sleep(delays[attempt - 1]);
		const read = await check.read();
		if (read.kind === 'document') {
			goneBefore = false;
			if (check.accepts(read.document)) return read;
			continue;
		}
		if (read.kind === 'gone') {
			if (check.acceptsGone && goneBefore) return read;
			goneBefore = true;
			continue;
		}
		goneBefore = false;
	}
	// A first 404 on the last read gets its confirming second read.
	if (check.acceptsGone && goneBefore) {
		await sleep(GONE_CONFIRM_DELAY_MS);
		const read = await check.read();
		if (read.kind === 'gone') return read;
	}
	return undefined;
}
