/**
 * The download guarantees of the shared transport, seen through the trigger: a file over the cap or
 * not a PDF is never attached as application/pdf; the item says why instead.
 */
import { CircularoTrigger } from '../../nodes/Circularo/CircularoTrigger.node';
import { useTriggerHarness } from '../helpers/triggerHarness';

const trigger = new CircularoTrigger();
const harness = useTriggerHarness();

/** A Document Completed delivery to a trigger published through its own create(), with faults on the downloads. */
async function completedDelivery(faults: object[] = []) {
	const credentials = harness.owner();
	const staticData: Record<string, string> = {};
	await harness.activate(trigger, staticData, credentials);
	for (const fault of faults) harness.sim.setFault(fault);
	const { production } = await harness.fire();
	const { item } = await harness.receive(trigger, production!, {
		credentials,
		staticData,
		parameters: {
			events: ['documentCompleted'],
			options: { downloadSignedDocument: true, includeAuditTrail: true },
		},
	});
	return item!;
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
