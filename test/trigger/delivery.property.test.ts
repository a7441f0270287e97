/**
 * Property-based tests of the pure helpers the delivery handler relies on: payload mapping and the
 * signature check. NUM_RUNS cases each (10,000 unless FC_NUM_RUNS says otherwise; FC_SEED replays).
 */
import fc from 'fast-check';

import { DELIVERY_FIELD_CANDIDATES } from '../../nodes/Circularo/webhooks/deliveryAssumptions';
import { deliveryItem } from '../../nodes/Circularo/webhooks/deliveryItem';
import { claimedDigest, digestMatches } from '../../nodes/Circularo/webhooks/signature';
import { CIRCULARO_EVENTS } from '../../nodes/Circularo/events';
import {
	anyValue,
	check,
	hmacHex,
	NUM_RUNS,
	params,
	signatureFormat,
	validBySpec,
} from '../helpers/properties';

const anything = anyValue({ maxDepth: 3, maxKeys: 5 });

/** The top-level names the trigger reads a delivery's fields from. */
const candidateNames = Object.values(DELIVERY_FIELD_CANDIDATES).flatMap((paths) =>
	paths.map((path) => path.split('.')[0]),
);

/** Objects that use the candidate field names with values of every type. */
const candidateShaped = fc.dictionary(
	fc.constantFrom(...candidateNames, '__proto__', 'constructor', 'toString'),
	fc.oneof(
		anything,
		fc.constantFrom(...CIRCULARO_EVENTS),
		fc.double(),
		fc.integer({ min: -8.64e15, max: 8.64e15 }),
		fc.string(),
		fc.dictionary(
			fc.constantFrom(
				'id',
				'documentId',
				'title',
				'documentTitle',
				'name',
				'email',
				'userId',
				'fullName',
			),
			anything,
		),
	),
	{ maxKeys: 8 },
);

const nullableText = (v: unknown) => v === null || (typeof v === 'string' && v !== '');

describe('payload mapping properties', () => {
	it(`deliveryItem never throws, keeps the body as payload and yields well-typed fields (${NUM_RUNS} cases)`, () => {
		const receivedAt = new Date('2026-01-02T03:04:05.000Z');
		fc.assert(
			fc.property(fc.oneof(anything, candidateShaped), (body) => {
				const item = deliveryItem(body, receivedAt);
				check(
					Object.is(item.payload, body === undefined ? null : body),
					'payload is the body itself',
					item.payload,
				);
				check(
					item.event === 'unknown' || (CIRCULARO_EVENTS as readonly string[]).includes(item.event),
					'event',
					item.event,
				);
				check(
					nullableText(item.documentId) && nullableText(item.documentTitle),
					'text fields',
					item,
				);
				check(
					item.occurredAt === null || !Number.isNaN(Date.parse(item.occurredAt)),
					'occurredAt is ISO or null',
					item.occurredAt,
				);
				check(item.receivedAt === '2026-01-02T03:04:05.000Z', 'receivedAt', item.receivedAt);
				check(
					item.actor === null ||
						(typeof item.actor === 'object' &&
							[item.actor.id, item.actor.name, item.actor.email].every(nullableText) &&
							[item.actor.id, item.actor.name, item.actor.email].some((v) => v !== null)),
					'actor is null or has at least one text field',
					item.actor,
				);
				// The item must survive n8n's JSON round trip of its typed fields.
				const { payload: _payload, ...typed } = item;
				JSON.stringify(typed);
			}),
			params(),
		);
	});
});

describe('signature properties', () => {
	const header = fc.oneof(
		fc.constant(undefined),
		fc.string({ unit: 'binary', maxLength: 90 }),
		fc.array(fc.string(), { maxLength: 3 }),
		anything,
	);

	it(`claimedDigest and digestMatches never throw on arbitrary input and accepts only the HMAC of the bytes (${NUM_RUNS} cases)`, () => {
		fc.assert(
			fc.property(
				fc.uint8Array({ maxLength: 512 }),
				header,
				fc.string({ unit: 'binary', maxLength: 64 }),
				(bytes, value, secret) => {
					const body = Buffer.from(bytes);
					const claimed = claimedDigest(value);
					const valid = claimed !== null && digestMatches(secret, body, claimed);
					check(
						valid === validBySpec(value, secret, body),
						'valid exactly for the HMAC of the bytes',
						value,
					);
				},
			),
			params(),
		);
	});

	it(`the HMAC-SHA256 hex of the bytes is accepted in every documented format (${NUM_RUNS} cases)`, () => {
		fc.assert(
			fc.property(
				fc.uint8Array({ maxLength: 512 }),
				fc.string({ unit: 'grapheme', minLength: 1, maxLength: 64 }),
				signatureFormat,
				(bytes, secret, format) => {
					const body = Buffer.from(bytes);
					const signature = hmacHex(secret, body);
					const claimed = claimedDigest(format(signature));
					check(
						claimed !== null && digestMatches(secret, body, claimed),
						'accepted',
						format(signature),
					);
				},
			),
			params(),
		);
	});
});
