// @ts-check
'use strict';

/**
 * Routes: `POST /share` (open a sign request) and the cancel call. Circularo documents the
 * cancel behaviour but not its endpoint; `PUT /share/disable` (listed in its API changelog) is
 * our assumption, kept in CANCEL_SHARE so it can change in one place.
 */

const { ApiError, isObject, nonEmpty } = require('../http');
const { actOnSignRequest, openSignRequest, shareView, cancelSignRequests } = require('../signing');
const { emit } = require('../deliveries');

const CANCEL_SHARE = Object.freeze({ method: 'PUT', path: '/share/disable' });

/** @typedef {import('./types').RouteContext} RouteContext @typedef {import('./types').Route} Route */

/**
 * Shares as the answer: a bare array, or `{ results }` when that variant is selected.
 * @param {RouteContext['sim']} sim
 * @param {import('../signing').ShareRecord[]} shares
 */
function sharesAnswer(sim, shares) {
	const list = shares.map((s) => shareView(sim, s));
	return { status: 200, json: sim.variants.shareResponse === 'results' ? { results: list } : list };
}

/** @param {RouteContext} ctx */
function share({ sim, url, body }) {
	const user = sim.authenticate(url);
	if (!isObject(body))
		throw new ApiError(
			400,
			'INVALID_BODY',
			'Expected { id, type, objectType: "document", data: [ { sharePurpose, shareTo } ] }',
		);
	if (!nonEmpty(body.id))
		throw new ApiError(400, 'INVALID_SHARE', 'id (the documentId) is required');
	const doc = sim.requireDocumentAccess(user, sim.documents.get(body.id));
	if (body.objectType !== undefined && body.objectType !== 'document') {
		throw new ApiError(400, 'INVALID_OBJECT_TYPE', 'objectType must be "document"');
	}
	if (body.type !== doc.documentType) {
		throw new ApiError(
			400,
			'TYPE_MISMATCH',
			`type must be the document's documentType ("${doc.documentType}")`,
		);
	}
	const { shares, emitted } = openSignRequest(sim, doc, user, body);
	const quick = sim.nextShareAction;
	if (quick) {
		sim.nextShareAction = null;
		const acted = actOnSignRequest(
			sim,
			{ documentId: doc.documentId, reason: quick.reason },
			quick.action,
		);
		emitted.push(...acted.emitted);
	}
	emit(sim, doc, emitted);
	return sharesAnswer(sim, shares);
}

/** @param {RouteContext} ctx */
function cancelShare({ sim, url, body }) {
	const user = sim.authenticate(url);
	const ids = isObject(body)
		? Array.isArray(body.shareIds)
			? body.shareIds
			: nonEmpty(body.id)
				? [body.id]
				: []
		: [];
	if (ids.length === 0 || !ids.every(nonEmpty)) {
		throw new ApiError(
			400,
			'INVALID_BODY',
			'Expected { shareIds: [ "<shareId>", ... ] } or { id: "<shareId>" }, and optionally a message',
		);
	}
	if (body.message !== undefined && typeof body.message !== 'string')
		throw new ApiError(400, 'INVALID_BODY', 'message must be a string');
	const { shares, changes } = cancelSignRequests(sim, user, ids, body.message);
	for (const c of changes) emit(sim, c.doc, c.emitted);
	return sharesAnswer(sim, shares);
}

/** @type {Route[]} */
const routes = [
	['POST', '/share', share],
	[CANCEL_SHARE.method, CANCEL_SHARE.path, cancelShare],
];

module.exports = { routes, CANCEL_SHARE };
