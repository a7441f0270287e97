// @ts-check
'use strict';

/**
 * n8n away: what Circularo does while no one listens. Deliveries that fail (connection refused,
 * timeout, an error status) are recorded in `sim.deliveries` and never sent again, as Circularo
 * documents no retries; `undelivered()` lists them. Documents can still be completed and rejected
 * (`sim.sign`, `sim.reject`), cancelled and deleted (the API), and expire (`expire`, here: the sign
 * request's deadline passes), each with its events sent to whoever is registered, or to no one.
 */

const { ApiError, readJsonBody, isObject } = require('./http');
const { recordChange } = require('./documents');
const { emit } = require('./deliveries');

/**
 * The document's open sign request expires: its pending shares close as expired, the document
 * becomes `expired` and `signExpired` is sent. Resolves once the event is delivered (or not).
 * @param {import('./index').CircularoSimulator} sim
 * @param {{ documentId?: string }} opts
 */
async function expire(sim, opts) {
	const doc = opts?.documentId ? sim.documents.get(opts.documentId) : undefined;
	if (!doc || doc.deleted)
		throw new ApiError(404, 'DOCUMENT_NOT_FOUND', `expire: unknown document "${opts?.documentId}"`);
	if (doc.shareStateName !== 'inprogress')
		throw new ApiError(
			409,
			'NO_OPEN_SIGN_REQUEST',
			`expire: document "${doc.documentId}" has no sign request in progress`,
		);
	for (const share of sim.shares.values()) {
		if (share.documentId !== doc.documentId || !share.isActive) continue;
		share.isActive = false;
		if (share.status === 'pending') share.status = 'expired';
	}
	doc.shareStateName = 'expired';
	const actor = sim.resolveActor(undefined, doc);
	recordChange(doc, 'signExpired', actor);
	const deliveries = await emit(sim, doc, [{ event: 'signExpired', actor }]);
	return { document: sim.publicDocument(doc), events: ['signExpired'], deliveries };
}

/**
 * Deliveries that did not reach their webhook (no answer, or an answer other than 2xx): recorded
 * once, never retried.
 * @param {import('./index').CircularoSimulator} sim
 */
function undelivered(sim) {
	return sim.deliveries.filter((d) => d.status === null || d.status < 200 || d.status >= 300);
}

/** Control endpoints, added to control.js's. @type {Array<[string, RegExp, (sim: any, req: import('node:http').IncomingMessage) => Promise<[number, unknown]>]>} */
const AWAY_ROUTES = [
	[
		'POST',
		/^\/_sim\/expire$/,
		async (sim, req) => {
			const body = await readJsonBody(req);
			return [200, await expire(sim, isObject(body) ? body : {})];
		},
	],
	['GET', /^\/_sim\/undelivered$/, async (sim) => [200, { results: undelivered(sim) }]],
];

module.exports = { expire, undelivered, AWAY_ROUTES };
