/**
 * The download guarantees of the shared transport, seen through the trigger: a file over the cap or
 * not a PDF is never attached as application/pdf; the item says why instead.
 */
import { CircularoTrigger } from '../../nodes/Circularo/CircularoTrigger.node';
import { hookContext, webhookContext, type CircularoTestCredentials } from '../helpers/n8nContext';
import { startReceiver, type Receiver } from '../helpers/receiver';

const { startSimulator } = require('../../simulator');

const trigger = new CircularoTrigger();
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

/** A Document Completed delivery to a trigger published through its own create(), with faults on the downloads. */
async function completedDelivery(faults: object[] = []) {
	sim.reset();
	const credentials: CircularoTestCredentials = {
		serverUrl: sim.baseUrl,
		apiKey: sim.keys.teamAdmin,
		webhookSecret: '',
	};
	const staticData: Record<string, string> = {};
	await trigger.webhookMethods.default.create.call(
		hookContext({ credentials, staticData, webhookUrl: receiver.productionUrl }).context,
	);
	for (const fault of faults) sim.setFault(fault);
	receiver.received.length = 0;
	await sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-1' });
	expect(receiver.received).toHaveLength(1);
	const { context } = webhookContext(
		{
			credentials,
			staticData,
			parameters: {
				events: ['documentCompleted'],
				options: { downloadSignedDocument: true, includeAuditTrail: true },
			},
		},
		receiver.received[0],
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
	expect(item.json.downloadError).toMatch(
		/signed document: Circularo's answer is not a PDF.*audit trail: Circularo's answer is not a PDF/,
	);
});

it('still attaches real PDFs as application/pdf', async () => {
	const item = await completedDelivery();
	expect(item.json.downloadError).toBeUndefined();
	expect(item.binary!.data.mimeType).toBe('application/pdf');
	expect(item.binary!.auditTrail.mimeType).toBe('application/pdf');
});
