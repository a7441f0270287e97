// @ts-check
'use strict';

const { api, request, useSimulator, createWebhook, createDocument } = require('./helpers');

/** @type {import('./helpers').Simulator} */
let sim;
/** @type {import('./helpers').Receiver} */
let rx;

useSimulator((s, r) => ((sim = s), (rx = r)), { receiver: true });

/**
 * @param {Array<{ id: string, version?: number }>} documents
 * @param {string} [hardDelete] the query value, or undefined to leave it out
 * @param {string} [key]
 */
function del(documents, hardDelete, key = sim.keys.teamAdmin) {
	return api(
		sim,
		'DELETE',
		`/documents${hardDelete === undefined ? '' : `?hardDelete=${hardDelete}`}`,
		key,
		{ documents },
	);
}

/** @param {string} id */
const version = async (id) =>
	(await api(sim, 'GET', `/documents/${id}`, sim.keys.teamAdmin)).json.results[0]._version;

test('to the trash (default and hardDelete=false): { errors: false, count, items: [] }; GET 404, search skips it; documentDeleted delivered', async () => {
	await createWebhook(sim, sim.keys.teamAdmin, {
		type: 'team',
		callbackUrl: rx.url,
		hmacSecret: 's',
	});
	const a = await createDocument(sim, sim.keys.teamAdmin, { title: 'A' });
	const b = await createDocument(sim, sim.keys.teamAdmin, { title: 'B' });
	const r = await del([{ id: a.documentId }], 'false');
	expect(r.status).toBe(200);
	expect(r.json).toEqual({ errors: false, count: 1, items: [] });
	expect((await del([{ id: b.documentId }])).json.count).toBe(1);
	for (const d of [a, b])
		expect((await api(sim, 'GET', `/documents/${d.documentId}`, sim.keys.teamAdmin)).status).toBe(
			404,
		);
	const found = await api(sim, 'POST', '/search', sim.keys.teamAdmin, {
		query: { match: { documentTitle: 'A B' } },
	});
	expect(found.json.total).toBe(0);
	expect(sim.getDocument(a.documentId)).toMatchObject({ deleted: true });
	await sim.settled();
	const events = rx.requests.map((q) => JSON.parse(q.body.toString()));
	expect(events.filter((e) => e.event === 'documentDeleted').map((e) => e.documentId)).toEqual([
		a.documentId,
		b.documentId,
	]);
	// trashing again: it is gone from the live set
	expect((await del([{ id: a.documentId }])).status).toBe(404);
});

test('hardDelete=true removes a live or trashed document for good', async () => {
	const a = await createDocument(sim, sim.keys.teamAdmin);
	await del([{ id: a.documentId }]);
	expect((await del([{ id: a.documentId }], 'true')).json).toEqual({
		errors: false,
		count: 1,
		items: [],
	});
	expect(sim.getDocument(a.documentId)).toBeUndefined();
	expect((await del([{ id: 'doc-sales-1' }, { id: 'doc-sales-2' }], 'true')).json.count).toBe(2);
	expect(sim.getDocument('doc-sales-1')).toBeUndefined();
});

test('version: the current one deletes; a stale one answers 409 "Version mismatch" and deletes nothing', async () => {
	const a = await createDocument(sim, sim.keys.teamAdmin);
	const v = await version(a.documentId);
	const stale = await del([{ id: 'doc-sales-2' }, { id: a.documentId, version: v - 1 }]);
	expect(stale.status).toBe(409);
	expect(stale.json.error).toMatchObject({
		code: 'VERSION_MISMATCH',
		message: 'Version mismatch',
		documentId: a.documentId,
	});
	expect(sim.getDocument('doc-sales-2')).toMatchObject({ deleted: false });
	expect((await del([{ id: a.documentId, version: v }])).json.count).toBe(1);
});

test('_version grows on every change, so a version read before a share is stale after it', async () => {
	const a = await createDocument(sim, sim.keys.teamAdmin);
	const before = await version(a.documentId);
	const shared = await api(sim, 'POST', '/share', sim.keys.teamAdmin, {
		id: a.documentId,
		type: 'd_default',
		data: [{ sharePurpose: 'sign', shareTo: 'x@example.com' }],
	});
	expect(shared.status).toBe(200);
	expect(await version(a.documentId)).toBe(before + 1);
	expect((await del([{ id: a.documentId, version: before }])).status).toBe(409);
});

test('failNextDelete: the next call answers 200 with errors: true and per-item detail, deletes nothing; the one after works', async () => {
	sim.failNextDelete('disk on fire');
	const r = await del([{ id: 'doc-sales-1' }, { id: 'doc-sales-2' }]);
	expect(r.status).toBe(200);
	expect(r.json).toEqual({
		errors: true,
		count: 0,
		items: [
			{ id: 'doc-sales-1', status: 500, error: { code: 'DELETE_FAILED', message: 'disk on fire' } },
			{ id: 'doc-sales-2', status: 500, error: { code: 'DELETE_FAILED', message: 'disk on fire' } },
		],
	});
	expect(sim.getDocument('doc-sales-1')).toMatchObject({ deleted: false });
	expect((await del([{ id: 'doc-sales-1' }])).json.errors).toBe(false);
	// the same over the control API
	expect(
		(await request(`${sim.baseUrl}/_sim/fail-next-delete`, { method: 'POST', body: {} })).status,
	).toBe(200);
	expect((await del([{ id: 'doc-sales-2' }])).json).toMatchObject({
		errors: true,
		items: [{ id: 'doc-sales-2' }],
	});
});

test('refusals: empty or malformed list 400, bad hardDelete 400, unknown 404, another team 403, no token 401', async () => {
	/** @param {import('./helpers').HttpResult} r */
	const code = (r) => [r.status, r.json.error.code];
	expect(code(await del([]))).toEqual([400, 'INVALID_BODY']);
	expect(code(await api(sim, 'DELETE', '/documents', sim.keys.teamAdmin))).toEqual([
		400,
		'INVALID_BODY',
	]);
	expect(code(await del([{ id: 'doc-sales-1', version: /** @type {any} */ ('7') }]))).toEqual([
		400,
		'INVALID_BODY',
	]);
	expect(code(await del([{ id: 'doc-sales-1' }, { id: 'doc-sales-1' }]))).toEqual([
		400,
		'INVALID_BODY',
	]);
	expect(code(await del(Array.from({ length: 101 }, (_, i) => ({ id: `d${i}` }))))).toEqual([
		400,
		'TOO_MANY_DOCUMENTS',
	]);
	expect(code(await del([{ id: 'doc-sales-1' }], 'yes'))).toEqual([400, 'INVALID_HARD_DELETE']);
	expect(code(await del([{ id: 'doc-nope' }]))).toEqual([404, 'DOCUMENT_NOT_FOUND']);
	expect(code(await del([{ id: 'doc-legal-1' }]))).toEqual([403, 'DOCUMENT_FORBIDDEN']);
	expect((await del([{ id: 'doc-sales-1' }], undefined, '')).status).toBe(401);
	expect(sim.getDocument('doc-sales-1')).toMatchObject({ deleted: false });
});
