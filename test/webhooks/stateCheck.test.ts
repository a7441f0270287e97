import type { IDataObject } from 'n8n-workflow';

import {
	confirmedState,
	RECHECK_DELAYS_MS,
	type DocumentRead,
} from '../../nodes/Circularo/webhooks/stateCheck';
import { DELIVERY_WINDOW_MS, outsideWindow } from '../../nodes/Circularo/webhooks/timestampWindow';

const doc = (state: string | null): DocumentRead => ({
	kind: 'document',
	document: { documentId: 'd1', workflow: { shareStateName: state } },
});
const GONE: DocumentRead = { kind: 'gone' };
const FAILED: DocumentRead = { kind: 'failed', error: new Error('503') };

const completed = (d: IDataObject) =>
	(d.workflow as IDataObject | undefined)?.shareStateName === 'completed';

/** Runs a check over scripted reads; resolves the outcome, the reads made and the pauses. */
async function run(reads: DocumentRead[], acceptsGone = false) {
	const pauses: number[] = [];
	let made = 0;
	const result = await confirmedState({
		read: async () => reads[Math.min(made++, reads.length - 1)],
		accepts: completed,
		acceptsGone,
		sleep: async (ms) => {
			pauses.push(ms);
		},
	});
	return { result, made, pauses };
}

describe('confirmedState: what Circularo reports decides', () => {
	test('the state on the first read: one read, no pause', async () => {
		const { result, made, pauses } = await run([doc('completed')]);
		expect(result).toEqual(doc('completed'));
		expect(made).toBe(1);
		expect(pauses).toEqual([]);
	});

	test('a lagging read: read again until the state shows', async () => {
		const { result, made, pauses } = await run([
			doc('inprogress'),
			doc('inprogress'),
			doc('completed'),
		]);
		expect(result).toEqual(doc('completed'));
		expect(made).toBe(3);
		expect(pauses).toEqual(RECHECK_DELAYS_MS.slice(0, 2));
	});

	test('never the state: bounded, a few seconds in all, then nothing is confirmed', async () => {
		const { result, made, pauses } = await run([doc('inprogress')]);
		expect(result).toBeUndefined();
		expect(made).toBe(RECHECK_DELAYS_MS.length + 1);
		const total = pauses.reduce((a, b) => a + b, 0);
		expect(total).toBeLessThanOrEqual(4000);
	});

	test('gone counts only on two reads in a row, and only when accepted', async () => {
		expect((await run([GONE, GONE], true)).result).toEqual(GONE);
		expect((await run([GONE, GONE], true)).made).toBe(2);
		// A single 404 (a proxy, a lagging index) between answers that show the document is not gone.
		expect(
			(await run([GONE, doc('inprogress'), GONE, doc('inprogress')], true)).result,
		).toBeUndefined();
		expect((await run([GONE, FAILED, GONE, FAILED, GONE, FAILED], true)).result).toBeUndefined();
		expect((await run([GONE, GONE], false)).result).toBeUndefined();
		// A 404 first seen on the last read gets one more read to confirm it.
		const late = [
			doc('inprogress'),
			doc('inprogress'),
			doc('inprogress'),
			doc('inprogress'),
			GONE,
			GONE,
		];
		expect((await run(late, true)).result).toEqual(GONE);
		expect((await run(late, true)).made).toBe(RECHECK_DELAYS_MS.length + 2);
	});

	test('failed reads teach nothing: tried again within the bound', async () => {
		expect((await run([FAILED, FAILED, doc('completed')])).result).toEqual(doc('completed'));
		expect((await run([FAILED])).result).toBeUndefined();
	});
});

describe("the trigger's window on the signed time", () => {
	const now = new Date('2026-12-08T12:00:00.000Z');
	test('inside the window either way: accepted', () => {
		expect(outsideWindow(now.toISOString(), now)).toBe(false);
		expect(outsideWindow(new Date(now.getTime() - DELIVERY_WINDOW_MS).toISOString(), now)).toBe(
			false,
		);
		expect(outsideWindow(new Date(now.getTime() + DELIVERY_WINDOW_MS).toISOString(), now)).toBe(
			false,
		);
	});
	test('outside it (a replay after the repeat memory, a clock far ahead): refused', () => {
		expect(outsideWindow(new Date(now.getTime() - DELIVERY_WINDOW_MS - 1).toISOString(), now)).toBe(
			true,
		);
		expect(outsideWindow(new Date(now.getTime() - 25 * 3_600_000).toISOString(), now)).toBe(true);
		expect(outsideWindow(new Date(now.getTime() + DELIVERY_WINDOW_MS + 1).toISOString(), now)).toBe(
			true,
		);
	});
	test('missing or unreadable ([assumed] format): not refused for it', () => {
		expect(outsideWindow(null, now)).toBe(false);
		expect(outsideWindow(undefined, now)).toBe(false);
		expect(outsideWindow('yesterday-ish', now)).toBe(false);
	});
});
