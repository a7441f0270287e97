// @ts-check
'use strict';

const { buildPdf } = require('../../simulator');
const { api, checkPdf, useSimulator, loadFile } = require('./helpers');

/** @type {import('./helpers').Simulator} */
let sim;

useSimulator((s) => (sim = s));

test('buildPdf produces a structurally valid PDF containing the title, with ( ) \\ escaped', () => {
	const s = checkPdf(buildPdf({ title: 'Contract (v2) \\ final', lines: ['line one'] }));
	expect(s).toContain('(Contract \\(v2\\) \\\\ final) Tj');
	expect(s).toContain('(line one) Tj');
});

test('GET /documents/:id -> documented shape; the hash loads a valid PDF with the title', async () => {
	const r = await api(sim, 'GET', '/documents/doc-sales-1', sim.keys.teamAdmin);
	expect(r.status).toBe(200);
	expect(r.json.results).toHaveLength(1);
	const doc = r.json.results[0];
	expect(doc).toMatchObject({
		documentId: 'doc-sales-1',
		documentTitle: 'Sales contract 2026-001',
		documentType: expect.any(String),
		pdfFile: { content: expect.stringMatching(/^[0-9a-f]{64}$/) },
		workflow: { shareStateName: 'inprogress' },
	});
	const f = await loadFile(sim, doc.pdfFile.content, sim.keys.teamAdmin);
	expect(f.status).toBe(200);
	expect(f.headers['content-type']).toBe('application/pdf');
	expect(Number(f.headers['content-length'])).toBe(f.buffer.length);
	expect(checkPdf(f.buffer)).toContain('(Sales contract 2026-001) Tj');
});

test('documentCompleted changes the state and the PDF (new hash); the old hash still loads', async () => {
	const before = (await api(sim, 'GET', '/documents/doc-sales-1', sim.keys.globalAdmin)).json
		.results[0];
	await sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-1' });
	const after = (await api(sim, 'GET', '/documents/doc-sales-1', sim.keys.globalAdmin)).json
		.results[0];
	expect(after.workflow.shareStateName).toBe('completed');
	expect(after.pdfFile.content).not.toBe(before.pdfFile.content);
	const pdf = await loadFile(sim, after.pdfFile.content, sim.keys.globalAdmin);
	expect(checkPdf(pdf.buffer)).toContain('(State: completed) Tj');
	expect((await loadFile(sim, before.pdfFile.content, sim.keys.globalAdmin)).status).toBe(200);
});

test.each([
	['signRejected', 'rejected'],
	['signExpired', 'expired'],
	['signCancelled', 'cancelled'],
])('%s sets shareStateName %s', async (event, state) => {
	await sim.fire({ event, documentId: 'doc-legal-1' });
	expect(
		(await api(sim, 'GET', '/documents/doc-legal-1', sim.keys.globalAdmin)).json.results[0].workflow
			.shareStateName,
	).toBe(state);
});

test('audit trail is a valid PDF listing the fired events', async () => {
	await sim.fire({ event: 'signRequest', documentId: 'doc-sales-1' });
	await sim.fire({
		event: 'documentSigned',
		documentId: 'doc-sales-1',
		actor: 'sales.admin@acme.test',
	});
	const r = await api(sim, 'GET', '/documents/doc-sales-1/audit', sim.keys.teamAdmin);
	expect(r.status).toBe(200);
	expect(r.headers['content-type']).toBe('application/pdf');
	const s = checkPdf(r.buffer);
	expect(s).toMatch(/signRequest/);
	expect(s).toMatch(/documentSigned +by sales\.admin@acme\.test/);
});

test('access: other team 403, other tenant 404, unknown 404, deleted 404, unknown hash 404, no token 401', async () => {
	const hash = (await api(sim, 'GET', '/documents/doc-sales-1', sim.keys.teamAdmin)).json.results[0]
		.pdfFile.content;
	const legal = await api(sim, 'GET', '/documents/doc-sales-1', sim.keys.otherTeamAdmin);
	expect(legal.status).toBe(403);
	expect(legal.json.error.code).toBe('DOCUMENT_FORBIDDEN');
	expect((await loadFile(sim, hash, sim.keys.otherTeamAdmin)).status).toBe(403);
	expect(
		(await api(sim, 'GET', '/documents/doc-sales-1/audit', sim.keys.otherTeamAdmin)).status,
	).toBe(403);
	expect((await api(sim, 'GET', '/documents/doc-sales-1', sim.keys.otherTenantAdmin)).status).toBe(
		404,
	);
	expect((await loadFile(sim, hash, sim.keys.otherTenantAdmin)).status).toBe(404);
	expect((await api(sim, 'GET', '/documents/doc-nope', sim.keys.globalAdmin)).json.error.code).toBe(
		'DOCUMENT_NOT_FOUND',
	);
	expect((await loadFile(sim, '0'.repeat(64), sim.keys.globalAdmin)).status).toBe(404);
	expect((await api(sim, 'GET', '/documents/doc-sales-1', null)).status).toBe(401);
	expect((await api(sim, 'GET', '/documents/doc-sales-1', sim.keys.plainUser)).status).toBe(200);
	await sim.fire({ event: 'documentDeleted', documentId: 'doc-sales-1' });
	expect((await api(sim, 'GET', '/documents/doc-sales-1', sim.keys.globalAdmin)).status).toBe(404);
});

test('createDocument: visible to its team, reset removes it', async () => {
	const d = sim.createDocument({ title: 'Fresh contract', team: 'Legal' });
	expect(d).toMatchObject({ documentTitle: 'Fresh contract', team: 'Legal', tenant: 'acme' });
	const r = await api(sim, 'GET', `/documents/${d.documentId}`, sim.keys.otherTeamAdmin);
	expect(r.status).toBe(200);
	expect(r.json.results[0].documentTitle).toBe('Fresh contract');
	expect(() => sim.createDocument({ team: 'Marketing' })).toThrow(/does not exist/);
	sim.reset();
	expect(sim.getDocument(d.documentId)).toBeUndefined();
});

test('createDocument: in progress by default; shareStateName null is a document never shared', async () => {
	const shared = sim.createDocument({ title: 'Shared' });
	const fresh = sim.createDocument({ title: 'Fresh', shareStateName: null });
	expect(sim.getDocument(shared.documentId)).toMatchObject({ shareStateName: 'inprogress' });
	expect(sim.getDocument(fresh.documentId)).toMatchObject({ shareStateName: null });
	const r = await api(sim, 'GET', `/documents/${fresh.documentId}`, sim.keys.teamAdmin);
	expect(r.json.results[0].workflow.shareStateName).toBeNull();
});
