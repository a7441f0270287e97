/**
 * The trigger's trust boundary (issue 14): which secret verifies which delivery, in which process,
 * and at what cost. Circularo is the simulator over real HTTP; n8n's contexts are fakes that behave
 * as n8n 2.41's (see ../helpers/n8nContext.ts). "Another process" is a fresh copy of the node's
 * modules, as a queue-mode webhook process, a multi-main follower or main after a restart has.
 */
import { CircularoTrigger } from '../../nodes/Circularo/CircularoTrigger.node';
import {
	hookContext,
	triggerInAnotherProcess,
	webhookContext,
	type CircularoTestCredentials,
	type ContextOptions,
	type Delivery,
} from '../helpers/n8nContext';
import { startReceiver, type Receiver } from '../helpers/receiver';

const { startSimulator } = require('../../simulator');

const main = new CircularoTrigger();

let sim: any;
let receiver: Receiver;
beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
	receiver = await startReceiver();
});
afterAll(async () => {
	await sim.stop();
	await receiver.close();
});
beforeEach(() => {
	sim.reset();
	receiver.received.length = 0;
});

type Kind = 'production' | 'test';

function owner(overrides: Partial<CircularoTestCredentials> = {}): CircularoTestCredentials {
	return { serverUrl: sim.baseUrl, apiKey: sim.keys.teamAdmin, webhookSecret: '', ...overrides };
}

/** Publish (kind production) or "Listen for test event" (kind test), as n8n runs it. */
async function activate(
	trigger: CircularoTrigger,
	staticData: object,
	credentials: CircularoTestCredentials,
	kind: Kind = 'production',
) {
	const { context, log } = hookContext({
		credentials,
		staticData: staticData as never,
		webhookUrl: kind === 'test' ? receiver.testUrl : receiver.productionUrl,
		mode: kind === 'test' ? 'manual' : 'trigger',
	});
	const methods = trigger.webhookMethods.default;
	if (!(await methods.checkExists.call(context))) await methods.create.call(context);
	return log;
}

async function deactivate(
	trigger: CircularoTrigger,
	staticData: object,
	credentials: CircularoTestCredentials,
	kind: Kind = 'production',
) {
	const { context } = hookContext({
		credentials,
		staticData: staticData as never,
		webhookUrl: kind === 'test' ? receiver.testUrl : receiver.productionUrl,
		mode: 'internal',
	});
	await trigger.webhookMethods.default.delete.call(context);
}

/** Fires one event in the simulator; returns what it delivered, by URL kind. */
async function fire(fields: object = {}): Promise<Record<Kind, Delivery | undefined>> {
	receiver.received.length = 0;
	await sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-1', ...fields });
	const at = (url: string) => receiver.received.find((d) => d.url === url);
	return { production: at(receiver.productionUrl), test: at(receiver.testUrl) };
}

/** One delivery through webhook(), in the webhook phase of the given URL kind. */
async function receive(
	trigger: CircularoTrigger,
	delivery: Delivery,
	options: Omit<ContextOptions, 'mode'> & { kind?: Kind },
) {
	const { kind = 'production', ...rest } = options;
	const { context, response, log } = webhookContext(
		{ mode: kind === 'test' ? 'manual' : 'webhook', ...rest },
		delivery,
	);
	const result = await trigger.webhook.call(context);
	const accepted = response.status === undefined && result.workflowData !== undefined;
	return { result, response, log, accepted, item: result.workflowData?.[0][0] };
}

describe('1. a secret belongs to one URL kind', () => {
	it('a delivery signed for the test URL, with a credential the editor chose, is refused at the production URL', async () => {
		const published = {};
		await activate(main, published, owner());
		// Someone who can edit the workflow picks their own credential in the draft and listens once.
		const attacker = owner({ webhookSecret: 'known-to-the-editor' });
		const listening = {};
		await activate(main, listening, attacker, 'test');

		const { production, test } = await fire();
		expect(
			(await receive(main, test!, { credentials: attacker, staticData: listening, kind: 'test' }))
				.accepted,
		).toBe(true);
		const injected = await receive(main, test!, { credentials: owner(), staticData: published });
		expect(injected.response.status).toBe(401);
		expect(injected.result.workflowData).toBeUndefined();
		expect(
			(await receive(main, production!, { credentials: owner(), staticData: published })).accepted,
		).toBe(true);
	});

	it('a production delivery is refused at the test URL', async () => {
		const published = {};
		await activate(main, published, owner());
		const listening = {};
		await activate(main, listening, owner(), 'test');
		const { production } = await fire();
		expect(
			(
				await receive(main, production!, {
					credentials: owner(),
					staticData: listening,
					kind: 'test',
				})
			).response.status,
		).toBe(401);
	});
});

describe('3. the item comes from the signed bytes only', () => {
	// A genuine delivery whose text also reads as a form: as application/x-www-form-urlencoded,
	// n8n's parse of it names another event for another document.
	const title = 'Offer&event=documentDeleted&documentId=someone-elses-document&x=';

	it("ignores n8n's parse of the body, which follows the unsigned Content-Type", async () => {
		const published = {};
		await activate(main, published, owner());
		const { production } = await fire({
			body: { event: 'documentCompleted', documentId: 'doc-sales-1', documentTitle: title },
		});
		const asForm = {
			...production!,
			headers: { ...production!.headers, 'content-type': 'application/x-www-form-urlencoded' },
			body: Object.fromEntries(new URLSearchParams(production!.rawBody.toString())),
		};
		expect((asForm.body as Record<string, string>).event).toBe('documentDeleted'); // what n8n would hand over
		const { item } = await receive(main, asForm, { credentials: owner(), staticData: published });
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
		const published = {};
		await activate(main, published, owner());
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
		const published = {};
		await activate(main, published, owner());
		const { production } = await fire();
		const first = await receive(main, production!, { credentials: owner(), staticData: published });
		const again = await receive(main, production!, { credentials: owner(), staticData: published });
		expect(first.accepted).toBe(true);
		expect(again.result).toEqual({});
		expect(again.response.status).toBeUndefined();
	});

	it("treats Circularo's retries of one delivery the same way", async () => {
		const published = {};
		await activate(main, published, owner());
		await sim.fire({ event: 'documentSigned', documentId: 'doc-sales-1', repeat: 3 });
		const results = [];
		for (const delivery of receiver.received)
			results.push(await receive(main, delivery, { credentials: owner(), staticData: published }));
		expect(results.map((r) => r.accepted)).toEqual([true, false, false]);
	});

	it('forgets deliveries after 24 hours', async () => {
		const published = {};
		await activate(main, published, owner());
		const { production } = await fire();
		jest.useFakeTimers({
			now: Date.now(),
			doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'queueMicrotask'],
		});
		try {
			expect(
				(await receive(main, production!, { credentials: owner(), staticData: published }))
					.accepted,
			).toBe(true);
			jest.setSystemTime(Date.now() + 23 * 3600_000);
			expect(
				(await receive(main, production!, { credentials: owner(), staticData: published }))
					.accepted,
			).toBe(false);
			jest.setSystemTime(Date.now() + 2 * 3600_000);
			expect(
				(await receive(main, production!, { credentials: owner(), staticData: published }))
					.accepted,
			).toBe(true);
		} finally {
			jest.useRealTimers();
		}
	});

	it('keeps bounded memory: past 10,000 remembered deliveries the oldest is forgotten', async () => {
		const trigger = triggerInAnotherProcess();
		const published = {};
		await activate(trigger, published, owner());
		const { production: oldest } = await fire();
		expect(
			(await receive(trigger, oldest!, { credentials: owner(), staticData: published })).accepted,
		).toBe(true);
		const { createHmac } = require('crypto');
		const secret = sim.listWebhooks()[0].hmacSecret;
		for (let i = 0; i < 10_000; i++) {
			const rawBody = Buffer.from(`{"event":"documentCreated","documentId":"d-${i}"}`);
			const headers = {
				'x-circularo-signature': createHmac('sha256', secret).update(rawBody).digest('hex'),
			};
			await receive(
				trigger,
				{ rawBody, headers },
				{ credentials: owner(), staticData: published, parameters: { events: ['documentSigned'] } },
			);
		}
		expect(
			(await receive(trigger, oldest!, { credentials: owner(), staticData: published })).accepted,
		).toBe(true);
	}, 60_000);

	it('"Include Request Headers" passes an allow-list: never the signature, the caller\'s or a proxy\'s credentials', async () => {
		const published = {};
		await activate(main, published, owner());
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

describe('5. a known secret is valid only for its own registration, in every process', () => {
	it('a process that registered refuses its old secret once another process re-registered', async () => {
		const published = {};
		await activate(main, published, owner()); // this process knows the first secret
		const { production: beforeRepublish } = await fire({ documentId: 'doc-sales-2' });
		const leader = triggerInAnotherProcess(); // e.g. the multi-main leader re-publishes
		await deactivate(leader, published, owner());
		await activate(leader, published, owner());

		const stale = await receive(main, beforeRepublish!, {
			credentials: owner(),
			staticData: published,
		});
		expect(stale.response.status).toBe(401);
		const { production: current } = await fire();
		expect(
			(await receive(main, current!, { credentials: owner(), staticData: published })).accepted,
		).toBe(true);
	});

	it('a webhook process that verified a delivery refuses that secret after a re-registration', async () => {
		const published = {};
		await activate(main, published, owner());
		const webhookProcess = triggerInAnotherProcess();
		const { production: first } = await fire({ documentId: 'doc-sales-2' });
		expect(
			(await receive(webhookProcess, first!, { credentials: owner(), staticData: published }))
				.accepted,
		).toBe(true);
		await deactivate(main, published, owner());
		await activate(main, published, owner());
		// Exactly what Circularo sent before, signed with the first registration's secret.
		expect(
			(await receive(webhookProcess, first!, { credentials: owner(), staticData: published }))
				.response.status,
		).toBe(401);
		const { production: current } = await fire();
		expect(
			(await receive(webhookProcess, current!, { credentials: owner(), staticData: published }))
				.accepted,
		).toBe(true);
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

describe('the path every delivery takes loads no credential after the first verified one', () => {
	it('a webhook process loads the credential once per registration, not once per delivery', async () => {
		const published = {};
		await activate(main, published, owner());
		const webhookProcess = triggerInAnotherProcess();
		const loads = [];
		for (const documentId of ['doc-sales-1', 'doc-sales-2', 'doc-sales-1', 'doc-sales-2']) {
			const { production } = await fire({ documentId });
			const { accepted, log } = await receive(webhookProcess, production!, {
				credentials: owner(),
				staticData: published,
			});
			expect(accepted).toBe(true);
			loads.push(log.credentialLoads);
		}
		expect(loads).toEqual([1, 0, 0, 0]);
	});

	it('main after a restart loads none: the start-up check already knows the secret', async () => {
		const published = {};
		await activate(main, published, owner());
		const restarted = triggerInAnotherProcess();
		await activate(restarted, published, owner()); // n8n runs checkExists at start-up
		const { production } = await fire();
		const { accepted, log } = await receive(restarted, production!, {
			credentials: owner(),
			staticData: published,
		});
		expect(accepted).toBe(true);
		expect(log.credentialLoads).toBe(0);
	});

	it('forged deliveries cannot make a process load the credential more than once', async () => {
		const published = {};
		await activate(main, published, owner());
		const webhookProcess = triggerInAnotherProcess();
		const { production } = await fire();
		const loads = [];
		for (let i = 0; i < 3; i++) {
			const forged = {
				...production!,
				headers: { ...production!.headers, 'x-circularo-signature': `${i}`.repeat(64) },
			};
			const { response, log } = await receive(webhookProcess, forged, {
				credentials: owner(),
				staticData: published,
			});
			expect(response.status).toBe(401);
			loads.push(log.credentialLoads);
		}
		expect(loads).toEqual([1, 0, 0]);
	});
});

describe('2. editing the credential never breaks deliveries silently', () => {
	it.each([
		['the API key is rotated', async () => owner({ apiKey: await newApiKey() })],
		['the Webhook Signing Secret is edited', async () => owner({ webhookSecret: 'edited' })],
	])(
		'when %s: known secrets keep working, a new process warns what to do, and re-registering recovers',
		async (_name, edit) => {
			const published = {};
			await activate(main, published, owner());
			const edited = await edit();
			const { production } = await fire();
			// The process that registered still knows the registered secret.
			expect(
				(await receive(main, production!, { credentials: edited, staticData: published })).accepted,
			).toBe(true);
			// A process that does not cannot derive it from the edited credential: it says so, once.
			const webhookProcess = triggerInAnotherProcess();
			const refused = await receive(webhookProcess, production!, {
				credentials: edited,
				staticData: published,
			});
			expect(refused.response.status).toBe(401);
			expect(refused.log.warnings).toEqual([
				expect.stringMatching(
					/credential .* has changed since the webhook was registered\. Unpublish and publish the workflow again \(or restart n8n\)/,
				),
			]);
			const { production: next } = await fire({ documentId: 'doc-sales-2' });
			expect(
				(await receive(webhookProcess, next!, { credentials: edited, staticData: published })).log
					.warnings,
			).toEqual([]);
			// The next start or publish notices the change by itself and registers again.
			const log = await activate(triggerInAnotherProcess(), published, edited);
			expect(log.warnings.join('\n')).toMatch(/registering the webhook again/);
			const { production: after } = await fire();
			expect(
				(await receive(webhookProcess, after!, { credentials: edited, staticData: published }))
					.accepted,
			).toBe(true);
		},
	);

	async function newApiKey(): Promise<string> {
		const res = await fetch(`${sim.apiUrl}/api/key?token=${sim.keys.teamAdmin}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}',
		});
		return ((await res.json()) as { id: string }).id;
	}
});

describe('upgrade from 0.1.0: events keep arriving, and the stored secret goes at the next activation', () => {
	it.each([
		['a generated secret in static data', { webhookSecret: 'b'.repeat(64) }, owner],
		[
			'the credential secret (0.1.0 stored only the id)',
			{},
			() => owner({ webhookSecret: 'credential-secret' }),
		],
	])('%s', async (_name, stored: { webhookSecret?: string }, credentialsOf) => {
		const credentials = credentialsOf();
		const secret = stored.webhookSecret ?? 'credential-secret';
		const res = await fetch(`${sim.apiUrl}/webhooks?token=${sim.keys.teamAdmin}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				type: 'team',
				callbackUrl: receiver.productionUrl,
				hmacSecret: secret,
			}),
		});
		const { id } = (await res.json()) as { id: string };
		const staticData: Record<string, string> = { webhookId: id, ...stored };

		// Before the next start or activation (e.g. a webhook process already runs the new version).
		const { production: before } = await fire();
		expect(
			(await receive(triggerInAnotherProcess(), before!, { credentials, staticData })).accepted,
		).toBe(true);

		await activate(triggerInAnotherProcess(), staticData, credentials);
		expect(JSON.stringify(staticData)).not.toContain(secret);
		expect(sim.listWebhooks()).toHaveLength(1);
		const { production: after } = await fire({ documentId: 'doc-sales-2' });
		expect(
			(await receive(triggerInAnotherProcess(), after!, { credentials, staticData })).accepted,
		).toBe(true);
		// The old secret no longer verifies anything.
		expect(
			(await receive(triggerInAnotherProcess(), before!, { credentials, staticData })).response
				.status,
		).toBe(401);
	});
});
