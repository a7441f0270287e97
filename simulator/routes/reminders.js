// @ts-check
'use strict';

/**
 * Route: the manual reminder. Documented ("2. Sending Share Reminders"): to every recipient of a
 * document who still has to act, or to chosen shares; only the document's owner or the original
 * sharer; only shares that need action and are not done; at most one reminder per share per day.
 * Assumed (the page stops before its request): `POST /share/remind` with `{ documentId }` or
 * `{ shareIds }`, answered with the shares reminded; "a day" is the UTC calendar day; both
 * refusals are 400s with the words below. Kept in REMIND so it can change in one place.
 */

const { ApiError, isObject, nonEmpty } = require('../http');
const { currentShares } = require('../documents');
const { shareView } = require('../signing');

const REMIND = Object.freeze({ method: 'POST', path: '/share/remind' });
const ALREADY_TODAY =
	'A reminder for this share was already sent today; one reminder per share per day';
const NO_ACTION = 'does not require any action';

/** @typedef {import('./types').RouteContext} RouteContext @typedef {import('./types').Route} Route */
/** @typedef {import('../signing').ShareRecord} ShareRecord */

/** @param {string | undefined} at @param {Date} now */
const sameUtcDay = (at, now) =>
	at !== undefined && at.slice(0, 10) === now.toISOString().slice(0, 10);

/**
 * @param {RouteContext['sim']} sim
 * @param {import('../seed').User} user
 * @param {ShareRecord} share
 */
function requireSharer(sim, user, share) {
	const doc = sim.documents.get(share.documentId);
	if (!doc || doc.deleted)
		throw new ApiError(404, 'SHARE_NOT_FOUND', `Share "${share.shareId}" not found`);
	if (user.role !== 'globalAdmin' && user.id !== doc.creator && user.username !== share.sharedBy)
		throw new ApiError(
			403,
			'REMINDER_FORBIDDEN',
			'Only the document owner or the original sharer may send reminders',
		);
	return doc;
}

/** @param {ShareRecord} s */
const needsAction = (s) => s.isActive && s.status === 'pending' && s.sharePurpose !== 'view';

/** @param {RouteContext} ctx */
function remind({ sim, url, body }) {
	const user = sim.authenticate(url);
	const now = new Date();
	/** @type {ShareRecord[]} */
	let targets;
	if (isObject(body) && nonEmpty(body.documentId)) {
		const doc = sim.requireDocumentAccess(user, sim.documents.get(body.documentId));
		const turn = currentShares(sim, doc);
		if (turn.length === 0)
			throw new ApiError(400, 'NO_ACTION_REQUIRED', `No share of this document ${NO_ACTION}`);
		turn.forEach((s) => requireSharer(sim, user, s));
		targets = turn.filter((s) => !sameUtcDay(sim.reminders.get(s.shareId)?.at(-1), now));
		if (targets.length === 0) throw new ApiError(400, 'REMINDER_LIMIT', ALREADY_TODAY);
	} else if (
		isObject(body) &&
		Array.isArray(body.shareIds) &&
		body.shareIds.length > 0 &&
		body.shareIds.every(nonEmpty)
	) {
		targets = body.shareIds.map((/** @type {string} */ id) => {
			const s = sim.shares.get(id);
			if (!s || s.tenant !== user.tenant)
				throw new ApiError(404, 'SHARE_NOT_FOUND', `Share "${id}" not found`);
			requireSharer(sim, user, s);
			if (!needsAction(s))
				throw new ApiError(400, 'NO_ACTION_REQUIRED', `Share "${id}" ${NO_ACTION}`);
			if (sameUtcDay(sim.reminders.get(id)?.at(-1), now))
				throw new ApiError(400, 'REMINDER_LIMIT', ALREADY_TODAY);
			return s;
		});
	} else {
		throw new ApiError(
			400,
			'INVALID_BODY',
			'Expected { documentId: "<documentId>" } or { shareIds: [ "<shareId>", ... ] }',
		);
	}
	for (const s of targets)
		sim.reminders.set(s.shareId, [...(sim.reminders.get(s.shareId) ?? []), now.toISOString()]);
	return { status: 200, json: { results: targets.map((s) => shareView(sim, s)) } };
}

/** @type {Route[]} */
const routes = [[REMIND.method, REMIND.path, remind]];

module.exports = { routes, REMIND, ALREADY_TODAY };
