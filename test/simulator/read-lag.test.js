// @ts-check
'use strict';

/**
 * The readLagMs variant: GET /documents/:id and POST /search answer the previous state (state,
 * version, history and the previous PDF's hash, which still downloads the previous bytes) until
 * the lag has passed; writes and the control interface see the present.
 */

const { api, createDocument, loadFile, useSimulator } = require('./helpers');

/** @type {import('./helpers').Simulator} */
let sim;
useSimulator((s) => (sim = s));

const LAG_MS = 600;
const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/** @param {string} id */
async function read(id) {
	const r = await api(sim, 'GET', `/documents/${id}`, sim.keys.teamAdmin);
	return { status: r.status, doc: r.json.results?.[0] };
}

/** @param {string} id */
async function searched(id) {
	const r = await api(sim, 'POST', '/search', sim.keys.teamAdmin, {
		query: { term: { documentId: id } },
	});
	expect(r.status).toBe(200);
	return r.json.results[0];
}

/** A document of the team, shared with one signer, settled past the lag. */
async function sharedDocument() {
	const doc = await createDocument(sim, sim.keys.teamAdmin, { title: 'Lagging' });
	const shared = await api(sim, 'POST', '/share', sim.keys.teamAdmin, {
		id: doc.documentId,
		type: doc.documentType,
		objectType: 'document',
		data: [{ sharePurpose: 'sign', shareTo: 'signer@example.com' }],
	});
	expect(shared.status).toBe(200);
	await sleep(LAG_MS + 50);
	return doc.documentId;
}

test('without the variant, reads answer the present at once', async () => {
	expect(sim.variants.readLagMs).toBe(0);
	const id = await sharedDocument();
	await sim.sign({ documentId: id });
	expect((await read(id)).doc.workflow.shareStateName).toBe('completed');
});

test('a signature: reads answer in progress and the unsigned hash until the lag has passed', async () => {
	sim.setVariants({ readLagMs: LAG_MS });
	const id = await sharedDocument();
	const before = await read(id);
	expect(before.doc.workflow.shareStateName).toBe('inprogress');
	await sim.sign({ documentId: id });
	const present = /** @type {any} */ (sim.getDocument(id));
	expect(present.shareStateName).toBe('completed');

	const lagging = await read(id);
	expect(lagging.doc.workflow.shareStateName).toBe('inprogress');
	expect(lagging.doc._version).toBe(before.doc._version);
	expect(lagging.doc.pdfFile.content).toBe(before.doc.pdfFile.content);
	expect(lagging.doc.pdfFile.content).not.toBe(present.pdfHash);
	expect((await searched(id)).workflow.shareStateName).toBe('inprogress');
	// The previous hash still downloads the previous (unsigned) bytes.
	const unsigned = await loadFile(sim, lagging.doc.pdfFile.content, sim.keys.teamAdmin);
	expect(unsigned.status).toBe(200);
	expect(unsigned.text).not.toContain('Signed by');

	await sleep(LAG_MS + 50);
	const settled = await read(id);
	expect(settled.doc.workflow.shareStateName).toBe('completed');
	expect(settled.doc.pdfFile.content).toBe(present.pdfHash);
	expect((await searched(id)).workflow.shareStateName).toBe('completed');
});

test('a deletion: the document is still found until the lag has passed, then 404', async () => {
	sim.setVariants({ readLagMs: LAG_MS });
	const id = await sharedDocument();
	const del = await api(sim, 'DELETE', '/documents?hardDelete=true', sim.keys.teamAdmin, {
		documents: [{ id }],
	});
	expect(del.status).toBe(200);
	expect((await read(id)).doc.workflow.shareStateName).toBe('inprogress');
	expect(await searched(id)).toBeDefined();
	await sleep(LAG_MS + 50);
	expect((await read(id)).status).toBe(404);
	expect(await searched(id)).toBeUndefined();
});

test('readLagMs is checked: a whole number of milliseconds up to a minute', () => {
	expect(() => sim.setVariants({ readLagMs: -1 })).toThrow(/readLagMs/);
	expect(() => sim.setVariants({ readLagMs: 60_001 })).toThrow(/readLagMs/);
	expect(sim.setVariants({ readLagMs: /** @type {any} */ ('2500') }).readLagMs).toBe(2500);
});
