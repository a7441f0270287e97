import { NodeApiError, NodeOperationError, type INodeParameters } from 'n8n-workflow';

import { useSimulator } from './harness';

const t = useSimulator();

const createRequest = (
	documentId: string,
	recipient: INodeParameters[] | undefined,
	extra: INodeParameters = {},
) => ({
	resource: 'signRequest',
	operation: 'create',
	documentId,
	...(recipient === undefined ? {} : { recipients: { recipient } }),
	...extra,
});

const inOneYear = () => new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString();

describe('Sign Request > Create', () => {
	it('works with one e-mail: a signer with a field near the bottom of page 1', async () => {
		const document = t.sim.createDocument({ title: 'Offer', team: 'Sales', shareStateName: null });
		const [item] = await t.run(
			createRequest(document.documentId, [{ shareTo: 'bill@example.com' }]),
		);
		expect(t.requests()).toEqual([
			{ method: 'GET', path: `/documents/${document.documentId}`, query: {}, status: 200 },
			{
				method: 'POST',
				path: '/share',
				query: {},
				status: 200,
				body: {
					id: document.documentId,
					type: 'd_default',
					objectType: 'document',
					sequential: false,
					data: [{ sharePurpose: 'sign', shareTo: 'bill@example.com' }],
					signatureFields: [
						{
							user: ['bill@example.com'],
							timestamp: false,
							required: true,
							type: 'signature',
							pages: [1],
							position: { percentX: 0.05, percentY: 0.88, percentWidth: 0.2, percentHeight: 0.05 },
						},
					],
				},
			},
		]);
		const shares = item.json.shares as Array<Record<string, unknown>>;
		expect(shares).toHaveLength(1);
		expect(item.json).toMatchObject({
			documentId: document.documentId,
			sequential: false,
			shareIds: [shares[0].shareId],
		});
		expect(shares[0]).toMatchObject({
			shareType: 'sign',
			sharedWith: ['bill@example.com'],
			isActive: true,
		});
		const [got] = await t.run({
			resource: 'document',
			operation: 'get',
			documentId: document.documentId,
		});
		expect(got.json).toMatchObject({ status: 'inprogress', waitingFor: ['bill@example.com'] });
	});

	it('sends every recipient setting, in sequence, with a field per signer', async () => {
		const document = t.sim.createDocument({
			title: 'Contract',
			team: 'Sales',
			shareStateName: null,
		});
		const validUntil = inOneYear();
		const [item] = await t.run(
			createRequest(
				document.documentId,
				[
					{
						shareTo: 'sales.user@acme.test',
						purpose: 'approve',
						order: 1,
						message: 'Please approve',
					},
					{
						shareTo: 'ceo@example.com',
						order: 2,
						validUntil,
						otp: 'phone',
						otpPhone: '+420 777 123 456',
						signaturePage: 2,
						signaturePosition: 'custom',
						signatureX: 60,
						signatureY: 90,
					},
					{ shareTo: 'cfo@example.com', order: 3, otp: 'email' },
					{
						shareTo: 'archive@example.com',
						purpose: 'view',
						order: 4,
						otp: 'email',
						otpEmail: 'otp@example.com',
					},
				],
				{ sequential: true },
			),
		);
		const body = t.requests()[1].body as Record<string, unknown>;
		expect(body.sequential).toBe(true);
		expect(body.data).toEqual([
			{
				sharePurpose: 'approve',
				shareTo: 'sales.user@acme.test',
				order: 1,
				message: 'Please approve',
			},
			{
				sharePurpose: 'sign',
				shareTo: 'ceo@example.com',
				order: 2,
				validUntil,
				otpEnabled: true,
				phone: '+420 777 123 456',
			},
			{
				sharePurpose: 'sign',
				shareTo: 'cfo@example.com',
				order: 3,
				otpEnabled: true,
				mail: 'cfo@example.com',
			},
			{
				sharePurpose: 'view',
				shareTo: 'archive@example.com',
				order: 4,
				otpEnabled: true,
				mail: 'otp@example.com',
			},
		]);
		expect(body.signatureFields).toEqual([
			expect.objectContaining({
				user: ['ceo@example.com'],
				pages: [2],
				position: { percentX: 0.6, percentY: 0.9, percentWidth: 0.2, percentHeight: 0.05 },
			}),
			// the second signer with an automatic field sits beside the first one's automatic place
			expect.objectContaining({
				user: ['cfo@example.com'],
				pages: [1],
				position: { percentX: 0.36, percentY: 0.88, percentWidth: 0.2, percentHeight: 0.05 },
			}),
		]);
		expect(item.json.shareIds).toHaveLength(4);
	});

	it('reads the shares from a results[] wrapper too', async () => {
		t.sim.setVariants({ shareResponse: 'results' });
		const document = t.sim.createDocument({ title: 'Offer', team: 'Sales', shareStateName: null });
		const [item] = await t.run(
			createRequest(document.documentId, [{ shareTo: 'bill@example.com' }]),
		);
		expect(item.json.shareIds).toEqual([expect.any(String)]);
	});

	describe('refuses bad recipients before any call, naming the field and the recipient', () => {
		it.each([
			['no recipients', undefined, { recipients: {} }, '"Recipients" is empty'],
			['an empty address', [{ shareTo: ' ' }], {}, '"E-Mail or Username" of recipient 1 is empty'],
			[
				'an invalid e-mail',
				[{ shareTo: 'bill@example.com' }, { shareTo: 'bob@' }],
				{},
				'"E-Mail or Username" of recipient 2 is not a valid e-mail address: "bob@"',
			],
			[
				'an invalid date',
				[{ shareTo: 'bill@example.com', validUntil: 'soon' }],
				{},
				'"Valid Until" of recipient 1 is not a valid date: "soon"',
			],
			[
				'a date in the past',
				[{ shareTo: 'bill@example.com', validUntil: '2020-01-01T00:00:00Z' }],
				{},
				'"Valid Until" of recipient 1 is in the past: 2020-01-01T00:00:00.000Z',
			],
			[
				'an SMS code without a number',
				[{ shareTo: 'bill@example.com', otp: 'phone' }],
				{},
				'"Phone Number" of recipient 1 is not a phone number: ""',
			],
			[
				'an e-mail code for a username',
				[{ shareTo: 'bill', otp: 'email' }],
				{},
				'"OTP E-Mail" of recipient 1 is not a valid e-mail address: "bill"',
			],
			[
				'a field off the page',
				[{ shareTo: 'bill@example.com', signaturePosition: 'custom', signatureX: 120 }],
				{},
				'"Signature X (%)" of recipient 1 must be between 0 and 100',
			],
		])('%s', async (_, recipients, extra, message) => {
			const error = await t.failure(createRequest('doc-sales-2', recipients, extra));
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(message);
			expect(t.requests()).toEqual([]);
		});
	});

	it('explains a 409 when the document already has an open sign request', async () => {
		const error = await t.failure(createRequest('doc-sales-1', [{ shareTo: 'bill@example.com' }]));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('409');
		expect(error.description).toMatch(/already has an open sign request: cancel it first/);
	});
});

describe('Sign Request > Cancel', () => {
	async function openRequest(): Promise<{ documentId: string; shareId: string }> {
		const { documentId } = t.sim.createDocument({
			title: 'Offer',
			team: 'Sales',
			shareStateName: null,
		});
		const [item] = await t.run(
			createRequest(documentId, [{ shareTo: 'bill@example.com' }, { shareTo: 'jane@example.com' }]),
		);
		t.sim.requests.length = 0;
		return { documentId, shareId: (item.json.shareIds as string[])[1] };
	}

	it('cancels the whole request by one share id with a message, through the assumed PUT /share/disable', async () => {
		const { documentId, shareId } = await openRequest();
		const [item] = await t.run({
			resource: 'signRequest',
			operation: 'cancel',
			shareId,
			message: 'Terms changed',
		});
		expect(t.requests()).toEqual([
			{
				method: 'PUT',
				path: '/share/disable',
				query: {},
				status: 200,
				body: { shareIds: [shareId], message: 'Terms changed' },
			},
		]);
		expect(item.json).toEqual({ shareId, cancelled: true });
		expect(t.sim.getDocument(documentId).shareStateName).toBe('cancelled');
	});

	it('leaves out an empty message', async () => {
		const { shareId } = await openRequest();
		await t.run({ resource: 'signRequest', operation: 'cancel', shareId });
		expect(t.requests()[0].body).toEqual({ shareIds: [shareId] });
	});

	it('says who may cancel when Circularo refuses (403)', async () => {
		const shareId = ([...t.sim.shares.values()] as any[]).find(
			(s) => s.documentId === 'doc-sales-1',
		).shareId;
		const error = await t.failure({ resource: 'signRequest', operation: 'cancel', shareId });
		expect(error.httpCode).toBe('403');
		expect(error.description).toMatch(/^Only the owner of the document or the user who shared it/);
	});

	it('says to check the share id when Circularo does not know it', async () => {
		const error = await t.failure({
			resource: 'signRequest',
			operation: 'cancel',
			shareId: 'no-such-share',
		});
		expect(error.httpCode).toBe('404');
		expect(error.message).toBe(
			'Circularo could not find what it needed to cancel the sign request (404)',
		);
		expect(error.description).toMatch(/^Check the Share ID/);
	});
});
