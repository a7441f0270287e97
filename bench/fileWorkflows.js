// @ts-check
'use strict';
/**
 * The workflows of the files part (files.js), each a Manual Trigger and a chain, in pairs:
 *
 *   upload    (a) Read file -> Circularo Document > Create
 *             (b) Read file -> HTTP Request multipart POST /files/saveFile -> HTTP Request POST /documents
 *   download  (a) Circularo Document > Download, with the audit trail
 *             (b) HTTP Request GET /documents/:id -> GET /files/loadFile/hash/:hash as a file
 *                 -> GET /documents/:id/audit as a file
 *   list      (a) Circularo Document > Get Many, Return All
 *             (b) HTTP Request POST /search with n8n's pagination -> Split Out of `results`
 *
 * and for uploads and downloads a floor, (c): Read file alone, a binary of the same size landing
 * in the item with no transfer at all, what n8n charges whichever node moves the file.
 *
 * (b) authenticates with n8n's own Query Auth credential (`token`), as a user without this
 * package would.
 */

const crypto = require('node:crypto');
const { actionNode } = require('../e2e/lib/circularo/action');
const { manualWorkflow, readFileNode } = require('../e2e/lib/workflows');

const PAGE_SIZE = 100;

/**
 * @typedef {{ id: string, name: string }} CredentialRef
 * @typedef {{ circularo: CredentialRef, queryAuth: CredentialRef, apiUrl: string }} Credentials
 */

/**
 * n8n's HTTP Request node with the Query Auth credential.
 * @param {string} name @param {Credentials} c @param {Record<string, any>} parameters
 */
function httpNode(name, c, parameters) {
	return {
		id: crypto.randomUUID(),
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [0, 0],
		parameters: {
			authentication: 'genericCredentialType',
			genericAuthType: 'httpQueryAuth',
			...parameters,
			options: parameters.options ?? {},
		},
		credentials: { httpQueryAuth: c.queryAuth },
	};
}

/** @param {Credentials} c @param {Record<string, any>} parameters */
function circularo(c, parameters) {
	return actionNode({ name: 'Circularo', parameters, credential: c.circularo });
}

/** @param {{ filePath: string, title: string }} o @param {Credentials} c */
function uploadWorkflows(o, c) {
	const read = () => readFileNode({ filePath: o.filePath });
	const a = manualWorkflow({
		name: `files bench (a) upload ${o.title}`,
		nodes: [read(), circularo(c, { resource: 'document', operation: 'create', title: o.title })],
	});
	const b = manualWorkflow({
		name: `files bench (b) upload ${o.title}`,
		nodes: [
			read(),
			httpNode('Save the file', c, {
				method: 'POST',
				url: `${c.apiUrl}/files/saveFile`,
				sendBody: true,
				contentType: 'multipart-form-data',
				bodyParameters: {
					parameters: [
						{ parameterType: 'formData', name: 'fileName', value: `${o.title}.pdf` },
						{ parameterType: 'formBinaryData', name: 'file', inputDataFieldName: 'data' },
					],
				},
			}),
			httpNode('Create the document', c, {
				method: 'POST',
				url: `${c.apiUrl}/documents`,
				sendBody: true,
				specifyBody: 'json',
				jsonBody: `={{ JSON.stringify({ body: { documentType: 'd_default', documentTitle: ${JSON.stringify(o.title)}, pdfFile: { content: $json.file.id, _content_type: 'application/pdf' } }, definitionType: 'ext', workflow: 'wf_archive' }) }}`,
			}),
		],
	});
	return { a, b };
}

/**
 * The floor of a file's upload and download: the file read into the item, nothing sent or received.
 * @param {{ filePath: string, title: string }} o
 */
function floorWorkflow(o) {
	return manualWorkflow({
		name: `files bench (c) floor ${o.title}`,
		nodes: [readFileNode({ filePath: o.filePath })],
	});
}

/** @param {{ documentId: string }} o @param {Credentials} c */
function downloadWorkflows(o, c) {
	const documentUrl = `${c.apiUrl}/documents/${encodeURIComponent(o.documentId)}`;
	const asFile = (/** @type {string} */ field) => ({
		response: { response: { responseFormat: 'file', outputPropertyName: field } },
	});
	const a = manualWorkflow({
		name: `files bench (a) download ${o.documentId}`,
		nodes: [
			circularo(c, {
				resource: 'document',
				operation: 'download',
				documentId: o.documentId,
				options: { includeAuditTrail: true },
			}),
		],
	});
	const b = manualWorkflow({
		name: `files bench (b) download ${o.documentId}`,
		nodes: [
			httpNode('Get the document', c, { method: 'GET', url: documentUrl }),
			httpNode('Download the PDF', c, {
				method: 'GET',
				url: `={{ ${JSON.stringify(`${c.apiUrl}/files/loadFile/hash/`)} + $json.results[0].pdfFile.content }}`,
				options: asFile('data'),
			}),
			httpNode('Download the audit trail', c, {
				method: 'GET',
				url: `${documentUrl}/audit`,
				options: asFile('auditTrail'),
			}),
		],
	});
	return { a, b };
}

/** @param {Credentials} c */
function listWorkflows(c) {
	const a = manualWorkflow({
		name: 'files bench (a) get many',
		nodes: [circularo(c, { resource: 'document', operation: 'getAll', returnAll: true })],
	});
	const b = manualWorkflow({
		name: 'files bench (b) get many',
		nodes: [
			httpNode('Search', c, {
				method: 'POST',
				url: `${c.apiUrl}/search`,
				sendBody: true,
				specifyBody: 'json',
				jsonBody: JSON.stringify({
					query: { match_all: {} },
					sort: [{ createDate: { order: 'desc' } }],
					from: 0,
					size: PAGE_SIZE,
				}),
				options: {
					pagination: {
						pagination: {
							paginationMode: 'updateAParameterInEachRequest',
							parameters: {
								parameters: [
									{ type: 'body', name: 'from', value: `={{ $pageCount * ${PAGE_SIZE} }}` },
								],
							},
							paginationCompleteWhen: 'other',
							completeExpression: `={{ $response.body.results.length < ${PAGE_SIZE} }}`,
						},
					},
				},
			}),
			{
				id: crypto.randomUUID(),
				name: 'Split Out',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [0, 0],
				parameters: { fieldToSplitOut: 'results', options: {} },
			},
		],
	});
	return { a, b };
}

module.exports = { uploadWorkflows, downloadWorkflows, listWorkflows, floorWorkflow };
