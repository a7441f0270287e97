import { NodeApiError, NodeOperationError, type INodeParameters } from 'n8n-workflow';

import { useSimulator } from './harness';

const t = useSimulator();
const remove = (options: INodeParameters = {}) => ({
	resource: 'document',
	operation: 'delete',
	documentId: 'doc-sales-1',
	options,
});

describe('Document > Delete', () => {
	it('moves the document to the trash by default, without a version', async () => {
		const [item] = await t.run(remove());
		expect(t.requests()).toEqual([
			{
				method: 'DELETE',
				path: '/documents',
				query: { hardDelete: 'false' },
				status: 200,
				body: { documents: [{ id: 'doc-sales-1' }] },
			},
		]);
		expect(item.json).toEqual({
			documentId: 'doc-sales-1',
			deleted: true,
			permanent: false,
			errors: false,
			count: 1,
			items: [],
		});
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(t.sim.getDocument('doc-sales-1').deleted).toBe(true);
	});

	it('deletes permanently at a given version', async () => {
		const [item] = await t.run(remove({ permanent: true, version: 1 }));
		expect(t.requests()).toEqual([
			{
				method: 'DELETE',
				path: '/documents',
				query: { hardDelete: 'true' },
				status: 200,
				body: { documents: [{ id: 'doc-sales-1', version: 1 }] },
			},
		]);
		expect(item.json).toMatchObject({ deleted: true, permanent: true, version: 1 });
		expect(t.sim.getDocument('doc-sales-1')).toBeUndefined();
	});

	it('with a Version, fails when the document has changed since, deleting nothing', async () => {
		const error = await t.failure(remove({ version: 0 }));
		expect(t.requests()).toEqual([
			{
				method: 'DELETE',
				path: '/documents',
				query: { hardDelete: 'false' },
				status: 409,
				body: { documents: [{ id: 'doc-sales-1', version: 0 }] },
			},
		]);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('409');
		expect(error.message).toBe(
			'Circularo reported a conflict (409) when trying to delete the document',
		);
		expect(error.description).toMatch(/^The document changed since the given Version\./);
		expect(t.sim.getDocument('doc-sales-1').deleted).toBe(false);
	});

	it('treats errors: true in a 200 answer as a failure', async () => {
		t.sim.failNextDelete(
			`Document is locked by a background task (GET /documents/doc-sales-1?token=${t.sim.keys.teamAdmin})`,
		);
		const error = await t.failure(remove());
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Circularo could not delete document "doc-sales-1"');
		expect(error.description).toBe(
			'Circularo said: Document is locked by a background task (GET /documents/doc-sales-1?token=[redacted])',
		);
		expect(t.sim.getDocument('doc-sales-1').deleted).toBe(false);
	});

	it('says to check the ID of a document that does not exist', async () => {
		const error = await t.failure({
			resource: 'document',
			operation: 'delete',
			documentId: 'gone',
		});
		expect(error.httpCode).toBe('404');
		expect(error.description).toMatch(/^Check the Document ID/);
	});
});
