/**
 * Reading Circularo deliveries.
 *
 * Circularo documents that every delivery carries the document id, the event type, the actor and a
 * timestamp, but not the field names. Every guess about those names lives here, in
 * DELIVERY_FIELD_CANDIDATES, and is read leniently: an unrecognised shape yields empty typed
 * fields and the untouched payload, never an exception.
 */
import type { IDataObject } from 'n8n-workflow';

import type {
	CircularoActor,
	CircularoEventName,
	CircularoTriggerItem,
	UnknownEventName,
} from './types';
import { CIRCULARO_EVENTS } from './types';

/** [assumed] Candidate paths for each typed field, in order of preference. */
export const DELIVERY_FIELD_CANDIDATES = {
	event: ['event', 'eventType', 'type', 'action', 'name'],
	documentId: ['documentId', 'document.documentId', 'document.id', 'data.documentId', 'id'],
	documentTitle: ['documentTitle', 'document.documentTitle', 'document.title', 'title'],
	actor: ['user', 'actor', 'username', 'userName', 'executor', 'createdBy'],
	occurredAt: ['timestamp', 'date', 'time', 'createDate', 'eventDate'],
} as const;

const KNOWN_EVENTS = new Set<string>(CIRCULARO_EVENTS);

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readPath(body: IDataObject, path: string): unknown {
	let current: unknown = body;
	for (const key of path.split('.')) {
		if (!isObject(current) || !Object.prototype.hasOwnProperty.call(current, key)) return undefined;
		current = current[key];
	}
	return current;
}

function firstText(body: IDataObject, paths: readonly string[]): string | null {
	for (const path of paths) {
		const value = readPath(body, path);
		if (typeof value === 'string' && value !== '') return value;
		if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	}
	return null;
}

/**
 * The event is the first candidate that names a documented event; `type` and `name` also mean other
 * things (a webhook scope, a person), so a candidate with an unknown value does not stop the search.
 */
export function readEvent(body: unknown): CircularoEventName | UnknownEventName {
	if (!isObject(body)) return 'unknown';
	for (const path of DELIVERY_FIELD_CANDIDATES.event) {
		const value = readPath(body, path);
		if (typeof value === 'string' && KNOWN_EVENTS.has(value)) return value as CircularoEventName;
	}
	return 'unknown';
}

function text(value: unknown): string | null {
	if (typeof value === 'string' && value !== '') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}

function actorFrom(value: unknown): CircularoActor | null {
	if (typeof value === 'string' && value !== '') {
		return value.includes('@')
			? { id: null, name: null, email: value }
			: { id: null, name: value, email: null };
	}
	if (!isObject(value)) return null;
	const actor: CircularoActor = {
		id: text(value.id) ?? text(value.userId),
		name: text(value.name) ?? text(value.username) ?? text(value.userName) ?? text(value.fullName),
		email: text(value.email),
	};
	return actor.id === null && actor.name === null && actor.email === null ? null : actor;
}

export function readActor(body: IDataObject): CircularoActor | null {
	for (const path of DELIVERY_FIELD_CANDIDATES.actor) {
		const actor = actorFrom(readPath(body, path));
		if (actor) return actor;
	}
	return null;
}

// Epoch values below this are seconds, above it milliseconds (1e11 s is the year 5138).
const EPOCH_MILLISECONDS_THRESHOLD = 1e11;

function isoFrom(value: unknown): string | null {
	let date: Date | undefined;
	if (typeof value === 'number' && Number.isFinite(value)) {
		date = new Date(value < EPOCH_MILLISECONDS_THRESHOLD ? value * 1000 : value);
	} else if (typeof value === 'string' && value.trim() !== '') {
		const trimmed = value.trim();
		date = /^\d+$/.test(trimmed) ? new Date(Number(trimmed)) : new Date(trimmed);
	}
	return date && !Number.isNaN(date.getTime()) ? date.toISOString() : null;
}

export function readOccurredAt(body: IDataObject): string | null {
	for (const path of DELIVERY_FIELD_CANDIDATES.occurredAt) {
		const iso = isoFrom(readPath(body, path));
		if (iso) return iso;
	}
	return null;
}

/** Maps one parsed delivery body to the trigger's item. Never throws. */
export function toTriggerItem(body: unknown, receivedAt: Date): CircularoTriggerItem {
	const payload = (body === undefined ? null : body) as CircularoTriggerItem['payload'];
	const fields = isObject(body) ? body : {};
	return {
		event: readEvent(body),
		documentId: firstText(fields, DELIVERY_FIELD_CANDIDATES.documentId),
		documentTitle: firstText(fields, DELIVERY_FIELD_CANDIDATES.documentTitle),
		actor: readActor(fields),
		occurredAt: readOccurredAt(fields),
		receivedAt: receivedAt.toISOString(),
		payload,
	} as CircularoTriggerItem;
}
