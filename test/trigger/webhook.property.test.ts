/**
 * Property-based tests of the delivery handler (`CircularoTrigger#webhook`) with fast-check: which
 * signatures it accepts. What it emits for a valid one: webhook-items.property.test.ts.
 *
 * Every property runs NUM_RUNS generated cases (10,000 unless FC_NUM_RUNS says otherwise). A failure
 * prints fast-check's seed and path; re-run one with `FC_SEED=<seed> npx jest property`.
 *
 * No network: the download options stay off here (they are covered by test/trigger/downloads.test.ts).
 * The oracle for "valid" is the documented rule written out in ../helpers/properties.ts,
 * independent of nodes/Circularo/webhooks/signature.ts.
 */
import { isDeepStrictEqual } from 'util';
import fc from 'fast-check';

import {
	believedAsSigned,
	emitted,
	events,
	anySignature,
	forgery,
	otherHeaders,
	parsedBody,
	parsedMode,
	rawBody,
	runWebhook,
	secretsSetup,
} from '../helpers/deliveryArbitraries';
import { anyValue, check, NUM_RUNS, params, validBySpec } from '../helpers/properties';

// No Circularo answers here: a state check's reads fail at once, and its pauses are skipped.
jest.mock('../../nodes/Circularo/webhooks/stateCheck', () => {
	const actual = jest.requireActual('../../nodes/Circularo/webhooks/stateCheck');
	return {
		...actual,
		confirmedState: async (check: object) =>
			await actual.confirmedState({ ...check, sleep: async () => undefined }),
	};
});

describe('webhook() properties', () => {
	it(`never throws, and always either answers 401 or acknowledges (${NUM_RUNS} cases)`, async () => {
		await fc.assert(
			fc.asyncProperty(
				secretsSetup,
				rawBody,
				anySignature,
				otherHeaders,
				parsedMode,
				anyValue({ maxDepth: 2, maxKeys: 4 }),
				events,
				fc.boolean(),
				async (setup, bytes, sign, headers, mode, anything, selected, includeHeaders) => {
					const { result, response } = await runWebhook({
						setup,
						bytes,
						signature: sign(setup.key, bytes),
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
				anySignature,
				parsedMode,
				async (setup, bytes, sign, mode) => {
					const key = setup.key;
					const header = sign(key, bytes);
					const { result, response } = await runWebhook({
						setup,
						bytes,
						signature: header,
						headers: {},
						body: parsedBody(mode, bytes, undefined),
						events: ['*'],
						includeHeaders: false,
					});
					// With "All Events" selected, emitting is exactly "the signature is valid" for a
					// delivery believed as signed (not an ending to confirm, its time inside the window).
					const valid = validBySpec(header, key, bytes);
					check(
						emitted(result) === (valid && believedAsSigned(bytes)),
						`emitted must equal "valid by the documented rule" (${valid}) and believed as signed`,
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
});
