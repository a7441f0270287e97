// @ts-check
'use strict';

const { api, useSimulator } = require('./helpers');

/** @type {import('./helpers').Simulator} */
let sim;
const CB = 'http://127.0.0.1:9/hook';

useSimulator((s) => (sim = s));

test.each([500, 503, 429])(
	'forced status %i with a JSON error body, then normal again (times: 1)',
	async (status) => {
		sim.setFault({ method: 'GET', path: '/webhooks', status, times: 1 });
		const r = await api(sim, 'GET', '/webhooks', sim.keys.globalAdmin);
		expect(r.status).toBe(status);
		expect(r.json.error.code).toBe('SIMULATED_FAULT');
		expect(sim.requests.at(-1)).toMatchObject({ status, fault: expect.any(String) });
		const ok = await api(sim, 'GET', '/webhooks', sim.keys.globalAdmin);
		expect(ok.status).toBe(200);
		expect(sim.listFaults()).toEqual([]);
	},
);

test('retryAfter adds a Retry-After header', async () => {
	sim.setFault({ path: '/webhooks', status: 429, retryAfter: 2 });
	const r = await api(sim, 'GET', '/webhooks', sim.keys.globalAdmin);
	expect(r.headers['retry-after']).toBe('2');
});

test('without times a fault stays until cleared; method and path must match', async () => {
	const f = sim.setFault({ method: 'DELETE', path: '/webhooks/:id', status: 500 });
	expect((await api(sim, 'DELETE', '/webhooks/abc', sim.keys.globalAdmin)).status).toBe(500);
	expect((await api(sim, 'DELETE', '/webhooks/def', sim.keys.globalAdmin)).status).toBe(500);
	expect((await api(sim, 'GET', '/webhooks', sim.keys.globalAdmin)).status).toBe(200);
	expect(
		(await api(sim, 'POST', '/webhooks', sim.keys.globalAdmin, { type: 'tenant', callbackUrl: CB }))
			.status,
	).toBe(200);
	expect(sim.clearFaults(f.id)).toBe(1);
	expect((await api(sim, 'DELETE', '/webhooks/abc', sim.keys.globalAdmin)).status).toBe(404);
});

test('a concrete path and the /api/v1 prefix are accepted', async () => {
	sim.setFault({ path: '/api/v1/documents/doc-sales-1', status: 503 });
	expect((await api(sim, 'GET', '/documents/doc-sales-1', sim.keys.globalAdmin)).status).toBe(503);
	expect((await api(sim, 'GET', '/documents/doc-sales-2', sim.keys.globalAdmin)).status).toBe(200);
	sim.clearFaults();
	expect((await api(sim, 'GET', '/documents/doc-sales-1', sim.keys.globalAdmin)).status).toBe(200);
});

test('latency: delayMs delays the real answer', async () => {
	sim.setFault({ path: '/webhooks', delayMs: 300, times: 1 });
	const t0 = Date.now();
	const r = await api(sim, 'GET', '/webhooks', sim.keys.globalAdmin);
	expect(r.status).toBe(200);
	expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
	const t1 = Date.now();
	await api(sim, 'GET', '/webhooks', sim.keys.globalAdmin);
	expect(Date.now() - t1).toBeLessThan(250);
});

test('drop: the connection is destroyed without a response', async () => {
	sim.setFault({ method: 'POST', path: '/webhooks', drop: true, times: 1 });
	await expect(
		api(sim, 'POST', '/webhooks', sim.keys.globalAdmin, { type: 'tenant', callbackUrl: CB }),
	).rejects.toThrow(/socket hang up|ECONNRESET/);
	expect(sim.listWebhooks()).toHaveLength(0);
	expect(sim.requests.at(-1)).toMatchObject({ method: 'POST', status: null, dropped: true });
});

test('afterHandling + status: the webhook IS created although the client gets 500', async () => {
	sim.setFault({ method: 'POST', path: '/webhooks', status: 500, afterHandling: true, times: 1 });
	const r = await api(sim, 'POST', '/webhooks', sim.keys.teamAdmin, {
		type: 'team',
		callbackUrl: CB,
	});
	expect(r.status).toBe(500);
	expect(sim.listWebhooks()).toHaveLength(1);
	expect(sim.listWebhooks()[0].callbackUrl).toBe(CB);
});

test('afterHandling + drop: the webhook IS created although the connection drops', async () => {
	sim.setFault({ method: 'POST', path: '/webhooks', drop: true, afterHandling: true, times: 1 });
	await expect(
		api(sim, 'POST', '/webhooks', sim.keys.teamAdmin, { type: 'team', callbackUrl: CB }),
	).rejects.toThrow();
	expect(sim.listWebhooks()).toHaveLength(1);
});

test('afterHandling on delete: the webhook is gone although the client gets 503', async () => {
	const w = (
		await api(sim, 'POST', '/webhooks', sim.keys.teamAdmin, { type: 'team', callbackUrl: CB })
	).json;
	sim.setFault({
		method: 'DELETE',
		path: '/webhooks/:id',
		status: 503,
		afterHandling: true,
		times: 1,
	});
	expect((await api(sim, 'DELETE', `/webhooks/${w.id}`, sim.keys.teamAdmin)).status).toBe(503);
	expect(sim.listWebhooks()).toHaveLength(0);
	expect((await api(sim, 'DELETE', `/webhooks/${w.id}`, sim.keys.teamAdmin)).status).toBe(404);
});

test('without afterHandling a status fault does not perform the operation', async () => {
	sim.setFault({ method: 'POST', path: '/webhooks', status: 503, times: 1 });
	expect(
		(await api(sim, 'POST', '/webhooks', sim.keys.teamAdmin, { type: 'team', callbackUrl: CB }))
			.status,
	).toBe(503);
	expect(sim.listWebhooks()).toHaveLength(0);
});

test('invalid fault specs are refused', () => {
	expect(() => sim.setFault({ path: '/webhooks' })).toThrow(/at least one/);
	expect(() => sim.setFault(/** @type {any} */ ({ status: 500 }))).toThrow(/path/);
	expect(() => sim.setFault({ path: '/webhooks', status: 500, drop: true })).toThrow(/exclude/);
	expect(() => sim.setFault({ path: '/webhooks', status: 500, times: 0 })).toThrow(/times/);
	expect(() => sim.setFault({ path: '/webhooks', delayMs: 10 * 60 * 1000 })).toThrow(/delayMs/);
});
