// @ts-check
'use strict';

/** Routes: `POST /files/saveFile` (multipart upload) and `GET /files/loadFile/hash/:hash`. */

const { ApiError } = require('../http');
const { looksLikePdf, storeFile } = require('../documents');

const STORAGE_LIMIT_BYTES = 1024 ** 3;

/** @typedef {import('./types').RouteContext} RouteContext @typedef {import('./types').Route} Route */

/**
 * The MIME type of an upload: PDF by its bytes; otherwise the part's type unless it claims PDF.
 * @param {import('../multipart').Part} part
 */
function uploadMimetype(part) {
	if (looksLikePdf(part.file?.head ?? part.data)) return 'application/pdf';
	const declared = (part.contentType ?? '').split(';')[0].trim().toLowerCase();
	return declared && declared !== 'application/pdf' ? declared : 'application/octet-stream';
}

/** @param {RouteContext} ctx */
function saveFile({ sim, url, parts }) {
	const user = sim.authenticate(url);
	if (!parts) {
		throw new ApiError(
			400,
			'MULTIPART_REQUIRED',
			'Send multipart/form-data with the fields "file" (the file) and "fileName" (its display name)',
		);
	}
	const filePart = parts.find((p) => p.name === 'file');
	const file = filePart?.file;
	if (!filePart || !file || file.size === 0)
		throw new ApiError(
			400,
			'FILE_REQUIRED',
			'The form field "file" (a non-empty file) is required',
		);
	const fileName = parts
		.find((p) => p.name === 'fileName' && p.filename === null)
		?.data.toString('utf8')
		.trim();
	if (!fileName)
		throw new ApiError(
			400,
			'FILE_NAME_REQUIRED',
			'The form field "fileName" (the display name) is required',
		);
	const mimetype = uploadMimetype(filePart);
	const hash = storeFile(sim, file, { mimetype, name: fileName, tenant: user.tenant });
	let used = 0;
	for (const f of sim.files.values()) if (f.tenants.has(user.tenant)) used += f.size;
	return {
		status: 200,
		json: {
			file: {
				[sim.variants.fileIdKey]: hash,
				documentname: fileName,
				mimetype,
				size: file.size,
				createDate: new Date().toISOString(),
			},
			storage: { used, limit: STORAGE_LIMIT_BYTES },
		},
	};
}

/** @param {RouteContext} ctx */
function loadFile({ sim, url, params }) {
	const user = sim.authenticate(url);
	const file = sim.requireFileAccess(user, params.hash);
	const pdf = file.mimetype === 'application/pdf';
	const filename = pdf && !/\.pdf$/i.test(file.name) ? `${file.name}.pdf` : file.name;
	return { status: 200, file, contentType: file.mimetype, filename };
}

/** @type {Route[]} */
const routes = [
	['POST', '/files/saveFile', saveFile],
	['GET', '/files/loadFile/hash/:hash', loadFile],
];

module.exports = { routes };
