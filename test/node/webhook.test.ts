import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';

import { CircularoTrigger } from '../../nodes/Circularo/CircularoTrigger.node';
import { hookContext, webhookContext, type CircularoTestCredentials, type Delivery } from '../helpers/n8nContext';

const { startSimulator, EVENTS } = require('../../simulator');

const trigger = new CircularoTrigger();
const lifecycle = trigger.webhookMethods.default;

let sim: any;
let receiver: Server;
let received: Delivery[] = [];
let callbackUrl = '';
const secret = 'webhook-test-secret';

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
	// Stands in for n8n's HTTP layer: keeps the exact bytes and headers the simulator sent.
	receiver = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			received.push({ rawBody: Buffer.concat(chunks), headers: req.headers });
			res.writeHead(200).end();
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook/abc/webhook`;
});
afterAll(async () => {
	await sim.stop();
	await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(async () => {
	sim.reset();
	received = [];
	const res = await fetch(`${sim.apiUrl}/webhooks?token=${sim.keys.teamAdmin}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ type: 'team', callbackUrl, hmacSecret: secret }),
	});
	expect(res.status).toBeLessThan(300);
});

function credentials(): CircularoTestCredentials {
	return { serverUrl: sim.baseUrl, apiKey: sim.keys.teamAdmin, webhookSecret: secret };
}

async function deliver(fire: object, parameters: object = { events: ['*'] }, staticData: object = {}) {
	received = [];
	await sim.fire({ documentId: 'doc-sales-1', ...fire });
	expect(received).toHaveLength(1);
	const { context, response } = webhookContext(
		{ credentials: credentials(), parameters: parameters as never, staticData: staticData as never },
		received[0],
	);
	const result = await trigger.webhook.call(context);
	return { result, response, delivery: received[0] };
}

describe('webhook()', () => {
	it.each(EVENTS as string[])('emits one typed item for a signed %s delivery', async (event) => {
		const { result, response, delivery } = await deliver({ event });
		expect(response.status).toBeUndefined();
		expect(result.workflowData).toHaveLength(1);
		const [[item]] = result.workflowData!;
		expect(item.json).toMatchObject({ event, documentId: 'doc-sales-1' });
		expect(item.json.payload).toEqual(JSON.parse(delivery.rawBody.toString()));
		expect(item.binary).toBeUndefined();
	});

	it.each(['missing', 'wrong', 'stale', 'otherSecret'])('answers 401 and starts nothing for a %s signature', async (signature) => {
		const { result, response } = await deliver({ event: 'documentCompleted', signature });
		expect(response).toMatchObject({ status: 401, ended: true });
		expect(result).toEqual({ noWebhookResponse: true });
	});

	it('answers 401 when the node has no secret at all', async () => {
		await sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-1' });
		const { context, response } = webhookContext(
			{ credentials: { ...credentials(), webhookSecret: '' }, parameters: { events: ['*'] } },
			received[0],
		);
		expect(await trigger.webhook.call(context)).toEqual({ noWebhookResponse: true });
		expect(response.status).toBe(401);
	});

	it('verifies with the generated secret stored at registration when the credential has none', async () => {
		await sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-1' });
		const { context } = webhookContext(
			{ credentials: { ...credentials(), webhookSecret: '' }, parameters: { events: ['*'] }, staticData: { webhookSecret: secret } },
			received[0],
		);
		expect((await trigger.webhook.call(context)).workflowData).toHaveLength(1);
	});

	it('acknowledges an unselected event without starting the workflow', async () => {
		const { result, response } = await deliver({ event: 'documentEdited' }, { events: ['documentCompleted', 'documentSigned'] });
		expect(result).toEqual({});
		expect(response.status).toBeUndefined();
	});

	it('emits an unrecognised shape as "unknown" only when all events are selected', async () => {
		const all = await deliver({ event: 'documentCompleted', shape: 'unknown' });
		expect(all.result.workflowData![0][0].json).toMatchObject({ event: 'unknown', documentId: null });
		const some = await deliver({ event: 'documentCompleted', shape: 'unknown' }, { events: ['documentCompleted'] });
		expect(some.result).toEqual({});
	});

	it('verifies the bytes even when n8n could not parse them, and keeps them as the payload', async () => {
		const rawBody = Buffer.from('{"event":"documentCompleted", truncated');
		const { createHmac } = require('crypto');
		const signature = createHmac('sha256', secret).update(rawBody).digest('hex');
		const { context } = webhookContext(
			{ credentials: credentials(), parameters: { events: ['*'] } },
			{ rawBody, headers: { 'x-circularo-signature': signature }, body: {} },
		);
		const result = await trigger.webhook.call(context);
		expect(result.workflowData![0][0].json).toMatchObject({ event: 'unknown', payload: rawBody.toString() });
	});

	it('attaches the signed PDF for documentCompleted', async () => {
		const { result } = await deliver(
			{ event: 'documentCompleted' },
			{ events: ['documentCompleted'], options: { downloadSignedDocument: true, binaryPropertyName: 'signed' } },
		);
		const [[item]] = result.workflowData!;
		expect(item.json.downloadError).toBeUndefined();
		const pdf = Buffer.from(item.binary!.signed.data, 'base64');
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
		expect(pdf.subarray(-8).toString()).toContain('%%EOF');
		expect(item.binary!.signed).toMatchObject({ mimeType: 'application/pdf', fileName: expect.stringMatching(/\.pdf$/) });
	});

	it('does not download for events without a signed document', async () => {
		const { result } = await deliver({ event: 'signRequest' }, { events: ['*'], options: { downloadSignedDocument: true } });
		expect(result.workflowData![0][0].binary).toBeUndefined();
	});

	it('attaches the audit trail when asked', async () => {
		const { result } = await deliver({ event: 'signRejected' }, { events: ['*'], options: { includeAuditTrail: true } });
		const pdf = Buffer.from(result.workflowData![0][0].binary!.auditTrail.data, 'base64');
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
	});

	it('still emits the item, with the reason, when the download fails', async () => {
		sim.setFault({ method: 'GET', path: '/documents/:id', status: 503 });
		const { result } = await deliver(
			{ event: 'documentCompleted' },
			{ events: ['documentCompleted'], options: { downloadSignedDocument: true } },
		);
		const [[item]] = result.workflowData!;
		expect(item.json.event).toBe('documentCompleted');
		expect(item.json.downloadError).toMatch(/503/);
		expect(item.json.downloadError).not.toContain(sim.keys.teamAdmin);
		expect(item.binary).toBeUndefined();
	});

	it('adds the request headers when asked, without credentials of the caller', async () => {
		await sim.fire({ event: 'documentSigned', documentId: 'doc-sales-1' });
		const delivery = { ...received[0], headers: { ...received[0].headers, authorization: 'Basic abc', cookie: 'a=b' } };
		const { context } = webhookContext(
			{ credentials: credentials(), parameters: { events: ['*'], options: { includeHeaders: true } } },
			delivery,
		);
		const headers = (await trigger.webhook.call(context)).workflowData![0][0].json.headers as Record<string, unknown>;
		expect(headers['content-type']).toMatch(/application\/json/);
		expect(headers['x-circularo-signature']).toBeDefined();
		expect(headers.authorization).toBeUndefined();
		expect(headers.cookie).toBeUndefined();
	});

	it('never puts the API key or secret into the item', async () => {
		const { result } = await deliver({ event: 'documentCompleted' }, { events: ['*'], options: { downloadSignedDocument: true, includeHeaders: true } });
		const text = JSON.stringify(result.workflowData![0][0].json);
		expect(text).not.toContain(sim.keys.teamAdmin);
		expect(text).not.toContain(secret);
	});
});

describe('webhook() in the n8n process that registered the webhook', () => {
	const registeredSecret = 'secret-at-registration';
	const staticData = {};
	const hook = () =>
		hookContext({ credentials: { ...credentials(), webhookSecret: registeredSecret }, staticData: staticData as never, webhookUrl: callbackUrl })
			.context;

	beforeEach(async () => {
		await lifecycle.create.call(hook()); // replaces the webhook registered in the outer beforeEach
		received = [];
		await sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-1' });
		expect(received).toHaveLength(1);
	});
	afterEach(async () => {
		await lifecycle.delete.call(hook());
	});

	/** The delivery, seen by a webhook() whose credential now holds `credentialSecret`; counts credential loads. */
	async function receive(credentialSecret: string, delivery: Delivery = received[0]) {
		const { context, response } = webhookContext(
			{ credentials: { ...credentials(), webhookSecret: credentialSecret }, parameters: { events: ['*'] }, staticData: staticData as never },
			delivery,
		);
		let credentialLoads = 0;
		const counting = {
			...(context as object),
			getCredentials: async () => {
				credentialLoads++;
				return { ...credentials(), webhookSecret: credentialSecret };
			},
		};
		const result = await trigger.webhook.call(counting as never);
		return { result, response, credentialLoads };
	}

	it('verifies against the registered secret without loading the credential', async () => {
		const { result, response, credentialLoads } = await receive(registeredSecret);
		expect(response.status).toBeUndefined();
		expect(result.workflowData![0][0].json).toMatchObject({ event: 'documentCompleted', documentId: 'doc-sales-1' });
		expect(credentialLoads).toBe(0);
	});

	it('keeps accepting deliveries when the credential secret is edited while the workflow is published', async () => {
		// Circularo still signs with the secret it was registered with until the workflow is re-published.
		const { result, response } = await receive('edited-after-publishing');
		expect(response.status).toBeUndefined();
		expect(result.workflowData).toHaveLength(1);
	});

	it('answers 401 to a forged delivery, after also checking the credential', async () => {
		const forged = { ...received[0], headers: { ...received[0].headers, 'x-circularo-signature': 'ab'.repeat(32) } };
		const { result, response, credentialLoads } = await receive(registeredSecret, forged);
		expect(response.status).toBe(401);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(credentialLoads).toBe(1);
	});

	it('forgets the secret when the webhook is removed', async () => {
		await lifecycle.delete.call(hook());
		const { response } = await receive('edited-after-publishing');
		expect(response.status).toBe(401);
	});
});
