/**
 * The trigger's trust boundary, part two: what a delivery must be and what verifying it
 * costs. The item comes from the signed bytes only, a repeat starts nothing, headers pass an
 * allow-list, a malformed signature is refused before any lookup, and the credential is loaded once
 * per registration. Which secret verifies which delivery: trust-boundary.test.ts.
 */
import { CircularoTrigger } from '../../nodes/Circularo/CircularoTrigger.node';
import { triggerInAnotherProcess, webhookContext } from '../helpers/n8nContext';
import { useTriggerHarness } from '../helpers/triggerHarness';

const { hmacHex } = require('../../simulator');

const main = new CircularoTrigger();
const harness = useTriggerHarness();
const { owner, activate, fire, receive, publish, receiveAsOwner } = harness;

describe('3. the item comes from the signed bytes only', () => {
	// A genuine delivery whose text also reads as a form: as application/x-www-form-urlencoded,
	// n8n's parse of it names another event for another document.
	const title = 'Offer&event=documentDeleted&documentId=someone-elses-document&x=';

	it("ignores n8n's parse of the body, which follows the unsigned Content-Type", async () => {
		const published = await publish(main);
		const { production } = await fire({
			body: { event: 'documentCompleted', documentId: 'doc-sales-1', documentTitle: title },
		});
		const asForm = {
			...production!,
			headers: { ...production!.headers, 'content-type': 'application/x-www-form-urlencoded' },
			body: Object.fromEntries(new URLSearchParams(production!.rawBody.toString())),
		};
		expect((asForm.body as Record<string, string>).event).toBe('documentDeleted'); // what n8n would hand over
		const { item } = await receiveAsOwner(main, asForm, published);
		expect(item?.json).toMatchObject({
			event: 'documentCompleted',
			documentId: 'doc-sales-1',
			documentTitle: title,
		});
		expect(item?.json.payload).toEqual(JSON.parse(production!.rawBody.toString()));
	});

	it.each([
		['no Content-Type', undefined],
		['an unknown Content-Type', 'application/octet-stream'],
	])('reads the body itself when n8n did not (%s)', async (_name, contentType) => {
		const published = await publish(main);
		const { production } = await fire();
		const headers = { ...production!.headers, 'content-type': contentType };
		const { accepted, item } = await receive(
			main,
			{ ...production!, headers, unread: true },
			{ credentials: owner(), staticData: published },
		);
		expect(accepted).toBe(true);
		expect(item?.json).toMatchObject({ event: 'documentCompleted', documentId: 'doc-sales-1' });
	});
});

describe('4. replays and headers', () => {
	it('acknowledges an exact repeat of a verified delivery with 2xx and starts nothing', async () => {
		const published = await publish(main);
		const { production } = await fire();
		const first = await receiveAsOwner(main, production!, published);
		const again = await receiveAsOwner(main, production!, published);
		expect(first.accepted).toBe(true);
		expect(again.result).toEqual({});
		expect(again.response.status).toBeUndefined();
	});

	it("treats Circularo's retries of one delivery the same way", async () => {
		const published = await publish(main);
		await harness.sim.fire({ event: 'documentSigned', documentId: 'doc-sales-1', repeat: 3 });
		const results = [];
		for (const delivery of harness.receiver.received)
			results.push(await receiveAsOwner(main, delivery, published));
		expect(results.map((r) => r.accepted)).toEqual([true, false, false]);
	});

	it('forgets deliveries after 24 hours (one without a signed time, which the window cannot refuse)', async () => {
		const published = await publish(main);
		const { production } = await fire({
			body: JSON.stringify({ event: 'documentSigned', documentId: 'doc-sales-1' }),
		});
		jest.useFakeTimers({
			now: Date.now(),
			doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'queueMicrotask'],
		});
		try {
			expect((await receiveAsOwner(main, production!, published)).accepted).toBe(true);
			jest.setSystemTime(Date.now() + 23 * 3600_000);
			expect((await receiveAsOwner(main, production!, published)).accepted).toBe(false);
			jest.setSystemTime(Date.now() + 2 * 3600_000);
			expect((await receiveAsOwner(main, production!, published)).accepted).toBe(true);
		} finally {
			jest.useRealTimers();
		}
	});

	it('keeps bounded memory: past 10,000 remembered deliveries the oldest is forgotten', async () => {
		const trigger = triggerInAnotherProcess();
		const published = await publish(trigger);
		const { production: oldest } = await fire();
		expect((await receiveAsOwner(trigger, oldest!, published)).accepted).toBe(true);
		const secret = harness.sim.listWebhooks()[0].hmacSecret;
		for (let i = 0; i < 10_000; i++) {
			const rawBody = Buffer.from(`{"event":"documentCreated","documentId":"d-${i}"}`);
			const headers = {
				'x-circularo-signature': hmacHex(secret, rawBody),
			};
			await receive(
				trigger,
				{ rawBody, headers },
				{ credentials: owner(), staticData: published, parameters: { events: ['documentSigned'] } },
			);
		}
		expect((await receiveAsOwner(trigger, oldest!, published)).accepted).toBe(true);
	}, 60_000);

	it('"Include Request Headers" passes an allow-list: never the signature, the caller\'s or a proxy\'s credentials', async () => {
		const published = await publish(main);
		const { production } = await fire();
		const headers = {
			...production!.headers,
			authorization: 'Basic abc',
			cookie: 'a=b',
			'x-api-key': 'proxy-key',
			'cf-access-jwt-assertion': 'jwt',
			'x-forwarded-for': '203.0.113.7',
			'x-custom': 'unknown',
		};
		const { item } = await receive(
			main,
			{ ...production!, headers },
			{
				credentials: owner(),
				staticData: published,
				parameters: { events: ['*'], options: { includeHeaders: true } },
			},
		);
		expect(item?.json.headers).toEqual({
			'content-type': 'application/json',
			'content-length': String(production!.rawBody.length),
			'user-agent': 'Circularo-Simulator/1.0',
			'x-forwarded-for': '203.0.113.7',
		});
	});
});

describe('6. a missing or malformed signature is refused before any secret lookup or credential load', () => {
	it.each([
		['missing', undefined],
		['empty', ''],
		['not hex', 'z'.repeat(64)],
		['too short', 'ab'.repeat(31)],
		['repeated', ['ab'.repeat(32), 'ab'.repeat(32)]],
	])('%s', async (_name, signature) => {
		const rawBody = Buffer.from('{"event":"documentCompleted","documentId":"d"}');
		const { context, response } = webhookContext(
			{
				credentials: () => {
					throw new Error('the credential must not be loaded');
				},
			},
			{
				rawBody,
				headers: {
					'content-type': 'application/json',
					'x-circularo-signature': signature as never,
				},
			},
		);
		const lookingUp = {
			...(context as object),
			getWorkflowStaticData: () => {
				throw new Error('no secret may be looked up');
			},
		};
		expect(await main.webhook.call(lookingUp as never)).toEqual({ noWebhookResponse: true });
		expect(response).toMatchObject({ status: 401, ended: true });
	});
});

// An ending event loads the credential to read the document it claims about (doorbell.test.ts):
// these use an event no state confirms, so only the verification is counted.
describe('the path every delivery takes loads no credential after the first verified one', () => {
	it('a webhook process loads the credential once per registration, not once per delivery', async () => {
		const published = await publish(main);
		const webhookProcess = triggerInAnotherProcess();
		const loads = [];
		for (const documentId of ['doc-sales-1', 'doc-sales-2', 'doc-sales-1', 'doc-sales-2']) {
			const { production } = await fire({ documentId, event: 'documentSigned' });
			const { accepted, log } = await receiveAsOwner(webhookProcess, production!, published);
			expect(accepted).toBe(true);
			loads.push(log.credentialLoads);
		}
		expect(loads).toEqual([1, 0, 0, 0]);
	});

	it('main after a restart loads none: the start-up check already knows the secret', async () => {
		const published = await publish(main);
		const restarted = triggerInAnotherProcess();
		await activate(restarted, published, owner()); // n8n runs checkExists at start-up
		const { production } = await fire({ event: 'documentSigned' });
		const { accepted, log } = await receiveAsOwner(restarted, production!, published);
		expect(accepted).toBe(true);
		expect(log.credentialLoads).toBe(0);
	});

	it('forged deliveries cannot make a process load the credential more than once', async () => {
		const published = await publish(main);
		const webhookProcess = triggerInAnotherProcess();
		const { production } = await fire();
		const loads = [];
		for (let i = 0; i < 3; i++) {
			const forged = {
				...production!,
				headers: { ...production!.headers, 'x-circularo-signature': `${i}`.repeat(64) },
			};
			const { response, log } = await receiveAsOwner(webhookProcess, forged, published);
			expect(response.status).toBe(401);
			loads.push(log.credentialLoads);
		}
		expect(loads).toEqual([1, 0, 0]);
	});
});
