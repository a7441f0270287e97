/**
 * One function per Circularo endpoint either node calls: its path and method, the body it sends
 * and how its answer is read. Each documented point is said to be documented and each point
 * Circularo's documentation is silent on is marked [assumed] at the field; answers are read
 * leniently (answers.ts). docs/assumptions.md lists the [assumed] points for users.
 */
import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import { asObject, firstResultOf, firstString, resultsOf, textOf } from './answers';
import type { CircularoClient } from './client';
import type { MultipartFile } from './multipart';
import { automaticReminderEntry, type AutomaticReminder } from './endpoints/reminders';
import type { CheckedPdf, DownloadLimit } from './pdfDownload';

const id = encodeURIComponent;

/** Every documented example uses these; tenants may define their own types and workflows. */
export const DOCUMENT_DEFAULTS = {
	documentType: 'd_default',
	/** A document made from an uploaded file, whatever its type. */
	definitionType: 'ext',
	workflow: 'wf_archive',
} as const;

/** The states `workflow.shareStateName` takes, as documented. */
export const DOCUMENT_STATES = [
	'inprogress',
	'completed',
	'rejected',
	'expired',
	'cancelled',
] as const;

/** Elasticsearch answers no page past this many hits (its default `max_result_window`). */
export const SEARCH_WINDOW = 10_000;

function missing(client: CircularoClient, message: string, description: string): never {
	throw new NodeOperationError(client.node, message, { description });
}

// ---- Document types ---------------------------------------------------------------------------

/** GET /definitions/documents: the tenant's document types. */
export async function listDocumentTypes(client: CircularoClient): Promise<IDataObject[]> {
	const answer = await client.request({
		endpoint: 'listDocumentTypes',
		method: 'GET',
		path: '/definitions/documents',
	});
	return resultsOf(answer);
}

/** Document types a file can become: those whose `definitionType` lists `ext`, or does not say. */
export function isFileBasedType(definition: IDataObject): boolean {
	const kinds = definition.definitionType;
	if (kinds === undefined || kinds === null) return true;
	return (Array.isArray(kinds) ? kinds : [kinds]).includes(DOCUMENT_DEFAULTS.definitionType);
}

// ---- Documents --------------------------------------------------------------------------------

/**
 * GET /documents/:id. Documented wrapped in `results[]`; [assumed] some versions answer the
 * document unwrapped, which is read too.
 */
export async function getDocument(
	client: CircularoClient,
	documentId: string,
): Promise<IDataObject> {
	const answer = await client.request({
		endpoint: 'getDocument',
		method: 'GET',
		path: `/documents/${id(documentId)}`,
	});
	return (
		firstResultOf(answer) ??
		missing(
			client,
			`Circularo returned no document for ID "${documentId}"`,
			'Its answer to GET /documents/:id held no document.',
		)
	);
}

/**
 * [assumed] A deleted document, in the trash or removed for good, answers GET /documents/:id with
 * this status, as an unknown id does.
 */
export const DOCUMENT_GONE_STATUS = 404;

/** A document's version: documented as `_version`. */
export function documentVersion(document: IDataObject): number | undefined {
	const version = Number(document._version ?? document.version);
	return Number.isInteger(version) ? version : undefined;
}

/** [assumed] Who a document still waits for: `waitingFor` entries are not typed in the docs. */
export function waitingForNames(document: IDataObject): string[] {
	const entries = Array.isArray(document.waitingFor) ? document.waitingFor : [];
	return entries
		.map((entry) => {
			const user = asObject(entry);
			return user ? firstString(user.email, user.username, user.name, user.id) : firstString(entry);
		})
		.filter((name): name is string => name !== undefined);
}

/**
 * A document's history, documented as `workflow.history`; [assumed] its entries' fields are not
 * documented: each entry is kept as Circularo sent it.
 */
export function documentHistory(document: IDataObject): IDataObject[] {
	const history = asObject(document.workflow)?.history;
	return (Array.isArray(history) ? history : []).filter(
		(entry): entry is IDataObject => asObject(entry) !== undefined,
	);
}

/**
 * [assumed] What a document's history says about one event: its entries are read as `{ event,
 * actor, date, message }`, and the last entry of `event` wins (its `message` is the reason given
 * for a rejection or a cancellation).
 */
export function lastHistoryEntry(
	document: IDataObject,
	event: string,
): { actor?: unknown; date?: string; message?: string } | undefined {
	const entry = documentHistory(document)
		.filter((candidate) => candidate.event === event)
		.at(-1);
	return entry && { actor: entry.actor, date: textOf(entry.date), message: textOf(entry.message) };
}

export interface DocumentFilters {
	states?: string[];
	titleContains?: string;
	createdAfter?: string;
	createdBefore?: string;
}

/**
 * POST /search, an Elasticsearch body. Documented: the nested `workflow.shareStateName` terms query
 * and the `createDate` range. [assumed] `from`/`size` at the top level, a `match` on
 * `documentTitle` (all words) for "title contains", newest first by `createDate`; the total as
 * `total`, `total.value` or `hits.total(.value)`.
 */
export async function searchDocuments(
	client: CircularoClient,
	filters: DocumentFilters,
	from: number,
	size: number,
): Promise<{ documents: IDataObject[]; total?: number }> {
	const must: IDataObject[] = [];
	if (filters.states?.length) {
		must.push({
			nested: { path: 'workflow', query: { terms: { 'workflow.shareStateName': filters.states } } },
		});
	}
	if (filters.titleContains) {
		must.push({ match: { documentTitle: { query: filters.titleContains, operator: 'and' } } });
	}
	if (filters.createdAfter || filters.createdBefore) {
		const range: IDataObject = {};
		if (filters.createdAfter) range.gte = filters.createdAfter;
		if (filters.createdBefore) range.lte = filters.createdBefore;
		must.push({ range: { createDate: range } });
	}
	const answer = await client.request({
		endpoint: 'searchDocuments',
		method: 'POST',
		path: '/search',
		body: {
			query: must.length ? { bool: { must } } : { match_all: {} },
			sort: [{ createDate: { order: 'desc' } }],
			from,
			size,
		},
	});
	const body = asObject(answer) ?? {};
	let total: number | undefined;
	for (const candidate of [body.total, asObject(body.hits)?.total]) {
		const value = Number(asObject(candidate)?.value ?? candidate);
		if (candidate !== undefined && Number.isInteger(value)) {
			total = value;
			break;
		}
	}
	return { documents: resultsOf(answer), total };
}

/**
 * POST /files/saveFile (multipart: `fileName`, then the file as `file`); the file's id.
 * Documented as `file.id`; [assumed] `file.fileId` or `file.hash`, and unwrapped answers, too.
 */
export async function uploadFile(client: CircularoClient, file: MultipartFile): Promise<string> {
	const answer = await client.upload({
		endpoint: 'uploadFile',
		path: '/files/saveFile',
		fields: { fileName: file.fileName },
		fileField: 'file',
		file,
	});
	const body = asObject(answer) ?? {};
	const saved = asObject(body.file) ?? firstResultOf(answer) ?? body;
	return (
		firstString(saved.id, saved.fileId, saved.hash, body.fileId, body.hash) ??
		missing(
			client,
			'Circularo accepted the upload but its answer names no file ID',
			'Looked for file.id, file.fileId and file.hash in the answer of POST /files/saveFile.',
		)
	);
}

export interface NewDocument {
	documentType: string;
	title: string;
	fileId: string;
	mimeType: string;
	workflow: string;
	convertToPdf: boolean;
	metadata: IDataObject;
}

/**
 * POST /documents from an uploaded file; the created record, its `documentId` documented at
 * `results[0].documentId`. [assumed] Custom metadata fields sit in `body` by field name, next to
 * the documented ones, and `convertToPDF` sits at the top level.
 */
export async function createDocument(
	client: CircularoClient,
	document: NewDocument,
): Promise<IDataObject & { documentId: string }> {
	const body: IDataObject = {
		body: {
			...document.metadata,
			documentType: document.documentType,
			documentTitle: document.title,
			pdfFile: { content: document.fileId, _content_type: document.mimeType },
		},
		definitionType: DOCUMENT_DEFAULTS.definitionType,
		workflow: document.workflow,
	};
	if (document.convertToPdf) body.convertToPDF = true;
	const answer = await client.request({
		endpoint: 'createDocument',
		method: 'POST',
		path: '/documents',
		body,
	});
	const record = firstResultOf(answer) ?? {};
	const documentId =
		firstString(record.documentId, record.id, asObject(answer)?.documentId) ??
		missing(
			client,
			'Circularo created the document but its answer names no document ID',
			'Looked for results[0].documentId in the answer of POST /documents.',
		);
	return { ...record, documentId };
}

/**
 * DELETE /documents?hardDelete=, one document, at a version when given (a 409 when it moved on).
 * [assumed] A 200 answer can still report failures: `errors: true` with details in `items[]`;
 * they are returned as `failures`.
 */
export async function deleteDocument(
	client: CircularoClient,
	documentId: string,
	options: { permanent: boolean; version?: number },
): Promise<{ answer: IDataObject; failures?: string[] }> {
	const entry: IDataObject = { id: documentId };
	if (options.version !== undefined) entry.version = options.version;
	const answer =
		asObject(
			await client.request({
				endpoint: 'deleteDocuments',
				method: 'DELETE',
				path: '/documents',
				qs: { hardDelete: options.permanent },
				body: { documents: [entry] },
			}),
		) ?? {};
	if (answer.errors !== true) return { answer };
	const items = Array.isArray(answer.items) ? answer.items : [];
	const failures = items.map((item) => {
		const failed = asObject(item) ?? {};
		const error = asObject(failed.error);
		return (
			firstString(failed.message, error?.message, failed.error, failed.reason) ??
			JSON.stringify(item)
		);
	});
	return { answer, failures };
}

/** GET /files/loadFile/hash/:hash: a document's current PDF, by its `pdfFile.content`. */
export async function downloadFile(
	client: CircularoClient,
	fileHash: string,
	limit: DownloadLimit,
): Promise<CheckedPdf> {
	return await client.download(
		{ endpoint: 'downloadFile', path: `/files/loadFile/hash/${id(fileHash)}` },
		limit,
	);
}

/** GET /documents/:id/audit: the audit trail PDF. */
export async function downloadAuditTrail(
	client: CircularoClient,
	documentId: string,
	limit: DownloadLimit,
): Promise<CheckedPdf> {
	return await client.download(
		{ endpoint: 'downloadAuditTrail', path: `/documents/${id(documentId)}/audit` },
		limit,
	);
}

// ---- Sign requests ------------------------------------------------------------------------------

export const SHARE_PURPOSES = ['sign', 'approve', 'review', 'accept', 'view'] as const;
export type SharePurpose = (typeof SHARE_PURPOSES)[number];

export interface Recipient {
	shareTo: string;
	purpose: SharePurpose;
	order?: number;
	message?: string;
	validUntil?: string;
	otp?: { phone: string } | { email: string };
	automaticReminder?: AutomaticReminder;
}

/** Where on a page a signature goes, as fractions of the page (documented `percent*` keys). */
export interface FieldPosition {
	x: number;
	y: number;
	width: number;
	height: number;
}

export interface SignatureField {
	shareTo: string;
	page: number;
	position: FieldPosition;
	/** A template's field keeps its own type (initials, stamp, ...); otherwise a signature. */
	type?: string;
}

export interface ShareRequest {
	documentId: string;
	documentType: string;
	sequential: boolean;
	recipients: Recipient[];
	signatureFields: SignatureField[];
}

/**
 * One entry of `data[]` in POST /share. Documented: `otpEnabled` with `phone`; [assumed] from a
 * public client: `mail` for OTP by e-mail.
 */
function shareEntry(recipient: Recipient): IDataObject {
	const entry: IDataObject = { sharePurpose: recipient.purpose, shareTo: recipient.shareTo };
	if (recipient.order !== undefined) entry.order = recipient.order;
	if (recipient.message) entry.message = recipient.message;
	if (recipient.validUntil) entry.validUntil = recipient.validUntil;
	if (recipient.otp) {
		entry.otpEnabled = true;
		if ('phone' in recipient.otp) entry.phone = recipient.otp.phone;
		else entry.mail = recipient.otp.email;
	}
	if (recipient.automaticReminder)
		Object.assign(entry, automaticReminderEntry(recipient.automaticReminder));
	return entry;
}

/** One entry of `signatureFields[]`. [assumed] `pages: [n]` (newer pages) rather than `page: n`. */
function signatureFieldEntry({ shareTo, page, position, type }: SignatureField): IDataObject {
	return {
		user: [shareTo],
		timestamp: false,
		required: true,
		type: type ?? 'signature',
		pages: [page],
		position: {
			percentX: position.x,
			percentY: position.y,
			percentWidth: position.width,
			percentHeight: position.height,
		},
	};
}

/**
 * POST /share: one share per recipient. The shares it created, documented as a bare array (read
 * leniently), with their ids: [assumed] `shareId`, or `id`.
 */
export async function share(
	client: CircularoClient,
	request: ShareRequest,
): Promise<{ shares: IDataObject[]; shareIds: string[] }> {
	const answer = await client.request({
		endpoint: 'share',
		method: 'POST',
		path: '/share',
		body: {
			id: request.documentId,
			type: request.documentType,
			objectType: 'document',
			sequential: request.sequential,
			data: request.recipients.map(shareEntry),
			signatureFields: request.signatureFields.map(signatureFieldEntry),
		},
	});
	const shares = resultsOf(answer);
	const shareIds = shares
		.map((entry) => firstString(entry.shareId, entry.id))
		.filter((shareId): shareId is string => shareId !== undefined);
	return { shares, shareIds };
}

/**
 * [assumed] Cancelling a sign request: Circularo's page on it could not be read; its changelog
 * lists `PUT /share/disable`. Assumed: that endpoint, with the share ids and an optional message.
 */
export async function cancelShare(
	client: CircularoClient,
	shareId: string,
	message: string | undefined,
): Promise<IDataObject> {
	const body: IDataObject = { shareIds: [shareId] };
	if (message) body.message = message;
	const answer = await client.request({
		endpoint: 'cancelShare',
		method: 'PUT',
		path: '/share/disable',
		body,
	});
	return asObject(answer) ?? {};
}

// ---- Webhooks ---------------------------------------------------------------------------------

export type WebhookScopeType = 'tenant' | 'team';

/** A webhook as Circularo returns it from POST /webhooks and GET /webhooks. */
export interface CircularoWebhook extends IDataObject {
	id: string;
	type?: string;
	name?: string | null;
	callbackUrl?: string;
	hmacSecret?: string | null;
}

/** What POST /webhooks takes (documented). */
export interface WebhookRequest {
	type: WebhookScopeType;
	name?: string;
	callbackUrl: string;
	hmacSecret: string;
}

/** A webhook record with its id read as text, or undefined when it has none. */
function webhookOf(record: IDataObject | undefined): CircularoWebhook | undefined {
	const webhookId = textOf(record?.id);
	return webhookId === undefined ? undefined : { ...record, id: webhookId };
}

/**
 * GET /webhooks: documented wrapped in `results[]`; [assumed] a bare array is read too. No
 * get-by-id or update is documented, so a webhook is found by listing.
 */
export async function listWebhooks(client: CircularoClient): Promise<CircularoWebhook[]> {
	const answer = await client.request({
		endpoint: 'listWebhooks',
		method: 'GET',
		path: '/webhooks',
	});
	return resultsOf(answer)
		.map(webhookOf)
		.filter((webhook): webhook is CircularoWebhook => webhook !== undefined);
}

/** POST /webhooks: the created webhook, documented unwrapped (a wrapped one is read too). */
export async function createWebhook(
	client: CircularoClient,
	request: WebhookRequest,
): Promise<CircularoWebhook> {
	const answer = await client.request({
		endpoint: 'createWebhook',
		method: 'POST',
		path: '/webhooks',
		body: { ...request },
	});
	return (
		webhookOf(firstResultOf(answer)) ??
		missing(
			client,
			'Circularo answered the webhook registration without an id',
			'Deactivate and activate the workflow again. If it keeps happening, contact Circularo support.',
		)
	);
}

/**
 * [assumed] Circularo delivers to a webhook's `callbackUrl` exactly as it was registered, query
 * string included, lists it so in GET /webhooks and adds no query parameters of its own. n8n 2.x
 * needs the query (it carries the execution's resume token), and the wait's document, deadline and
 * start ride in it, so that any later run can tell from the list which registrations are a wait's
 * and which have expired. A listed URL without `until` is never taken for a wait's.
 */
export const WAIT_QUERY = {
	/** The document waited for. */
	documentId: 'circularoDocumentId',
	/** When the wait ends at the latest (epoch milliseconds). */
	until: 'circularoWaitUntil',
	/** When the registration was made (epoch milliseconds). */
	since: 'circularoWaitSince',
} as const;

/**
 * [assumed] Deleting a webhook: Circularo says webhooks can be deleted, not how. Assumed
 * `DELETE /webhooks/:id`, where a 404 means already gone (WEBHOOK_GONE_STATUS).
 */
export async function deleteWebhook(
	client: CircularoClient,
	webhookId: string,
): Promise<IDataObject> {
	const answer = await client.request({
		endpoint: 'deleteWebhook',
		method: 'DELETE',
		path: `/webhooks/${id(webhookId)}`,
	});
	return asObject(answer) ?? {};
}

export const WEBHOOK_GONE_STATUS = 404;

/**
 * [assumed] The list echoes each webhook's `hmacSecret` as create does (documented for create
 * only): an entry naming another secret is not this registration; one naming none is trusted.
 */
export function webhookSecretMatches(webhook: CircularoWebhook, secret: string): boolean {
	return webhook.hmacSecret === undefined || webhook.hmacSecret === secret;
}
