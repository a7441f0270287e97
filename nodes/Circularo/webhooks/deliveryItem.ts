/**
 * A delivery's signed body (as readSignedBody reads it) as a typed item: the trigger's item, and
 * what Send and Wait for Signature reads an ending from. The field names are partly assumed
 * (DELIVERY_FIELD_CANDIDATES, deliveryAssumptions.ts) and read leniently: an unrecognised shape
 * yields empty typed fields and the untouched payload, never an exception.
 */
import type { IDataObject } from 'n8n-workflow';

import { asObject, textOf } from '../circularo/answers';
import {
	ACTOR_FIELD_CANDIDATES,
	DELIVERY_FIELD_CANDIDATES,
	EPOCH_MILLISECONDS_THRESHOLD,
} from './deliveryAssumptions';
import { isCircularoEvent, type CircularoEventName, type UnknownEventName } from '../events';

/** Who caused the event, normalised from whatever shape the delivery used. */
export interface CircularoActor extends IDataObject {
	id: string | null;
	name: string | null;
	email: string | null;
}

/** The item the trigger emits for one delivery of event E (its fields are those of version 0.1.0). */
export interface CircularoEventItem<
	E extends CircularoEventName | UnknownEventName,
> extends IDataObject {
	event: E;
	documentId: string | null;
	documentTitle: string | null;
	actor: CircularoActor | null;
	/** ISO 8601; null when the delivery carried no readable timestamp. */
	occurredAt: string | null;
	/** ISO 8601, when n8n received the delivery. */
	receivedAt: string;
	/** The delivery body exactly as signed: its bytes parsed as JSON, or the text when they are not JSON. */
	payload: IDataObject | IDataObject[] | string | number | boolean | null;
	/** Set when the signed PDF or audit trail was requested but could not be downloaded. */
	downloadError?: string;
	/** Present only when the "Include Request Headers" option is on. */
	headers?: IDataObject;
}

/** Every item the trigger can emit, discriminated by `event`. */
export type CircularoTriggerItem =
	| { [E in CircularoEventName]: CircularoEventItem<E> }[CircularoEventName]
	| CircularoEventItem<UnknownEventName>;

type Path = readonly string[];

/** The candidate paths as lists of keys ("document.id" reads key "id" of key "document"). */
function pathsOf<K extends string>(candidates: Record<K, readonly string[]>): Record<K, Path[]> {
	const paths = {} as Record<K, Path[]>;
	for (const field of Object.keys(candidates) as K[])
		paths[field] = candidates[field].map((path) => path.split('.'));
	return paths;
}

const DELIVERY_PATHS = pathsOf(DELIVERY_FIELD_CANDIDATES);
const ACTOR_PATHS = pathsOf(ACTOR_FIELD_CANDIDATES);

function readPath(body: IDataObject, path: Path): unknown {
	let current: unknown = body;
	for (const key of path) {
		const object = asObject(current);
		if (!object || !Object.prototype.hasOwnProperty.call(object, key)) return undefined;
		current = object[key];
	}
	return current;
}

function firstText(body: IDataObject, paths: Path[]): string | null {
	for (const path of paths) {
		const found = textOf(readPath(body, path));
		if (found !== undefined) return found;
	}
	return null;
}

/**
 * The event is the first candidate that names a documented event; `type` and `name` also mean other
 * things (a webhook scope, a person), so a candidate with an unknown value does not stop the search.
 */
function readEvent(body: IDataObject): CircularoEventName | UnknownEventName {
	for (const path of DELIVERY_PATHS.event) {
		const value = readPath(body, path);
		if (isCircularoEvent(value)) return value;
	}
	return 'unknown';
}

export function actorFrom(value: unknown): CircularoActor | null {
	if (typeof value === 'string' && value !== '') {
		return value.includes('@')
			? { id: null, name: null, email: value }
			: { id: null, name: value, email: null };
	}
	const object = asObject(value);
	if (!object) return null;
	const actor: CircularoActor = {
		id: firstText(object, ACTOR_PATHS.id),
		name: firstText(object, ACTOR_PATHS.name),
		email: firstText(object, ACTOR_PATHS.email),
	};
	return actor.id === null && actor.name === null && actor.email === null ? null : actor;
}

function readActor(body: IDataObject): CircularoActor | null {
	for (const path of DELIVERY_PATHS.actor) {
		const actor = actorFrom(readPath(body, path));
		if (actor) return actor;
	}
	return null;
}

function dateFromEpoch(epoch: number): Date {
	return new Date(epoch < EPOCH_MILLISECONDS_THRESHOLD ? epoch * 1000 : epoch);
}

function isoFrom(value: unknown): string | null {
	let date: Date | undefined;
	if (typeof value === 'number' && Number.isFinite(value)) {
		date = dateFromEpoch(value);
	} else if (typeof value === 'string' && value.trim() !== '') {
		const trimmed = value.trim();
		date = /^\d+$/.test(trimmed) ? dateFromEpoch(Number(trimmed)) : new Date(trimmed);
	}
	return date && !Number.isNaN(date.getTime()) ? date.toISOString() : null;
}

function readOccurredAt(body: IDataObject): string | null {
	for (const path of DELIVERY_PATHS.occurredAt) {
		const iso = isoFrom(readPath(body, path));
		if (iso) return iso;
	}
	return null;
}

/** Maps one delivery body (as readSignedBody returns it) to the trigger's item. Never throws. */
export function deliveryItem(body: unknown, receivedAt: Date): CircularoTriggerItem {
	const fields = asObject(body) ?? {};
	return {
		event: readEvent(fields),
		documentId: firstText(fields, DELIVERY_PATHS.documentId),
		documentTitle: firstText(fields, DELIVERY_PATHS.documentTitle),
		actor: readActor(fields),
		occurredAt: readOccurredAt(fields),
		receivedAt: receivedAt.toISOString(),
		payload: (body === undefined ? null : body) as CircularoTriggerItem['payload'],
	} as CircularoTriggerItem;
}
