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
} from '../types';
import { CIRCULARO_EVENTS } from '../types';

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

// Candidate paths split once, not on every delivery.
const PATH_KEYS = new Map<string, readonly string[]>();

function keysOf(path: string): readonly string[] {
	let keys = PATH_KEYS.get(path);
	if (keys === undefined) {
		keys = path.split('.');
		PATH_KEYS.set(path, keys);
	}
	return keys;
}

function readPath(body: IDataObject, path: string): unknown {
	let current: unknown = body;
	for (const key of keysOf(path)) {
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

// An ISO timestamp already in the form toISOString() writes (YYYY-MM-DDTHH:mm:ss.sssZ), with a day
// every month has, is returned as it is: parsing and re-serialising it would give the same text, at
// many times the cost. Checked character by character (a regular expression costs more here).
const ISO_SEPARATORS: ReadonlyArray<[number, number]> = [
	[4, 0x2d], [7, 0x2d], [10, 0x54], [13, 0x3a], [16, 0x3a], [19, 0x2e], [23, 0x5a],
];
const ISO_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22];

function canonicalIso(value: string): string | null {
	if (value.length !== 24) return null;
	for (const [at, code] of ISO_SEPARATORS) if (value.charCodeAt(at) !== code) return null;
	for (const at of ISO_DIGITS) {
		const code = value.charCodeAt(at);
		if (code < 0x30 || code > 0x39) return null;
	}
	const twoAt = (at: number) => (value.charCodeAt(at) - 0x30) * 10 + value.charCodeAt(at + 1) - 0x30;
	const month = twoAt(5);
	const day = twoAt(8);
	const valid = month >= 1 && month <= 12 && day >= 1 && day <= 28 && twoAt(11) <= 23 && twoAt(14) <= 59 && twoAt(17) <= 59;
	return valid ? value : null;
}

function isoFrom(value: unknown): string | null {
	if (typeof value === 'string') {
		const canonical = canonicalIso(value);
		if (canonical !== null) return canonical;
	}
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

function twoDigits(n: number): string {
	return n < 10 ? `0${n}` : `${n}`;
}

/**
 * The same text as `date.toISOString()` for years 1000 to 9999, written field by field: V8's
 * toISOString is the largest single cost of mapping a delivery. Other years use toISOString.
 */
export function isoString(date: Date): string {
	const year = date.getUTCFullYear();
	if (!(year >= 1000 && year <= 9999)) return date.toISOString();
	const ms = date.getUTCMilliseconds();
	return (
		`${year}-${twoDigits(date.getUTCMonth() + 1)}-${twoDigits(date.getUTCDate())}` +
		`T${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}:${twoDigits(date.getUTCSeconds())}` +
		`.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`
	);
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
		receivedAt: isoString(receivedAt),
		payload,
	} as CircularoTriggerItem;
}
