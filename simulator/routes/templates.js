// @ts-check
'use strict';

/**
 * Routes: the tenant's signature templates. Assumed endpoints (Circularo's pages stop before
 * them): `GET /templates`, the list in `results[]`, and `GET /templates/:id`, one template as a
 * public client reads it (bare).
 */

const { ApiError } = require('../http');

/** @typedef {import('./types').RouteContext} RouteContext @typedef {import('./types').Route} Route */

/**
 * The template without where the simulator keeps it.
 * @param {import('../templates').TemplateRecord} t
 */
function templateView(t) {
	const { tenant: _tenant, ...view } = t;
	return view;
}

/** @param {RouteContext} ctx */
function listTemplates({ sim, url }) {
	const user = sim.authenticate(url);
	const results = [...sim.templates.values()]
		.filter((t) => t.tenant === user.tenant)
		.map((t) => ({ id: t.id, name: t.name, documentType: t.documentType, fields: t.fields }));
	return { status: 200, json: { results, total: results.length } };
}

/** @param {RouteContext} ctx */
function getTemplate({ sim, url, params }) {
	const user = sim.authenticate(url);
	const template = sim.templates.get(params.id);
	if (!template || template.tenant !== user.tenant)
		throw new ApiError(404, 'TEMPLATE_NOT_FOUND', `Template "${params.id}" not found`);
	return { status: 200, json: templateView(template) };
}

/** @type {Route[]} */
const routes = [
	['GET', '/templates', listTemplates],
	['GET', '/templates/:id', getTemplate],
];

module.exports = { routes };
