import { CircularoTrigger } from '../../nodes/Circularo/CircularoTrigger.node';
import { hookContext, type CircularoTestCredentials } from '../helpers/n8nContext';

const { startSimulator } = require('../../simulator');

const methods = new CircularoTrigger().webhookMethods.default;
const callbackUrl = 'http://127.0.0.1:5678/webhook/0f3a0c1e-7d5e-4d4e-9d7b-lifecycle/webhook';

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

function ctx(staticData: object, creds = credentials(), parameters: object = {}) {
	return hookContext({ credentials: creds, staticData: staticData as never, parameters: parameters as never, webhookUrl: callbackUrl });
}

async function activate(staticData: object, creds = credentials(), parameters: object = {}) {
	const { context } = ctx(staticData, creds, parameters);
	if (await methods.checkExists.call(context)) return 'adopted';
	await methods.create.call(context);
	return 'created';
}

describe('create', () => {
	it('registers one team webhook with a generated secret and stores id and secret', async () => {
		const staticData: Record<string, string> = {};
		expect(await activate(staticData)).toBe('created');
		const remote = sim.listWebhooks();
		expect(remote).toHaveLength(1);
		expect(remote[0]).toMatchObject({ id: staticData.webhookId, type: 'team', name: 'Sales', callbackUrl });
		expect(remote[0].hmacSecret).toMatch(/^[0-9a-f]{64}$/);
		expect(staticData.webhookSecret).toBe(remote[0].hmacSecret);
	});

	it('uses the credential secret and does not copy it into static data', async () => {
		const staticData: Record<string, string> = {};
		await activate(staticData, credentials({ webhookSecret: 'credential-secret' }));
		expect(sim.listWebhooks()[0].hmacSecret).toBe('credential-secret');
		expect(staticData.webhookSecret).toBeUndefined();
	});

	it('accepts the server URL with a trailing slash or /api/v1', async () => {
		await activate({}, credentials({ serverUrl: `${sim.baseUrl}/` }));
		await activate({}, credentials({ serverUrl: `${sim.apiUrl}/` }));
		expect(sim.listWebhooks()).toHaveLength(1); // the second adopted the first (same callback URL)
	});

	it('registers tenant and named-team scopes for a global admin', async () => {
		await activate({}, credentials({ apiKey: sim.keys.globalAdmin }), { scope: 'tenant' });
		expect(sim.listWebhooks()).toEqual([expect.objectContaining({ type: 'tenant', callbackUrl })]);
		await activate({}, credentials({ apiKey: sim.keys.globalAdmin }), { scope: 'namedTeam', teamName: 'Legal' });
		expect(sim.listWebhooks()).toEqual([expect.objectContaining({ type: 'team', name: 'Legal', callbackUrl })]);
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
		['a team admin without use_webhooks', () => credentials({ apiKey: sim.keys.teamAdminNoRight }), {}, /use_webhooks/],
		['a tenant without webhooks', () => credentials({ apiKey: sim.keys.disabledTenantAdmin }), {}, /not enabled/],
		['a team admin asking for the tenant scope', () => credentials(), { scope: 'tenant' }, /global admin/],
		['an unknown team', () => credentials({ apiKey: sim.keys.globalAdmin }), { scope: 'namedTeam', teamName: 'Nope' }, /Team Name/],
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
		sim.setFault({ method: 'POST', path: '/webhooks', delayMs: 12_000, afterHandling: true, times: 1 });
		await expect(methods.create.call(ctx({}).context)).rejects.toThrow(/timed out/);
		expect(sim.listWebhooks()).toHaveLength(0);
	}, 25_000);

	it('never leaks the API key into the error', async () => {
		sim.setFault({ method: 'POST', path: '/webhooks', status: 503 });
		const error = await methods.create.call(ctx({}).context).catch((e: Error) => e);
		expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(sim.keys.teamAdmin);
		expect(String((error as Error).stack)).not.toContain(sim.keys.teamAdmin);
	});
});

describe('checkExists', () => {
	it('is true for the stored registration', async () => {
		const staticData = {};
		await activate(staticData);
		expect(await methods.checkExists.call(ctx(staticData).context)).toBe(true);
	});

	it('adopts the remote webhook after a restart that lost the stored data, without a duplicate', async () => {
		const first: Record<string, string> = {};
		await activate(first);
		const lost: Record<string, string> = {};
		expect(await activate(lost)).toBe('adopted');
		expect(lost).toEqual(first);
		expect(sim.listWebhooks()).toHaveLength(1);
	});

	it('is false after the webhook was removed on the Circularo side, and create registers it again', async () => {
		const staticData: Record<string, string> = {};
		await activate(staticData);
		const res = await fetch(`${sim.apiUrl}/webhooks/${staticData.webhookId}?token=${sim.keys.teamAdmin}`, { method: 'DELETE' });
		expect(res.ok).toBe(true);
		expect(await activate(staticData)).toBe('created');
		expect(sim.listWebhooks()).toHaveLength(1);
	});

	it('does not adopt a webhook of another scope or another URL', async () => {
		await activate({}, credentials({ apiKey: sim.keys.globalAdmin }), { scope: 'tenant' });
		const { context } = ctx({}, credentials({ apiKey: sim.keys.globalAdmin }), { scope: 'namedTeam', teamName: 'Sales' });
		expect(await methods.checkExists.call(context)).toBe(false);
		expect(sim.listWebhooks()).toHaveLength(1); // it never deletes
	});

	it('replaces the webhook when the credential secret changes', async () => {
		const staticData: Record<string, string> = {};
		await activate(staticData, credentials({ webhookSecret: 'secret-one' }));
		const before = staticData.webhookId;
		expect(await activate(staticData, credentials({ webhookSecret: 'secret-two' }))).toBe('created');
		const remote = sim.listWebhooks();
		expect(remote).toHaveLength(1);
		expect(remote[0].hmacSecret).toBe('secret-two');
		expect(remote[0].id).not.toBe(before);
	});
});

describe('delete', () => {
	it('removes the webhook and clears the stored data', async () => {
		const staticData: Record<string, string> = {};
		await activate(staticData);
		expect(await methods.delete.call(ctx(staticData).context)).toBe(true);
		expect(sim.listWebhooks()).toHaveLength(0);
		expect(staticData).toEqual({});
	});

	it('treats 404 as done', async () => {
		const staticData = { webhookId: 'does-not-exist', webhookSecret: 'x' };
		const { context, log } = ctx(staticData);
		expect(await methods.delete.call(context)).toBe(true);
		expect(staticData).toEqual({});
		expect(log.warnings).toEqual([]);
	});

	it('completes and logs when Circularo fails, and the next activation replaces the leftover', async () => {
		const staticData: Record<string, string> = {};
		await activate(staticData);
		sim.setFault({ method: 'DELETE', path: '/webhooks/:id', status: 503 });
		const { context, log } = ctx(staticData);
		expect(await methods.delete.call(context)).toBe(true);
		expect(staticData).toEqual({});
		expect(log.warnings.join('\n')).toMatch(/could not remove the webhook.*503/);
		expect(log.warnings.join('\n')).not.toContain(sim.keys.teamAdmin);
		sim.clearFaults();
		expect(sim.listWebhooks()).toHaveLength(1);
		await activate(staticData);
		expect(sim.listWebhooks()).toHaveLength(1);
		expect(sim.listWebhooks()[0].id).toBe(staticData.webhookId);
	});

	it('leaves zero webhooks after five activate/deactivate cycles', async () => {
		const staticData = {};
		for (let i = 0; i < 5; i++) {
			await activate(staticData);
			await methods.delete.call(ctx(staticData).context);
		}
		expect(sim.listWebhooks()).toHaveLength(0);
	});
});
