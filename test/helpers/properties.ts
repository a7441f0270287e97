/**
 * What the property tests share: how many cases each runs (10,000 unless FC_NUM_RUNS says
 * otherwise; FC_SEED replays a failure), a plain assertion fast enough for that many, and the
 * documented signature rule written out independently of nodes/Circularo/webhooks/signature.ts.
 */
import { inspect } from 'util';
import fc from 'fast-check';

const { hmacHex } = require('../../simulator') as {
	hmacHex: (secret: string, bytes: Buffer) => string;
};

export { hmacHex };

export const NUM_RUNS = Number(process.env.FC_NUM_RUNS || 10_000);
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;

export const params = (): fc.Parameters<unknown> => ({
	numRuns: NUM_RUNS,
	seed: SEED,
	endOnFailure: false,
});

/** Plain assertions: jest's matchers cost milliseconds per call, too slow for 10,000 cases. */
export function check(condition: boolean, what: string, ...values: unknown[]): void {
	if (!condition)
		throw new Error(
			`${what}: ${values.map((v) => inspect(v, { depth: 4, maxStringLength: 200 })).join(' | ')}`,
		);
}

/** Any JavaScript value, including the odd ones (null prototypes, boxed values, sparse arrays). */
export const anyValue = (size: { maxDepth: number; maxKeys: number }) =>
	fc.anything({
		...size,
		withNullPrototype: true,
		withBigInt: true,
		withDate: true,
		withMap: true,
		withSet: true,
		withTypedArray: true,
		withSparseArray: true,
		withBoxedValues: true,
		withObjectString: true,
	});

export const utf8 = (text: string) => Buffer.from(text, 'utf8');

/** The documented acceptance rule: bare hex or `sha256=`, any letter case, white space around ignored. */
export function validBySpec(header: unknown, secret: string, bytes: Buffer): boolean {
	if (typeof header !== 'string' || secret === '') return false;
	const lower = header.trim().toLowerCase();
	const hex = lower.startsWith('sha256=') ? lower.slice(7) : lower;
	return hex === hmacHex(secret, bytes);
}

/** How a correct signature may be written: bare, upper case, `sha256=` prefix, padded. */
export const signatureFormat = fc.constantFrom(
	(hex: string) => hex,
	(hex: string) => hex.toUpperCase(),
	(hex: string) => `sha256=${hex}`,
	(hex: string) => `SHA256=${hex.toUpperCase()}`,
	(hex: string) => ` ${hex}\t`,
);
