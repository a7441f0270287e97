/**
 * The deliveries the webhook() properties generate (bodies, secrets, signatures and forgeries,
 * headers, what n8n parsed, registrations of this version and of 0.1.0) and one run of webhook()
 * with them, with no network: the download options stay off, so webhook() never reaches HTTP.
 */
import fc from 'fast-check';

import { CircularoTrigger } from '../../nodes/Circularo/CircularoTrigger.node';
import { CIRCULARO_EVENTS } from '../../nodes/Circularo/events';
import { webhookContext, type Delivery } from './n8nContext';
import { hmacHex, signatureFormat, utf8 } from './properties';
import { readSignedBody } from '../../nodes/Circularo/webhooks/deliveryAssumptions';
import { deliveryItem } from '../../nodes/Circularo/webhooks/deliveryItem';
import { endingOfEvent } from '../../nodes/Circularo/webhooks/stateCheck';
import { outsideWindow } from '../../nodes/Circularo/webhooks/timestampWindow';

const HEADER = 'x-circularo-signature';
const trigger = new CircularoTrigger();

/** JSON values without -0 (JSON cannot carry it), any unicode in strings and keys. */
const jsonValue = fc.jsonValue({
	maxDepth: 3,
	depthSize: 'small',
	stringUnit: 'grapheme',
}) as fc.Arbitrary<unknown>;
export const jsonObject = fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 12 }), jsonValue, {
	maxKeys: 6,
	size: 'small',
});

/** Deliveries that look like Circularo's, so that selected events and typed fields are exercised. */
export const circularoLike = fc.record(
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

export const rawBody: fc.Arbitrary<Buffer> = fc.oneof(
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

type Forgery = {
	kind: string;
	make: (secret: string, bytes: Buffer) => string | string[] | undefined;
};

/** Signatures that must never be accepted for `bytes` (checked against the oracle, see below). */
export const forgery: fc.Arbitrary<Forgery> = fc.oneof(
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

/** A way to sign `bytes`: a forgery, or a correct signature in one of the accepted formats. */
export const anySignature = fc.oneof(
	forgery.map((forged) => forged.make),
	signatureFormat.map((format) => (key: string, bytes: Buffer) => format(hmacHex(key, bytes))),
);

export const otherHeaders = fc.dictionary(
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

export const events = fc.oneof(
	fc.constant<string[]>(['*']),
	fc.subarray([...CIRCULARO_EVENTS, '*', 'unknown']),
	fc.array(fc.string(), { maxLength: 3 }),
);

/** What n8n's body parser hands to the node: usually JSON.parse of the bytes, sometimes nothing. */
type ParsedMode = 'n8n' | 'undefined' | 'empty object' | 'anything';
export const parsedMode = fc.constantFrom<ParsedMode>(
	'n8n',
	'n8n',
	'undefined',
	'empty object',
	'anything',
);

export function parsedBody(mode: ParsedMode, bytes: Buffer, anything: unknown): unknown {
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
export const secretsSetup: fc.Arbitrary<Setup> = fc.oneof(
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
export const PASSED_HEADERS = [
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

export async function runWebhook(input: {
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

export const emitted = (result: { workflowData?: unknown[][] }) =>
	result.workflowData !== undefined;

/**
 * Whether the trigger believes a verified delivery as signed: an event that claims an ending is
 * confirmed with Circularo first (none answers in these properties, so it starts nothing), and a
 * signed time outside the window is refused.
 */
export function believedAsSigned(bytes: Buffer, now = new Date()): boolean {
	const item = deliveryItem(readSignedBody(bytes), now);
	return endingOfEvent(item.event) === undefined && !outsideWindow(item.occurredAt, now);
}
