/**
 * The trigger's trust boundary, part one: which secret verifies which delivery, in which
 * process: a secret belongs to one URL kind and one registration, an edited credential never breaks
 * deliveries silently, and 0.1.0's stored secrets go. What a delivery must be and what verifying it
 * costs: trust-boundary-deliveries.test.ts. Circularo is the simulator over real HTTP; n8n's
 * contexts are fakes that behave as n8n 2.41's (see ../helpers/n8nContext.ts). "Another process"
 * is a fresh copy of the node's modules, as a queue-mode webhook process, a multi-main follower or
 * main after a restart has.
 */
import { CircularoTrigger } from '../../nodes/Circularo/CircularoTrigger.node';
import { triggerInAnotherProcess } from '../helpers/n8nContext';
import { useTriggerHarness } from '../helpers/triggerHarness';

const main = new CircularoTrigger();
const harness = useTriggerHarness();
const { owner, activate, deactivate, fire, receive, publish, receiveAsOwner } = harness;

describe('1. a secret belongs to one URL kind', () => {
	it('a delivery signed for the test URL, with a credential the editor chose, is refused at the production URL', async () => {
		const published = await publish(main);
		// Someone who can edit the workflow picks their own credential in the draft and listens once.
		const attacker = owner({ webhookSecret: 'known-to-the-editor' });
		const listening = {};
		await activate(main, listening, attacker, 'test');

		const { production, test } = await fire();
		expect(
			(await receive(main, test!, { credentials: attacker, staticData: listening, kind: 'test' }))
				.accepted,
		).toBe(true);
		const injected = await receiveAsOwner(main, test!, published);
		expect(injected.response.status).toBe(401);
		expect(injected.result.workflowData).toBeUndefined();
		expect((await receiveAsOwner(main, production!, published)).accepted).toBe(true);
	});

	it('a production delivery is refused at the test URL', async () => {
		await publish(main);
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

describe('2. editing the credential never breaks deliveries silently', () => {
	it.each([
		['the API key is rotated', async () => owner({ apiKey: await newApiKey() })],
		['the Webhook Signing Secret is edited', async () => owner({ webhookSecret: 'edited' })],
	])(
		'when %s: known secrets keep working, a new process warns what to do, and re-registering recovers',
		async (_name, edit) => {
			const published = await publish(main);
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
		const res = await fetch(`${harness.sim.apiUrl}/api/key?token=${harness.sim.keys.teamAdmin}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}',
		});
		return ((await res.json()) as { id: string }).id;
	}
});

describe('5. a known secret is valid only for its own registration, in every process', () => {
	it('a process that registered refuses its old secret once another process re-registered', async () => {
		const published = await publish(main); // this process knows the first secret
		const { production: beforeRepublish } = await fire({ documentId: 'doc-sales-2' });
		const leader = triggerInAnotherProcess(); // e.g. the multi-main leader re-publishes
		await deactivate(leader, published, owner());
		await activate(leader, published, owner());

		const stale = await receiveAsOwner(main, beforeRepublish!, published);
		expect(stale.response.status).toBe(401);
		const { production: current } = await fire();
		expect((await receiveAsOwner(main, current!, published)).accepted).toBe(true);
	});

	it('a webhook process that verified a delivery refuses that secret after a re-registration', async () => {
		const published = await publish(main);
		const webhookProcess = triggerInAnotherProcess();
		const { production: first } = await fire({ documentId: 'doc-sales-2' });
		expect((await receiveAsOwner(webhookProcess, first!, published)).accepted).toBe(true);
		await deactivate(main, published, owner());
		await activate(main, published, owner());
		// Exactly what Circularo sent before, signed with the first registration's secret.
		expect((await receiveAsOwner(webhookProcess, first!, published)).response.status).toBe(401);
		const { production: current } = await fire();
		expect((await receiveAsOwner(webhookProcess, current!, published)).accepted).toBe(true);
	});
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
		const res = await fetch(`${harness.sim.apiUrl}/webhooks?token=${harness.sim.keys.teamAdmin}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				type: 'team',
				callbackUrl: harness.receiver.productionUrl,
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
		expect(harness.sim.listWebhooks()).toHaveLength(1);
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
