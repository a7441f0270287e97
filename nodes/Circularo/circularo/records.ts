/**
 * Every reader of the fields of Circularo's records (documents, document types, shares,
 * templates, webhooks): the one place that knows where a record keeps its status, version, file,
 * history and who it waits for. Callers read a record through these, never its fields.
 */
import type { IDataObject } from 'n8n-workflow';

import { asObject, firstString, textOf } from './answers';
import type { FieldPosition } from './endpoints/shares';
import type { Template, TemplateRole } from './endpoints/templates';
import type { CircularoWebhook, WebhookRequest } from './endpoints/webhooks';

/** A document made from an uploaded file, whatever its type (documented). */
export const FILE_DEFINITION_TYPE = 'ext';

/** A document's ID: documented as `documentId`; [assumed] some answers name it `id`. */
export function documentIdOf(document: IDataObject): string | undefined {
	return firstString(document.documentId, document.id);
}

/** A document's title: documented as `documentTitle`; [assumed] some answers name it `name`. */
export function documentTitleOf(document: IDataObject): string | undefined {
	return firstString(document.documentTitle, document.name);
}

/** A document's `createDate` (documented) as the text Circularo sent, for a search's date range. */
export function createDateOf(document: IDataObject): string | undefined {
	const value = document.createDate;
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A document's `createDate` as epoch ms: [assumed] ISO 8601 text or epoch ms, as the docs show both. */
export function createdAt(document: IDataObject): number | undefined {
	const value = document.createDate;
	const time =
		typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
	return Number.isFinite(time) ? time : undefined;
}

/** A document's state, documented as `workflow.shareStateName` (see DOCUMENT_STATES). */
export function documentStatus(document: IDataObject): unknown {
	return asObject(document.workflow)?.shareStateName;
}

/** The hash of a document's current PDF, documented as `pdfFile.content`. */
export function fileHashOf(document: IDataObject): unknown {
	return asObject(document.pdfFile)?.content;
}

/** Document types a file can become: those whose `definitionType` lists `ext`, or does not say. */
export function isFileBasedType(definition: IDataObject): boolean {
	const kinds = definition.definitionType;
	if (kinds === undefined || kinds === null) return true;
	return (Array.isArray(kinds) ? kinds : [kinds]).includes(FILE_DEFINITION_TYPE);
}

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

/** [assumed] What one history entry says: read as `{ event, actor, date, message }`. */
export interface HistoryEntry {
	event?: string;
	actor?: unknown;
	date?: string;
	message?: string;
}

export function historyEntry(entry: IDataObject): HistoryEntry {
	return {
		event: textOf(entry.event),
		actor: entry.actor,
		date: textOf(entry.date),
		message: textOf(entry.message),
	};
}

/**
 * What a document's history says about one event: the last entry of `event` wins (its `message`
 * is the reason given for a rejection or a cancellation).
 */
export function lastHistoryEntry(document: IDataObject, event: string): HistoryEntry | undefined {
	return documentHistory(document)
		.map(historyEntry)
		.filter((candidate) => candidate.event === event)
		.at(-1);
}

/** A user a record names (a history entry's actor): its id, name and e-mail, each null when absent. */
export interface RecordUser extends IDataObject {
	id: string | null;
	name: string | null;
	email: string | null;
}

/**
 * [assumed] A user as a record names one: a user name or e-mail, or an object with `id`/`userId`,
 * `name`/`fullName`/`username` and `email`/`mail`. Null when it names no one.
 */
export function recordUser(value: unknown): RecordUser | null {
	if (typeof value === 'string' && value !== '') {
		return value.includes('@')
			? { id: null, name: null, email: value }
			: { id: null, name: value, email: null };
	}
	const user = asObject(value);
	if (!user) return null;
	const named: RecordUser = {
		id: firstString(user.id, user.userId) ?? null,
		name: firstString(user.name, user.fullName, user.username) ?? null,
		email: firstString(user.email, user.mail) ?? null,
	};
	return named.id === null && named.name === null && named.email === null ? null : named;
}

/**
 * [assumed] The list echoes each webhook's `hmacSecret` as create does (documented for create
 * only): an entry naming another secret is not this registration; one naming none is trusted.
 */
export function webhookSecretMatches(webhook: CircularoWebhook, secret: string): boolean {
	return webhook.hmacSecret === undefined || webhook.hmacSecret === secret;
}

/** Same callback URL and scope; the secret is compared separately. */
export function isSameTarget(remote: CircularoWebhook, wanted: WebhookRequest): boolean {
	if (remote.callbackUrl !== wanted.callbackUrl || remote.type !== wanted.type) return false;
	// For "my team" Circularo fills in the team name itself, so only a requested name must match.
	return wanted.name === undefined || remote.name === wanted.name;
}

/** A share's id, in the answers of POST /share and of a reminder: [assumed] `shareId`, or `id`. */
export function shareIdOf(share: IDataObject): string | undefined {
	return firstString(share.shareId, share.id);
}

/** Whom a share names ([assumed] `sharedWith[]` or `sharedUsername`), in lower case. */
export function sharedWithNames(share: IDataObject): string[] {
	const names = Array.isArray(share.sharedWith) ? share.sharedWith : [];
	return [...names, share.sharedUsername]
		.filter((name): name is string => typeof name === 'string')
		.map((name) => name.toLowerCase());
}

/** [assumed] The type of the document a share is of: `sharedObjectEsType`. */
export function sharedDocumentType(share: IDataObject): string | undefined {
	return firstString(share.sharedObjectEsType);
}

function templateRoleOf(entity: IDataObject): TemplateRole {
	const shareData = Array.isArray(entity.shareData) ? entity.shareData : [];
	const first = asObject(shareData[0]) ?? {};
	const user = asObject(first.user);
	const order = Number(entity.order);
	return {
		purpose: firstString(entity.shareType, entity.sharePurpose) ?? 'sign',
		order: Number.isInteger(order) && order > 0 ? order : undefined,
		user: firstString(user?.name, user?.email, user?.username, first.user, first.shareTo),
		roleId: textOf(entity.userRoleId),
	};
}

function objectsIn(list: unknown): IDataObject[] {
	return (Array.isArray(list) ? list : [])
		.map((entry) => asObject(entry))
		.filter((entry): entry is IDataObject => entry !== undefined);
}

/**
 * A template record read leniently ([assumed] its fields inside `data` or at the top), with the
 * documented `fields`, `signEntities` (its roles) and `signFields`; undefined when it has no id.
 */
export function templateOf(record: IDataObject | undefined): Template | undefined {
	const data = asObject(record?.data) ?? record;
	const templateId = firstString(record?.id, record?.templateId, data?.id, data?.templateId);
	if (!record || !data || templateId === undefined) return undefined;
	const fields = (Array.isArray(data.fields) ? data.fields : [])
		.map((field) => firstString(field, asObject(field)?.name))
		.filter((name): name is string => name !== undefined);
	return {
		templateId,
		name: firstString(data.name, data.templateName, data.title) ?? templateId,
		documentType: firstString(data.documentType),
		fileHash: firstString(data.file, asObject(data.file)?.content, asObject(data.pdfFile)?.content),
		fields,
		roles: objectsIn(data.signEntities).map(templateRoleOf),
		signFields: objectsIn(data.signFields),
		raw: record,
	};
}

/** One of a template's signature fields as a share takes it; `signer` is whom it names. */
export interface TemplateSignField {
	signer: string;
	page: number;
	position: FieldPosition;
	type?: string;
}

/**
 * A template's signature field. Documented keys: `user` (a user or [assumed] a role id, alone or
 * first in a list), `type`, `page` (or `pages`), `position` in `percent*` keys; what is missing
 * falls back to page 1, near the bottom.
 */
export function templateSignField(field: IDataObject): TemplateSignField {
	const pages = Array.isArray(field.pages) ? field.pages : [field.page];
	const page = Number(pages[0] ?? 1);
	const position = asObject(field.position) ?? {};
	return {
		signer: firstString(Array.isArray(field.user) ? field.user[0] : field.user) ?? '',
		page: Number.isInteger(page) && page > 0 ? page : 1,
		position: {
			x: Number(position.percentX ?? 0.05),
			y: Number(position.percentY ?? 0.88),
			width: Number(position.percentWidth ?? 0.2),
			height: Number(position.percentHeight ?? 0.05),
		},
		type: firstString(field.type),
	};
}
