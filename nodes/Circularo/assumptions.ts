/**
 * Everything this package assumes about Circularo's API where Circularo's documentation is silent
 * or varies between versions. Each point is read leniently and named here once, so that a fact
 * learned from a real tenant changes one line. docs/assumptions.md lists them for users.
 */
import type { IDataObject } from 'n8n-workflow';

import type { CircularoWebhook } from './types';

// ---------------------------------------------------------------- answers: wrappers and ids

/** The answer as an object, or undefined when it is none (an array, text, nothing). */
export function asObject(value: unknown): IDataObject | undefined {
	return value && typeof value === 'object' && !Array.isArray(value)
		? (value as IDataObject)
		: undefined;
}

/**
 * The records of an answer: Circularo wraps most in `results[]`; some versions answer a bare
 * array, and a search may answer Elasticsearch's `hits.hits[]._source`.
 */
export function resultsOf(answer: unknown): IDataObject[] {
	if (Array.isArray(answer)) return answer.filter((r) => asObject(r)) as IDataObject[];
	const body = asObject(answer);
	if (!body) return [];
	if (Array.isArray(body.results)) return resultsOf(body.results);
	const hits = asObject(body.hits)?.hits;
	if (Array.isArray(hits)) {
		return hits
			.map((hit) => asObject(asObject(hit)?._source) ?? asObject(hit))
			.filter(Boolean) as IDataObject[];
	}
	return [];
}

/** The one record of an answer: `results[0]`, or the answer itself when it is not wrapped. */
export function firstResultOf(answer: unknown): IDataObject | undefined {
	const results = resultsOf(answer);
	if (results.length > 0) return results[0];
	const body = asObject(answer);
	return body && !('results' in body) && !('hits' in body) ? body : undefined;
}

function firstString(...candidates: unknown[]): string | undefined {
	for (const candidate of candidates) {
		if (typeof candidate === 'string' && candidate !== '') return candidate;
		if (typeof candidate === 'number') return String(candidate);
	}
	return undefined;
}

/**
 * The id of an uploaded file. Documented as `file.id`; clients read `file.fileId` or `file.hash`
 * too, and some answers may come unwrapped.
 */
export function uploadedFileId(answer: unknown): string | undefined {
	const body = asObject(answer) ?? {};
	const file = asObject(body.file) ?? firstResultOf(answer) ?? body;
	return firstString(file.id, file.fileId, file.hash, body.fileId, body.hash);
}

/** The id of a created document: documented at `results[0].documentId`. */
export function createdDocumentId(answer: unknown): string | undefined {
	const record = firstResultOf(answer) ?? {};
	return firstString(record.documentId, record.id, asObject(answer)?.documentId);
}

/** A document's version: documented as `_version`. */
export function documentVersion(document: IDataObject): number | undefined {
	const version = Number(document._version ?? document.version);
	return Number.isInteger(version) ? version : undefined;
}

/** Who a document still waits for: `waitingFor` entries are not typed in the docs. */
export function waitingForNames(document: IDataObject): string[] {
	const entries = Array.isArray(document.waitingFor) ? document.waitingFor : [];
	return entries
		.map((entry) => {
			const user = asObject(entry);
			return user ? firstString(user.email, user.username, user.name, user.id) : firstString(entry);
		})
		.filter((name): name is string => name !== undefined);
}

// ---------------------------------------------------------------- creating documents

/** Every documented example uses these; tenants may define their own types and workflows. */
export const DOCUMENT_DEFAULTS = {
	documentType: 'd_default',
	/** A document made from an uploaded file, whatever its type. */
	definitionType: 'ext',
	workflow: 'wf_archive',
} as const;

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
 * The body of POST /documents. Assumed: custom metadata fields sit in `body` by field name, next to
 * the documented ones, and `convertToPDF` sits at the top level.
 */
export function createDocumentBody(document: NewDocument): IDataObject {
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
	return body;
}

/** Document types a file can become: those whose `definitionType` lists `ext`, or does not say. */
export function isFileBasedType(definition: IDataObject): boolean {
	const kinds = definition.definitionType;
	if (kinds === undefined || kinds === null) return true;
	return (Array.isArray(kinds) ? kinds : [kinds]).includes(DOCUMENT_DEFAULTS.definitionType);
}

// ---------------------------------------------------------------- search

/** The states `workflow.shareStateName` takes, as documented. */
export const DOCUMENT_STATES = [
	'inprogress',
	'completed',
	'rejected',
	'expired',
	'cancelled',
] as const;

export interface DocumentFilters {
	states?: string[];
	titleContains?: string;
	createdAfter?: string;
	createdBefore?: string;
}

/**
 * The Elasticsearch body of POST /search. Documented: the nested `workflow.shareStateName` terms
 * query and the `createDate` range. Assumed: `from`/`size` at the top level, a `match` on
 * `documentTitle` (all words) for "title contains", newest first by `createDate`.
 */
export function searchBody(filters: DocumentFilters, from: number, size: number): IDataObject {
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
	return {
		query: must.length ? { bool: { must } } : { match_all: {} },
		sort: [{ createDate: { order: 'desc' } }],
		from,
		size,
	};
}

/** How many documents match, when the answer says: `total`, `total.value` or `hits.total(.value)`. */
export function searchTotal(answer: unknown): number | undefined {
	const body = asObject(answer) ?? {};
	for (const candidate of [body.total, asObject(body.hits)?.total]) {
		const total = Number(asObject(candidate)?.value ?? candidate);
		if (candidate !== undefined && Number.isInteger(total)) return total;
	}
	return undefined;
}

/** Elasticsearch answers no page past this many hits (its default `max_result_window`). */
export const SEARCH_WINDOW = 10_000;

// ---------------------------------------------------------------- deleting documents

/**
 * A 200 answer of DELETE /documents can still report failures: `errors: true` with details in
 * `items[]` (assumed to be a partial failure).
 */
export function deleteFailures(answer: unknown): string[] | undefined {
	const body = asObject(answer);
	if (body?.errors !== true) return undefined;
	const items = Array.isArray(body.items) ? body.items : [];
	return items.map((item) => {
		const entry = asObject(item) ?? {};
		const error = asObject(entry.error);
		return (
			firstString(entry.message, error?.message, entry.error, entry.reason) ?? JSON.stringify(item)
		);
	});
}

// ---------------------------------------------------------------- sharing (sign requests)

export const SHARE_PURPOSES = ['sign', 'approve', 'review', 'accept', 'view'] as const;
export type SharePurpose = (typeof SHARE_PURPOSES)[number];

export interface Recipient {
	shareTo: string;
	purpose: SharePurpose;
	order?: number;
	message?: string;
	validUntil?: string;
	otp?: { phone: string } | { email: string };
}

/**
 * One entry of `data[]` in POST /share. Documented: `otpEnabled` with `phone`; assumed from a public
 * client: `mail` for OTP by e-mail.
 */
export function shareRecipient(recipient: Recipient): IDataObject {
	const entry: IDataObject = { sharePurpose: recipient.purpose, shareTo: recipient.shareTo };
	if (recipient.order !== undefined) entry.order = recipient.order;
	if (recipient.message) entry.message = recipient.message;
	if (recipient.validUntil) entry.validUntil = recipient.validUntil;
	if (recipient.otp) {
		entry.otpEnabled = true;
		if ('phone' in recipient.otp) entry.phone = recipient.otp.phone;
		else entry.mail = recipient.otp.email;
	}
	return entry;
}

/** Where on a page a signature goes, as fractions of the page (documented `percent*` keys). */
export interface FieldPosition {
	x: number;
	y: number;
	width: number;
	height: number;
}

/** One entry of `signatureFields[]`. Assumed: `pages: [n]` (newer pages) rather than `page: n`. */
export function signatureField(
	shareTo: string,
	page: number,
	position: FieldPosition,
): IDataObject {
	return {
		user: [shareTo],
		timestamp: false,
		required: true,
		type: 'signature',
		pages: [page],
		position: {
			percentX: position.x,
			percentY: position.y,
			percentWidth: position.width,
			percentHeight: position.height,
		},
	};
}

/** The shares POST /share created: documented as a bare array, read leniently. */
export function sharesOf(answer: unknown): IDataObject[] {
	return resultsOf(answer);
}

export function shareIdOf(share: IDataObject): string | undefined {
	return firstString(share.shareId, share.id);
}

/**
 * Cancelling a sign request. Circularo's page on cancelling shares could not be read; its changelog
 * lists `PUT /share/disable`. Assumed: that endpoint, with the share ids and an optional message.
 */
export const CANCEL_SHARE = {
	method: 'PUT',
	path: '/share/disable',
	body(shareId: string, message: string | undefined): IDataObject {
		const body: IDataObject = { shareIds: [shareId] };
		if (message) body.message = message;
		return body;
	},
} as const;

// ---------------------------------------------------------------- deliveries (the trigger)

/**
 * [assumed] Where each typed field of a delivery may be, in order of preference.
 *
 * Circularo documents four fields of a delivery body by name: `documentId`, `event`, `actor` and
 * `timestamp`, but not their types, so those four come first and the other names are fallbacks
 * for shapes seen in other webhook APIs. No document title is documented at all. Dotted paths
 * read nested objects.
 */
export const DELIVERY_FIELD_CANDIDATES = {
	event: ['event', 'eventType', 'type', 'action', 'name'],
	documentId: ['documentId', 'document.documentId', 'document.id', 'data.documentId', 'id'],
	documentTitle: ['documentTitle', 'document.documentTitle', 'document.title', 'title'],
	actor: ['actor', 'user', 'username', 'userName', 'executor', 'createdBy'],
	occurredAt: ['timestamp', 'date', 'time', 'createDate', 'eventDate'],
} as const;

/** [assumed] The fields an actor object may name its user by, in order of preference. */
export const ACTOR_FIELD_CANDIDATES = {
	id: ['id', 'userId'],
	name: ['name', 'username', 'userName', 'fullName'],
	email: ['email'],
} as const;

/**
 * [assumed] Epoch timestamps (numbers, or strings of digits) below this are seconds, above it
 * milliseconds (1e11 seconds is the year 5138). Circularo does not say which it sends, if any.
 */
export const EPOCH_MILLISECONDS_THRESHOLD = 1e11;

/**
 * [assumed] Circularo documents a JSON body but not its Content-Type header (which is not signed
 * either): the signed bytes are read as JSON in UTF-8, whatever the header says, or as text when
 * they are not JSON.
 */
export function readSignedBody(rawBody: Buffer): unknown {
	const text = rawBody.toString('utf8');
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

const SIGNATURE_PREFIX = /^sha256=/i;

/**
 * [assumed] The signature's hex digest from its header: documented as bare hex, but a `sha256=`
 * prefix (as other webhook APIs send) is read too, in any letter case, around white space ignored.
 */
export function signatureHexOf(header: string): string {
	return header.trim().replace(SIGNATURE_PREFIX, '');
}

/**
 * [assumed] Circularo documents no delivery id and no retries: a delivery is known only by its
 * bytes (so by its signature), and the same bytes again within this window are taken for a repeat.
 */
export const DELIVERY_REPEAT_WINDOW_MS = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------- webhooks

/**
 * [assumed] Deleting a webhook: Circularo says webhooks can be deleted, not how. Assumed
 * `DELETE /webhooks/:id`, where `404` means already gone. Nor is a get-by-id or an update
 * documented, so a webhook is found by listing (`GET /webhooks`) and changed by deleting and
 * creating it again.
 */
export const DELETE_WEBHOOK = {
	method: 'DELETE',
	path(webhookId: string): string {
		return `/webhooks/${encodeURIComponent(webhookId)}`;
	},
	goneStatus: 404,
} as const;

/**
 * [assumed] The list echoes each webhook's `hmacSecret` as create does (documented for create
 * only): an entry naming another secret is not this registration; one naming none is trusted.
 */
export function webhookSecretMatches(webhook: CircularoWebhook, secret: string): boolean {
	return webhook.hmacSecret === undefined || webhook.hmacSecret === secret;
}

// ---------------------------------------------------------------- errors and downloads

/**
 * [assumed] Circularo's own words in an error answer, whose shape is not documented:
 * `error.message`, `message` or `error` (a text answer is read whole). Its statuses are assumed
 * too: 401 a bad token, 403 a missing role or right, 404 an unknown id, 409 also an open sign
 * request (documented only as a version mismatch); transport/errors.ts and actions/advice.ts word
 * their advice by them.
 */
export function errorMessageOf(body: IDataObject): string | undefined {
	const message = asObject(body.error)?.message ?? body.message ?? body.error;
	return typeof message === 'string' ? message : undefined;
}

/** A file name for a downloaded PDF from a document title. */
function pdfFileName(title: string): string {
	const safe = title.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').trim() || 'document';
	return safe.toLowerCase().endsWith('.pdf') ? safe : `${safe}.pdf`;
}

/**
 * [assumed] Circularo's downloads carry no file name (none is documented), so the files are named
 * after their document's title: `<title>.pdf` and `<title> audit trail.pdf`.
 */
export const DOWNLOAD_FILE_NAMES = {
	document: (title: string): string => pdfFileName(title),
	auditTrail: (title: string): string => pdfFileName(`${title} audit trail`),
} as const;
