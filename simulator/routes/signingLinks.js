// @ts-check
'use strict';

/**
 * Route: `GET /share/:shareId/validate`, documented in "5. Constructing Signing URLs": the share's
 * `shareToken`, from which the signing link `<frontend URL>/share?shareToken=...` is built; a share
 * not protected by a one-time password is refused with a 400 and Circularo's documented words.
 * The documentation's example carries no `token`, so none is required (one is accepted).
 */

const crypto = require('node:crypto');
const { ApiError } = require('../http');

const UNPROTECTED = 'Share needs to be secured by mail or phone OTP or oAuth.';

/** @typedef {import('./types').RouteContext} RouteContext @typedef {import('./types').Route} Route */

/**
 * The token of a share: stable for the share, unguessable without the simulator's secret.
 * @param {RouteContext['sim']} sim @param {string} shareId
 */
function shareTokenOf(sim, shareId) {
	return crypto.createHmac('sha256', sim.shareTokenSecret).update(shareId).digest('hex');
}

/** @param {RouteContext} ctx */
function validateShare({ sim, params }) {
	const share = sim.shares.get(params.shareId);
	if (!share) throw new ApiError(404, 'SHARE_NOT_FOUND', `Share "${params.shareId}" not found`);
	if (!share.otpEnabled) throw new ApiError(400, 'SHARE_NOT_SECURED', UNPROTECTED);
	if (!share.isActive)
		throw new ApiError(409, 'SHARE_NOT_ACTIVE', `Share "${params.shareId}" is no longer active`);
	return {
		status: 200,
		json: { shareId: share.shareId, shareToken: shareTokenOf(sim, share.shareId) },
	};
}

/** @type {Route[]} */
const routes = [['GET', '/share/:shareId/validate', validateShare]];

module.exports = { routes, shareTokenOf, UNPROTECTED };
