// @ts-check
'use strict';

/**
 * Route: `POST /search` with an Elasticsearch query over the documents the caller may see.
 * Supported: match_all, match (operator or/and), match_phrase, wildcard, prefix, term, terms,
 * range (gt/gte/lt/lte on dates or numbers), exists, bool (must/filter/should/must_not) and
 * nested. As in Elasticsearch, fields of the nested object `workflow` only match inside a
 * `nested` query with `path: "workflow"`.
 */

const { ApiError, isObject } = require('../http');
const { searchableDocuments } = require('../readLag');

const NESTED_PATHS = ['workflow'];
const DEFAULT_SIZE = 10;
const MAX_SIZE = 1000;
const QUERY_TYPES = [
	'match_all',
	'match',
	'match_phrase',
	'wildcard',
	'prefix',
	'term',
	'terms',
	'range',
	'exists',
	'bool',
	'nested',
];

/** @typedef {import('./types').RouteContext} RouteContext @typedef {import('./types').Route} Route */

/** @param {string} why */
const invalid = (why) => new ApiError(400, 'INVALID_QUERY', why);

/** @param {unknown} v @returns {string[]} */
const tokens = (v) =>
	String(v)
		.toLowerCase()
		.match(/[\p{L}\p{N}]+/gu) ?? [];

/**
 * The values of a dotted field of a document view (arrays flattened); none when the field sits
 * in a nested object the query is not scoped to.
 * @param {Record<string, any>} view
 * @param {string} field
 * @param {string | null} scope
 * @returns {unknown[]}
 */
function values(view, field, scope) {
	const nested = NESTED_PATHS.find((p) => field.startsWith(p + '.'));
	if (nested !== undefined && nested !== scope) return [];
	/** @type {any} */
	let v = view;
	for (const key of field.split('.')) v = v === null || v === undefined ? undefined : v[key];
	return (Array.isArray(v) ? v : [v]).filter((x) => x !== undefined && x !== null);
}

/**
 * The single `{ field: spec }` of a leaf query.
 * @param {string} type
 * @param {unknown} spec
 * @returns {[string, any]}
 */
function fieldSpec(type, spec) {
	if (!isObject(spec) || Object.keys(spec).length !== 1)
		throw invalid(`${type} takes exactly one field: { "${type}": { "<field>": ... } }`);
	return /** @type {[string, any]} */ (Object.entries(spec)[0]);
}

/**
 * An Elasticsearch wildcard pattern (`*`, `?`) as a case-insensitive regular expression.
 * @param {string} pattern
 */
function wildcardRegex(pattern) {
	const source = String(pattern)
		.replace(/[.+^${}()|[\]\\]/g, '\\$&')
		.replace(/\*/g, '.*')
		.replace(/\?/g, '.');
	return new RegExp(`^${source}$`, 'is');
}

/**
 * A range bound as a comparable number (dates as epoch ms).
 * @param {unknown} v
 */
function comparable(v) {
	if (typeof v === 'number') return v;
	const t = Date.parse(String(v));
	if (Number.isNaN(t))
		throw invalid(`range bound ${JSON.stringify(v)} is neither a number nor a date`);
	return t;
}

/** @param {unknown} clause @returns {unknown[]} */
const clauses = (clause) => (clause === undefined ? [] : Array.isArray(clause) ? clause : [clause]);

/**
 * Does a document view match a query clause?
 * @param {unknown} query
 * @param {Record<string, any>} view
 * @param {string | null} scope the path of the enclosing nested query
 * @returns {boolean}
 */
function matches(query, view, scope) {
	if (!isObject(query) || Object.keys(query).length !== 1)
		throw invalid('each query clause is an object with exactly one key, e.g. { "match": { ... } }');
	const [type, spec] = Object.entries(query)[0];
	switch (type) {
		case 'match_all':
			return true;
		case 'bool': {
			if (!isObject(spec)) throw invalid('bool takes an object of must, filter, should, must_not');
			const all = [...clauses(spec.must), ...clauses(spec.filter)];
			const should = clauses(spec.should);
			const minimum = spec.minimum_should_match ?? (all.length === 0 && should.length > 0 ? 1 : 0);
			return (
				all.every((q) => matches(q, view, scope)) &&
				!clauses(spec.must_not).some((q) => matches(q, view, scope)) &&
				should.filter((q) => matches(q, view, scope)).length >= minimum
			);
		}
		case 'nested': {
			if (!isObject(spec) || !NESTED_PATHS.includes(spec.path))
				throw invalid(`nested needs a path (${NESTED_PATHS.join(', ')}) and a query`);
			return matches(spec.query, view, spec.path);
		}
		case 'exists': {
			if (!isObject(spec) || typeof spec.field !== 'string')
				throw invalid('exists takes { "field": "<name>" }');
			return values(view, spec.field, scope).length > 0;
		}
		default:
			return matchesField(type, spec, view, scope);
	}
}

/**
 * The leaf queries, on one field.
 * @param {string} type
 * @param {unknown} spec
 * @param {Record<string, any>} view
 * @param {string | null} scope
 */
function matchesField(type, spec, view, scope) {
	if (!QUERY_TYPES.includes(type))
		throw new ApiError(
			400,
			'UNSUPPORTED_QUERY',
			`query type "${type}" is not supported (supported: ${QUERY_TYPES.join(', ')})`,
		);
	const [field, arg] = fieldSpec(type, spec);
	const vals = values(view, field, scope);
	switch (type) {
		case 'match': {
			const wanted = tokens(isObject(arg) ? arg.query : arg);
			const and = isObject(arg) && String(arg.operator ?? 'or').toLowerCase() === 'and';
			const have = new Set(vals.flatMap(tokens));
			return (
				wanted.length > 0 &&
				(and ? wanted.every((t) => have.has(t)) : wanted.some((t) => have.has(t)))
			);
		}
		case 'match_phrase': {
			const phrase = tokens(isObject(arg) ? arg.query : arg).join(' ');
			return phrase !== '' && vals.some((v) => ` ${tokens(v).join(' ')} `.includes(` ${phrase} `));
		}
		case 'wildcard':
		case 'prefix': {
			const raw = isObject(arg) ? (arg.value ?? arg.wildcard) : arg;
			if (typeof raw !== 'string') throw invalid(`${type} needs a string value`);
			const re = wildcardRegex(type === 'prefix' ? raw + '*' : raw);
			return vals.some((v) => re.test(String(v)) || tokens(v).some((t) => re.test(t)));
		}
		case 'term':
			return vals.some((v) => v === (isObject(arg) ? arg.value : arg));
		case 'terms':
			if (!Array.isArray(arg)) throw invalid('terms takes { "<field>": [values] }');
			return vals.some((v) => arg.includes(v));
		default: {
			// range
			if (!isObject(arg))
				throw invalid('range takes { "<field>": { "gte" | "gt" | "lte" | "lt": value } }');
			return vals.some((v) => {
				const x = comparable(v);
				return (
					(arg.gte === undefined || x >= comparable(arg.gte)) &&
					(arg.gt === undefined || x > comparable(arg.gt)) &&
					(arg.lte === undefined || x <= comparable(arg.lte)) &&
					(arg.lt === undefined || x < comparable(arg.lt))
				);
			});
		}
	}
}

/**
 * The sort as [field, direction] pairs (default: newest first), ties broken by documentId.
 * @param {unknown} sort
 * @returns {Array<[string, 1 | -1]>}
 */
function sortKeys(sort) {
	if (sort === undefined)
		return [
			['createDate', -1],
			['documentId', 1],
		];
	/** @type {Array<[string, 1 | -1]>} */
	const keys = clauses(sort).map((s) => {
		if (typeof s === 'string') return [s, 1];
		if (!isObject(s) || Object.keys(s).length !== 1)
			throw invalid('sort entries are "<field>" or { "<field>": "asc" | "desc" }');
		const [field, o] = Object.entries(s)[0];
		const order = String(isObject(o) ? o.order : o).toLowerCase();
		if (order !== 'asc' && order !== 'desc')
			throw invalid(`sort order of ${field} must be "asc" or "desc"`);
		return [field, order === 'asc' ? 1 : -1];
	});
	return [...keys, ['documentId', 1]];
}

/**
 * @param {unknown} v
 * @param {string} name
 * @param {number} fallback
 * @param {number} max
 */
function paging(v, name, fallback, max) {
	if (v === undefined) return fallback;
	if (!Number.isInteger(v) || /** @type {number} */ (v) < 0 || /** @type {number} */ (v) > max)
		throw invalid(`${name} must be an integer from 0 to ${max}`);
	return /** @type {number} */ (v);
}

/** @param {RouteContext} ctx */
function search({ sim, url, body }) {
	const user = sim.authenticate(url);
	if (body !== undefined && !isObject(body))
		throw new ApiError(400, 'INVALID_BODY', 'Expected { query, from, size, sort }');
	const b = body ?? {};
	const from = paging(b.from, 'from', 0, 100_000);
	const size = paging(b.size, 'size', DEFAULT_SIZE, MAX_SIZE);
	const query = b.query ?? { match_all: {} };
	const keys = sortKeys(b.sort);
	let hits = searchableDocuments(sim)
		.filter(
			({ doc: d, deleted }) =>
				d.tenant === user.tenant &&
				!deleted &&
				(user.role === 'globalAdmin' || d.team === user.team),
		)
		.map((found) => found.view())
		.filter((view) => matches(query, view, null));
	// Each hit's sort values are read once, not in every comparison (searches page through
	// thousands of documents).
	const keyed = hits.map((view) => ({
		view,
		key: keys.map(([field]) => values(view, field, field.split('.')[0])[0]),
	}));
	keyed.sort((a, b2) => {
		for (const [i, [, dir]] of keys.entries()) {
			const x = a.key[i];
			const y = b2.key[i];
			if (x === y) continue;
			if (x === undefined) return 1;
			if (y === undefined) return -1;
			return (
				(typeof x === 'number' && typeof y === 'number'
					? x - y
					: String(x).localeCompare(String(y))) * dir
			);
		}
		return 0;
	});
	hits = keyed.map((k) => k.view);
	const results = hits.slice(from, from + size);
	const total = hits.length;
	/** @type {Record<string, unknown>} */
	const json = { results };
	if (sim.variants.searchTotal === 'total') json.total = total;
	if (sim.variants.searchTotal === 'hitsTotal')
		json.hits = { total: { value: total, relation: 'eq' } };
	return { status: 200, json };
}

/** @type {Route[]} */
const routes = [['POST', '/search', search]];

module.exports = { routes };
