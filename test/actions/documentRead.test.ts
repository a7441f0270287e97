import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { setFlagsFromString } from 'v8';
import * as vm from 'vm';

import { actionNodeType, executeContext } from '../helpers/n8nContext';
import { useSimulator } from './harness';

// Lets the Get Many test collect garbage, to see which pages are still held.
setFlagsFromString('--expose-gc');

const t = useSimulator();

describe('Document > Get', () => {
	it("gets one document under Circularo's names, each field once, every other field kept", async () => {
		const [item] = await t.run({
			resource: 'document',
			operation: 'get',
			documentId: 'doc-sales-1',
		});
		expect(t.requests()).toEqual([
			{ method: 'GET', path: '/documents/doc-sales-1', query: {}, status: 200 },
		]);
		const hash = t.sim.getDocument('doc-sales-1').pdfHash;
		expect(item.json).toMatchObject({
			documentId: 'doc-sales-1',
			documentTitle: 'Sales contract 2026-001',
			documentType: 'd_default',
			status: 'inprogress',
			waitingFor: ['signer@example.com'],
			version: 1,
			fileHash: hash,
			createDate: '2026-01-15T09:00:00.000Z',
			owner: 'sales.user@acme.test',
			pdfFile: { _content_type: 'application/pdf' },
			workflow: { workflowType: 'wf_archive' },
		});
		expect(Object.keys(item.json).slice(0, 8)).toEqual([
			'documentId',
			'documentTitle',
			'documentType',
			'status',
			'waitingFor',
			'version',
			'fileHash',
			'createDate',
		]);
		// Lifted to the top once: status, fileHash and version are not repeated where Circularo has them.
		expect(item.json).not.toHaveProperty('title');
		expect(item.json).not.toHaveProperty('_version');
		expect(item.json).not.toHaveProperty(['workflow', 'shareStateName']);
		expect(item.json).not.toHaveProperty(['pdfFile', 'content']);
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it("gets a document's history, one item per entry, oldest first", async () => {
		await t.sim.fire({ event: 'documentSigned', documentId: 'doc-sales-1' });
		await t.sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-1' });
		t.sim.requests.length = 0;
		const items = await t.run({
			resource: 'document',
			operation: 'getHistory',
			documentId: 'doc-sales-1',
		});
		expect(t.requests()).toEqual([
			{ method: 'GET', path: '/documents/doc-sales-1', query: {}, status: 200 },
		]);
		const history = t.sim.getDocument('doc-sales-1').history;
		expect(history.length).toBeGreaterThan(0);
		expect(items.map((item) => item.json)).toEqual(
			history.map((entry: object) => ({ documentId: 'doc-sales-1', ...entry })),
		);
		expect(items.map((item) => item.pairedItem)).toEqual(history.map(() => ({ item: 0 })));
	});

	it('refuses an empty Document ID for the history before any call', async () => {
		const error = await t.failure({
			resource: 'document',
			operation: 'getHistory',
			documentId: ' ',
		});
		expect(error.message).toBe('"Document ID" is empty');
		expect(t.requests()).toEqual([]);
	});

	it('reads GET /documents/:id answered unwrapped, as some Circularo versions do', async () => {
		t.sim.setVariants({ readResponse: 'bare' });
		const [item] = await t.run({
			resource: 'document',
			operation: 'get',
			documentId: 'doc-sales-1',
		});
		expect(item.json).toMatchObject({
			documentId: 'doc-sales-1',
			documentTitle: 'Sales contract 2026-001',
			status: 'inprogress',
		});
	});

	it('says to check the ID for an unknown document (404), and why access is refused (403)', async () => {
		const missing = await t.failure({
			resource: 'document',
			operation: 'get',
			documentId: 'no-such-doc',
		});
		expect(missing).toBeInstanceOf(NodeApiError);
		expect(missing.httpCode).toBe('404');
		expect(missing.message).toBe(
			'Circularo could not find what it needed to get the document (404)',
		);
		expect(missing.description).toMatch(/^Check the Document ID/);
		const refused = await t.failure(
			{ resource: 'document', operation: 'get', documentId: 'doc-sales-1' },
			{ key: 'otherTeamAdmin' },
		);
		expect(refused.httpCode).toBe('403');
		expect(refused.description).toMatch(
			/may not do this with this document.*Circularo said: "You do not have access/,
		);
	});

	it('refuses an empty Document ID before any call', async () => {
		const error = await t.failure({ resource: 'document', operation: 'get', documentId: '  ' });
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('"Document ID" is empty');
		expect(t.requests()).toEqual([]);
	});
});

describe('Document > Get Many', () => {
	const getMany = (extra: Record<string, unknown> = {}) => ({
		resource: 'document',
		operation: 'getAll',
		...extra,
	});
	const sort = [{ createDate: { order: 'desc' } }];

	it('searches everything, newest first, up to the limit', async () => {
		const items = await t.run(getMany());
		expect(t.requests()).toEqual([
			{
				method: 'POST',
				path: '/search',
				query: {},
				status: 200,
				body: { query: { match_all: {} }, sort, from: 0, size: 50 },
			},
		]);
		expect(items.map((i) => i.json.documentId).sort()).toEqual(['doc-sales-1', 'doc-sales-2']);
		expect(items[0].json).toHaveProperty('status');
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
	});

	it('turns the filters into the documented Elasticsearch query', async () => {
		const items = await t.run(
			getMany({
				filters: {
					status: ['completed', 'rejected'],
					titleContains: ' nda acme ',
					createdAfter: '2026-01-01T00:00:00Z',
					createdBefore: '2026-02-01',
				},
			}),
		);
		expect(t.requests()[0].body).toEqual({
			query: {
				bool: {
					must: [
						{
							nested: {
								path: 'workflow',
								query: { terms: { 'workflow.shareStateName': ['completed', 'rejected'] } },
							},
						},
						{ match: { documentTitle: { query: 'nda acme', operator: 'and' } } },
						{
							range: {
								createDate: { gte: '2026-01-01T00:00:00.000Z', lte: '2026-02-01T00:00:00.000Z' },
							},
						},
					],
				},
			},
			sort,
			from: 0,
			size: 50,
		});
		expect(items.map((i) => i.json.documentId)).toEqual(['doc-sales-2']);
	});

	it.each(['total', 'hitsTotal', 'none'])(
		'pages with from/size until all are read (total: %s)',
		async (searchTotal) => {
			t.sim.setVariants({ searchTotal });
			for (let n = 0; n < 198; n++) t.sim.createDocument({ title: `Bulk ${n}`, team: 'Sales' });
			const items = await t.run(getMany({ returnAll: true }));
			expect(items).toHaveLength(200);
			expect(new Set(items.map((i) => i.json.documentId)).size).toBe(200);
			const pages = t.requests().map((r) => [(r.body as any).from, (r.body as any).size]);
			// With a total the node stops at 200; without one it needs the empty third page to know.
			expect(pages).toEqual(
				searchTotal === 'none'
					? [
							[0, 100],
							[100, 100],
							[200, 100],
						]
					: [
							[0, 100],
							[100, 100],
						],
			);
		},
	);

	it('asks for no more than the limit', async () => {
		for (let n = 0; n < 150; n++) t.sim.createDocument({ title: `Bulk ${n}`, team: 'Sales' });
		const items = await t.run(getMany({ limit: 120 }));
		expect(items).toHaveLength(120);
		expect(t.requests().map((r) => [(r.body as any).from, (r.body as any).size])).toEqual([
			[0, 100],
			[100, 20],
		]);
	});

	it.each([
		[{ createdAfter: 'last tuesday' }, /^"Created After" is not a valid date: "last tuesday"$/],
		[
			{ createdAfter: '2026-03-01', createdBefore: '2026-02-01' },
			/"Created After" is later than "Created Before"/,
		],
		[{ status: ['signed'] }, /"Status" has unknown values: signed/],
	])('refuses bad filters before any call: %j', async (filters, message) => {
		const error = await t.failure(getMany({ filters }));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(message);
		expect(t.requests()).toEqual([]);
	});
});

describe('Document > Download', () => {
	const download = (extra: Record<string, unknown> = {}) => ({
		resource: 'document',
		operation: 'download',
		documentId: 'doc-sales-1',
		...extra,
	});

	it('puts the current PDF into the binary field, named after the title', async () => {
		const [item] = await t.run(download());
		const hash = t.sim.getDocument('doc-sales-1').pdfHash;
		expect(t.requests()).toEqual([
			{ method: 'GET', path: '/documents/doc-sales-1', query: {}, status: 200 },
			{ method: 'GET', path: `/files/loadFile/hash/${hash}`, query: {}, status: 200 },
		]);
		expect(Object.keys(item.binary!)).toEqual(['data']);
		expect(item.binary!.data).toMatchObject({
			fileName: 'Sales contract 2026-001.pdf',
			mimeType: 'application/pdf',
		});
		expect(Buffer.from(item.binary!.data.data, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
		expect(item.json).toMatchObject({
			documentId: 'doc-sales-1',
			status: 'inprogress',
			fileHash: hash,
		});
	});

	it('adds the audit trail as a second binary field (a completed document, a title beyond ASCII)', async () => {
		const [item] = await t.run(
			download({
				documentId: 'doc-sales-2',
				binaryPropertyName: 'signed',
				options: { includeAuditTrail: true, auditTrailBinaryPropertyName: 'audit' },
			}),
		);
		expect(t.requests().map((r) => r.path)).toEqual([
			'/documents/doc-sales-2',
			`/files/loadFile/hash/${t.sim.getDocument('doc-sales-2').pdfHash}`,
			'/documents/doc-sales-2/audit',
		]);
		expect(Object.keys(item.binary!)).toEqual(['signed', 'audit']);
		expect(item.binary!.signed).toMatchObject({
			fileName: 'NDA Globex – Acme.pdf',
			mimeType: 'application/pdf',
		});
		expect(item.binary!.audit).toMatchObject({
			fileName: 'NDA Globex – Acme audit trail.pdf',
			mimeType: 'application/pdf',
		});
		expect(Buffer.from(item.binary!.audit.data, 'base64').toString('latin1')).toMatch(
			/^%PDF-[\s\S]*Audit trail/,
		);
		expect(item.json).toMatchObject({ status: 'completed' });
	});

	it('attaches nothing that is not a PDF', async () => {
		t.sim.setFault({ path: '/files/loadFile/hash/:hash', status: 200, message: 'not a pdf' });
		const [item] = await t.run(download(), { continueOnFail: true });
		expect(item.binary).toBeUndefined();
		expect(item.json).toEqual({
			error: "Circularo's answer is not a PDF",
			description: expect.stringMatching(/Expected a PDF/),
		});
	});

	it('refuses the same field for both files before any call', async () => {
		const error = await t.failure(
			download({ options: { includeAuditTrail: true, auditTrailBinaryPropertyName: 'data' } }),
		);
		expect(error.message).toBe(
			'"Put Audit Trail in Field" is the same field as "Put Output File in Field"',
		);
		expect(t.requests()).toEqual([]);
	});
});

describe('Document > Get Many, Return All over many pages', () => {
	it('holds one page of answers at a time beyond the items it returns', async () => {
		const { tenant, team } = [...t.sim.users.values()].find((u) => u.keyName === 'teamAdmin');
		for (let n = 0; n < 520; n++) t.sim.createDocument({ tenant, team });
		const collect = vm.runInNewContext('gc') as () => void;
		/** Each page's first document as it came from n8n's request, held weakly. */
		const pages: Array<WeakRef<object>> = [];
		const heldBeforeEachCall: number[] = [];
		const { context } = executeContext({
			credentials: { serverUrl: t.sim.baseUrl, apiKey: t.sim.keys.teamAdmin },
			parameters: { resource: 'document', operation: 'getAll', returnAll: true },
		});
		const helpers = (context as { helpers: Record<string, (...args: unknown[]) => unknown> })
			.helpers;
		const request = helpers.httpRequestWithAuthentication;
		helpers.httpRequestWithAuthentication = async function (this: unknown, ...args: unknown[]) {
			// A macrotask later, nothing is kept alive for the WeakRefs' sake; then a full collection.
			await new Promise((resolve) => setImmediate(resolve));
			collect();
			heldBeforeEachCall.push(pages.filter((page) => page.deref() !== undefined).length);
			const answer = (await request.apply(this, args)) as { results?: object[] };
			if (answer.results?.[0]) pages.push(new WeakRef(answer.results[0]));
			return answer;
		};
		const [items] = await actionNodeType.execute.call(context);
		expect(items.length).toBeGreaterThanOrEqual(520);
		expect(pages.length).toBeGreaterThanOrEqual(6);
		// The page just read may still be in a register of the paused loop; none before it.
		expect(Math.max(...heldBeforeEachCall)).toBeLessThanOrEqual(1);
	});
});
