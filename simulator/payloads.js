// @ts-check
'use strict';

/**
 * Event names and delivery payload shapes.
 *
 * The event names are documented by Circularo. The field names of a delivery are only named,
 * not shown with their types, so the simulator can send one shape per family of candidate names
 * (see simulator/README.md). `default` is the most likely one.
 */

/**
 * The 11 documented events, exactly as sent, and what each does to the document it names when
 * fired (its workflow state, whether it is deleted); the others change only its history.
 * @type {Readonly<Record<string, Readonly<{ shareStateName?: string, deleted?: boolean }>>>}
 */
const EVENT_EFFECTS = Object.freeze({
	documentCreated: { deleted: false },
	documentEdited: {},
	documentDeleted: { deleted: true },
	signRequest: { shareStateName: 'inprogress' },
	signDelegated: {},
	signRejected: { shareStateName: 'rejected' },
	signExpired: { shareStateName: 'expired' },
	signCancelled: { shareStateName: 'cancelled' },
	documentSigned: {},
	documentCompleted: { shareStateName: 'completed' },
	documentSimpleActionExecuted: {},
});

const EVENTS = Object.freeze(Object.keys(EVENT_EFFECTS));

/** Names accepted by `buildPayload` and by `fire({ shape })`. */
const PAYLOAD_SHAPES = Object.freeze(['default', 'eventType', 'type', 'action', 'name', 'unknown']);

/**
 * @typedef {{ id?: string | null, name?: string | null, username?: string | null, email?: string | null }} Actor
 * @typedef {{ event: string, documentId: string, documentTitle?: string, actor?: Actor,
 *   at?: Date | number | string }} PayloadInput
 */

/** @param {Date | number | string | undefined} at */
function toDate(at) {
	const d = at === undefined ? new Date() : new Date(at);
	if (Number.isNaN(d.getTime())) throw new TypeError('buildPayload: invalid "at" timestamp');
	return d;
}

/**
 * Builds the JSON object (not yet serialised) of one delivery.
 *
 * - `default`:   { event, documentId, documentTitle, user: { id, name, username, email }, timestamp: ISO }
 * - `eventType`: { eventType, document: { documentId, documentTitle }, actor: { username, email }, date: epoch ms }
 * - `type`:      { type, document: { id, title }, username, time: ISO }
 * - `action`:    { action, data: { documentId }, title, executor: "<email>", createDate: epoch ms }
 * - `name`:      { name, id, userName, eventDate: ISO, createdBy: { email } }
 * - `unknown`:   { foo, bar } with none of the candidate field names (no recognisable event)
 *
 * @param {string} shape one of PAYLOAD_SHAPES
 * @param {PayloadInput} input
 * @returns {Record<string, unknown>}
 */
function buildPayload(shape, input) {
	if (!input || typeof input.event !== 'string' || typeof input.documentId !== 'string') {
		throw new TypeError('buildPayload: "event" and "documentId" (strings) are required');
	}
	const { event, documentId } = input;
	const documentTitle = input.documentTitle ?? '';
	const actor = input.actor ?? {};
	const at = toDate(input.at);
	const iso = at.toISOString();
	const ms = at.getTime();
	const user = {
		id: actor.id ?? null,
		name: actor.name ?? null,
		username: actor.username ?? null,
		email: actor.email ?? null,
	};
	switch (shape) {
		case 'default':
			return { event, documentId, documentTitle, user, timestamp: iso };
		case 'eventType':
			return {
				eventType: event,
				document: { documentId, documentTitle },
				actor: { username: user.username, email: user.email },
				date: ms,
			};
		case 'type':
			return {
				type: event,
				document: { id: documentId, title: documentTitle },
				username: user.username,
				time: iso,
			};
		case 'action':
			return {
				action: event,
				data: { documentId },
				title: documentTitle,
				executor: user.email,
				createDate: ms,
			};
		case 'name':
			return {
				name: event,
				id: documentId,
				userName: user.username,
				eventDate: iso,
				createdBy: { email: user.email },
			};
		case 'unknown':
			// Deliberately none of the candidate names for event, document, title, actor or timestamp.
			return { foo: 'circularo-simulator', bar: { ref: documentId, happenedAt: iso } };
		default:
			throw new RangeError(
				`buildPayload: unknown shape "${shape}" (known: ${PAYLOAD_SHAPES.join(', ')})`,
			);
	}
}

module.exports = { EVENTS, EVENT_EFFECTS, PAYLOAD_SHAPES, buildPayload };
