/**
 * What the trigger's tests share: the Circularo simulator over real HTTP and a receiver in n8n's
 * place, started once per test file, and the steps n8n takes with a trigger (publish or listen,
 * unpublish, hand a delivery to webhook()), run through fakes of n8n's contexts (./n8nContext.ts).
 */
import type { IDataObject } from 'n8n-workflow';

import type { CircularoTrigger } from '../../nodes/Circularo/CircularoTrigger.node';
import {
	hookContext,
	webhookContext,
	type CircularoTestCredentials,
	type ContextOptions,
	type Delivery,
} from './n8nContext';
import { startReceiver, type Receiver } from './receiver';

const { startSimulator } = require('../../simulator');

/** Which of n8n's two URLs: the published workflow's, or the editor's "Listen for test event". */
export type UrlKind = 'production' | 'test';

/** Starts the simulator and the receiver for this test file; each test starts from a fresh simulator. */
export function useTriggerHarness() {
	const servers = { sim: undefined as any, receiver: undefined as unknown as Receiver };
	const urlOf = (kind: UrlKind) =>
		kind === 'test' ? servers.receiver.testUrl : servers.receiver.productionUrl;

	/** The team admin's credential, as the workflow's owner set it up, with any field changed. */
	function owner(overrides: Partial<CircularoTestCredentials> = {}): CircularoTestCredentials {
		const { sim } = servers;
		return { serverUrl: sim.baseUrl, apiKey: sim.keys.teamAdmin, webhookSecret: '', ...overrides };
	}

	/** Publish (kind production) or "Listen for test event" (kind test), as n8n runs it. */
	async function activate(
		trigger: CircularoTrigger,
		staticData: object,
		credentials: CircularoTestCredentials,
		kind: UrlKind = 'production',
	) {
		const { context, log } = hookContext({
			credentials,
			staticData: staticData as never,
			webhookUrl: urlOf(kind),
			mode: kind === 'test' ? 'manual' : 'trigger',
		});
		const methods = trigger.webhookMethods.default;
		if (!(await methods.checkExists.call(context))) await methods.create.call(context);
		return log;
	}

	/** Publishes with the owner's credential; returns the static data n8n keeps for the workflow. */
	async function publish(trigger: CircularoTrigger): Promise<IDataObject> {
		const staticData: IDataObject = {};
		await activate(trigger, staticData, owner());
		return staticData;
	}

	async function deactivate(
		trigger: CircularoTrigger,
		staticData: object,
		credentials: CircularoTestCredentials,
		kind: UrlKind = 'production',
	) {
		const { context } = hookContext({
			credentials,
			staticData: staticData as never,
			webhookUrl: urlOf(kind),
			mode: 'internal',
		});
		await trigger.webhookMethods.default.delete.call(context);
	}

	/** Fires one event in the simulator; returns what it delivered, by URL kind. */
	async function fire(fields: object = {}): Promise<Record<UrlKind, Delivery | undefined>> {
		const { sim, receiver } = servers;
		receiver.received.length = 0;
		await sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-1', ...fields });
		const at = (url: string) => receiver.received.find((d) => d.url === url);
		return { production: at(receiver.productionUrl), test: at(receiver.testUrl) };
	}

	/** One delivery through webhook(), in the webhook phase of the given URL kind. */
	async function receive(
		trigger: CircularoTrigger,
		delivery: Delivery,
		options: Omit<ContextOptions, 'mode'> & { kind?: UrlKind },
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

	/** One production delivery through webhook(), with the owner's credential. */
	function receiveAsOwner(trigger: CircularoTrigger, delivery: Delivery, staticData: IDataObject) {
		return receive(trigger, delivery, { credentials: owner(), staticData });
	}

	beforeAll(async () => {
		servers.sim = await startSimulator({ port: 0 });
		servers.receiver = await startReceiver();
	});
	afterAll(async () => {
		await servers.sim.stop();
		await servers.receiver.close();
	});
	beforeEach(() => {
		servers.sim.reset();
		servers.receiver.received.length = 0;
	});
	return Object.assign(servers, {
		owner,
		activate,
		publish,
		deactivate,
		fire,
		receive,
		receiveAsOwner,
	});
}
