// @ts-check
'use strict';

/**
 * The document model: how a document looks in API answers, its PDF (the uploaded file, or a
 * generated page once signed), its audit trail, who it waits for, and how a change is recorded.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const { buildPdf } = require('./pdf');
const { inMemory } = require('./fileStore');

/**
 * @typedef {import('./seed').DocumentRecord} DocumentRecord
 * @typedef {import('./state').SimulatorState} State
 * @typedef {import('./state').Actor} Actor
 * @typedef {import('./fileStore').FileContent & { mimetype: string, name: string, tenants: Set<string>,
 *   documentIds: Set<string> }} FileRecord
 */

/** @param {Buffer} bytes */
const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');

/** @param {Buffer} head the first bytes of a file */
const looksLikePdf = (head) => head.subarray(0, 1024).includes('%PDF-');

/**
 * Keeps a file under its SHA-256 hash and returns the hash: bytes made in memory, or an upload
 * received on disk (which is removed when the same bytes are stored already).
 * @param {State} sim
 * @param {Buffer | import('./fileStore').ReceivedFile} content
 * @param {{ mimetype: string, name: string, tenant?: string, documentId?: string }} meta
 */
function storeFile(sim, content, meta) {
	/** @type {import('./fileStore').FileContent} */
	const stored = Buffer.isBuffer(content)
		? inMemory(content)
		: { path: content.path, size: content.size, head: content.head };
	const hash = Buffer.isBuffer(content) ? sha256(content) : content.sha256;
	let file = sim.files.get(hash);
	if (file && stored.path) fs.rmSync(stored.path, { force: true });
	if (!file) {
		file = {
			...stored,
			mimetype: meta.mimetype,
			name: meta.name,
			tenants: new Set(),
			documentIds: new Set(),
		};
		sim.files.set(hash, file);
	}
	if (meta.tenant) file.tenants.add(meta.tenant);
	if (meta.documentId) file.documentIds.add(meta.documentId);
	return hash;
}

/**
 * A user as the actor of an event.
 * @param {import('./seed').User} user
 * @returns {Actor}
 */
const userActor = (user) => ({
	id: user.id,
	name: user.name,
	username: user.username,
	email: user.email,
});

/** @param {Actor} actor */
const actorName = (actor) =>
	String(actor.username ?? actor.email ?? actor.name ?? actor.id ?? 'unknown');

/** Called after every recorded change (readLag.js keeps what reads that lag see). @type {Array<(doc: DocumentRecord) => void>} */
const changeListeners = [];

/** @param {(doc: DocumentRecord) => void} listener */
const onDocumentChange = (listener) => void changeListeners.push(listener);

/**
 * Records a change: one history entry and a new `_version`.
 * @param {DocumentRecord} doc
 * @param {string} event
 * @param {Actor} actor
 * @param {{ date?: Date, message?: string }} [o]
 */
function recordChange(doc, event, actor, o = {}) {
	/** @type {import('./seed').HistoryEntry} */
	const entry = { event, actor: actorName(actor), date: (o.date ?? new Date()).toISOString() };
	if (o.message) entry.message = o.message;
	doc.history.push(entry);
	doc.version++;
	for (const listener of changeListeners) listener(doc);
}

/**
 * The active shares of a document that still need their recipient to act.
 * @param {State} sim
 * @param {DocumentRecord} doc
 */
function pendingShares(sim, doc) {
	return [...sim.shares.values()].filter(
		(s) =>
			s.documentId === doc.documentId &&
			s.isActive &&
			s.status === 'pending' &&
			s.sharePurpose !== 'view',
	);
}

/**
 * Whose action the document waits for now: every pending recipient, or with sequential signing
 * only those with the lowest order still pending. Empty unless the document is in progress.
 * @param {State} sim
 * @param {DocumentRecord} doc
 */
function currentShares(sim, doc) {
	if (doc.shareStateName !== 'inprogress') return [];
	const pending = pendingShares(sim, doc);
	if (!pending.some((s) => s.sequential)) return pending;
	const next = Math.min(...pending.map((s) => s.order));
	return pending.filter((s) => s.order === next);
}

/** The last page made for each document: what it showed and its hash. @type {WeakMap<DocumentRecord, { key: string, hash: string }>} */
const generatedPdfs = new WeakMap();

/**
 * The hash of the PDF a download returns now: the uploaded file until someone signed or the document
 * completed; then a generated page marked with the signatures (a new hash after each one).
 * @param {State} sim
 * @param {DocumentRecord} doc
 */
function currentPdfHash(sim, doc) {
	const source = doc.sourceHash ? sim.files.get(doc.sourceHash) : undefined;
	if (source && doc.signatures.length === 0 && doc.shareStateName !== 'completed') {
		return /** @type {string} */ (doc.sourceHash);
	}
	const lines = [
		'Circularo simulator - not a real signed document',
		`Document ID: ${doc.documentId}`,
		`Team: ${doc.team ?? '(none)'}`,
		`State: ${doc.shareStateName ?? 'not shared'}`,
	];
	if (source)
		lines.push(`Original file: ${source.name} (${source.size} bytes, SHA-256 ${doc.sourceHash})`);
	for (const s of doc.signatures)
		lines.push(
			`Signed by ${s.name}${s.email && s.email !== s.name ? ` <${s.email}>` : ''} on ${s.date}`,
		);
	lines.push(
		doc.shareStateName === 'completed'
			? 'All required signatures collected.'
			: 'Signatures pending.',
	);
	// Every answer naming a document names its PDF: a search over thousands of documents builds
	// each page once, not once per search.
	const key = `${doc.documentTitle}\n${lines.join('\n')}`;
	const made = generatedPdfs.get(doc);
	if (made && made.key === key && sim.files.get(made.hash)?.documentIds.has(doc.documentId))
		return made.hash;
	const bytes = buildPdf({ title: doc.documentTitle, lines });
	const hash = storeFile(sim, bytes, {
		mimetype: 'application/pdf',
		name: `${doc.documentTitle}.pdf`,
		documentId: doc.documentId,
	});
	generatedPdfs.set(doc, { key, hash });
	return hash;
}

/** @param {DocumentRecord} doc */
function auditPdf(doc) {
	const lines = [`Audit trail of document ${doc.documentId}`, `Created ${doc.createDate}`];
	for (const h of doc.history.slice(-30))
		lines.push(`${h.date}  ${h.event}  by ${h.actor}${h.message ? `: ${h.message}` : ''}`);
	if (doc.history.length === 0) lines.push('No events yet.');
	return buildPdf({ title: `Audit trail: ${doc.documentTitle}`, lines });
}

/**
 * A document as the API returns it (GET /documents/:id, POST /documents, POST /search). Custom
 * metadata fields sit at the top level, as they were sent in `body`.
 * @param {State} sim
 * @param {DocumentRecord} doc
 */
function documentView(sim, doc) {
	const owner = sim.users.get(doc.creator);
	return {
		...doc.fields,
		documentId: doc.documentId,
		documentTitle: doc.documentTitle,
		documentType: doc.documentType,
		name: doc.fileName ?? doc.documentTitle,
		_version: doc.version,
		createDate: doc.createDate,
		owner: owner ? owner.username : doc.creator,
		pdfFile: { content: currentPdfHash(sim, doc), _content_type: 'application/pdf' },
		workflow: {
			workflowType: doc.workflowType,
			shareStateName: doc.shareStateName,
			history: doc.history.map((h) => ({ ...h })),
		},
		waitingFor: currentShares(sim, doc).map((s) => s.shareTo),
		isSigned: doc.signatures.length > 0,
		signatureFields: doc.signatureFields,
	};
}

module.exports = {
	looksLikePdf,
	storeFile,
	userActor,
	actorName,
	recordChange,
	onDocumentChange,
	pendingShares,
	currentShares,
	auditPdf,
	documentView,
};
