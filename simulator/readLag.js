// @ts-check
'use strict';

/**
 * The `readLagMs` variant: reads that lag writes, as when a tenant answers reads from a search
 * index that refreshes after writes ([assumed] of Circularo: its search is an Elasticsearch
 * query). With a lag of L ms, `GET /documents/:id` and `POST /search` answer each document as it
 * was L ms ago: its state, history, `_version` and `pdfFile.content` (the previous file's hash,
 * which still downloads the previous bytes); a document deleted less than L ms ago is still found.
 * Writes, shares, downloads by hash and the control interface see the present.
 *
 * How: every change a document records (documents.js `recordChange`) is kept as a snapshot of its
 * API view with the time; a document the simulator had before any change was seen (seeded, made
 * through the control interface, created with the lag off) is kept as it is at the next API call,
 * as if it had always been so. A document younger than the lag answers its first snapshot.
 */

const { documentView, onDocumentChange } = require('./documents');

/** Snapshots kept per document beyond those still inside the lag. */
const KEEP_SETTLED = 1;

/**
 * @typedef {import('./seed').DocumentRecord} DocumentRecord
 * @typedef {import('./state').SimulatorState} State
 * @typedef {{ at: number, deleted: boolean, view: ReturnType<typeof documentView> }} Snapshot
 * @typedef {{ doc: DocumentRecord, snapshots: Snapshot[] }} History
 */

/** Per simulator: its documents' snapshots, by document id. @type {WeakMap<State, Map<string, History>>} */
const histories = new WeakMap();
/** Simulators that have had a lag (weakly held: tests start many). @type {Set<WeakRef<State>>} */
const lagging = new Set();

/** @param {State} sim */
const lagOf = (sim) => Number(sim.variants.readLagMs ?? 0);

/** @param {State} sim */
function historiesOf(sim) {
	let map = histories.get(sim);
	if (!map) {
		map = new Map();
		histories.set(sim, map);
		lagging.add(new WeakRef(sim));
	}
	return map;
}

/**
 * @param {State} sim
 * @param {DocumentRecord} doc
 * @param {number} at
 */
function snapshot(sim, doc, at) {
	const map = historiesOf(sim);
	let history = map.get(doc.documentId);
	if (!history || history.doc !== doc) {
		history = { doc, snapshots: [] };
		map.set(doc.documentId, history);
	}
	const view = structuredClone(documentView(sim, doc));
	history.snapshots.push({
		at,
		deleted: Boolean(doc.deleted) || !sim.documents.has(doc.documentId),
		view,
	});
	// Older snapshots than the newest one outside the lag are never answered again.
	const cutoff = Date.now() - lagOf(sim);
	const settled = history.snapshots.filter((s) => s.at <= cutoff).length;
	if (settled > KEEP_SETTLED) history.snapshots.splice(0, settled - KEEP_SETTLED);
}

onDocumentChange((doc) => {
	for (const ref of lagging) {
		const sim = ref.deref();
		if (!sim) {
			lagging.delete(ref);
			continue;
		}
		if (lagOf(sim) <= 0) continue;
		const known = histories.get(sim)?.get(doc.documentId)?.doc === doc;
		if (known || sim.documents.get(doc.documentId) === doc) snapshot(sim, doc, Date.now());
	}
});

/**
 * Before each API call: documents not yet seen are kept as they are now, as if always so.
 * @param {State} sim
 */
function noteDocuments(sim) {
	if (lagOf(sim) <= 0) return;
	const map = historiesOf(sim);
	for (const doc of sim.documents.values())
		if (map.get(doc.documentId)?.doc !== doc) snapshot(sim, doc, 0);
}

/** Forgets every snapshot (on reset, or when the lag changes). @param {State} sim */
function forgetSnapshots(sim) {
	histories.get(sim)?.clear();
}

/**
 * A document as a lagging read sees it: `undefined` without a lag or a snapshot (read the
 * present), else its record and the view L ms ago (`deleted`: it was gone then too).
 * @param {State} sim
 * @param {string} documentId
 * @returns {{ doc: DocumentRecord, view: Snapshot['view'], deleted: boolean } | undefined}
 */
function laggedDocument(sim, documentId) {
	const lag = lagOf(sim);
	if (lag <= 0) return undefined;
	const history = histories.get(sim)?.get(documentId);
	if (!history || history.snapshots.length === 0) return undefined;
	const cutoff = Date.now() - lag;
	let seen = history.snapshots[0];
	for (const s of history.snapshots) if (s.at <= cutoff) seen = s;
	return { doc: history.doc, view: structuredClone(seen.view), deleted: seen.deleted };
}

/**
 * The documents a search looks at with their views: the present without a lag, else each as it
 * was L ms ago (including those deleted since).
 * @param {State} sim
 * @returns {Array<{ doc: DocumentRecord, deleted: boolean, view: () => Snapshot['view'] }>}
 */
function searchableDocuments(sim) {
	if (lagOf(sim) <= 0)
		return [...sim.documents.values()].map((doc) => ({
			doc,
			deleted: doc.deleted,
			view: () => documentView(sim, doc),
		}));
	const ids = new Set([...sim.documents.keys(), ...(histories.get(sim)?.keys() ?? [])]);
	/** @type {Array<{ doc: DocumentRecord, deleted: boolean, view: () => Snapshot['view'] }>} */
	const found = [];
	for (const id of ids) {
		const lagged = laggedDocument(sim, id);
		const doc = lagged?.doc ?? sim.documents.get(id);
		if (!doc) continue;
		found.push(
			lagged
				? { doc, deleted: lagged.deleted, view: () => lagged.view }
				: { doc, deleted: doc.deleted, view: () => documentView(sim, doc) },
		);
	}
	return found;
}

module.exports = { noteDocuments, forgetSnapshots, laggedDocument, searchableDocuments };
