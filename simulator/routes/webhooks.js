// @ts-check
'use strict';

/** Routes: `POST /webhooks`, `GET /webhooks`, `DELETE /webhooks/:id`. */

const crypto = require('node:crypto');
const { ApiError, isObject, nonEmpty } = require('../http');

/**
 * @typedef {import('./types').RouteContext} RouteContext @typedef {import('./types').Route} Route
 * @typedef {import('../state').WebhookRecord} WebhookRecord
 */

/** @param {unknown} callbackUrl */
function checkCallbackUrl(callbackUrl) {
	if (typeof callbackUrl !== 'string' || callbackUrl.trim() === '') {
		throw new ApiError(400, 'INVALID_CALLBACK_URL', '"callbackUrl" is required');
	}
	/** @type {URL | null} */
	let parsed = null;
	try {
		parsed = new URL(callbackUrl);
	} catch {
		parsed = null;
	}
	if (
		!parsed ||
		(parsed.protocol !== 'http:' && parsed.protocol !== 'https:') ||
		!parsed.hostname ||
		callbackUrl.length > 2048
	) {
		throw new ApiError(
			400,
			'INVALID_CALLBACK_URL',
			'"callbackUrl" must be an absolute http(s) URL',
		);
	}
	return callbackUrl;
}

/** @param {RouteContext} ctx */
function createWebhook({ sim, url, body }) {
	const user = sim.authenticate(url);
	sim.requireWebhookManager(user);
	if (!isObject(body))
		throw new ApiError(
			400,
			'INVALID_BODY',
			'Expected a JSON object { type, name?, callbackUrl, hmacSecret? }',
		);
	const { type, name, hmacSecret } = body;
	if (type !== 'tenant' && type !== 'team')
		throw new ApiError(400, 'INVALID_TYPE', '"type" must be "tenant" or "team"');
	const callbackUrl = checkCallbackUrl(body.callbackUrl);
	if (hmacSecret !== undefined && hmacSecret !== null && typeof hmacSecret !== 'string') {
		throw new ApiError(400, 'INVALID_HMAC_SECRET', '"hmacSecret" must be a string');
	}
	if (name !== undefined && name !== null && typeof name !== 'string')
		throw new ApiError(400, 'INVALID_NAME', '"name" must be a string');
	const tenant = /** @type {import('../state').Tenant} */ (sim.tenants.get(user.tenant));
	/** @type {string | null} */
	let team = null;
	if (type === 'tenant') {
		if (user.role !== 'globalAdmin')
			throw new ApiError(
				403,
				'TENANT_SCOPE_FORBIDDEN',
				'Only global admins can create tenant webhooks',
			);
		if (nonEmpty(name))
			throw new ApiError(
				400,
				'INVALID_NAME',
				'"name" (a team name) is only used for team webhooks',
			);
	} else if (nonEmpty(name)) {
		if (user.role !== 'globalAdmin') {
			throw new ApiError(
				403,
				'NAME_FORBIDDEN',
				'Only global admins can name the team of a webhook; team admins create webhooks for their own team',
			);
		}
		if (!tenant.teams.includes(name))
			throw new ApiError(400, 'UNKNOWN_TEAM', `Team "${name}" does not exist`);
		team = name;
	} else {
		if (user.role === 'globalAdmin')
			throw new ApiError(
				400,
				'NAME_REQUIRED',
				'A global admin must give the team name ("name") for a team webhook',
			);
		if (!user.team) throw new ApiError(400, 'NO_TEAM', 'User is not a member of a team');
		team = user.team;
	}
	/** @type {WebhookRecord} */
	const w = {
		id: crypto.randomBytes(12).toString('hex'),
		creator: user.username,
		createDate: new Date().toISOString(),
		type,
		name: team,
		callbackUrl,
		hmacSecret: nonEmpty(hmacSecret) ? hmacSecret : null,
		tenant: tenant.id,
		team,
	};
	sim.webhooks.push(w);
	return { status: 200, json: sim.publicWebhook(w) };
}

/** @param {RouteContext} ctx */
function listWebhooks({ sim, url }) {
	const user = sim.authenticate(url);
	sim.requireWebhookManager(user);
	const results = sim.webhooks
		.filter(
			(w) =>
				w.tenant === user.tenant &&
				(user.role === 'globalAdmin' || (w.type === 'team' && w.team === user.team)),
		)
		.map((w) => sim.publicWebhook(w));
	return { status: 200, json: sim.variants.readResponse === 'bare' ? results : { results } };
}

/** @param {RouteContext} ctx */
function deleteWebhook({ sim, url, params }) {
	const user = sim.authenticate(url);
	sim.requireWebhookManager(user);
	const w = sim.webhooks.find((x) => x.id === params.id && x.tenant === user.tenant);
	if (!w) throw new ApiError(404, 'WEBHOOK_NOT_FOUND', 'Webhook not found');
	if (user.role !== 'globalAdmin' && !(w.type === 'team' && w.team === user.team)) {
		throw new ApiError(
			403,
			'WEBHOOK_FORBIDDEN',
			"Team admins can delete only their own team's webhooks",
		);
	}
	sim.webhooks = sim.webhooks.filter((x) => x !== w);
	return { status: 200, json: {} };
}

/** @type {Route[]} */
const routes = [
	['POST', '/webhooks', createWebhook],
	['GET', '/webhooks', listWebhooks],
	['DELETE', '/webhooks/:id', deleteWebhook],
];

module.exports = { routes };
