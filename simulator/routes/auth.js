// @ts-check
'use strict';

/** Routes: `POST /login` and API keys (`/api/key`). */

const crypto = require('node:crypto');
const { ApiError, isObject } = require('../http');
const { SEED_PASSWORD } = require('../seed');

const TEN_YEARS_MS = 10 * 365.25 * 24 * 3600 * 1000;

/** @typedef {import('./types').RouteContext} RouteContext @typedef {import('./types').Route} Route */

/** @param {RouteContext} ctx */
function login({ sim, body }) {
	if (!isObject(body))
		throw new ApiError(
			400,
			'INVALID_BODY',
			'Expected a JSON object { name, password, returnToken: true }',
		);
	if (typeof body.name !== 'string' || typeof body.password !== 'string') {
		throw new ApiError(400, 'INVALID_BODY', '"name" and "password" are required strings');
	}
	const user = [...sim.users.values()].find(
		(u) =>
			(u.username === body.name || u.email === body.name) &&
			(body.tenant === undefined || body.tenant === u.tenant),
	);
	const ok =
		user &&
		crypto.timingSafeEqual(
			crypto.createHash('sha256').update(body.password).digest(),
			crypto.createHash('sha256').update(SEED_PASSWORD).digest(),
		);
	if (!user || !ok) throw new ApiError(401, 'LOGIN_FAILED', 'Invalid name or password');
	if (body.returnToken !== true) {
		throw new ApiError(
			400,
			'RETURN_TOKEN_REQUIRED',
			'Set "returnToken": true (cookie sessions are not simulated)',
		);
	}
	const token = 'sess_' + crypto.randomBytes(24).toString('hex');
	const createDate = new Date();
	const expiresAt = createDate.getTime() + sim.options.sessionTtlMs;
	sim.tokens.set(token, {
		userId: user.id,
		kind: 'session',
		name: null,
		createDate: createDate.toISOString(),
		expiresAt,
	});
	return {
		status: 200,
		json: {
			token,
			expirationDate: new Date(expiresAt).toISOString(),
			tenant: user.tenant,
			user: { id: user.id, name: user.name, username: user.username, email: user.email },
		},
	};
}

/** @param {RouteContext} ctx */
function createKey({ sim, url, body }) {
	const user = sim.authenticate(url);
	const name = isObject(body) && typeof body.name === 'string' ? body.name : null;
	const id = 'key_' + crypto.randomBytes(20).toString('hex');
	const createDate = new Date();
	const expiresAt = createDate.getTime() + TEN_YEARS_MS;
	sim.tokens.set(id, {
		userId: user.id,
		kind: 'apiKey',
		name,
		createDate: createDate.toISOString(),
		expiresAt,
	});
	return {
		status: 200,
		json: {
			id,
			name,
			createDate: createDate.toISOString(),
			expirationDate: new Date(expiresAt).toISOString(),
		},
	};
}

/** @param {RouteContext} ctx */
function listKeys({ sim, url }) {
	const user = sim.authenticate(url);
	const results = [...sim.tokens.entries()]
		.filter(([, t]) => t.userId === user.id && t.kind === 'apiKey')
		.map(([id, t]) => ({
			id,
			name: t.name,
			createDate: t.createDate,
			expirationDate: new Date(t.expiresAt).toISOString(),
		}));
	return { status: 200, json: { results } };
}

/** @param {RouteContext} ctx */
function deleteKey({ sim, url, params }) {
	const user = sim.authenticate(url);
	const rec = sim.tokens.get(params.key);
	if (!rec || rec.kind !== 'apiKey' || rec.userId !== user.id)
		throw new ApiError(404, 'KEY_NOT_FOUND', 'API key not found');
	sim.tokens.delete(params.key);
	return { status: 200, json: {} };
}

/** @type {Route[]} */
const routes = [
	['POST', '/login', login],
	['POST', '/api/key', createKey],
	['GET', '/api/key', listKeys],
	['DELETE', '/api/key/:key', deleteKey],
];

module.exports = { routes };
