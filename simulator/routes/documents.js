// @ts-check
'use strict';

/**
 * Routes: document types, creating a document from an uploaded file, reading it and its audit
 * trail, and deleting documents (to the trash or permanently).
 */

const crypto = require('node:crypto');
const { ApiError, isObject, nonEmpty } = require('../http');
const { buildPdf } = require('../pdf');
const { newDocumentRecord } = require('../seed');
const {
	auditPdf,
	documentView,
	looksLikePdf,
	recordChange,
	storeFile,
	userActor,
} = require('../documents');
const { emit } = require('../deliveries');
const { inMemory } = require('../fileStore');
const { laggedDocument } = require('../readLag');

const MAX_DELETE_BATCH = 100;
/** Keys of `body` that are not custom metadata fields. */
const DOCUMENT_KEYS = new Set(['documentType', 'documentTitle', 'pdfFile']);

/**
 * @typedef {import('./types').RouteContext} RouteContext @typedef {import('./types').Route} Route
 * @typedef {import('../seed').DocumentRecord} DocumentRecord
 * @typedef {import('../seed').User} User
 */

/** @param {RouteContext} ctx */
function listDefinitions({ sim, url }) {
	sim.authenticate(url);
	return { status: 200, json: { results: structuredClone(sim.definitions) } };
}

/**
 * A PDF standing for a converted non-PDF upload (the simulator does not render documents).
 * @param {import('../documents').FileRecord} file
 * @param {string} title
 */
function convertedPdf(file, title) {
	const lines = [
		`Converted to PDF by the Circularo simulator from "${file.name}" (${file.mimetype}, ${file.size} bytes).`,
	];
	if (/^text\/|rtf|json|xml/.test(file.mimetype))
		lines.push('', ...file.head.toString('utf8').split(/\r?\n/).slice(0, 30));
	return buildPdf({ title, lines });
}

/** @param {RouteContext} ctx */
function createDocument({ sim, url, body }) {
	const user = sim.authenticate(url);
	if (!isObject(body) || !isObject(body.body)) {
		throw new ApiError(
			400,
			'INVALID_BODY',
			'Expected { body: { documentType, documentTitle, pdfFile: { content } }, definitionType: "ext", workflow }',
		);
	}
	const b = body.body;
	const definition = sim.definitions.find((d) => d.name === b.documentType);
	if (!definition) {
		throw new ApiError(
			400,
			'UNKNOWN_DOCUMENT_TYPE',
			`body.documentType "${b.documentType}" is not a document type of this tenant (see GET /definitions/documents)`,
		);
	}
	if (!definition.definitionType.includes(body.definitionType)) {
		throw new ApiError(
			400,
			'INVALID_DEFINITION_TYPE',
			`definitionType must be one of ${definition.definitionType.join(', ')} for ${definition.name} (file-based documents use "ext")`,
		);
	}
	const workflow = body.workflow ?? definition.workflow;
	if (typeof workflow !== 'string' || !/^wf_\w+$/.test(workflow))
		throw new ApiError(
			400,
			'INVALID_WORKFLOW',
			'workflow must be a workflow name such as "wf_archive"',
		);
	if (body.convertToPDF !== undefined && typeof body.convertToPDF !== 'boolean')
		throw new ApiError(400, 'INVALID_BODY', 'convertToPDF must be a boolean');
	for (const f of definition.fields) {
		if (f.required && !nonEmpty(typeof b[f.name] === 'number' ? String(b[f.name]) : b[f.name])) {
			throw new ApiError(
				400,
				'MISSING_FIELD',
				`body.${f.name} is required for document type ${definition.name}`,
			);
		}
	}
	if (!isObject(b.pdfFile) || !nonEmpty(b.pdfFile.content)) {
		throw new ApiError(
			400,
			'INVALID_PDF_FILE',
			'body.pdfFile.content (the file hash from POST /files/saveFile) is required',
		);
	}
	const file = sim.files.get(b.pdfFile.content);
	if (!file || !file.tenants.has(user.tenant))
		throw new ApiError(404, 'FILE_NOT_FOUND', `No uploaded file with hash "${b.pdfFile.content}"`);
	let sourceHash = b.pdfFile.content;
	if (!looksLikePdf(file.head)) {
		if (body.convertToPDF !== true) {
			throw new ApiError(
				400,
				'NOT_A_PDF',
				`The file "${file.name}" is not a PDF (${file.mimetype}); send convertToPDF: true to convert it`,
			);
		}
		sourceHash = storeFile(sim, convertedPdf(file, b.documentTitle), {
			mimetype: 'application/pdf',
			name: `${b.documentTitle}.pdf`,
			tenant: user.tenant,
		});
	}
	/** @type {Record<string, unknown>} */
	const fields = {};
	for (const [k, v] of Object.entries(b)) if (!DOCUMENT_KEYS.has(k)) fields[k] = v;
	const doc = newDocumentRecord({
		documentId: crypto.randomUUID(),
		documentTitle: b.documentTitle,
		documentType: definition.name,
		tenant: user.tenant,
		team: user.team,
		creator: user.id,
		version: 0,
		workflowType: workflow,
		fileName: file.name,
		sourceHash,
		fields,
	});
	/** @type {import('../documents').FileRecord} */ (sim.files.get(sourceHash)).documentIds.add(
		doc.documentId,
	);
	const actor = userActor(user);
	recordChange(doc, 'documentCreated', actor);
	sim.documents.set(doc.documentId, doc);
	emit(sim, doc, [{ event: 'documentCreated', actor }]);
	return { status: 200, json: { results: [documentView(sim, doc)] } };
}

/** @param {RouteContext} ctx */
function getDocument({ sim, url, params }) {
	const user = sim.authenticate(url);
	const lagged = laggedDocument(sim, params.id);
	const doc = sim.requireDocumentAccess(
		user,
		lagged ? { ...lagged.doc, deleted: lagged.deleted } : sim.documents.get(params.id),
	);
	const view = lagged ? lagged.view : documentView(sim, doc);
	return { status: 200, json: sim.variants.readResponse === 'bare' ? view : { results: [view] } };
}

/** @param {RouteContext} ctx */
function getAudit({ sim, url, params }) {
	const user = sim.authenticate(url);
	const doc = sim.requireDocumentAccess(user, sim.documents.get(params.id));
	return {
		status: 200,
		file: inMemory(auditPdf(doc)),
		contentType: 'application/pdf',
		filename: `${doc.documentTitle}-audit.pdf`,
	};
}

/**
 * The documents of a delete request, checked before anything is deleted.
 * @param {RouteContext['sim']} sim
 * @param {User} user
 * @param {unknown} body
 * @param {boolean} hard
 */
function documentsToDelete(sim, user, body, hard) {
	if (!isObject(body) || !Array.isArray(body.documents) || body.documents.length === 0) {
		throw new ApiError(
			400,
			'INVALID_BODY',
			'Expected { documents: [ { id, version? } ] } with at least one document',
		);
	}
	if (body.documents.length > MAX_DELETE_BATCH) {
		throw new ApiError(400, 'TOO_MANY_DOCUMENTS', `At most ${MAX_DELETE_BATCH} documents per call`);
	}
	const seen = new Set();
	return body.documents.map((/** @type {unknown} */ d, /** @type {number} */ i) => {
		if (!isObject(d) || !nonEmpty(d.id))
			throw new ApiError(400, 'INVALID_BODY', `documents[${i}].id is required`);
		if (d.version !== undefined && !Number.isInteger(d.version))
			throw new ApiError(400, 'INVALID_BODY', `documents[${i}].version must be an integer`);
		if (seen.has(d.id))
			throw new ApiError(
				400,
				'INVALID_BODY',
				`documents[${i}]: document "${d.id}" is listed twice`,
			);
		seen.add(d.id);
		// A trashed document can still be deleted permanently.
		const doc = sim.requireDocumentAccess(user, sim.documents.get(d.id), { includeTrash: hard });
		if (d.version !== undefined && d.version !== doc.version) {
			throw new ApiError(409, 'VERSION_MISMATCH', 'Version mismatch', {
				documentId: doc.documentId,
			});
		}
		return doc;
	});
}

/** @param {RouteContext} ctx */
function deleteDocuments({ sim, url, body }) {
	const user = sim.authenticate(url);
	const hardParam = url.searchParams.get('hardDelete');
	if (hardParam !== null && hardParam !== 'true' && hardParam !== 'false') {
		throw new ApiError(400, 'INVALID_HARD_DELETE', 'hardDelete must be "true" or "false"');
	}
	const hard = hardParam === 'true';
	const docs = documentsToDelete(sim, user, body, hard);
	if (sim.nextDeleteError !== null) {
		const message = sim.nextDeleteError;
		sim.nextDeleteError = null;
		const items = docs.map((d) => ({
			id: d.documentId,
			status: 500,
			error: { code: 'DELETE_FAILED', message },
		}));
		return { status: 200, json: { errors: true, count: 0, items } };
	}
	const actor = userActor(user);
	for (const doc of docs) {
		for (const s of sim.shares.values()) {
			if (s.documentId !== doc.documentId) continue;
			if (hard) sim.shares.delete(s.shareId);
			else s.isActive = false;
		}
		if (hard) sim.documents.delete(doc.documentId);
		else doc.deleted = true;
		recordChange(doc, 'documentDeleted', actor, {
			message: hard ? 'deleted permanently' : 'moved to the trash',
		});
		emit(sim, doc, [{ event: 'documentDeleted', actor }]);
	}
	return { status: 200, json: { errors: false, count: docs.length, items: [] } };
}

/** @type {Route[]} */
const routes = [
	['GET', '/definitions/documents', listDefinitions],
	['POST', '/documents', createDocument],
	['DELETE', '/documents', deleteDocuments],
	['GET', '/documents/:id', getDocument],
	['GET', '/documents/:id/audit', getAudit],
];

module.exports = { routes };
