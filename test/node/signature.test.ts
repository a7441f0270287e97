import { createHmac } from 'crypto';

import { claimedDigest, isValidSignature } from '../../nodes/Circularo/trigger/signature';

const secret = 'test-signing-secret';
// Independent of the code under test: Node's HMAC, written out here.
const sign = (body: Buffer, key = secret) => createHmac('sha256', key).update(body).digest('hex');

describe('isValidSignature', () => {
	const body = Buffer.from('{"event":"documentCompleted","documentId":"d-1"}');

	it('accepts the HMAC-SHA256 hex of the exact bytes', () => {
		expect(isValidSignature(body, sign(body), secret)).toBe(true);
	});

	it.each([
		['upper-case hex', (s: string) => s.toUpperCase()],
		['sha256= prefix', (s: string) => `sha256=${s}`],
		['SHA256= prefix, upper-case', (s: string) => `SHA256=${s.toUpperCase()}`],
		['surrounding white space', (s: string) => `  ${s} `],
	])('accepts %s', (_name, variant) => {
		expect(isValidSignature(body, variant(sign(body)), secret)).toBe(true);
	});

	it('rejects a tampered body', () => {
		const tampered = Buffer.from(body.toString().replace('d-1', 'd-2'));
		expect(isValidSignature(tampered, sign(body), secret)).toBe(false);
	});

	it('rejects a signature made with another secret', () => {
		expect(isValidSignature(body, sign(body, 'another-secret'), secret)).toBe(false);
	});

	it.each([
		['missing', undefined],
		['empty', ''],
		['non-hex', 'z'.repeat(64)],
		['too short', 'ab'.repeat(31)],
		['too long', 'ab'.repeat(33)],
		['prefix only', 'sha256='],
		['another algorithm prefix', `sha1=${'ab'.repeat(32)}`],
		['a repeated header (array)', ['a', 'b']],
	])('rejects a %s header, and names no digest for it', (_name, header) => {
		expect(isValidSignature(body, header, secret)).toBe(false);
		expect(claimedDigest(header)).toBeNull();
	});

	it('rejects everything when there is no secret', () => {
		expect(isValidSignature(body, sign(body, ''), '')).toBe(false);
	});

	it.each([
		[
			'extra white space',
			'{ "event" : "documentSigned" ,\n "documentId": "d-1" }',
			'{"event":"documentSigned","documentId":"d-1"}',
		],
		[
			'another key order',
			'{"documentId":"d-1","event":"documentSigned"}',
			'{"event":"documentSigned","documentId":"d-1"}',
		],
		['unicode escapes', '{"documentTitle":"Vertr\\u00e4ge"}', '{"documentTitle":"Verträge"}'],
		['escaped slash', '{"documentTitle":"a\\/b"}', '{"documentTitle":"a/b"}'],
	])('verifies the received bytes, not an equivalent JSON text (%s)', (_name, text, equivalent) => {
		const received = Buffer.from(text, 'utf8');
		const other = Buffer.from(equivalent, 'utf8');
		expect(JSON.parse(text)).toEqual(JSON.parse(equivalent));
		expect(received.equals(other)).toBe(false);
		expect(isValidSignature(received, sign(received), secret)).toBe(true);
		expect(isValidSignature(other, sign(received), secret)).toBe(false);
	});
});
