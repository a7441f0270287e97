// @ts-check
'use strict';

const { startSimulator, SEED_PASSWORD } = require('../../simulator');
const { api, request, createWebhook, useSimulator } = require('./helpers');

/** @type {import('./helpers').Simulator} */
let sim;
const CB = 'http://127.0.0.1:9/hook';

useSimulator((s) => (sim = s));

describe('authentication', () => {
	test('missing token -> 401 with a JSON error body', async () => {
		const r = await api(sim, 'GET', '/webhooks', null);
		expect(r.status).toBe(401);
		expect(r.headers['content-type']).toMatch(/application\/json/);
		expect(r.json.error.code).toBe('MISSING_TOKEN');
		expect(r.json.error.message).toMatch(/token/);
	});

	test('unknown token -> 401 and the token is never echoed, nor logged', async () => {
		const bogus = 'sim_this-is-not-a-valid-key-1234567890';
		const r = await api(sim, 'GET', '/webhooks', bogus);
		expect(r.status).toBe(401);
		expect(r.json.error.code).toBe('INVALID_TOKEN');
		expect(r.text).not.toContain(bogus);
		const logged = JSON.stringify(sim.requests);
		expect(logged).not.toContain(bogus);
		expect(sim.requests.at(-1)?.query.token).toBe('[redacted]');
	});

	test('seeded keys are deterministic across instances', async () => {
		const other = await startSimulator({ port: 0 });
		try {
			expect(other.keys).toEqual(sim.keys);
			expect(Object.keys(sim.keys).sort()).toEqual(
				[
					'disabledTenantAdmin',
					'globalAdmin',
					'otherTeamAdmin',
					'otherTenantAdmin',
					'plainUser',
					'teamAdmin',
					'teamAdminNoRight',
				].sort(),
			);
			expect(new Set(Object.values(sim.keys)).size).toBe(7);
		} finally {
			await other.stop();
		}
	});

	test('login -> session token -> POST /api/key -> the new key works, lists, and stops working once deleted', async () => {
		const bad = await api(sim, 'POST', '/login', null, {
			name: 'sales.admin@acme.test',
			password: 'wrong',
			returnToken: true,
		});
		expect(bad.status).toBe(401);
		expect(bad.json.error.code).toBe('LOGIN_FAILED');

		const login = await api(sim, 'POST', '/login', null, {
			name: 'sales.admin@acme.test',
			password: SEED_PASSWORD,
			returnToken: true,
		});
		expect(login.status).toBe(200);
		const session = login.json.token;
		expect(typeof session).toBe('string');
		expect(JSON.stringify(sim.requests)).not.toContain(SEED_PASSWORD);

		const created = await api(sim, 'POST', '/api/key', session, { name: 'n8n' });
		expect(created.status).toBe(200);
		const key = created.json.id;
		expect(typeof key).toBe('string');
		expect(key).not.toBe(session);
		expect(Date.parse(created.json.expirationDate) - Date.now()).toBeGreaterThan(
			9 * 365 * 24 * 3600 * 1000,
		);

		const listed = await api(sim, 'GET', '/api/key', key);
		expect(listed.json.results.map((/** @type {any} */ k) => k.id)).toEqual(
			expect.arrayContaining([key, sim.keys.teamAdmin]),
		);
		expect((await api(sim, 'GET', '/webhooks', key)).status).toBe(200);

		const del = await api(sim, 'DELETE', `/api/key/${key}`, session);
		expect(del.status).toBe(200);
		expect((await api(sim, 'GET', '/webhooks', key)).status).toBe(401);
		expect((await api(sim, 'DELETE', `/api/key/${key}`, session)).status).toBe(404);
	});

	test("login with a tenant that is not the user's fails; session tokens expire", async () => {
		const r = await api(sim, 'POST', '/login', null, {
			name: 'admin@acme.test',
			password: SEED_PASSWORD,
			returnToken: true,
			tenant: 'initech',
		});
		expect(r.status).toBe(401);
		const short = await startSimulator({ port: 0, sessionTtlMs: 50 });
		try {
			const login = await api(short, 'POST', '/login', null, {
				name: 'admin@acme.test',
				password: SEED_PASSWORD,
				returnToken: true,
			});
			expect((await api(short, 'GET', '/webhooks', login.json.token)).status).toBe(200);
			await new Promise((res) => setTimeout(res, 80));
			expect((await api(short, 'GET', '/webhooks', login.json.token)).status).toBe(401);
		} finally {
			await short.stop();
		}
	});
});

describe('POST /webhooks permissions', () => {
	test('team admin creates a team webhook for their own team; the secret is echoed back', async () => {
		const r = await api(sim, 'POST', '/webhooks', sim.keys.teamAdmin, {
			type: 'team',
			callbackUrl: CB,
			hmacSecret: 'abc',
		});
		expect(r.status).toBe(200);
		expect(Object.keys(r.json).sort()).toEqual([
			'callbackUrl',
			'createDate',
			'creator',
			'hmacSecret',
			'id',
			'name',
			'type',
		]);
		expect(r.json).toMatchObject({
			type: 'team',
			name: 'Sales',
			callbackUrl: CB,
			hmacSecret: 'abc',
			creator: 'sales.admin@acme.test',
		});
		expect(Number.isNaN(Date.parse(r.json.createDate))).toBe(false);
		expect(sim.listWebhooks()).toEqual([{ ...r.json, tenant: 'acme' }]);
	});

	test('without hmacSecret the webhook is unsigned (hmacSecret null)', async () => {
		const w = await createWebhook(sim, sim.keys.teamAdmin, { type: 'team', callbackUrl: CB });
		expect(w.hmacSecret).toBeNull();
	});

	test.each([
		[
			'teamAdmin',
			{ type: 'tenant', callbackUrl: CB },
			'TENANT_SCOPE_FORBIDDEN',
			/Only global admins can create tenant webhooks/,
		],
		[
			'teamAdmin',
			{ type: 'team', name: 'Legal', callbackUrl: CB },
			'NAME_FORBIDDEN',
			/Only global admins/,
		],
		[
			'plainUser',
			{ type: 'team', callbackUrl: CB },
			'ADMIN_REQUIRED',
			/team admin or global admin/,
		],
		[
			'teamAdminNoRight',
			{ type: 'team', callbackUrl: CB },
			'RIGHT_MISSING',
			/User lacks the use_webhooks right/,
		],
		[
			'disabledTenantAdmin',
			{ type: 'tenant', callbackUrl: CB },
			'WEBHOOKS_DISABLED',
			/Webhooks are not enabled for this tenant\. Contact Circularo support/,
		],
	])('%s with %j -> 403 %s', async (who, body, code, message) => {
		const r = await api(sim, 'POST', '/webhooks', sim.keys[who], body);
		expect(r.status).toBe(403);
		expect(r.json.error.code).toBe(code);
		expect(r.json.error.message).toMatch(message);
		expect(sim.listWebhooks()).toHaveLength(0);
	});

	test('global admin creates tenant webhooks and team webhooks for a named team', async () => {
		const t = await createWebhook(sim, sim.keys.globalAdmin, { type: 'tenant', callbackUrl: CB });
		expect(t).toMatchObject({ type: 'tenant', name: null, creator: 'admin@acme.test' });
		const l = await createWebhook(sim, sim.keys.globalAdmin, {
			type: 'team',
			name: 'Legal',
			callbackUrl: CB,
		});
		expect(l).toMatchObject({ type: 'team', name: 'Legal' });
	});

	test('enabling webhooks for the tenant lifts the 403', async () => {
		sim.setTenantWebhooksEnabled('globex', true);
		expect(
			(
				await api(sim, 'POST', '/webhooks', sim.keys.disabledTenantAdmin, {
					type: 'tenant',
					callbackUrl: CB,
				})
			).status,
		).toBe(200);
	});
});

describe('POST /webhooks validation -> 400', () => {
	test.each([
		['not an object', ['x'], 'INVALID_BODY'],
		['missing type', { callbackUrl: CB }, 'INVALID_TYPE'],
		['unknown type', { type: 'user', callbackUrl: CB }, 'INVALID_TYPE'],
		['missing callbackUrl', { type: 'tenant' }, 'INVALID_CALLBACK_URL'],
		[
			'relative callbackUrl',
			{ type: 'tenant', callbackUrl: '/webhook/abc' },
			'INVALID_CALLBACK_URL',
		],
		[
			'ftp callbackUrl',
			{ type: 'tenant', callbackUrl: 'ftp://127.0.0.1/x' },
			'INVALID_CALLBACK_URL',
		],
		['not a URL', { type: 'tenant', callbackUrl: 'http//nope' }, 'INVALID_CALLBACK_URL'],
		['unknown team', { type: 'team', name: 'Marketing', callbackUrl: CB }, 'UNKNOWN_TEAM'],
		['team of another tenant', { type: 'team', name: 'Finance', callbackUrl: CB }, 'UNKNOWN_TEAM'],
		[
			'team webhook without name by a global admin',
			{ type: 'team', callbackUrl: CB },
			'NAME_REQUIRED',
		],
		[
			'non-string secret',
			{ type: 'tenant', callbackUrl: CB, hmacSecret: 42 },
			'INVALID_HMAC_SECRET',
		],
	])('%s', async (_label, body, code) => {
		const r = await api(sim, 'POST', '/webhooks', sim.keys.globalAdmin, body);
		expect(r.status).toBe(400);
		expect(r.json.error.code).toBe(code);
		expect(typeof r.json.error.message).toBe('string');
		expect(sim.listWebhooks()).toHaveLength(0);
	});

	test('invalid JSON -> 400 INVALID_JSON', async () => {
		const url = `${sim.apiUrl}/webhooks?token=${sim.keys.globalAdmin}`;
		const r = await request(url, { method: 'POST', rawBody: '{"type": "tenant",' });
		expect(r.status).toBe(400);
		expect(r.json.error.code).toBe('INVALID_JSON');
	});

	test('https callback URLs are accepted', async () => {
		const w = await createWebhook(sim, sim.keys.globalAdmin, {
			type: 'tenant',
			callbackUrl: 'https://n8n.example.com/webhook/x',
		});
		expect(w.callbackUrl).toBe('https://n8n.example.com/webhook/x');
	});
});

describe('GET and DELETE /webhooks', () => {
	test('global admin sees all of their tenant, team admins only their team, other tenants nothing', async () => {
		const tenantHook = await createWebhook(sim, sim.keys.globalAdmin, {
			type: 'tenant',
			callbackUrl: CB,
		});
		const sales = await createWebhook(sim, sim.keys.teamAdmin, { type: 'team', callbackUrl: CB });
		const legal = await createWebhook(sim, sim.keys.otherTeamAdmin, {
			type: 'team',
			callbackUrl: CB,
		});
		const initech = await createWebhook(sim, sim.keys.otherTenantAdmin, {
			type: 'tenant',
			callbackUrl: CB,
		});

		/** @param {string} key */
		const ids = async (key) => {
			const r = await api(sim, 'GET', '/webhooks', key);
			expect(r.status).toBe(200);
			return r.json.results.map((/** @type {any} */ w) => w.id).sort();
		};
		expect(await ids(sim.keys.globalAdmin)).toEqual([tenantHook.id, sales.id, legal.id].sort());
		expect(await ids(sim.keys.teamAdmin)).toEqual([sales.id]);
		expect(await ids(sim.keys.otherTeamAdmin)).toEqual([legal.id]);
		expect(await ids(sim.keys.otherTenantAdmin)).toEqual([initech.id]);
		const listed = (await api(sim, 'GET', '/webhooks', sim.keys.teamAdmin)).json.results[0];
		expect(listed).toEqual(sales);
		expect((await api(sim, 'GET', '/webhooks', sim.keys.plainUser)).status).toBe(403);
	});

	test('delete: 200, then 404 (unknown id); other tenant -> 404; other team -> 403', async () => {
		const sales = await createWebhook(sim, sim.keys.teamAdmin, { type: 'team', callbackUrl: CB });
		const legal = await createWebhook(sim, sim.keys.otherTeamAdmin, {
			type: 'team',
			callbackUrl: CB,
		});

		const otherTenant = await api(
			sim,
			'DELETE',
			`/webhooks/${sales.id}`,
			sim.keys.otherTenantAdmin,
		);
		expect(otherTenant.status).toBe(404);
		expect(otherTenant.json.error.code).toBe('WEBHOOK_NOT_FOUND');

		const otherTeam = await api(sim, 'DELETE', `/webhooks/${legal.id}`, sim.keys.teamAdmin);
		expect(otherTeam.status).toBe(403);

		expect((await api(sim, 'DELETE', `/webhooks/${sales.id}`, sim.keys.teamAdmin)).status).toBe(
			200,
		);
		expect(sim.listWebhooks().map((w) => w.id)).toEqual([legal.id]);
		const again = await api(sim, 'DELETE', `/webhooks/${sales.id}`, sim.keys.teamAdmin);
		expect(again.status).toBe(404);

		expect((await api(sim, 'DELETE', `/webhooks/${legal.id}`, sim.keys.globalAdmin)).status).toBe(
			200,
		);
		expect(sim.listWebhooks()).toEqual([]);
	});

	test('unknown endpoint -> 404, wrong method -> 405, both JSON', async () => {
		const a = await api(sim, 'GET', '/nope', sim.keys.globalAdmin);
		expect(a.status).toBe(404);
		expect(a.json.error.code).toBe('NOT_FOUND');
		const b = await api(sim, 'PUT', '/webhooks', sim.keys.globalAdmin, {});
		expect(b.status).toBe(405);
		expect(b.json.error.code).toBe('METHOD_NOT_ALLOWED');
	});
});
