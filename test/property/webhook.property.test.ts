/**
 * Property-based tests of the delivery handler (`CircularoTrigger#webhook`) with fast-check.
 *
 * Every property runs NUM_RUNS generated cases (10,000 unless FC_NUM_RUNS says otherwise). A failure
 * prints fast-check's seed and path; re-run one with `FC_SEED=<seed> npx jest test/property`.
 *
 * No network: the download options stay off here (they are covered by test/node/webhook.test.ts),
 * so `webhook()` never reaches the HTTP helpers. The oracle for "valid" is Node's HMAC written out in
 * this file, independent of nodes/Circularo/trigger/signature.ts.
 */
import { createHmac } from 'crypto';
import { isDeepStrictEqual, inspect } from 'util';
import fc from 'fast-check';

import { CircularoTrigger } from '../../nodes/Circularo/CircularoTrigger.node';
import { CIRCULARO_EVENTS } from '../../nodes/Circularo/types';
import { webhookContext, type Delivery } from '../helpers/n8nContext';

const NUM_RUNS = Number(process.env.FC_NUM_RUNS || 10_000);
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const params = (): fc.Parameters<unknown> => ({
	numRuns: NUM_RUNS,
	seed: SEED,
	endOnFailure: false,
});

const HEADER = 'x-circularo-signature';
const trigger = new CircularoTrigger();

const hmacHex = (secret: string, bytes: Buffer) =>
	createHmac('sha256', secret).update(bytes).digest('hex');

/** The documented acceptance rule, written independently: bare hex or `sha256=`, any letter case. */
function validBySpec(header: unknown, secret: string, bytes: Buffer): boolean {
	if (typeof header !== 'string' || secret === '') return false;
	const lower = header.trim().toLowerCase();
	const hex = lower.startsWith('sha256=') ? lower.slice(7) : lower;
	return hex === hmacHex(secret, bytes);
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

const utf8 = (text: string) => Buffer.from(text, 'utf8');

/** JSON values without -0 (JSON cannot carry it), any unicode in strings and keys. */
const jsonValue = fc.jsonValue({
	maxDepth: 3,
	depthSize: 'small',
	stringUnit: 'grapheme',
}) as fc.Arbitrary<unknown>;
const jsonObject = fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 12 }), jsonValue, {
	maxKeys: 6,
	size: 'small',
});

/** Deliveries that look like Circularo's, so that selected events and typed fields are exercised. */
const circularoLike = fc.record(
	{
		event: fc.constantFrom(...CIRCULARO_EVENTS, 'unknownEvent', ''),
		documentId: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
		documentTitle: fc.string({ unit: 'grapheme' }),
		user: fc.oneof(
			fc.string(),
			fc.record({ id: fc.string(), name: fc.string(), email: fc.string() }, { requiredKeys: [] }),
		),
		timestamp: fc.oneof(fc.string(), fc.double(), fc.integer(), fc.constant(null)),
		extra: jsonValue,
	},
	{ requiredKeys: [] },
);

const serialisedJson = fc
	.tuple(
		fc.oneof(jsonObject, circularoLike, jsonValue),
		fc.constantFrom(undefined, 0, 2, '\t', ' \r\n'),
	)
	.map(([value, indent]) => utf8(JSON.stringify(value, null, indent as never) ?? 'null'));

/** A JSON text cut short, or with garbage after it: not JSON any more. */
const invalidJson = fc
	.tuple(serialisedJson, fc.nat(), fc.constantFrom('', '}', ',', '\u0000', '\uFFFD', 'garbage'))
	.map(([bytes, cut, tail]) =>
		Buffer.concat([bytes.subarray(0, cut % Math.max(bytes.length, 1)), utf8(tail)]),
	);

const deepNesting = fc
	.tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('array', 'object', 'unbalanced'))
	.map(([depth, kind]) => {
		if (kind === 'array') return utf8('['.repeat(depth) + ']'.repeat(depth));
		if (kind === 'object') return utf8('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
		return utf8('{"a":['.repeat(depth));
	});

/** 64 KiB to 512 KiB of one repeated pattern (cheap to make, expensive to hash and parse). */
const hugeBody = fc
	.tuple(
		fc.integer({ min: 64 * 1024, max: 512 * 1024 }),
		fc.uint8Array({ minLength: 1, maxLength: 16 }),
		fc.boolean(),
	)
	.map(([size, pattern, asJsonString]) => {
		if (asJsonString) return utf8(`{"event":"documentCompleted","blob":"${'x'.repeat(size)}"}`);
		return Buffer.alloc(size, Buffer.from(pattern));
	});

const rawBody: fc.Arbitrary<Buffer> = fc.oneof(
	{ arbitrary: fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a)), weight: 3 },
	{ arbitrary: fc.constant(Buffer.alloc(0)), weight: 1 },
	{ arbitrary: fc.string({ unit: 'binary', maxLength: 512 }).map(utf8), weight: 2 },
	{ arbitrary: serialisedJson, weight: 4 },
	{ arbitrary: invalidJson, weight: 2 },
	{ arbitrary: deepNesting, weight: 1 },
	{ arbitrary: hugeBody, weight: 1 },
);

const randomHex = fc
	.uint8Array({ minLength: 32, maxLength: 32 })
	.map((a) => Buffer.from(a).toString('hex'));

const secret = fc.oneof(
	fc.constant(''),
	fc.string({ unit: 'binary', maxLength: 80 }),
	randomHex,
	fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }),
);

/** How a correct signature may be written: bare, upper case, `sha256=` prefix, padded. */
const signatureFormat = fc.constantFrom(
	(hex: string) => hex,
	(hex: string) => hex.toUpperCase(),
	(hex: string) => `sha256=${hex}`,
	(hex: string) => `SHA256=${hex.toUpperCase()}`,
	(hex: string) => ` ${hex}\t`,
);

type Forgery = {
	kind: string;
	make: (secret: string, bytes: Buffer) => string | string[] | undefined;
};

/** Signatures that must never be accepted for `bytes` (checked against the oracle, see below). */
const forgery: fc.Arbitrary<Forgery> = fc.oneof(
	fc.constant<Forgery>({ kind: 'missing', make: () => undefined }),
	fc
		.string({ unit: 'binary', maxLength: 100 })
		.map<Forgery>((s) => ({ kind: 'random text', make: () => s })),
	randomHex.map<Forgery>((s) => ({ kind: 'random hex', make: () => s })),
	fc.string({ minLength: 1 }).map<Forgery>((other) => ({
		kind: 'another secret',
		make: (key, bytes) => hmacHex(key + other, bytes),
	})),
	fc.nat().map<Forgery>((cut) => ({
		kind: 'truncated body',
		make: (key, bytes) =>
			hmacHex(key, Buffer.concat([bytes, utf8('x')]).subarray(0, cut % (bytes.length + 1))),
	})),
	fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map<Forgery>(([at, xor]) => ({
		kind: 'one byte flipped',
		make: (key, bytes) => {
			const copy = Buffer.concat([bytes, utf8(' ')]);
			copy[at % copy.length] ^= xor;
			return hmacHex(key, copy);
		},
	})),
	fc.constant<Forgery>({
		kind: 're-serialised body',
		make: (key, bytes) => {
			let text: string;
			try {
				text = JSON.stringify(JSON.parse(bytes.toString('utf8')), null, 1) ?? 'null';
			} catch {
				text = `${bytes.toString('latin1')} `;
			}
			return hmacHex(key, utf8(text + ' '));
		},
	}),
	fc.tuple(fc.nat(63), fc.constantFrom(...'0123456789abcdef')).map<Forgery>(([at, digit]) => ({
		kind: 'one hex digit changed',
		make: (key, bytes) => {
			const hex = hmacHex(key, bytes);
			const other = hex[at] === digit ? (digit === '0' ? '1' : '0') : digit;
			return hex.slice(0, at) + other + hex.slice(at + 1);
		},
	})),
	fc.constant<Forgery>({
		kind: 'shortened hex',
		make: (key, bytes) => hmacHex(key, bytes).slice(0, 63),
	}),
	fc.constant<Forgery>({
		kind: 'sha1= prefix',
		make: (key, bytes) => `sha1=${hmacHex(key, bytes)}`,
	}),
	fc.constant<Forgery>({
		kind: 'header repeated (array)',
		make: (key, bytes) => [hmacHex(key, bytes), hmacHex(key, bytes)],
	}),
	fc.constant<Forgery>({
		kind: 'header repeated (joined)',
		make: (key, bytes) => `${hmacHex(key, bytes)}, ${hmacHex(key, bytes)}`,
	}),
	fc.constant<Forgery>({
		kind: 'signature of the empty body',
		make: (key) => hmacHex(key, Buffer.alloc(0)),
	}),
);

const otherHeaders = fc.dictionary(
	fc.oneof(
		fc.string({ maxLength: 20 }).map((s) => s.toLowerCase()),
		fc.constantFrom('content-type', 'authorization', 'cookie', 'x-circularo-signature '),
	),
	fc.oneof(
		fc.string({ unit: 'binary', maxLength: 40 }),
		fc.array(fc.string(), { maxLength: 3 }),
		fc.constant(undefined),
	),
	{ maxKeys: 6 },
);

const events = fc.oneof(
	fc.constant<string[]>(['*']),
	fc.subarray([...CIRCULARO_EVENTS, '*', 'unknown']),
	fc.array(fc.string(), { maxLength: 3 }),
);

/** What n8n's body parser hands to the node: usually JSON.parse of the bytes, sometimes nothing. */
type ParsedMode = 'n8n' | 'undefined' | 'empty object' | 'anything';
const parsedMode = fc.constantFrom<ParsedMode>(
	'n8n',
	'n8n',
	'undefined',
	'empty object',
	'anything',
);

function parsedBody(mode: ParsedMode, bytes: Buffer, anything: unknown): unknown {
	if (mode === 'undefined') return undefined;
	if (mode === 'empty object') return {};
	if (mode === 'anything') return anything;
	try {
		return JSON.parse(bytes.toString('utf8'));
	} catch {
		return {};
	}
}

/** The derivation and fingerprint (a compatibility contract: processes derive from stored nonces), written out here. */
const derived = (key: string, nonce: string) =>
	hmacHex(key, utf8(`n8n-nodes-circularo/signing-secret/${nonce}`));
const fingerprint = (secret: string) =>
	hmacHex(secret, utf8('n8n-nodes-circularo/fingerprint')).slice(0, 16);

/** Every case gets its own registration (Circularo webhook id), so no case sees another's deliveries. */
let registrations = 0;

type Setup = {
	apiKey: string;
	credentialSecret: string;
	staticData: Record<string, string>;
	key: string;
};

/** A registration of this version (nonce + fingerprint), or one made by 0.1.0 (id, maybe its secret in clear). */
const secretsSetup: fc.Arbitrary<Setup> = fc.oneof(
	fc
		.record({ apiKey: fc.string({ maxLength: 40 }), credentialSecret: secret, nonce: randomHex })
		.map(({ apiKey, credentialSecret, nonce }) => {
			const key = derived(credentialSecret || apiKey, nonce);
			const staticData = {
				kind: 'production',
				webhookId: `w-${++registrations}`,
				nonce,
				fingerprint: fingerprint(key),
			};
			return { apiKey, credentialSecret, staticData, key };
		}),
	fc
		.record({
			apiKey: fc.string({ maxLength: 40 }),
			credentialSecret: secret,
			storedSecret: fc.option(secret, { nil: undefined }),
		})
		.map(({ apiKey, credentialSecret, storedSecret }) => {
			const staticData: Record<string, string> = { webhookId: `w-${++registrations}` };
			if (storedSecret !== undefined) staticData.webhookSecret = storedSecret;
			return { apiKey, credentialSecret, staticData, key: storedSecret || credentialSecret };
		}),
);

/** What "Include Request Headers" may pass on, written out independently of the node. */
const PASSED_HEADERS = [
	'content-type',
	'content-length',
	'content-encoding',
	'user-agent',
	'x-forwarded-for',
	'x-forwarded-host',
	'x-forwarded-proto',
	'forwarded',
	'x-real-ip',
	'x-request-id',
];

async function runWebhook(input: {
	setup: Setup;
	bytes: Buffer;
	signature: string | string[] | undefined;
	headers: Record<string, unknown>;
	body: unknown;
	events: string[];
	includeHeaders: boolean;
}) {
	const headers: Delivery['headers'] = { ...(input.headers as Delivery['headers']) };
	if (input.signature === undefined) delete headers[HEADER];
	else headers[HEADER] = input.signature;
	const delivery: Delivery = { rawBody: input.bytes, headers, body: input.body };
	const { context, response } = webhookContext(
		{
			credentials: {
				serverUrl: 'http://127.0.0.1:9/',
				apiKey: input.setup.apiKey,
				webhookSecret: input.setup.credentialSecret,
			},
			parameters: {
				events: input.events,
				scope: 'myTeam',
				options: { includeHeaders: input.includeHeaders },
			},
			staticData: { ...input.setup.staticData },
		},
		delivery,
	);
	const result = await trigger.webhook.call(context);
	return { result, response, headers };
}

/** Plain assertions: jest's matchers cost milliseconds per call, too slow for 10,000 cases. */
function check(condition: boolean, what: string, ...values: unknown[]): void {
	if (!condition)
		throw new Error(
			`${what}: ${values.map((v) => inspect(v, { depth: 4, maxStringLength: 200 })).join(' | ')}`,
		);
}

const emitted = (result: { workflowData?: unknown[][] }) => result.workflowData !== undefined;

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

describe('webhook() properties', () => {
	it(`never throws, and always either answers 401 or acknowledges (${NUM_RUNS} cases)`, async () => {
		const signature = fc.oneof(
			forgery.map((f) => ({
				forged: f as Forgery | undefined,
				format: undefined as ((h: string) => string) | undefined,
			})),
			signatureFormat.map((format) => ({ forged: undefined as Forgery | undefined, format })),
		);
		await fc.assert(
			fc.asyncProperty(
				secretsSetup,
				rawBody,
				signature,
				otherHeaders,
				parsedMode,
				fc.anything({
					maxDepth: 2,
					maxKeys: 4,
					withNullPrototype: true,
					withBigInt: true,
					withDate: true,
					withMap: true,
					withSet: true,
					withTypedArray: true,
					withSparseArray: true,
					withBoxedValues: true,
				}),
				events,
				fc.boolean(),
				async (setup, bytes, sig, headers, mode, anything, selected, includeHeaders) => {
					const key = setup.key;
					const header = sig.forged
						? sig.forged.make(key, bytes)
						: sig.format!(hmacHex(key, bytes));
					const { result, response } = await runWebhook({
						setup,
						bytes,
						signature: header,
						headers,
						body: parsedBody(mode, bytes, anything),
						events: selected,
						includeHeaders,
					});
					if (response.status !== undefined) {
						check(
							response.status === 401 && response.ended,
							'a rejection is a finished 401',
							response,
						);
						check(
							isDeepStrictEqual(result, { noWebhookResponse: true }),
							'a rejection returns noWebhookResponse',
							result,
						);
					} else if (emitted(result)) {
						check(!response.ended, 'an accepted delivery leaves the answer to n8n', response);
						check(
							result.workflowData!.length === 1 && result.workflowData![0].length === 1,
							'exactly one item',
							result,
						);
					} else {
						check(
							!response.ended && isDeepStrictEqual(result, {}),
							'an ignored delivery is acknowledged with {}',
							result,
							response,
						);
					}
				},
			),
			params(),
		);
	}, 120_000);

	it(`never emits an item unless the signature is valid for the exact bytes (${NUM_RUNS} cases)`, async () => {
		const kinds = new Map<string, number>();
		await fc.assert(
			fc.asyncProperty(
				secretsSetup,
				rawBody,
				forgery,
				otherHeaders,
				parsedMode,
				events,
				fc.boolean(),
				async (setup, bytes, forged, headers, mode, selected, includeHeaders) => {
					const key = setup.key;
					const header = forged.make(key, bytes);
					// A forgery that happens to be a valid signature (e.g. HMAC keys that differ only by
					// trailing NUL bytes are equivalent) is not a forgery: skip it, it is not the property.
					fc.pre(!validBySpec(header, key, bytes));
					kinds.set(forged.kind, (kinds.get(forged.kind) ?? 0) + 1);
					const { result, response } = await runWebhook({
						setup,
						bytes,
						signature: header,
						headers,
						body: parsedBody(mode, bytes, undefined),
						events: selected,
						includeHeaders,
					});
					check(!emitted(result), `a forgery (${forged.kind}) emitted an item`, header, result);
					check(
						isDeepStrictEqual(result, { noWebhookResponse: true }),
						'a forgery returns noWebhookResponse',
						result,
					);
					check(
						response.status === 401 && response.ended,
						'a forgery gets a finished 401',
						response,
					);
					const answer = JSON.stringify(response.body);
					check(
						setup.apiKey.length < 8 || !answer.includes(setup.apiKey),
						'the API key is not in the answer',
						answer,
					);
					check(key.length < 8 || !answer.includes(key), 'the secret is not in the answer', answer);
				},
			),
			{ ...params(), maxSkipsPerRun: 10 },
		);
		// Every kind of forgery was actually tried (guards against a generator that silently stops).
		expect(kinds.size).toBe(13);
	}, 120_000);

	it(`emits an item only when the signature is valid by the documented rule, and for every valid one whose event is selected (${NUM_RUNS} cases)`, async () => {
		await fc.assert(
			fc.asyncProperty(
				secretsSetup,
				rawBody,
				fc.oneof(
					forgery.map((f) => ({ forged: f, format: undefined })),
					signatureFormat.map((format) => ({ forged: undefined, format })),
				),
				parsedMode,
				async (setup, bytes, sig, mode) => {
					const key = setup.key;
					const header = sig.forged
						? sig.forged.make(key, bytes)
						: sig.format!(hmacHex(key, bytes));
					const { result, response } = await runWebhook({
						setup,
						bytes,
						signature: header,
						headers: {},
						body: parsedBody(mode, bytes, undefined),
						events: ['*'],
						includeHeaders: false,
					});
					// With "All Events" selected, emitting is exactly "the signature is valid".
					const valid = validBySpec(header, key, bytes);
					check(
						emitted(result) === valid,
						`emitted must equal "valid by the documented rule" (${valid})`,
						header,
						result,
					);
					check(
						(response.status === 401) === !valid,
						'a 401 exactly for invalid signatures',
						response,
					);
				},
			),
			params(),
		);
	}, 120_000);

	it(`a valid signature over any JSON object body emits exactly one item whose payload equals the body (${NUM_RUNS} cases)`, async () => {
		await fc.assert(
			fc.asyncProperty(
				secretsSetup.filter((s) => s.key !== ''),
				fc.oneof(jsonObject, circularoLike),
				fc.constantFrom(undefined, 0, 2, '\t'),
				signatureFormat,
				parsedMode,
				fc.anything({ maxDepth: 2, maxKeys: 4 }),
				otherHeaders,
				fc.boolean(),
				async (setup, object, indent, format, mode, anything, extraHeaders, includeHeaders) => {
					const bytes = utf8(JSON.stringify(object, null, indent as never));
					const key = setup.key;
					const { result, response, headers } = await runWebhook({
						setup,
						bytes,
						signature: format(hmacHex(key, bytes)),
						headers: { ...extraHeaders, 'content-type': 'application/json' },
						// Whatever n8n made of the body (it follows the unsigned Content-Type): the item must not depend on it.
						body: parsedBody(mode, bytes, anything),
						events: ['*'],
						includeHeaders,
					});
					check(
						response.status === undefined && !response.ended,
						'a valid delivery is not answered by the node',
						response,
					);
					check(
						result.workflowData?.length === 1 && result.workflowData[0].length === 1,
						'exactly one item',
						result,
					);
					const item = result.workflowData![0][0];
					// The expected value is the generated object itself, round-tripped through JSON only to
					// drop what JSON cannot carry (-0, undefined values).
					const expected = JSON.parse(JSON.stringify(object));
					check(
						isDeepStrictEqual(item.json.payload, expected),
						'payload equals the body',
						item.json.payload,
						expected,
					);
					check(item.binary === undefined, 'no binary without downloads', item.binary);
					const event = (object as { event?: unknown }).event;
					const expectedEvent =
						typeof event === 'string' && (CIRCULARO_EVENTS as readonly string[]).includes(event)
							? event
							: 'unknown';
					check(
						item.json.event === expectedEvent,
						'event read from the body',
						item.json.event,
						expectedEvent,
					);
					const passed = Object.fromEntries(
						PASSED_HEADERS.filter((name) => headers[name] !== undefined).map((name) => [
							name,
							headers[name],
						]),
					);
					if (includeHeaders)
						check(
							isDeepStrictEqual(item.json.headers, passed),
							'the allow-listed headers as received',
							item.json.headers,
							passed,
						);
					else check(item.json.headers === undefined, 'no headers unless asked', item.json.headers);
				},
			),
			params(),
		);
	}, 120_000);

	it(`a valid signature for an event that is not selected starts nothing and answers 200 (${NUM_RUNS} cases)`, async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.constantFrom(...CIRCULARO_EVENTS),
				fc.subarray([...CIRCULARO_EVENTS]),
				secretsSetup.filter((s) => s.key !== ''),
				circularoLike,
				async (event, selected, setup, rest) => {
					const bytes = utf8(JSON.stringify({ ...rest, event }));
					const { result, response } = await runWebhook({
						setup,
						bytes,
						signature: hmacHex(setup.key, bytes),
						headers: {},
						body: JSON.parse(bytes.toString('utf8')),
						events: selected,
						includeHeaders: false,
					});
					check(response.status === undefined, 'a valid delivery is not rejected', response);
					if (selected.includes(event)) {
						check(
							result.workflowData?.[0]?.[0]?.json.event === event,
							'a selected event is emitted',
							result,
						);
					} else {
						check(isDeepStrictEqual(result, {}), 'an unselected event starts nothing', result);
					}
				},
			),
			params(),
		);
	}, 120_000);
});
