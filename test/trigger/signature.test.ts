import { claimedDigest, digestMatches } from '../../nodes/Circularo/webhooks/signature';

const { hmacHex } = require('../../simulator');

const secret = 'test-signing-secret';
// Independent of the code under test: the simulator signs as Circularo does.
const sign = (body: Buffer, key = secret): string => hmacHex(key, body);

/** What webhook() does with a delivery's header: read the digest it names, then compare. */
function verifies(body: Buffer, header: unknown, key = secret): boolean {
	const claimed = claimedDigest(header);
	return claimed !== null && digestMatches(key, body, claimed);
}

describe('claimedDigest and digestMatches', () => {
	const body = Buffer.from('{"event":"documentCompleted","documentId":"d-1"}');

	it('accepts the HMAC-SHA256 hex of the exact bytes', () => {
		expect(verifies(body, sign(body))).toBe(true);
	});

	it.each([
		['upper-case hex', (s: string) => s.toUpperCase()],
		['sha256= prefix', (s: string) => `sha256=${s}`],
		['SHA256= prefix, upper-case', (s: string) => `SHA256=${s.toUpperCase()}`],
		['surrounding white space', (s: string) => `  ${s} `],
	])('accepts %s', (_name, variant) => {
		expect(verifies(body, variant(sign(body)))).toBe(true);
	});

	it('rejects a tampered body', () => {
		const tampered = Buffer.from(body.toString().replace('d-1', 'd-2'));
		expect(verifies(tampered, sign(body))).toBe(false);
	});

	it('rejects a signature made with another secret', () => {
		expect(verifies(body, sign(body, 'another-secret'))).toBe(false);
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
		expect(verifies(body, header)).toBe(false);
		expect(claimedDigest(header)).toBeNull();
	});

	it('rejects everything when there is no secret', () => {
		expect(verifies(body, sign(body, ''), '')).toBe(false);
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
		expect(verifies(received, sign(received))).toBe(true);
		expect(verifies(other, sign(received))).toBe(false);
	});
});
