/**
 * Property-based tests of the delivery handler (`CircularoTrigger#webhook`) with fast-check: what
 * it emits for a validly signed delivery (the payload, the event, the allowed headers) and what an
 * unselected event starts (nothing). Which signatures it accepts: webhook.property.test.ts.
 */
import { isDeepStrictEqual } from 'util';
import fc from 'fast-check';

import { CIRCULARO_EVENTS } from '../../nodes/Circularo/events';
import {
	believedAsSigned,
	circularoLike,
	jsonObject,
	otherHeaders,
	parsedBody,
	parsedMode,
	PASSED_HEADERS,
	runWebhook,
	secretsSetup,
} from '../helpers/deliveryArbitraries';
import { check, hmacHex, NUM_RUNS, params, signatureFormat, utf8 } from '../helpers/properties';

// No Circularo answers here: a state check's reads fail at once, and its pauses are skipped.
jest.mock('../../nodes/Circularo/webhooks/stateCheck', () => {
	const actual = jest.requireActual('../../nodes/Circularo/webhooks/stateCheck');
	return {
		...actual,
		confirmedState: async (check: object) =>
			await actual.confirmedState({ ...check, sleep: async () => undefined }),
	};
});

describe('webhook() items', () => {
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
					if (!believedAsSigned(bytes)) {
						// An ending no Circularo confirms, or a time outside the window: acknowledged, no item.
						check(result.workflowData === undefined, 'no item', result);
						return;
					}
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
					if (selected.includes(event) && believedAsSigned(bytes)) {
						check(
							result.workflowData?.[0]?.[0]?.json.event === event,
							'a selected event is emitted',
							result,
						);
					} else {
						check(
							isDeepStrictEqual(result, {}),
							'an unselected (or unconfirmed) event starts nothing',
							result,
						);
					}
				},
			),
			params(),
		);
	}, 120_000);
});
