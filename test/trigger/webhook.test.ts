/**
 * webhook(): from a signed delivery to the item, with the downloads. Which secret verifies which
 * delivery: trust-boundary.test.ts; replays and credential loads: trust-boundary-deliveries.test.ts.
 */
import { CircularoTrigger } from '../../nodes/Circularo/CircularoTrigger.node';
import { webhookContext } from '../helpers/n8nContext';
import { useTriggerHarness } from '../helpers/triggerHarness';

const { EVENTS, hmacHex } = require('../../simulator');

const trigger = new CircularoTrigger();
const harness = useTriggerHarness();
const { owner } = harness;

/** The published workflow's static data: one registration, made through the node's own create(). */
let staticData: Record<string, string>;

beforeEach(async () => {
	staticData = {};
	await harness.activate(trigger, staticData, owner());
});

async function fire(fields: object) {
	const { production } = await harness.fire(fields);
	expect(harness.receiver.received).toHaveLength(1);
	return production!;
}

async function deliver(fields: object, parameters: object = { events: ['*'] }) {
	const delivery = await fire(fields);
	const { context, response } = webhookContext(
		{ credentials: owner(), parameters: parameters as never, staticData },
		delivery,
	);
	const result = await trigger.webhook.call(context);
	return { result, response, delivery };
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

	it.each(['missing', 'wrong', 'stale', 'otherSecret'])(
		'answers 401 and starts nothing for a %s signature',
		async (signature) => {
			const { result, response } = await deliver({ event: 'documentCompleted', signature });
			expect(response).toMatchObject({ status: 401, ended: true });
			expect(result).toEqual({ noWebhookResponse: true });
		},
	);

	it('answers 401 when the node holds no registration', async () => {
		const delivery = await fire({ event: 'documentCompleted' });
		const { context, response } = webhookContext(
			{ credentials: owner(), staticData: {} },
			delivery,
		);
		expect(await trigger.webhook.call(context)).toEqual({ noWebhookResponse: true });
		expect(response.status).toBe(401);
	});

	it('acknowledges an unselected event without starting the workflow', async () => {
		const { result, response } = await deliver(
			{ event: 'documentEdited' },
			{ events: ['documentCompleted', 'documentSigned'] },
		);
		expect(result).toEqual({});
		expect(response.status).toBeUndefined();
	});

	it('emits an unrecognised shape as "unknown" only when all events are selected', async () => {
		const all = await deliver({ event: 'documentCompleted', shape: 'unknown' });
		expect(all.result.workflowData![0][0].json).toMatchObject({
			event: 'unknown',
			documentId: null,
		});
		const some = await deliver(
			{ event: 'documentCompleted', shape: 'unknown' },
			{ events: ['documentCompleted'] },
		);
		expect(some.result).toEqual({});
	});

	it('verifies bytes that are not JSON, and keeps them as text in the payload', async () => {
		const rawBody = Buffer.from('{"event":"documentCompleted", truncated');
		const signature = hmacHex(harness.sim.listWebhooks()[0].hmacSecret, rawBody);
		const { context } = webhookContext(
			{ credentials: owner(), staticData },
			{ rawBody, headers: { 'x-circularo-signature': signature }, body: {} },
		);
		const result = await trigger.webhook.call(context);
		expect(result.workflowData![0][0].json).toMatchObject({
			event: 'unknown',
			payload: rawBody.toString(),
		});
	});

	it('attaches the signed PDF for documentCompleted', async () => {
		const { result } = await deliver(
			{ event: 'documentCompleted' },
			{
				events: ['documentCompleted'],
				options: { downloadSignedDocument: true, binaryPropertyName: 'signed' },
			},
		);
		const [[item]] = result.workflowData!;
		expect(item.json.downloadError).toBeUndefined();
		const pdf = Buffer.from(item.binary!.signed.data, 'base64');
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
		expect(pdf.subarray(-8).toString()).toContain('%%EOF');
		expect(item.binary!.signed).toMatchObject({
			mimeType: 'application/pdf',
			fileName: expect.stringMatching(/\.pdf$/),
		});
	});

	it('does not download for events without a signed document', async () => {
		const { result } = await deliver(
			{ event: 'signRequest' },
			{ events: ['*'], options: { downloadSignedDocument: true } },
		);
		expect(result.workflowData![0][0].binary).toBeUndefined();
	});

	it('attaches the audit trail when asked', async () => {
		const { result } = await deliver(
			{ event: 'signRejected' },
			{ events: ['*'], options: { includeAuditTrail: true } },
		);
		const pdf = Buffer.from(result.workflowData![0][0].binary!.auditTrail.data, 'base64');
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
	});

	it('still emits the item, with the reason, when the download fails', async () => {
		// The document reads fine (the completion is confirmed); its file does not.
		harness.sim.setFault({ method: 'GET', path: '/files/loadFile/hash/:hash', status: 503 });
		const { result } = await deliver(
			{ event: 'documentCompleted' },
			{ events: ['documentCompleted'], options: { downloadSignedDocument: true } },
		);
		const [[item]] = result.workflowData!;
		expect(item.json.event).toBe('documentCompleted');
		expect(item.json.downloadError).toMatch(/503/);
		expect(item.json.downloadError).not.toContain(harness.sim.keys.teamAdmin);
		expect(item.binary).toBeUndefined();
	});

	it('never puts the API key or secret into the item', async () => {
		const { result } = await deliver(
			{ event: 'documentCompleted' },
			{ events: ['*'], options: { downloadSignedDocument: true, includeHeaders: true } },
		);
		const text = JSON.stringify(result.workflowData![0][0].json);
		expect(text).not.toContain(harness.sim.keys.teamAdmin);
		expect(text).not.toContain(harness.sim.listWebhooks()[0].hmacSecret);
	});
});
