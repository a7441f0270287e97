/**
 * The trigger's downloads (Download Signed Document, Include Audit Trail): what is attached, what a
 * failure says, and what a delivery costs.
 */
import { CircularoTrigger } from '../../nodes/Circularo/CircularoTrigger.node';
import { triggerInAnotherProcess } from '../helpers/n8nContext';
import { useTriggerHarness } from '../helpers/triggerHarness';

const trigger = new CircularoTrigger();
const harness = useTriggerHarness();

/**
 * A Document Completed delivery to a trigger published through its own create(), with faults on the
 * downloads, received by `receiver` (the same process by default).
 */
async function completedDelivery(
	faults: object[] = [],
	receiver = trigger,
	options: Record<string, unknown> = {},
) {
	const credentials = harness.owner();
	const staticData: Record<string, string> = {};
	await harness.activate(trigger, staticData, credentials);
	for (const fault of faults) harness.sim.setFault(fault);
	const { production } = await harness.fire();
	return await harness.receive(receiver, production!, {
		credentials,
		staticData,
		parameters: {
			events: ['documentCompleted'],
			options: { downloadSignedDocument: true, includeAuditTrail: true, ...options },
		},
	});
}

it('attaches nothing that is not a PDF, and says so', async () => {
	const { item } = await completedDelivery([
		{ path: '/files/loadFile/hash/:hash', status: 200, message: '<html>login</html>' },
		{ path: '/documents/:id/audit', status: 200, message: '<html>login</html>' },
	]);
	expect(item!.binary ?? {}).toEqual({});
	expect(item!.json.downloadError).toMatch(
		/signed document: Circularo's answer is not a PDF.*audit trail: Circularo's answer is not a PDF/,
	);
});

it('still attaches real PDFs as application/pdf, named after the document as the action node names them', async () => {
	const { item } = await completedDelivery();
	const title = harness.sim.getDocument(item!.json.documentId).documentTitle;
	expect(item!.json.downloadError).toBeUndefined();
	expect(item!.binary!.data).toMatchObject({
		mimeType: 'application/pdf',
		fileName: `${title}.pdf`,
	});
	expect(item!.binary!.auditTrail).toMatchObject({
		mimeType: 'application/pdf',
		fileName: `${title} audit trail.pdf`,
	});
});

it('attaches no file over Max File Size, and says its size and the option', async () => {
	// The simulator's PDFs are about a kilobyte: a limit of 512 bytes refuses both.
	const { item } = await completedDelivery([], trigger, { maxFileSize: 512 / (1024 * 1024) });
	expect(item!.binary ?? {}).toEqual({});
	expect(item!.json.downloadError).toMatch(
		/signed document: The file is \d+ bytes, larger than the 512 bytes this node downloads\. Raise "Max File Size \(MB\)" in Options to download it\.; .*audit trail: The file is \d+ bytes, larger than the 512 bytes/,
	);
});

it('with no declared size (chunked), attaches the PDFs, and none over Max File Size, saying the option', async () => {
	harness.sim.setVariants({ fileLength: 'chunked' });
	const { item: attached } = await completedDelivery();
	expect(attached!.json.downloadError).toBeUndefined();
	expect(Object.keys(attached!.binary!)).toEqual(['data', 'auditTrail']);
	const { item } = await completedDelivery([], trigger, { maxFileSize: 512 / (1024 * 1024) });
	expect(item!.binary ?? {}).toEqual({});
	expect(item!.json.downloadError).toMatch(
		/signed document: The file is larger than the 512 bytes this node downloads\. Raise "Max File Size \(MB\)" in Options to download it\.; .*audit trail: The file is larger than the 512 bytes/,
	);
});

it("says what a refused download needs, never the webhook registration's advice", async () => {
	const { item } = await completedDelivery([
		{ path: '/files/loadFile/hash/:hash', status: 403, message: 'Forbidden' },
		{ path: '/documents/:id/audit', status: 404, message: 'Not found' },
	]);
	const said = item!.json.downloadError as string;
	expect(said).toContain(
		"Circularo refused to download the document's PDF (403). The user behind the API key may not do this with this document: it needs the use_document_management right",
	);
	expect(said).toContain(
		'Circularo could not find what it needed to download the audit trail (404). Check the Document ID',
	);
	expect(said).not.toMatch(/webhook|Scope|Team Name/i);
});

it('loads the credential at most once per delivery with both downloads on', async () => {
	// Same process: the secret is known, the downloads need the credential once.
	expect((await completedDelivery()).log.credentialLoads).toBe(1);
	// Another process: the secret is derived from the credential, and the downloads reuse it.
	const elsewhere = await completedDelivery([], triggerInAnotherProcess());
	expect(elsewhere.item!.binary!.data.mimeType).toBe('application/pdf');
	expect(elsewhere.log.credentialLoads).toBe(1);
});

it('reads GET /documents/:id answered unwrapped, as some Circularo versions do', async () => {
	harness.sim.setVariants({ readResponse: 'bare' });
	const { item } = await completedDelivery();
	expect(item!.json.downloadError).toBeUndefined();
	expect(item!.binary!.data.mimeType).toBe('application/pdf');
	expect(harness.sim.requests.some((r: any) => r.path.startsWith('/api/v1/documents/'))).toBe(true);
});
