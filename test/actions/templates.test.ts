/**
 * Templates: Get Many, Get, the editor's list, and Send for Signature (a document from a template,
 * its fields filled, sent to the template's roles or the recipients given in their place), against
 * the simulator over HTTP, with the refusals before any change.
 */
import { searchTemplates } from '../../nodes/Circularo/actions/template/templateSearch';
import { executeContext } from '../helpers/n8nContext';
import { useSimulator } from './harness';

const t = useSimulator();

const { shareTokenOf } = require('../../simulator/routes/signingLinks');

const template = (value: string) => ({ __rl: true, mode: 'id', value });

describe('Template > Get Many and Get', () => {
	it('lists the templates by name, filtered by a name part', async () => {
		const items = await t.run({ resource: 'template', operation: 'getAll', returnAll: true });
		expect(t.requests()).toEqual([{ method: 'GET', path: '/templates', query: {}, status: 200 }]);
		expect(items.map((i) => i.json)).toEqual([
			expect.objectContaining({
				templateId: 'tpl-nda',
				name: 'Mutual NDA',
				documentType: 'd_contract',
				fields: ['contractNumber', 'counterparty'],
			}),
			expect.objectContaining({ templateId: 'tpl-offer', name: 'Offer letter', fields: [] }),
		]);
		const nda = await t.run({ resource: 'template', operation: 'getAll', nameContains: 'nda' });
		expect(nda.map((i) => i.json.templateId)).toEqual(['tpl-nda']);
	});

	it('gets one with its roles', async () => {
		const [item] = await t.run({
			resource: 'template',
			operation: 'get',
			template: template('tpl-nda'),
		});
		expect(t.requests()).toEqual([
			{ method: 'GET', path: '/templates/tpl-nda', query: {}, status: 200 },
		]);
		expect(item.json).toMatchObject({
			templateId: 'tpl-nda',
			name: 'Mutual NDA',
			roles: [
				{ purpose: 'sign', order: 1, user: null, roleId: 'counterparty' },
				{ purpose: 'sign', order: 2, user: 'sales.admin@acme.test', roleId: 'sales' },
			],
		});
	});

	it('explains an unknown template and refuses an empty one before any call', async () => {
		const unknown = await t.failure({
			resource: 'template',
			operation: 'get',
			template: template('tpl-none'),
		});
		expect(unknown.message).toBe(
			'Circularo could not find what it needed to get the template (404)',
		);
		expect(unknown.description).toMatch(/^Check the Template/);
		t.sim.requests.length = 0;
		const empty = await t.failure({
			resource: 'template',
			operation: 'get',
			template: template(' '),
		});
		expect(empty.message).toBe('"Template" is empty');
		expect(t.requests()).toEqual([]);
	});

	it("feeds the editor's searchable list", async () => {
		const { context } = executeContext({
			credentials: { serverUrl: t.sim.baseUrl, apiKey: t.sim.keys.teamAdmin },
			parameters: {},
		});
		expect(await searchTemplates.call(context as any)).toEqual({
			results: [
				{ name: 'Mutual NDA', value: 'tpl-nda' },
				{ name: 'Offer letter', value: 'tpl-offer' },
			],
		});
		expect(await searchTemplates.call(context as any, 'OFFER')).toEqual({
			results: [{ name: 'Offer letter', value: 'tpl-offer' }],
		});
	});
});

const sendNda = (extra: Record<string, unknown> = {}) => ({
	resource: 'template',
	operation: 'send',
	template: template('tpl-nda'),
	title: 'NDA with Example Ltd',
	fields: {
		field: [
			{ name: 'contractNumber', value: 'C-2026-042' },
			{ name: 'counterparty', value: 'Example Ltd' },
		],
	},
	recipients: { recipient: [{ shareTo: 'ceo@example.com', otp: 'email' }] },
	...extra,
});

describe('Template > Send for Signature', () => {
	it("creates the document from the template's file with the fields, sends it to the roles, and gives the links", async () => {
		const [item] = await t.run(
			sendNda({ signingLinks: true, circularoUsers: 'sales.admin@acme.test' }),
		);
		const requests = t.requests();
		const documentId = item.json.documentId as string;
		const shareIds = item.json.shareIds as string[];
		expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
			'GET /templates/tpl-nda',
			'POST /documents',
			'POST /share',
			`GET /share/${shareIds[0]}/validate`,
		]);
		const templateFile = t.sim.templates.get('tpl-nda').file;
		expect(requests[1].body).toEqual({
			body: {
				contractNumber: 'C-2026-042',
				counterparty: 'Example Ltd',
				documentType: 'd_contract',
				documentTitle: 'NDA with Example Ltd',
				pdfFile: { content: templateFile, _content_type: 'application/pdf' },
			},
			definitionType: 'ext',
			workflow: 'wf_archive',
		});
		expect(requests[2].body).toMatchObject({
			id: documentId,
			type: 'd_contract',
			sequential: true,
			data: [
				{
					sharePurpose: 'sign',
					shareTo: 'ceo@example.com',
					order: 1,
					otpEnabled: true,
					mail: 'ceo@example.com',
				},
				{ sharePurpose: 'sign', shareTo: 'sales.admin@acme.test', order: 2 },
			],
			signatureFields: [
				expect.objectContaining({
					user: ['ceo@example.com'],
					type: 'signature',
					pages: [1],
					position: { percentX: 0.05, percentY: 0.85, percentWidth: 0.2, percentHeight: 0.05 },
				}),
				expect.objectContaining({
					user: ['sales.admin@acme.test'],
					type: 'signature',
					pages: [1],
					position: { percentX: 0.36, percentY: 0.85, percentWidth: 0.2, percentHeight: 0.05 },
				}),
			],
		});
		expect(item.json).toMatchObject({
			documentTitle: 'NDA with Example Ltd',
			templateId: 'tpl-nda',
			templateName: 'Mutual NDA',
			signingLinks: [
				{
					recipient: 'ceo@example.com',
					shareId: shareIds[0],
					kind: 'direct',
					link: `${t.sim.baseUrl}/share?shareToken=${shareTokenOf(t.sim, shareIds[0])}`,
				},
				{
					recipient: 'sales.admin@acme.test',
					kind: 'afterLogin',
					link: `${t.sim.baseUrl}/compose/create/general?mode=edit&definition=d_contract&documentId=${documentId}`,
				},
			],
		});
		const stored = t.sim.getDocument(documentId);
		expect(stored).toMatchObject({ contractNumber: 'C-2026-042', shareStateName: 'inprogress' });
		expect(stored.waitingFor).toEqual(['ceo@example.com']);
	});

	it('sends to the user the template names when no recipient is given; the title defaults to its name', async () => {
		const [item] = await t.run({
			resource: 'template',
			operation: 'send',
			template: template('tpl-offer'),
		});
		expect(item.json).toMatchObject({ documentTitle: 'Offer letter', sequential: false });
		expect(t.requests()[2].body).toMatchObject({
			data: [{ sharePurpose: 'sign', shareTo: 'signer@example.com' }],
		});
	});

	it('refuses, before anything is created, a role left open, an unknown field and a link without protection', async () => {
		const open = await t.failure(sendNda({ recipients: {} }));
		expect(open.message).toBe(
			'"Recipients": role 1 (counterparty) of template "Mutual NDA" names nobody',
		);
		const field = await t.failure(sendNda({ fields: { field: [{ name: 'price', value: '1' }] } }));
		expect(field.message).toBe('"Fields": "price" is not a field of template "Mutual NDA"');
		expect(field.description).toBe(
			'Its fields: contractNumber, counterparty. Nothing was created.',
		);
		const link = await t.failure(
			sendNda({ signingLinks: true, recipients: { recipient: [{ shareTo: 'ceo@example.com' }] } }),
		);
		expect(link.message).toMatch(
			/^"Protection" of recipient 1 \(ceo@example.com\) in "Recipients" is None/,
		);
		const tooMany = await t.failure(
			sendNda({
				recipients: {
					recipient: [
						{ shareTo: 'a@example.com' },
						{ shareTo: 'b@example.com' },
						{ shareTo: 'c@example.com' },
					],
				},
			}),
		);
		expect(tooMany.message).toBe(
			'"Recipients" lists 3 recipients but template "Mutual NDA" has 2 role(s)',
		);
		expect(t.requests().map((r) => r.path)).toEqual(Array(4).fill('/templates/tpl-nda'));
		expect(t.sim.listDocuments()).toHaveLength(5);
	});

	it('refuses an empty field name before any call', async () => {
		const error = await t.failure(sendNda({ fields: { field: [{ name: ' ', value: 'x' }] } }));
		expect(error.message).toBe('"Fields": field 1 has no name');
		expect(t.requests()).toEqual([]);
	});
});
