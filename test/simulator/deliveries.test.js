// @ts-check
'use strict';

const crypto = require('node:crypto');
const { EVENTS, PAYLOAD_SHAPES, buildPayload } = require('../../simulator');
const { DELIVERY_FIELD_CANDIDATES } = require('../../nodes/Circularo/webhooks/deliveryAssumptions');
const { CIRCULARO_EVENTS } = require('../../nodes/Circularo/events');
const { api, useSimulator, createWebhook } = require('./helpers');

/** Independent of the simulator's code: lowercase hex HMAC-SHA256 of the raw bytes. */
const expectedSig = (/** @type {string} */ secret, /** @type {Buffer} */ bytes) =>
	crypto.createHmac('sha256', secret).update(bytes).digest('hex');

/** @type {import('./helpers').Simulator} */
let sim;
/** @type {import('./helpers').Receiver} */
let rx;

useSimulator((s, r) => ((sim = s), (rx = r)), {
	receiver: true,
	options: { deliveryTimeoutMs: 400 },
});

/** A team webhook that sends every delivery to the receiver, signed with `secret`. */
const signedTeamWebhook = (secret = 's') =>
	createWebhook(sim, sim.keys.teamAdmin, { type: 'team', callbackUrl: rx.url, hmacSecret: secret });

describe('signatures', () => {
	test('valid: x-circularo-signature is the lowercase hex HMAC-SHA256 of the exact bytes received', async () => {
		const w = await signedTeamWebhook('correct horse');
		const [d] = await sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-1' });
		expect(rx.requests).toHaveLength(1);
		const got = rx.requests[0];
		expect(got.method).toBe('POST');
		expect(got.headers['content-type']).toBe('application/json');
		expect(got.headers['x-circularo-signature']).toMatch(/^[0-9a-f]{64}$/);
		expect(got.headers['x-circularo-signature']).toBe(expectedSig('correct horse', got.body));
		expect(got.body.toString('utf8')).toBe(d.body);
		expect(d).toMatchObject({
			webhookId: w.id,
			url: rx.url,
			status: 200,
			signature: got.headers['x-circularo-signature'],
		});
		expect(d.latencyMs).toBeGreaterThanOrEqual(0);
		expect(sim.deliveries).toEqual([d]);
	});

	test('a webhook without a secret gets no signature header', async () => {
		await createWebhook(sim, sim.keys.teamAdmin, { type: 'team', callbackUrl: rx.url });
		const [d] = await sim.fire({ event: 'documentSigned', documentId: 'doc-sales-1' });
		expect(rx.requests[0].headers['x-circularo-signature']).toBeUndefined();
		expect(d.signature).toBeNull();
	});

	test('missing: no header', async () => {
		await signedTeamWebhook();
		await sim.fire({ event: 'documentSigned', documentId: 'doc-sales-1', signature: 'missing' });
		expect(rx.requests[0].headers['x-circularo-signature']).toBeUndefined();
	});

	test.each(['wrong', 'stale', 'otherSecret'])(
		'%s: a 64-hex header that does not verify',
		async (mode) => {
			await signedTeamWebhook();
			await sim.fire({
				event: 'documentSigned',
				documentId: 'doc-sales-1',
				signature: /** @type {any} */ (mode),
			});
			const got = rx.requests[0];
			const sig = String(got.headers['x-circularo-signature']);
			expect(sig).toMatch(/^[0-9a-f]{64}$/);
			expect(sig).not.toBe(expectedSig('s', got.body));
		},
	);

	test('stale is the valid signature of an earlier body of the same event', async () => {
		await signedTeamWebhook();
		const at = Date.parse('2026-03-01T10:00:00.000Z');
		await sim.fire({ event: 'documentSigned', documentId: 'doc-sales-1', signature: 'stale', at });
		const earlier = JSON.parse(rx.requests[0].body.toString());
		earlier.timestamp = new Date(at - 60_000).toISOString();
		expect(rx.requests[0].headers['x-circularo-signature']).toBe(
			expectedSig('s', Buffer.from(JSON.stringify(earlier))),
		);
	});

	test('signature formats: upper-case hex and sha256= prefix', async () => {
		await signedTeamWebhook();
		await sim.fire({
			event: 'documentSigned',
			documentId: 'doc-sales-1',
			signatureFormat: 'upper',
		});
		await sim.fire({
			event: 'documentSigned',
			documentId: 'doc-sales-1',
			signatureFormat: 'prefixed',
		});
		const [a, b] = rx.requests;
		expect(a.headers['x-circularo-signature']).toBe(expectedSig('s', a.body).toUpperCase());
		expect(b.headers['x-circularo-signature']).toBe('sha256=' + expectedSig('s', b.body));
	});

	test('raw body override is sent byte for byte and signed', async () => {
		await signedTeamWebhook();
		const raw = '{"event":"documentCompleted",  "documentId":"doc-sales-1","note":"čšř"}';
		await sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-1', body: raw });
		expect(rx.requests[0].body.equals(Buffer.from(raw, 'utf8'))).toBe(true);
		expect(rx.requests[0].headers['x-circularo-signature']).toBe(
			expectedSig('s', Buffer.from(raw, 'utf8')),
		);
	});
});

/** A webhook to the receiver, told apart from the others by its query. */
const webhookTo = (
	/** @type {string} */ key,
	/** @type {string} */ type,
	/** @type {string} */ query,
) => createWebhook(sim, key, { type, callbackUrl: `${rx.url}?${query}` });

describe('scoping', () => {
	test('tenant webhooks get every document of the tenant; team webhooks only their team; other tenants nothing', async () => {
		const tenant = await webhookTo(sim.keys.globalAdmin, 'tenant', 'w=tenant');
		const sales = await webhookTo(sim.keys.teamAdmin, 'team', 'w=sales');
		const legal = await webhookTo(sim.keys.otherTeamAdmin, 'team', 'w=legal');
		const initech = await webhookTo(sim.keys.otherTenantAdmin, 'tenant', 'w=initech');

		const sorted = (/** @type {any[]} */ ds) => ds.map((d) => d.webhookId).sort();
		expect(sorted(await sim.fire({ event: 'signRequest', documentId: 'doc-sales-1' }))).toEqual(
			[tenant.id, sales.id].sort(),
		);
		expect(sorted(await sim.fire({ event: 'signRequest', documentId: 'doc-legal-1' }))).toEqual(
			[tenant.id, legal.id].sort(),
		);
		expect(sorted(await sim.fire({ event: 'signRequest', documentId: 'doc-initech-1' }))).toEqual([
			initech.id,
		]);
		expect(await sim.fire({ event: 'signRequest', documentId: 'doc-globex-1' })).toEqual([]);
		expect(rx.requests.map((r) => r.url).sort()).toEqual(
			[
				'/hook?w=tenant',
				'/hook?w=sales',
				'/hook?w=tenant',
				'/hook?w=legal',
				'/hook?w=initech',
			].sort(),
		);
	});

	test('a deleted webhook gets nothing; webhookId narrows a fire to one webhook', async () => {
		const a = await webhookTo(sim.keys.globalAdmin, 'tenant', 'a');
		const b = await webhookTo(sim.keys.globalAdmin, 'tenant', 'b');
		expect(
			(await sim.fire({ event: 'documentEdited', webhookId: b.id })).map((d) => d.webhookId),
		).toEqual([b.id]);
		expect((await api(sim, 'DELETE', `/webhooks/${b.id}`, sim.keys.globalAdmin)).status).toBe(200);
		expect((await sim.fire({ event: 'documentEdited' })).map((d) => d.webhookId)).toEqual([a.id]);
	});

	test('each documented event can be fired; unknown event names are refused unless allowed', async () => {
		await createWebhook(sim, sim.keys.teamAdmin, { type: 'team', callbackUrl: rx.url });
		// The simulator keeps its own list (it stands in for Circularo): the node's must be the same.
		expect([...EVENTS].sort()).toEqual([...CIRCULARO_EVENTS].sort());
		for (const event of EVENTS) await sim.fire({ event, documentId: 'doc-sales-2' });
		expect(rx.requests.map((r) => JSON.parse(r.body.toString()).event)).toEqual([...EVENTS]);
		await expect(
			sim.fire({ event: 'documentExploded', documentId: 'doc-sales-2' }),
		).rejects.toThrow(/unknown event/);
		await sim.fire({
			event: 'documentExploded',
			documentId: 'doc-sales-2',
			allowUnknownEvent: true,
		});
		expect(JSON.parse(rx.requests.at(-1)?.body.toString() ?? '').event).toBe('documentExploded');
	});

	test('unknown document -> rejects', async () => {
		await expect(sim.fire({ event: 'documentCompleted', documentId: 'doc-nope' })).rejects.toThrow(
			/unknown document/,
		);
	});
});

describe('repeat, failures and timeouts', () => {
	test('repeat redelivers the identical bytes and signature', async () => {
		await signedTeamWebhook('k');
		const ds = await sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-1', repeat: 3 });
		expect(ds.map((d) => d.attempt)).toEqual([1, 2, 3]);
		expect(rx.requests).toHaveLength(3);
		expect(rx.requests[1].body.equals(rx.requests[0].body)).toBe(true);
		expect(rx.requests[2].body.equals(rx.requests[0].body)).toBe(true);
		expect(new Set(rx.requests.map((r) => r.headers['x-circularo-signature'])).size).toBe(1);
		const par = await sim.fire({
			event: 'documentCompleted',
			documentId: 'doc-sales-1',
			repeat: 2,
			parallel: true,
		});
		expect(par).toHaveLength(2);
		expect(par[0].body).toBe(par[1].body);
	});

	test('receiver status is recorded (500), connection refused is an error, not a throw', async () => {
		rx.state.status = 500;
		await createWebhook(sim, sim.keys.teamAdmin, { type: 'team', callbackUrl: rx.url });
		await createWebhook(sim, sim.keys.teamAdmin, {
			type: 'team',
			callbackUrl: 'http://127.0.0.1:1/closed',
		});
		const ds = await sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-1' });
		const byUrl = Object.fromEntries(ds.map((d) => [d.url, d]));
		expect(byUrl[rx.url].status).toBe(500);
		expect(byUrl['http://127.0.0.1:1/closed'].status).toBeNull();
		expect(byUrl['http://127.0.0.1:1/closed'].error).toMatch(/ECONNREFUSED/);
	});

	test('a hanging receiver times out after deliveryTimeoutMs', async () => {
		rx.state.hang = true;
		await createWebhook(sim, sim.keys.teamAdmin, { type: 'team', callbackUrl: rx.url });
		const t0 = Date.now();
		const [d] = await sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-1' });
		expect(Date.now() - t0).toBeLessThan(3000);
		expect(d.status).toBeNull();
		expect(d.error).toMatch(/timeout/);
		expect(d.latencyMs).toBeGreaterThanOrEqual(390);
	});

	test('non-loopback callback URLs are not contacted unless allowed', async () => {
		await createWebhook(sim, sim.keys.globalAdmin, {
			type: 'tenant',
			callbackUrl: 'https://n8n.example.com/webhook/x',
		});
		const [d] = await sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-1' });
		expect(d.status).toBeNull();
		expect(d.error).toMatch(/loopback/);
	});
});

describe('payload shapes', () => {
	const input = {
		event: 'documentSigned',
		documentId: 'doc-1',
		documentTitle: 'Contract',
		actor: { id: 'u1', name: 'Pat', username: 'pat@x.test', email: 'pat@x.test' },
		at: Date.parse('2026-02-03T04:05:06.000Z'),
	};

	test('default carries document id, event, title, actor and ISO timestamp', () => {
		expect(buildPayload('default', input)).toEqual({
			event: 'documentSigned',
			documentId: 'doc-1',
			documentTitle: 'Contract',
			user: { id: 'u1', name: 'Pat', username: 'pat@x.test', email: 'pat@x.test' },
			timestamp: '2026-02-03T04:05:06.000Z',
		});
	});

	test('alternative shapes use each candidate family', () => {
		expect(buildPayload('eventType', input)).toEqual({
			eventType: 'documentSigned',
			document: { documentId: 'doc-1', documentTitle: 'Contract' },
			actor: { username: 'pat@x.test', email: 'pat@x.test' },
			date: input.at,
		});
		expect(buildPayload('type', input)).toEqual({
			type: 'documentSigned',
			document: { id: 'doc-1', title: 'Contract' },
			username: 'pat@x.test',
			time: '2026-02-03T04:05:06.000Z',
		});
		expect(buildPayload('action', input)).toEqual({
			action: 'documentSigned',
			data: { documentId: 'doc-1' },
			title: 'Contract',
			executor: 'pat@x.test',
			createDate: input.at,
		});
		expect(buildPayload('name', input)).toEqual({
			name: 'documentSigned',
			id: 'doc-1',
			userName: 'pat@x.test',
			eventDate: '2026-02-03T04:05:06.000Z',
			createdBy: { email: 'pat@x.test' },
		});
	});

	test('unknown has none of the candidate field names at any depth', () => {
		// Every name the trigger reads a field from, at any depth of a dotted path.
		const candidates = new Set(
			Object.values(DELIVERY_FIELD_CANDIDATES).flatMap((paths) =>
				paths.flatMap((path) => path.split('.')),
			),
		);
		/** @param {any} o @returns {string[]} */
		const keys = (o) =>
			o && typeof o === 'object' ? Object.entries(o).flatMap(([k, v]) => [k, ...keys(v)]) : [];
		const found = keys(buildPayload('unknown', input));
		expect(found.length).toBeGreaterThan(0);
		expect(found.filter((k) => candidates.has(k))).toEqual([]);
		expect(JSON.stringify(buildPayload('unknown', input))).not.toContain('documentSigned');
	});

	test('fire sends the chosen shape; unknown shapes are refused', async () => {
		await createWebhook(sim, sim.keys.teamAdmin, { type: 'team', callbackUrl: rx.url });
		for (const shape of PAYLOAD_SHAPES)
			await sim.fire({
				event: 'signRejected',
				documentId: 'doc-sales-1',
				shape,
				actor: 'sales.admin@acme.test',
			});
		const bodies = rx.requests.map((r) => JSON.parse(r.body.toString()));
		expect(bodies[0]).toMatchObject({
			event: 'signRejected',
			documentId: 'doc-sales-1',
			user: { username: 'sales.admin@acme.test' },
		});
		expect(bodies[1]).toMatchObject({
			eventType: 'signRejected',
			document: { documentId: 'doc-sales-1' },
		});
		expect(bodies[2]).toMatchObject({ type: 'signRejected', document: { id: 'doc-sales-1' } });
		expect(bodies[3]).toMatchObject({
			action: 'signRejected',
			data: { documentId: 'doc-sales-1' },
			executor: 'sales.admin@acme.test',
		});
		expect(bodies[4]).toMatchObject({ name: 'signRejected', id: 'doc-sales-1' });
		expect(Object.keys(bodies[5]).sort()).toEqual(['bar', 'foo']);
		await expect(sim.fire({ event: 'signRejected', shape: 'xml' })).rejects.toThrow(
			/unknown shape/,
		);
		expect(() => buildPayload('xml', input)).toThrow(/unknown shape/);
	});
});
