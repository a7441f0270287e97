import {
	DELIVERY_FIELD_CANDIDATES,
	EPOCH_MILLISECONDS_THRESHOLD,
	readSignedBody,
} from '../../nodes/Circularo/webhooks/deliveryAssumptions';
import { deliveryItem } from '../../nodes/Circularo/webhooks/deliveryItem';
import { CIRCULARO_EVENTS } from '../../nodes/Circularo/events';

// The simulator builds each candidate shape from circularo-api.md independently of the node's reader.
const { buildPayload, PAYLOAD_SHAPES } = require('../../simulator');

const receivedAt = new Date('2026-11-28T12:00:00.000Z');
const at = new Date('2026-11-27T08:30:15.250Z');

describe('deliveryItem over every simulator shape', () => {
	const knownShapes = (PAYLOAD_SHAPES as string[]).filter((shape) => shape !== 'unknown');

	it('puts the event, in some shape, at every place the node reads it from', () => {
		const at_ = (body: unknown, path: string) =>
			path.split('.').reduce((value: any, key) => value?.[key], body);
		const placesUsed = knownShapes.map((shape) => {
			const body = buildPayload(shape, { event: 'documentSigned', documentId: 'd', at });
			return DELIVERY_FIELD_CANDIDATES.event.find((path) => at_(body, path) === 'documentSigned');
		});
		expect(new Set(placesUsed)).toEqual(new Set(DELIVERY_FIELD_CANDIDATES.event));
	});

	describe.each(knownShapes)('shape %s', (shape) => {
		it.each([...CIRCULARO_EVENTS])('reads %s', (event) => {
			const body = buildPayload(shape, {
				event,
				documentId: 'doc-42',
				documentTitle: 'NDA Acme',
				actor: { id: 'u-7', name: 'Jane Roe', username: 'jane', email: 'jane@acme.test' },
				at,
			});
			const item = deliveryItem(body, receivedAt);
			expect(item.event).toBe(event);
			expect(item.documentId).toBe('doc-42');
			expect(item.occurredAt).toBe(at.toISOString());
			expect(item.receivedAt).toBe(receivedAt.toISOString());
			expect(item.actor).not.toBeNull();
			expect([item.actor?.email, item.actor?.name]).toEqual(
				expect.arrayContaining([expect.stringMatching(/jane/i)]),
			);
			expect(item.payload).toBe(body);
		});
	});

	it('reads the title where the shape carries one', () => {
		for (const shape of knownShapes) {
			const body = buildPayload(shape, {
				event: 'documentSigned',
				documentId: 'd',
				documentTitle: 'NDA Acme',
				at,
			});
			const hasTitle = JSON.stringify(body).includes('NDA Acme');
			expect(deliveryItem(body, receivedAt).documentTitle).toBe(hasTitle ? 'NDA Acme' : null);
		}
	});

	it('emits "unknown" with empty typed fields and the payload intact for an unrecognised shape', () => {
		const body = buildPayload('unknown', { event: 'documentCompleted', documentId: 'doc-42', at });
		const item = deliveryItem(body, receivedAt);
		expect(item.event).toBe('unknown');
		expect(item.payload).toEqual(body);
	});
});

describe('deliveryItem on hand-written deliveries', () => {
	it('reads the documented default names', () => {
		const item = deliveryItem(
			{
				event: 'documentCompleted',
				documentId: 'd-1',
				documentTitle: 'Lease',
				user: 'ann@x.test',
				timestamp: 1764230400000,
			},
			receivedAt,
		);
		expect(item).toEqual({
			event: 'documentCompleted',
			documentId: 'd-1',
			documentTitle: 'Lease',
			actor: { id: null, name: null, email: 'ann@x.test' },
			occurredAt: '2025-11-27T08:00:00.000Z',
			receivedAt: receivedAt.toISOString(),
			payload: {
				event: 'documentCompleted',
				documentId: 'd-1',
				documentTitle: 'Lease',
				user: 'ann@x.test',
				timestamp: 1764230400000,
			},
		});
	});

	it('reads the documented names first: actor wins over user', () => {
		const item = deliveryItem(
			{
				event: 'signRejected',
				actor: 'ann@x.test',
				user: 'bob@x.test',
				documentId: 'd-1',
				id: 'other',
			},
			receivedAt,
		);
		expect(item.actor).toEqual({ id: null, name: null, email: 'ann@x.test' });
		expect(item.documentId).toBe('d-1');
	});

	it('skips a candidate whose value is not an event (type is also a scope, name also a person)', () => {
		const item = deliveryItem(
			{ type: 'team', name: 'Bob', action: 'signRejected', id: 'd-9' },
			receivedAt,
		);
		expect(item.event).toBe('signRejected');
		expect(item.documentId).toBe('d-9');
		expect(item.actor).toBeNull();
	});

	it('reads epoch seconds, numeric strings and numeric ids', () => {
		const item = deliveryItem(
			{ event: 'signExpired', documentId: 17, time: 1764230400 },
			receivedAt,
		);
		expect(item.documentId).toBe('17');
		expect(item.occurredAt).toBe('2025-11-27T08:00:00.000Z');
		expect(
			deliveryItem({ event: 'signExpired', date: '1764230400000' }, receivedAt).occurredAt,
		).toBe('2025-11-27T08:00:00.000Z');
	});

	it('reads a string of digits as seconds or milliseconds by the same threshold as a number', () => {
		expect(deliveryItem({ timestamp: '1764230400' }, receivedAt).occurredAt).toBe(
			'2025-11-27T08:00:00.000Z',
		);
		expect(deliveryItem({ timestamp: ' 1764230400 ' }, receivedAt).occurredAt).toBe(
			'2025-11-27T08:00:00.000Z',
		);
		expect(
			deliveryItem({ timestamp: String(EPOCH_MILLISECONDS_THRESHOLD) }, receivedAt).occurredAt,
		).toBe(new Date(EPOCH_MILLISECONDS_THRESHOLD).toISOString());
	});

	it('reads an actor object by name, username, email or id', () => {
		expect(deliveryItem({ executor: { username: 'kim' } }, receivedAt).actor).toEqual({
			id: null,
			name: 'kim',
			email: null,
		});
		expect(deliveryItem({ createdBy: { id: 5 } }, receivedAt).actor).toEqual({
			id: '5',
			name: null,
			email: null,
		});
		expect(deliveryItem({ actor: {} }, receivedAt).actor).toBeNull();
	});

	it.each([
		['null', null],
		['an array', [1, 2, 3]],
		['a string', 'documentCompleted'],
		['a number', 42],
		[
			'nested garbage',
			{ document: 'x', data: [null], user: [], timestamp: 'not a date', event: { a: 1 } },
		],
		['an unknown event name', { event: 'documentArchived', documentId: 'd' }],
		[
			'a prototype trap',
			JSON.parse('{"__proto__":{"event":"documentCompleted"},"constructor":{"prototype":{}}}'),
		],
	])('never throws on %s', (_name, body) => {
		const item = deliveryItem(body, receivedAt);
		expect(item.event).toBe('unknown');
		expect(item.payload).toEqual(body);
		expect(item.occurredAt).toBeNull();
	});
});

describe('readSignedBody', () => {
	it('parses the bytes as UTF-8 JSON, and keeps anything else as text', () => {
		expect(readSignedBody(Buffer.from('{"documentTitle":"Vertr\u00e4ge"}'))).toEqual({
			documentTitle: 'Verträge',
		});
		expect(readSignedBody(Buffer.from('event=documentCompleted&documentId=d'))).toBe(
			'event=documentCompleted&documentId=d',
		);
		expect(readSignedBody(Buffer.alloc(0))).toBe('');
	});
});
