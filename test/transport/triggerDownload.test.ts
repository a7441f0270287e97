/**
 * The download guarantees of the shared transport, seen through the trigger: a file over the cap or
 * not a PDF is never attached as application/pdf; the item says why instead.
 */
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';

import { CircularoTrigger } from '../../nodes/Circularo/CircularoTrigger.node';
import { webhookContext, type Delivery } from '../helpers/n8nContext';

const { startSimulator } = require('../../simulator');

const trigger = new CircularoTrigger();
const secret = 'trigger-download-secret';
let sim: any;
let receiver: Server;
let received: Delivery[] = [];

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
	receiver = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			received.push({ rawBody: Buffer.concat(chunks), headers: req.headers });
			res.writeHead(200).end();
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
	await sim.stop();
	await new Promise((resolve) => receiver.close(resolve));
});

async function completedDelivery(faults: object[] = []) {
	sim.reset();
	for (const fault of faults) sim.setFault(fault);
	received = [];
	const callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook/abc/webhook`;
	const res = await fetch(`${sim.apiUrl}/webhooks?token=${sim.keys.teamAdmin}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ type: 'team', callbackUrl, hmacSecret: secret }),
	});
	expect(res.status).toBe(200);
	await sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-1' });
	expect(received).toHaveLength(1);
	const { context } = webhookContext(
		{
			credentials: { serverUrl: sim.baseUrl, apiKey: sim.keys.teamAdmin, webhookSecret: secret },
			parameters: { events: ['documentCompleted'], options: { downloadSignedDocument: true, includeAuditTrail: true } },
		},
		received[0],
	);
	const result = await trigger.webhook.call(context);
	return result.workflowData![0][0];
}

it('attaches nothing that is not a PDF, and says so', async () => {
	const item = await completedDelivery([
		{ path: '/files/loadFile/hash/:hash', status: 200, message: '<html>login</html>' },
		{ path: '/documents/:id/audit', status: 200, message: '<html>login</html>' },
	]);
	expect(item.binary ?? {}).toEqual({});
	expect(item.json.downloadError).toMatch(/signed document: Circularo's answer is not a PDF.*audit trail: Circularo's answer is not a PDF/);
});

it('still attaches real PDFs as application/pdf', async () => {
	const item = await completedDelivery();
	expect(item.json.downloadError).toBeUndefined();
	expect(item.binary!.data.mimeType).toBe('application/pdf');
	expect(item.binary!.auditTrail.mimeType).toBe('application/pdf');
});
