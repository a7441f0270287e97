// @ts-check
'use strict';

/** Routes: documents and files. */

const { ApiError } = require('../http');

/** @typedef {import('./types').RouteContext} RouteContext @typedef {import('./types').Route} Route */

/** @param {RouteContext} ctx */
function getDocument({ sim, url, params }) {
	const user = sim.authenticate(url);
	const doc = sim.requireDocumentAccess(user, sim.documents.get(params.id));
	const { hash } = sim.currentPdf(doc);
	return {
		status: 200,
		json: {
			results: [
				{
					documentId: doc.documentId,
					documentTitle: doc.documentTitle,
					documentType: doc.documentType,
					createDate: doc.createDate,
					pdfFile: { content: hash },
					workflow: { shareStateName: doc.shareStateName },
				},
			],
		},
	};
}

/** @param {RouteContext} ctx */
function getAudit({ sim, url, params }) {
	const user = sim.authenticate(url);
	const doc = sim.requireDocumentAccess(user, sim.documents.get(params.id));
	return { status: 200, bytes: sim.auditPdf(doc), contentType: 'application/pdf', filename: `${doc.documentId}-audit.pdf` };
}

/** @param {RouteContext} ctx */
function loadFile({ sim, url, params }) {
	const user = sim.authenticate(url);
	const file = sim.files.get(params.hash);
	if (!file) throw new ApiError(404, 'FILE_NOT_FOUND', 'File not found');
	sim.requireDocumentAccess(user, sim.documents.get(file.documentId));
	return { status: 200, bytes: file.bytes, contentType: 'application/pdf', filename: `${file.documentId}.pdf` };
}

/** @type {Route[]} */
const routes = [
	['GET', '/documents/:id', getDocument],
	['GET', '/documents/:id/audit', getAudit],
	['GET', '/files/loadFile/hash/:hash', loadFile],
];

module.exports = { routes };
