import { createHmac } from 'crypto';
import { inspect } from 'util';

import { NodeApiError } from 'n8n-workflow';

import { CircularoTrigger } from '../../nodes/Circularo/CircularoTrigger.node';
import {
	hookContext,
	PRODUCTION_URL,
	TEST_URL,
	type CircularoTestCredentials,
} from '../helpers/n8nContext';

const { startSimulator } = require('../../simulator');

const methods = new CircularoTrigger().webhookMethods.default;

let sim: any;
beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
});
afterAll(async () => {
	await sim.stop();
});
beforeEach(() => sim.reset());

function credentials(overrides: Partial<CircularoTestCredentials> = {}): CircularoTestCredentials {
	return { serverUrl: sim.baseUrl, apiKey: sim.keys.teamAdmin, webhookSecret: '', ...overrides };
}

function ctx(
	staticData: object,
	creds = credentials(),
	parameters: object = {},
	kind: 'production' | 'test' = 'production',
) {
	return hookContext({
		credentials: creds,
		staticData: staticData as never,
		parameters: parameters as never,
		webhookUrl: kind === 'test' ? TEST_URL : PRODUCTION_URL,
		mode: kind === 'test' ? 'manual' : 'trigger',
	});
}

/** What n8n does on publish (or on "Listen for test event" with kind 'test'). */
async function activate(
	staticData: object,
	creds = credentials(),
	parameters: object = {},
	kind: 'production' | 'test' = 'production',
) {
	const { context, log } = ctx(staticData, creds, parameters, kind);
	if (await methods.checkExists.call(context)) return { outcome: 'kept', log };
	await methods.create.call(context);
	return { outcome: 'created', log };
}

/** What n8n does on unpublish (mode 'internal' for both kinds). */
async function deactivate(
	staticData: object,
	creds = credentials(),
	kind: 'production' | 'test' = 'production',
) {
	const { context, log } = hookContext({
		credentials: creds,
		staticData: staticData as never,
		webhookUrl: kind === 'test' ? TEST_URL : PRODUCTION_URL,
		mode: 'internal',
	});
	expect(await methods.delete.call(context)).toBe(true);
	return log;
}

// The derivation is a compatibility contract (processes derive the secret from stored nonces), so it
// is written out here independently of the node's code.
const derived = (key: string, nonce: string) =>
	createHmac('sha256', key).update(`n8n-nodes-circularo/signing-secret/${nonce}`).digest('hex');

async function newApiKeyOfTheSameUser(): Promise<string> {
	const res = await fetch(`${sim.apiUrl}/api/key?token=${sim.keys.teamAdmin}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: '{}',
	});
	return ((await res.json()) as { id: string }).id;
}

async function registerAs010(secret: string): Promise<string> {
	const res = await fetch(`${sim.apiUrl}/webhooks?token=${sim.keys.teamAdmin}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ type: 'team', callbackUrl: PRODUCTION_URL, hmacSecret: secret }),
	});
	return ((await res.json()) as { id: string }).id;
}

describe('create', () => {
	it('registers one team webhook whose secret is derived from the API key and a nonce; static data holds nothing secret', async () => {
		const staticData: Record<string, string> = {};
		expect((await activate(staticData)).outcome).toBe('created');
		const remote = sim.listWebhooks();
		expect(remote).toHaveLength(1);
		expect(remote[0]).toMatchObject({
			id: staticData.webhookId,
			type: 'team',
			name: 'Sales',
			callbackUrl: PRODUCTION_URL,
		});
		expect(Object.keys(staticData).sort()).toEqual(['fingerprint', 'kind', 'nonce', 'webhookId']);
		expect(staticData).toMatchObject({
			kind: 'production',
			nonce: expect.stringMatching(/^[0-9a-f]{64}$/),
		});
		expect(remote[0].hmacSecret).toBe(derived(sim.keys.teamAdmin, staticData.nonce));
		const stored = JSON.stringify(staticData);
		expect(stored).not.toContain(remote[0].hmacSecret);
		expect(stored).not.toContain(sim.keys.teamAdmin);
	});

	it('derives from the credential secret when one is set, never registering or storing that secret itself', async () => {
		const staticData: Record<string, string> = {};
		await activate(staticData, credentials({ webhookSecret: 'credential-secret' }));
		const [remote] = sim.listWebhooks();
		expect(remote.hmacSecret).toBe(derived('credential-secret', staticData.nonce));
		expect(JSON.stringify(staticData)).not.toMatch(/credential-secret/);
	});

	it('gives every registration its own secret, also with the same credential', async () => {
		const first: Record<string, string> = {};
		await activate(first, credentials({ webhookSecret: 'credential-secret' }));
		const firstSecret = sim.listWebhooks()[0].hmacSecret;
		await deactivate(first);
		await activate({}, credentials({ webhookSecret: 'credential-secret' }), {}, 'test');
		expect(sim.listWebhooks()[0].hmacSecret).not.toBe(firstSecret);
	});

	it('records the URL kind: test registrations (mode "manual") in their own static data', async () => {
		const production: Record<string, string> = {};
		const test: Record<string, string> = {};
		await activate(production);
		await activate(test, credentials(), {}, 'test');
		expect(production.kind).toBe('production');
		expect(test.kind).toBe('test');
		expect(
			sim
				.listWebhooks()
				.map((w: any) => w.callbackUrl)
				.sort(),
		).toEqual([PRODUCTION_URL, TEST_URL].sort());
	});

	it('accepts the server URL with a trailing slash or /api/v1', async () => {
		const staticData = {};
		await activate(staticData, credentials({ serverUrl: `${sim.baseUrl}/` }));
		expect((await activate(staticData, credentials({ serverUrl: `${sim.apiUrl}/` }))).outcome).toBe(
			'kept',
		);
		expect(sim.listWebhooks()).toHaveLength(1);
	});

	it('registers the tenant scope for a global admin (Named Team is refused: doorbell.test.ts)', async () => {
		await activate({}, credentials({ apiKey: sim.keys.globalAdmin }), { scope: 'tenant' });
		expect(sim.listWebhooks()).toEqual([
			expect.objectContaining({ type: 'tenant', callbackUrl: PRODUCTION_URL }),
		]);
	});

	it('refuses a callback URL a hosted Circularo cannot reach, before calling Circularo', async () => {
		const { context } = ctx({}, credentials({ serverUrl: 'https://acme.circularo.invalid' }));
		await expect(methods.create.call(context)).rejects.toMatchObject({
			message: expect.stringContaining('cannot reach'),
			description: expect.stringContaining('WEBHOOK_URL'),
		});
	});
});

describe('failed registrations say what to fix and leave nothing behind', () => {
	it.each([
		['a wrong API key', () => credentials({ apiKey: 'not-a-key' }), {}, /API key/],
		['a plain user', () => credentials({ apiKey: sim.keys.plainUser }), {}, /admin/],
		[
			'a team admin without use_webhooks',
			() => credentials({ apiKey: sim.keys.teamAdminNoRight }),
			{},
			/use_webhooks/,
		],
		[
			'a tenant without webhooks',
			() => credentials({ apiKey: sim.keys.disabledTenantAdmin }),
			{},
			/not enabled/,
		],
		[
			'a team admin asking for the tenant scope',
			() => credentials(),
			{ scope: 'tenant' },
			/global admin/,
		],
		[
			'a named team (refused, whatever the team)',
			() => credentials({ apiKey: sim.keys.globalAdmin }),
			{ scope: 'namedTeam', teamName: 'Nope' },
			/My Team/,
		],
	])('%s', async (_name, creds, parameters, fix) => {
		const { context } = ctx({}, creds(), parameters);
		const failure = methods.checkExists.call(context).then(() => methods.create.call(context));
		await expect(failure).rejects.toMatchObject({ description: expect.stringMatching(fix) });
		expect(sim.listWebhooks()).toHaveLength(0);
	});

	it.each([
		['500', { status: 500 }, /server error/],
		['503', { status: 503 }, /server error/],
		['429', { status: 429 }, /rate limiting/],
		['a dropped connection', { drop: true }, /dropped|no answer/],
	])('Circularo answering %s', async (_name, fault, cause) => {
		sim.setFault({ method: 'POST', path: '/webhooks', ...fault });
		const { context } = ctx({});
		const error = await methods.create.call(context).catch((e: Error) => e);
		expect(`${(error as any).message} ${(error as any).description}`).toMatch(cause);
		expect(sim.listWebhooks()).toHaveLength(0);
	});

	it('removes a webhook Circularo created before the call failed', async () => {
		sim.setFault({ method: 'POST', path: '/webhooks', status: 500, afterHandling: true, times: 1 });
		await expect(methods.create.call(ctx({}).context)).rejects.toThrow(/500/);
		expect(sim.listWebhooks()).toHaveLength(0);
	});

	it('names a timeout and removes a webhook created before it', async () => {
		sim.setFault({
			method: 'POST',
			path: '/webhooks',
			delayMs: 12_000,
			afterHandling: true,
			times: 1,
		});
		await expect(methods.create.call(ctx({}).context)).rejects.toThrow(/timed out/);
		expect(sim.listWebhooks()).toHaveLength(0);
	}, 25_000);

	it('never leaks the API key into the error, even when Circularo echoes it', async () => {
		const key = sim.keys.teamAdmin;
		sim.setFault({
			method: 'POST',
			path: '/webhooks',
			status: 503,
			message: `Upstream failed for POST /webhooks?token=${key} (key ${key})`,
		});
		let error: any;
		try {
			await methods.create.call(ctx({}).context);
		} catch (thrown) {
			error = thrown;
		}
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('503');
		expect(error.description).toContain(
			'Circularo said: "Upstream failed for POST /webhooks?token=[redacted]',
		);
		const everything =
			inspect(error, { depth: 8 }) + JSON.stringify(error, Object.getOwnPropertyNames(error));
		expect(everything).not.toContain(key);
	});
});

describe('checkExists', () => {
	it('is true for the stored registration', async () => {
		const staticData = {};
		await activate(staticData);
		expect(await methods.checkExists.call(ctx(staticData).context)).toBe(true);
	});

	it('finds the stored registration in GET /webhooks answered as a bare array', async () => {
		const staticData = {};
		await activate(staticData);
		sim.setVariants({ readResponse: 'bare' });
		expect(await methods.checkExists.call(ctx(staticData).context)).toBe(true);
	});

	it('replaces a leftover for its URL after the stored data was lost, without a duplicate', async () => {
		await activate({});
		const lost: Record<string, string> = {};
		expect((await activate(lost)).outcome).toBe('created');
		expect(sim.listWebhooks()).toEqual([expect.objectContaining({ id: lost.webhookId })]);
	});

	it('is false after the webhook was removed on the Circularo side, and create registers it again', async () => {
		const staticData: Record<string, string> = {};
		await activate(staticData);
		const res = await fetch(
			`${sim.apiUrl}/webhooks/${staticData.webhookId}?token=${sim.keys.teamAdmin}`,
			{ method: 'DELETE' },
		);
		expect(res.ok).toBe(true);
		expect((await activate(staticData)).outcome).toBe('created');
		expect(sim.listWebhooks()).toHaveLength(1);
	});

	it('does not take a webhook of another scope for its own', async () => {
		const staticData = {};
		await activate(staticData, credentials({ apiKey: sim.keys.globalAdmin }), { scope: 'tenant' });
		const { context } = ctx(staticData, credentials({ apiKey: sim.keys.globalAdmin }), {
			scope: 'namedTeam',
			teamName: 'Sales',
		});
		expect(await methods.checkExists.call(context)).toBe(false);
		expect(sim.listWebhooks()).toHaveLength(1); // it never deletes
	});

	it.each([
		['the API key is rotated', { apiKey: 'rotated' }],
		['the Webhook Signing Secret is edited', { webhookSecret: 'edited-secret' }],
	])('notices when %s and registers again with the new credential', async (_name, change) => {
		const staticData: Record<string, string> = {};
		await activate(staticData, credentials({ webhookSecret: '' }));
		const before = staticData.webhookId;
		const edited = credentials(change);
		if ('apiKey' in change) edited.apiKey = await newApiKeyOfTheSameUser();
		const { outcome, log } = await activate(staticData, edited);
		expect(outcome).toBe('created');
		expect(log.warnings.join('\n')).toMatch(
			/credential .* has changed since the webhook was registered; registering the webhook again/,
		);
		const remote = sim.listWebhooks();
		expect(remote).toHaveLength(1);
		expect(remote[0].id).not.toBe(before);
		expect(remote[0].hmacSecret).toBe(
			derived(edited.webhookSecret || edited.apiKey, staticData.nonce),
		);
	});
});

describe('upgrade from 0.1.0', () => {
	it('replaces a registration with a generated secret in static data, and the secret leaves static data', async () => {
		const oldSecret = 'a'.repeat(64);
		const oldId = await registerAs010(oldSecret);
		const staticData: Record<string, string> = { webhookId: oldId, webhookSecret: oldSecret };
		expect((await activate(staticData)).outcome).toBe('created');
		expect(staticData.webhookSecret).toBeUndefined();
		expect(JSON.stringify(staticData)).not.toContain(oldSecret);
		const remote = sim.listWebhooks();
		expect(remote).toHaveLength(1);
		expect(remote[0].id).not.toBe(oldId);
		expect(remote[0].hmacSecret).toBe(derived(sim.keys.teamAdmin, staticData.nonce));
	});

	it('replaces a registration made with the credential secret (0.1.0 stored only the id)', async () => {
		const oldId = await registerAs010('credential-secret');
		const staticData: Record<string, string> = { webhookId: oldId };
		expect(
			(await activate(staticData, credentials({ webhookSecret: 'credential-secret' }))).outcome,
		).toBe('created');
		const remote = sim.listWebhooks();
		expect(remote).toHaveLength(1);
		expect(remote[0].hmacSecret).toBe(derived('credential-secret', staticData.nonce));
	});
});

describe('delete', () => {
	it('removes the webhook and clears the stored data', async () => {
		const staticData: Record<string, string> = {};
		await activate(staticData);
		await deactivate(staticData);
		expect(sim.listWebhooks()).toHaveLength(0);
		expect(staticData).toEqual({});
	});

	it('removes only the test registration when n8n stops listening for a test event (both run with mode "internal")', async () => {
		const production: Record<string, string> = {};
		const test: Record<string, string> = {};
		await activate(production);
		await activate(test, credentials(), {}, 'test');
		const published = { ...production };
		await deactivate(test, credentials(), 'test');
		expect(sim.listWebhooks()).toEqual([
			expect.objectContaining({ id: production.webhookId, callbackUrl: PRODUCTION_URL }),
		]);
		expect(production).toEqual(published);
		expect(test).toEqual({});
	});

	it('treats 404 as done, and clears what 0.1.0 stored', async () => {
		const staticData = { webhookId: 'does-not-exist', webhookSecret: 'x' };
		const log = await deactivate(staticData);
		expect(staticData).toEqual({});
		expect(log.warnings).toEqual([]);
	});

	it('completes and logs when Circularo fails, and the next activation replaces the leftover', async () => {
		const staticData: Record<string, string> = {};
		await activate(staticData);
		sim.setFault({ method: 'DELETE', path: '/webhooks/:id', status: 503 });
		const log = await deactivate(staticData);
		expect(staticData).toEqual({});
		expect(log.warnings.join('\n')).toMatch(/could not remove the webhook.*503/);
		expect(log.warnings.join('\n')).not.toContain(sim.keys.teamAdmin);
		sim.clearFaults();
		expect(sim.listWebhooks()).toHaveLength(1);
		await activate(staticData);
		expect(sim.listWebhooks()).toEqual([expect.objectContaining({ id: staticData.webhookId })]);
	});

	it('leaves zero webhooks after five activate/deactivate cycles', async () => {
		const staticData = {};
		for (let i = 0; i < 5; i++) {
			await activate(staticData);
			await deactivate(staticData);
		}
		expect(sim.listWebhooks()).toHaveLength(0);
	});
});
