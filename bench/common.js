// @ts-check
'use strict';
/**
 * Shared pieces of the benchmark: delivery bodies of an exact size, and statistics. No timing
 * happens here. Signing, tables and load measurement come from the e2e harness (e2e/lib).
 */

const { buildPayload } = require('../simulator/payloads');
const { signedDelivery } = require('../e2e/lib/circularo/trigger');

/**
 * The signing secret of the bench's credentials (a test value, not a credential of anyone's): (c)'s
 * Crypto credential checks deliveries with it; the Circularo Trigger derives its registration's
 * secret from it, so deliveries to (a) are signed with the one Circularo holds instead.
 */
const BENCH_SECRET = 'bench-only-signing-secret-0123456789abcdef';
/**
 * A fixed header every delivery carries, for (d)'s Header Auth credential to check: the
 * signature changes with every body, and no two deliveries carry the same body.
 */
const BENCH_TOKEN_HEADER = 'x-bench-token';
const BENCH_TOKEN = 'bench-only-header-token-0123456789';

/**
 * A Circularo delivery in the simulator's `default` shape, padded with form-field entries (as a
 * document with many fields would carry) to exactly `size` bytes of UTF-8 JSON.
 * @param {number} size bytes, at least 400
 * @param {{ event?: string, documentId?: string, seq?: number }} [o]
 * @returns {Buffer}
 */
function makeBody(size, o = {}) {
	const base = buildPayload('default', {
		event: o.event || 'documentCompleted',
		documentId: o.documentId || 'doc-sales-1',
		documentTitle: 'Bench contract',
		actor: {
			id: 'u-1',
			name: 'Sales Admin',
			username: 'sales.admin',
			email: 'sales.admin@acme.test',
		},
		// Now: the trigger refuses a signed time more than 15 minutes off (a replay).
		at: Date.now(),
	});
	/** @type {{ name: string, value: string }[]} */
	const fields = [];
	// `delivery` makes every body unique, so no delivery is an exact repeat of another.
	const body = { ...base, delivery: o.seq || 0, fields, padding: '' };
	const length = () => Buffer.byteLength(JSON.stringify(body));
	if (length() > size)
		throw new RangeError(`makeBody: ${size} bytes is smaller than the bare delivery`);
	// Whole field entries first (about 60 bytes each, counted as they are added), then a padding
	// string for the exact size.
	const entry = (/** @type {number} */ i) => ({
		name: `field_${i}`,
		value: `value of form field number ${i}`,
	});
	let total = length();
	for (let i = 0; i < 1_000_000; i++) {
		const e = entry(i);
		const add = Buffer.byteLength(JSON.stringify(e)) + (fields.length > 0 ? 1 : 0);
		if (total + add + 64 >= size) break;
		fields.push(e);
		total += add;
	}
	body.padding = 'x'.repeat(Math.max(0, size - length()));
	const bytes = Buffer.from(JSON.stringify(body));
	if (bytes.length !== size)
		throw new Error(`makeBody: built ${bytes.length} bytes, wanted ${size}`);
	return bytes;
}

/** @param {number[]} xs */
function median(xs) {
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** @param {number} bytes */
function sizeLabel(bytes) {
	if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes / (1 << 20)} MB`;
	if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
	return `${bytes} B`;
}

/** @param {boolean} ok */
function verdict(ok) {
	return ok ? 'met' : 'MISSED';
}

/**
 * Delivery number `seq`: a body of `size` bytes signed with `secret`, unique (its `delivery`
 * field is `seq`) so that no delivery is an exact repeat of another, which the trigger acknowledges
 * and drops.
 * @param {number} size @param {number} seq @param {string} secret
 */
function benchDelivery(size, seq, secret) {
	// An event no document state confirms: the trigger maps it as signed. An ending event
	// (documentCompleted, ...) would make it read the document first (docs/security.md), which part 2
	// does not measure.
	const { body, headers } = signedDelivery(
		secret,
		makeBody(size, { event: 'documentSigned', seq }),
	);
	return { body, headers: { ...headers, [BENCH_TOKEN_HEADER]: BENCH_TOKEN } };
}

/**
 * Runs one bench part as a script: prints the text it returns, exit code 2 when it throws.
 * @param {() => Promise<{ text: string }>} part
 */
function runAsScript(part) {
	Promise.resolve()
		.then(part)
		.then((r) => {
			process.stdout.write(`${r.text}\n`);
			process.exitCode = 0;
		})
		.catch((e) => {
			process.stderr.write(`${e.stack || e}\n`);
			process.exitCode = 2;
		});
}

module.exports = {
	runAsScript,
	BENCH_SECRET,
	BENCH_TOKEN_HEADER,
	BENCH_TOKEN,
	makeBody,
	benchDelivery,
	median,
	sizeLabel,
	verdict,
};
