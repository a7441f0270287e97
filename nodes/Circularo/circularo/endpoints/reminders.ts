/**
 * Reminders. Documented ("2. Sending Share Reminders"): automatic reminders are set per recipient
 * when sharing and then sent by Circularo; manual reminders go to every recipient of a document who
 * still has to act, or to chosen shares; only the document's owner or the original sharer may send
 * them; only shares that still need action (sign, approve, review) qualify; at most one reminder
 * per share per day. The page stops before its requests: the field names and the endpoint below
 * are [assumed], each kept in one place.
 */
import type { IDataObject } from 'n8n-workflow';

import { asObject, firstString, resultsOf } from '../answers';
import type { CircularoClient } from '../client';

/** When automatic reminders start and how often they repeat. */
export interface AutomaticReminder {
	/** ISO 8601. */
	start: string;
	intervalDays: number;
}

/**
 * [assumed] The automatic reminder of one recipient in `data[]` of POST /share: the key and shape a
 * public client sends, `automaticReminder: { start, intervalDays }`.
 */
export function automaticReminderEntry(reminder: AutomaticReminder): IDataObject {
	return { automaticReminder: { start: reminder.start, intervalDays: reminder.intervalDays } };
}

/**
 * [assumed] The manual reminder call: `POST /share/remind` with `{ documentId }` (every recipient
 * who still has to act) or `{ shareIds: [...] }`, answered with the shares reminded.
 */
export const REMIND = { method: 'POST', path: '/share/remind' } as const;

export type ReminderTarget = { documentId: string } | { shareIds: string[] };

/** The manual reminder: the ids of the shares Circularo reminded ([assumed] `shareId` or `id`). */
export async function sendReminder(
	client: CircularoClient,
	target: ReminderTarget,
): Promise<{ answer: IDataObject; remindedShareIds: string[] }> {
	const answer = await client.request({
		endpoint: 'sendReminder',
		method: REMIND.method,
		path: REMIND.path,
		body: { ...target },
	});
	const remindedShareIds = resultsOf(answer)
		.map((entry) => firstString(entry.shareId, entry.id))
		.filter((shareId): shareId is string => shareId !== undefined);
	return { answer: asObject(answer) ?? { results: resultsOf(answer) }, remindedShareIds };
}

/**
 * [assumed] How Circularo words its two documented refusals of a reminder (a 400 or 409): read
 * from the words, leniently, so that either wording explains itself in plain words.
 */
export const REMINDER_REFUSALS = {
	alreadyToday: /already|today|once (a|per) day|24 ?h|too (many|soon)|limit/i,
	noActionNeeded:
		/no (longer|action)|not (require|need|active|pending)|completed|does not require/i,
};
