import { NodeApiError } from 'n8n-workflow';

import { searchDocumentTypes } from '../../nodes/Circularo/actions/listSearch';
import { executeContext } from '../helpers/n8nContext';
import { useSimulator } from './harness';

const t = useSimulator();

describe('Document Type > Get Many', () => {
	it('lists the types with their fields and workflow', async () => {
		const items = await t.run({ resource: 'documentType', operation: 'getAll', returnAll: true });
		expect(t.requests()).toEqual([
			{ method: 'GET', path: '/definitions/documents', query: {}, status: 200 },
		]);
		expect(items.map((i) => i.json.name)).toEqual(['d_default', 'd_contract']);
		expect(items[1].json).toMatchObject({
			definitionType: ['ext'],
			workflow: 'wf_archive',
			fields: expect.arrayContaining([
				expect.objectContaining({ name: 'contractNumber', required: true }),
			]),
		});
	});

	it('stops at the limit', async () => {
		const items = await t.run({ resource: 'documentType', operation: 'getAll', limit: 1 });
		expect(items.map((i) => i.json.name)).toEqual(['d_default']);
	});

	describe('with a type no file can become (an HTML-template "edoc" type)', () => {
		const webForm = {
			name: 'd_web_form',
			definitionType: ['edoc'],
			workflow: 'wf_archive',
			fields: [],
		};
		beforeEach(() => t.sim.definitions.push(webForm));
		afterEach(() => t.sim.definitions.splice(t.sim.definitions.indexOf(webForm), 1));

		it('lists only the file-based types unless asked for all', async () => {
			const fileBased = await t.run({
				resource: 'documentType',
				operation: 'getAll',
				returnAll: true,
			});
			expect(fileBased.map((i) => i.json.name)).toEqual(['d_default', 'd_contract']);
			const all = await t.run({
				resource: 'documentType',
				operation: 'getAll',
				returnAll: true,
				fileBasedOnly: false,
			});
			expect(all.map((i) => i.json.name)).toEqual(['d_default', 'd_contract', 'd_web_form']);
		});

		it("leaves it out of the editor's list for Document > Create", async () => {
			const { context } = executeContext({
				credentials: { serverUrl: t.sim.baseUrl, apiKey: t.sim.keys.teamAdmin },
				parameters: {},
			});
			const { results } = await searchDocumentTypes.call(context);
			expect(results.map((r) => r.value)).toEqual(['d_contract', 'd_default']);
		});
	});

	it("feeds the editor's list of types, filtered as the user types", async () => {
		const { context } = executeContext({
			credentials: { serverUrl: t.sim.baseUrl, apiKey: t.sim.keys.teamAdmin },
			parameters: {},
		});
		expect(await searchDocumentTypes.call(context)).toEqual({
			results: [
				{ name: 'd_contract', value: 'd_contract' },
				{ name: 'd_default', value: 'd_default' },
			],
		});
		expect(await searchDocumentTypes.call(context, 'CONTR')).toEqual({
			results: [{ name: 'd_contract', value: 'd_contract' }],
		});
	});
});

describe('Webhook > Get Many and Delete', () => {
	const secret = 'left-behind-secret-123';

	async function registerWebhook(): Promise<string> {
		const res = await fetch(`${t.sim.apiUrl}/webhooks?token=${t.sim.keys.teamAdmin}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				type: 'team',
				callbackUrl: 'http://127.0.0.1:9/left-behind',
				hmacSecret: secret,
			}),
		});
		expect(res.status).toBe(200);
		t.sim.requests.length = 0;
		return ((await res.json()) as { id: string }).id;
	}

	it('lists the webhooks without their signing secret', async () => {
		const id = await registerWebhook();
		const items = await t.run({ resource: 'webhook', operation: 'getAll' });
		expect(t.requests()).toEqual([{ method: 'GET', path: '/webhooks', query: {}, status: 200 }]);
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			id,
			type: 'team',
			callbackUrl: 'http://127.0.0.1:9/left-behind',
			hasSigningSecret: true,
		});
		expect(JSON.stringify(items)).not.toContain(secret);
		expect(items[0].json).not.toHaveProperty('hmacSecret');
	});

	it('reads GET /webhooks answered as a bare array, as some Circularo versions do', async () => {
		const id = await registerWebhook();
		t.sim.setVariants({ readResponse: 'bare' });
		const items = await t.run({ resource: 'webhook', operation: 'getAll' });
		expect(items.map((item) => item.json.id)).toEqual([id]);
	});

	it('deletes a webhook by id', async () => {
		const id = await registerWebhook();
		const [item] = await t.run({ resource: 'webhook', operation: 'delete', webhookId: id });
		expect(t.requests()).toEqual([
			{ method: 'DELETE', path: `/webhooks/${id}`, query: {}, status: 200 },
		]);
		expect(item.json).toMatchObject({ id, deleted: true });
		expect(t.sim.listWebhooks()).toEqual([]);
	});

	it('says to check the id of a webhook that is gone', async () => {
		const error = await t.failure({ resource: 'webhook', operation: 'delete', webhookId: 'gone' });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('404');
		expect(error.description).toMatch(
			/^Check the Webhook ID: the webhook may have been deleted already/,
		);
	});

	it('keeps the webhook advice of the trigger for a 403', async () => {
		const error = await t.failure(
			{ resource: 'webhook', operation: 'getAll' },
			{ key: 'plainUser' },
		);
		expect(error.httpCode).toBe('403');
		expect(error.description).toMatch(/team admin or global admin/);
	});
});
