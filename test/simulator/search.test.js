// @ts-check
'use strict';

const { api, useSimulator } = require('./helpers');

/** @type {import('./helpers').Simulator} */
let sim;

useSimulator((s) => (sim = s));
beforeEach(() => {
	sim.createDocument({
		documentId: 'doc-q1',
		title: 'Quarterly sales report Q1',
		shareStateName: 'completed',
	});
	sim.createDocument({ documentId: 'doc-q2', title: 'Quarterly sales report Q2' });
	sim.createDocument({
		documentId: 'doc-lease',
		title: 'Office lease',
		team: 'Legal',
		shareStateName: 'rejected',
	});
});

/**
 * POST /search as a user; returns the ids found and the whole answer.
 * @param {Record<string, unknown>} body
 * @param {string} [key]
 */
async function search(body, key = sim.keys.globalAdmin) {
	const r = await api(sim, 'POST', '/search', key, body);
	if (r.status !== 200) throw new Error(`search: ${r.status} ${r.text}`);
	return { ids: r.json.results.map((/** @type {any} */ d) => d.documentId), json: r.json };
}

/** @param {string[]} states */
const inState = (states) => ({
	nested: { path: 'workflow', query: { terms: { 'workflow.shareStateName': states } } },
});

test('no query: every visible document, newest first, with total; results have the GET shape', async () => {
	const { ids, json } = await search({});
	expect(ids.slice(0, 3).sort()).toEqual(['doc-lease', 'doc-q1', 'doc-q2']); // created now, the seeded ones in January
	expect(new Set(ids)).toEqual(
		new Set(['doc-q1', 'doc-q2', 'doc-lease', 'doc-sales-1', 'doc-sales-2', 'doc-legal-1']),
	);
	expect(json.total).toBe(6);
	const one = json.results.find((/** @type {any} */ d) => d.documentId === 'doc-sales-1');
	const got = await api(sim, 'GET', '/documents/doc-sales-1', sim.keys.globalAdmin);
	expect(one).toEqual(got.json.results[0]);
});

test('only what the key may see: team admins their team, other tenants nothing of acme, trashed never', async () => {
	expect((await search({}, sim.keys.teamAdmin)).ids.sort()).toEqual([
		'doc-q1',
		'doc-q2',
		'doc-sales-1',
		'doc-sales-2',
	]);
	expect((await search({}, sim.keys.otherTenantAdmin)).ids).toEqual(['doc-initech-1']);
	await sim.fire({ event: 'documentDeleted', documentId: 'doc-q1' });
	expect((await search({}, sim.keys.teamAdmin)).ids).not.toContain('doc-q1');
	expect((await api(sim, 'POST', '/search', null, {})).status).toBe(401);
});

test('the documented status query: bool.must of range on createDate and nested terms on workflow.shareStateName', async () => {
	const recent = new Date(Date.now() - 3600_000).toISOString();
	const r = await search({
		query: {
			bool: {
				must: [{ range: { createDate: { gte: recent } } }, inState(['completed', 'rejected'])],
			},
		},
	});
	expect(r.ids.sort()).toEqual(['doc-lease', 'doc-q1']);
	const old = await search({
		query: {
			bool: {
				must: [
					{ range: { createDate: { lte: '2026-01-31T00:00:00.000Z' } } },
					inState(['completed']),
				],
			},
		},
	});
	expect(old.ids).toEqual(['doc-sales-2']);
});

test('workflow fields match only inside nested (as in Elasticsearch)', async () => {
	expect(
		(await search({ query: { terms: { 'workflow.shareStateName': ['completed'] } } })).ids,
	).toEqual([]);
	expect(
		(
			await search({
				query: {
					nested: { path: 'workflow', query: { term: { 'workflow.shareStateName': 'completed' } } },
				},
			})
		).ids.sort(),
	).toEqual(['doc-q1', 'doc-sales-2']);
});

test('title queries: match (or / and), match_phrase, wildcard (case-insensitive), prefix, on documentTitle or name', async () => {
	expect((await search({ query: { match: { documentTitle: 'lease memo' } } })).ids.sort()).toEqual([
		'doc-lease',
		'doc-legal-1',
	]);
	expect(
		(
			await search({
				query: { match: { documentTitle: { query: 'quarterly q2', operator: 'and' } } },
			})
		).ids,
	).toEqual(['doc-q2']);
	expect(
		(await search({ query: { match_phrase: { documentTitle: 'sales report' } } })).ids.sort(),
	).toEqual(['doc-q1', 'doc-q2']);
	expect(
		(await search({ query: { match_phrase: { documentTitle: 'report sales' } } })).ids,
	).toEqual([]);
	expect(
		(await search({ query: { wildcard: { documentTitle: { value: '*LEASE*' } } } })).ids,
	).toEqual(['doc-lease']);
	expect((await search({ query: { wildcard: { name: '*report q?' } } })).ids.sort()).toEqual([
		'doc-q1',
		'doc-q2',
	]);
	expect((await search({ query: { prefix: { documentTitle: 'quart' } } })).ids.sort()).toEqual([
		'doc-q1',
		'doc-q2',
	]);
});

test('bool: filter, should, must_not; exists; match_all', async () => {
	const q = {
		bool: { filter: { match: { documentTitle: 'quarterly' } }, must_not: [inState(['completed'])] },
	};
	expect((await search({ query: q })).ids).toEqual(['doc-q2']);
	const should = {
		bool: { should: [{ match: { documentTitle: 'lease' } }, { match: { documentTitle: 'NDA' } }] },
	};
	expect((await search({ query: should })).ids.sort()).toEqual(['doc-lease', 'doc-sales-2']);
	expect((await search({ query: { exists: { field: 'documentTitle' } } })).json.total).toBe(6);
	expect((await search({ query: { match_all: {} } })).json.total).toBe(6);
});

test('paging with from/size keeps the total; sort by title asc/desc', async () => {
	const sort = [{ documentTitle: 'asc' }];
	const all = (await search({ sort, size: 100 })).ids;
	expect(all).toEqual([
		'doc-legal-1',
		'doc-sales-2',
		'doc-lease',
		'doc-q1',
		'doc-q2',
		'doc-sales-1',
	]);
	const pages = [];
	for (let from = 0; from < 6; from += 4) pages.push(await search({ sort, from, size: 4 }));
	expect(pages.map((p) => p.ids.length)).toEqual([4, 2]);
	expect(pages.flatMap((p) => p.ids)).toEqual(all);
	expect(pages.map((p) => p.json.total)).toEqual([6, 6]);
	expect((await search({ sort: { documentTitle: { order: 'desc' } }, size: 1 })).ids).toEqual([
		'doc-sales-1',
	]);
	expect((await search({})).json.results).toHaveLength(6); // default size 10
});

test('variants: hits.total.value instead of total, or no total at all', async () => {
	sim.setVariants({ searchTotal: 'hitsTotal' });
	const h = (await search({ size: 1 })).json;
	expect(h).toEqual({
		results: [expect.any(Object)],
		hits: { total: { value: 6, relation: 'eq' } },
	});
	sim.setVariants({ searchTotal: 'none' });
	expect(Object.keys((await search({ size: 1 })).json)).toEqual(['results']);
});

test('refusals name the problem: unsupported query type, bad range bound, bad size, bad sort, not an object', async () => {
	/** @param {unknown} body */
	const err = async (body) => {
		const r = await api(sim, 'POST', '/search', sim.keys.globalAdmin, body);
		return [r.status, r.json.error.code, r.json.error.message];
	};
	expect(await err({ query: { fuzzy: { documentTitle: 'x' } } })).toEqual([
		400,
		'UNSUPPORTED_QUERY',
		expect.stringContaining('"fuzzy"'),
	]);
	expect(await err({ query: { range: { createDate: { gte: 'yesterday' } } } })).toEqual([
		400,
		'INVALID_QUERY',
		expect.stringContaining('yesterday'),
	]);
	expect(await err({ size: -1 })).toEqual([400, 'INVALID_QUERY', expect.stringContaining('size')]);
	expect(await err({ size: 5000 })).toEqual([
		400,
		'INVALID_QUERY',
		expect.stringContaining('size'),
	]);
	expect(await err({ sort: [{ documentTitle: 'up' }] })).toEqual([
		400,
		'INVALID_QUERY',
		expect.stringContaining('asc'),
	]);
	expect(await err({ query: { match: { a: 1 }, term: { b: 2 } } })).toEqual([
		400,
		'INVALID_QUERY',
		expect.any(String),
	]);
	expect(await err([1])).toEqual([400, 'INVALID_BODY', expect.any(String)]);
});
