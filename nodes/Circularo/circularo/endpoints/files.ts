/** A document's files: uploading one, downloading its current PDF and its audit trail. */
import { asObject, answerLacks, firstResultOf, firstString } from '../answers';
import type { CircularoClient } from '../client';
import type { EndpointAdvice } from '../errors';
import type { MultipartFile } from '../multipart';
import type { CheckedPdf, DownloadLimit } from '../pdfDownload';
import { DOCUMENT_RIGHTS, UNKNOWN_DOCUMENT } from './documents';

const UPLOAD_FILE: EndpointAdvice = {
	action: 'upload the file',
	advice: {
		400: 'Check the file and its name.',
		403: 'The user behind the API key needs the use_file_management right to upload files.',
	},
};

/**
 * POST /files/saveFile (multipart: `fileName`, then the file as `file`); the file's id.
 * Documented as `file.id`; [assumed] `file.fileId` or `file.hash`, and unwrapped answers, too.
 */
export async function uploadFile(client: CircularoClient, file: MultipartFile): Promise<string> {
	const answer = await client.upload({
		endpoint: UPLOAD_FILE,
		path: '/files/saveFile',
		fields: { fileName: file.fileName },
		fileField: 'file',
		file,
	});
	const body = asObject(answer) ?? {};
	const saved = asObject(body.file) ?? firstResultOf(answer) ?? body;
	return (
		firstString(saved.id, saved.fileId, saved.hash, body.fileId, body.hash) ??
		answerLacks(
			client,
			'Circularo accepted the upload but its answer names no file ID',
			'Looked for file.id, file.fileId and file.hash in the answer of POST /files/saveFile.',
		)
	);
}

export const DOWNLOAD_FILE: EndpointAdvice = {
	action: "download the document's PDF",
	advice: { 403: DOCUMENT_RIGHTS, 404: 'Check that the document still exists and has a PDF.' },
};

/** GET /files/loadFile/hash/:hash: a document's current PDF, by its `pdfFile.content`. */
export async function downloadFile(
	client: CircularoClient,
	fileHash: string,
	limit: DownloadLimit,
): Promise<CheckedPdf> {
	return await client.download(
		{ endpoint: DOWNLOAD_FILE, path: `/files/loadFile/hash/${encodeURIComponent(fileHash)}` },
		limit,
	);
}

const DOWNLOAD_AUDIT_TRAIL: EndpointAdvice = {
	action: 'download the audit trail',
	advice: { 403: DOCUMENT_RIGHTS, 404: UNKNOWN_DOCUMENT },
};

/** GET /documents/:id/audit: the audit trail PDF. */
export async function downloadAuditTrail(
	client: CircularoClient,
	documentId: string,
	limit: DownloadLimit,
): Promise<CheckedPdf> {
	return await client.download(
		{ endpoint: DOWNLOAD_AUDIT_TRAIL, path: `/documents/${encodeURIComponent(documentId)}/audit` },
		limit,
	);
}
