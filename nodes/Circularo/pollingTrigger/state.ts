/**
 * What the polling trigger keeps between polls, in the workflow's static data (node scope): a
 * compact record of the documents still in progress, the newest creation date seen, and the
 * documents that ended recently enough to show up again in the search for documents created and
 * ended between two polls. Nothing else: no titles, no payloads, so it grows with the documents in
 * progress, not with the tenant.
 *
 * Keys are one letter on purpose: n8n stores static data as JSON in its database and reads it for
 * every poll, and 10,000 documents in progress cost well under 64 bytes each this way.
 */
import type { IDataObject } from 'n8n-workflow';

/** Version of the layout below; a layout this code does not know is started afresh. */
const LAYOUT = 1;

/** One document in progress: its `_version` and how many `workflow.history` entries it had. */
export type OpenRecord = [version: number, historyLength: number];

export interface PollState {
	/** The newest `createDate` seen (epoch ms, Circularo's clock). */
	watermark: number;
	/** Documents in progress, by id. */
	open: Record<string, OpenRecord>;
	/** Documents that ended and were created at or after `watermark - ENDED_SEARCH_MARGIN_MS`: id -> createDate (epoch ms). */
	ended: Record<string, number>;
}

/**
 * [assumed] How far before the newest creation date seen the search for documents created and
 * ended between two polls reaches back: a document shows in search within this long of its
 * `createDate`, and Circularo's clock does not run this far behind its own newest document.
 */
export const ENDED_SEARCH_MARGIN_MS = 10 * 60 * 1000;

function isOpenRecord(value: unknown): value is OpenRecord {
	return (
		Array.isArray(value) &&
		value.length === 2 &&
		value.every((part) => Number.isInteger(part) && (part as number) >= 0)
	);
}

/** The state kept in static data, or undefined before the first poll (or for an unknown layout). */
export function readState(staticData: IDataObject): PollState | undefined {
	if (staticData.l !== LAYOUT || typeof staticData.w !== 'number') return undefined;
	const open: Record<string, OpenRecord> = {};
	for (const [id, record] of Object.entries((staticData.o as IDataObject | undefined) ?? {}))
		if (isOpenRecord(record)) open[id] = [record[0], record[1]];
	const ended: Record<string, number> = {};
	for (const [id, createDate] of Object.entries((staticData.e as IDataObject | undefined) ?? {}))
		if (typeof createDate === 'number') ended[id] = createDate;
	return { watermark: staticData.w, open, ended };
}

/** Ended documents the next search for created-and-ended documents can no longer return. */
export function pruneEnded(state: PollState): void {
	const oldest = state.watermark - ENDED_SEARCH_MARGIN_MS;
	for (const [id, createDate] of Object.entries(state.ended))
		if (createDate < oldest) delete state.ended[id];
}

function sameRecords<T>(a: Record<string, T>, b: Record<string, T>, same: (x: T, y: T) => boolean) {
	const keys = Object.keys(a);
	if (keys.length !== Object.keys(b).length) return false;
	return keys.every((key) => key in b && same(a[key], b[key]));
}

export function sameState(a: PollState | undefined, b: PollState): boolean {
	return (
		a !== undefined &&
		a.watermark === b.watermark &&
		sameRecords(a.open, b.open, (x, y) => x[0] === y[0] && x[1] === y[1]) &&
		sameRecords(a.ended, b.ended, (x, y) => x === y)
	);
}

/**
 * Stores the state, touching static data only when it differs from what is stored: n8n writes
 * static data to its database only when it changed, so a poll with nothing new writes nothing.
 */
export function writeState(staticData: IDataObject, state: PollState): void {
	if (sameState(readState(staticData), state)) return;
	staticData.l = LAYOUT;
	staticData.w = state.watermark;
	staticData.o = state.open as unknown as IDataObject;
	staticData.e = state.ended as unknown as IDataObject;
}
