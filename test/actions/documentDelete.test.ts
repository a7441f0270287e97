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

	it('retries a version mismatch (409) once with the version Circularo reports now', async () => {
		const [item] = await t.run(remove({ version: 0 }));
		expect(t.requests()).toEqual([
			{
				method: 'DELETE',
				path: '/documents',
				query: { hardDelete: 'false' },
				status: 409,
				body: { documents: [{ id: 'doc-sales-1', version: 0 }] },
			},
			{ method: 'GET', path: '/documents/doc-sales-1', query: {}, status: 200 },
			{
				method: 'DELETE',
				path: '/documents',
				query: { hardDelete: 'false' },
				status: 200,
				body: { documents: [{ id: 'doc-sales-1', version: 1 }] },
			},
		]);
		expect(item.json).toMatchObject({
			deleted: true,
			version: 1,
			retriedAfterVersionConflict: true,
		});
	});

	it('reports a second version mismatch clearly', async () => {
		t.sim.setFault({
			method: 'DELETE',
			path: '/documents',
			status: 409,
			message: 'Version mismatch',
			times: 2,
		});
		const error = await t.failure(remove());
		expect(t.requests().map((r) => `${r.method} ${r.status}`)).toEqual([
			'DELETE 409',
			'GET 200',
			'DELETE 409',
		]);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('409');
		expect(error.message).toBe(
			'Circularo reported a conflict (409) when trying to delete the document, even with its latest version',
		);
		expect(error.description).toMatch(
			/changed while the node worked on it.*Circularo said: "Version mismatch"/,
		);
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
