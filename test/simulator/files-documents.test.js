// @ts-check
'use strict';

const crypto = require('node:crypto');
const { startSimulator, buildPdf } = require('../../simulator');
const {
	api,
	request,
	checkPdf,
	upload,
	createDocument,
	useSimulator,
	loadFile,
} = require('./helpers');

/** @type {import('./helpers').Simulator} */
let sim;

useSimulator((s) => (sim = s));

/** The bytes of the seeded templates' files, stored for tenant acme. */
const templateBytes = () =>
	[...sim.templates.values()].reduce((sum, t) => sum + (sim.files.get(t.file)?.size ?? 0), 0);

const sha256 = (/** @type {Buffer} */ b) => crypto.createHash('sha256').update(b).digest('hex');

describe('POST /files/saveFile', () => {
	test('multipart file + fileName -> { file: { id, documentname, mimetype, size }, storage }; the bytes load back', async () => {
		const pdf = buildPdf({ title: 'Upload', lines: ['x'] });
		const r = await upload(sim, sim.keys.teamAdmin, {
			data: pdf,
			filename: 'contract.pdf',
			fileName: 'My PDF file',
		});
		expect(r.status).toBe(200);
		expect(r.json).toEqual({
			file: {
				id: sha256(pdf),
				documentname: 'My PDF file',
				mimetype: 'application/pdf',
				size: pdf.length,
				createDate: expect.any(String),
			},
			// the seeded templates' PDFs are the tenant's too
			storage: { used: pdf.length + templateBytes(), limit: expect.any(Number) },
		});
		const f = await loadFile(sim, r.json.file.id, sim.keys.teamAdmin);
		expect(f.status).toBe(200);
		expect(f.buffer.equals(pdf)).toBe(true);
		expect(f.headers['content-disposition']).toBe(
			`inline; filename="My PDF file.pdf"; filename*=UTF-8''My%20PDF%20file.pdf`,
		);
		// another tenant cannot read an upload
		expect((await loadFile(sim, r.json.file.id, sim.keys.otherTenantAdmin)).status).toBe(404);
	});

	test('the request log keeps the form: text fields verbatim, the file as name, type, size and hash; token redacted', async () => {
		const pdf = buildPdf({ title: 'Logged' });
		await upload(sim, sim.keys.teamAdmin, {
			data: pdf,
			filename: 'a.pdf',
			fileName: 'Logged file',
		});
		const entry = sim.requests.at(-1);
		expect(entry).toMatchObject({
			method: 'POST',
			path: '/api/v1/files/saveFile',
			query: { token: '[redacted]' },
			status: 200,
			headers: { 'content-type': expect.stringMatching(/^multipart\/form-data; boundary=/) },
			multipart: {
				fields: { fileName: 'Logged file' },
				files: [
					{
						name: 'file',
						filename: 'a.pdf',
						contentType: 'application/pdf',
						size: pdf.length,
						sha256: sha256(pdf),
					},
				],
			},
		});
		expect(JSON.stringify(sim.requests)).not.toContain(sim.keys.teamAdmin);
	});

	test.each([
		['fileId', 'fileId'],
		['hash', 'hash'],
	])('variant fileIdKey=%s puts the hash at file.%s (and nowhere else)', async (variant, key) => {
		sim.setVariants({ fileIdKey: /** @type {any} */ (variant) });
		const r = await upload(sim, sim.keys.teamAdmin, { data: buildPdf({ title: 'v' }) });
		expect(r.json.file[key]).toMatch(/^[0-9a-f]{64}$/);
		expect(r.json.file.id).toBeUndefined();
		sim.reset();
		expect(sim.variants.fileIdKey).toBe('id');
	});

	test('variants can be chosen at start and over the control API; unknown ones are refused', async () => {
		const other = await startSimulator({ port: 0, variants: { fileIdKey: 'hash' } });
		try {
			expect(
				(await upload(other, other.keys.teamAdmin, { data: 'text', contentType: 'text/plain' }))
					.json.file.hash,
			).toBeDefined();
		} finally {
			await other.stop();
		}
		await expect(
			startSimulator({ port: 0, variants: /** @type {any} */ ({ fileIdKey: 'nope' }) }),
		).rejects.toThrow(/fileIdKey/);
		const set = await request(`${sim.baseUrl}/_sim/variants`, {
			method: 'POST',
			body: { searchTotal: 'hitsTotal' },
		});
		expect(set.json).toMatchObject({ fileIdKey: 'id', searchTotal: 'hitsTotal' });
		expect(
			(await request(`${sim.baseUrl}/_sim/variants`, { method: 'POST', body: { colour: 'red' } }))
				.status,
		).toBe(400);
	});

	test('a non-PDF keeps its type; a "PDF" that is none is not called one', async () => {
		const txt = await upload(sim, sim.keys.teamAdmin, {
			data: 'hello',
			contentType: 'text/plain',
			filename: 'a.txt',
		});
		expect(txt.json.file.mimetype).toBe('text/plain');
		const fake = await upload(sim, sim.keys.teamAdmin, {
			data: 'not a pdf',
			contentType: 'application/pdf',
		});
		expect(fake.json.file.mimetype).toBe('application/octet-stream');
	});

	test('errors: JSON instead of multipart, no file, no fileName, malformed form, no token', async () => {
		const json = await api(sim, 'POST', '/files/saveFile', sim.keys.teamAdmin, { fileName: 'x' });
		expect([json.status, json.json.error.code]).toEqual([400, 'MULTIPART_REQUIRED']);
		const noName = await upload(sim, sim.keys.teamAdmin, { data: 'x', fileName: null });
		expect([noName.status, noName.json.error.code]).toEqual([400, 'FILE_NAME_REQUIRED']);
		const url = `${sim.apiUrl}/files/saveFile?token=${sim.keys.teamAdmin}`;
		const onlyName = await request(url, {
			method: 'POST',
			headers: { 'content-type': 'multipart/form-data; boundary=XyZ' },
			rawBody:
				'--XyZ\r\nContent-Disposition: form-data; name="fileName"\r\n\r\nName\r\n--XyZ--\r\n',
		});
		expect(onlyName.json.error.code).toBe('FILE_REQUIRED');
		const broken = await request(url, {
			method: 'POST',
			headers: { 'content-type': 'multipart/form-data; boundary=XyZ' },
			rawBody: 'garbage',
		});
		expect([broken.status, broken.json.error.code]).toEqual([400, 'INVALID_MULTIPART']);
		expect((await upload(sim, '', { data: 'x' })).status).toBe(401);
	});

	test('a hand-written form with a quoted boundary and binary content (CR, LF, dashes) parses', async () => {
		const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xff, 0x0d, 0x0a, 0x2d, 0x2d]); // "%PDF-", binary, CRLF--
		const body = Buffer.concat([
			Buffer.from(
				'--a b:c\r\nContent-Disposition: form-data; name="file"; filename="x.pdf"\r\nContent-Type: application/pdf\r\n\r\n',
			),
			bytes,
			Buffer.from(
				'\r\n--a b:c\r\nContent-Disposition: form-data; name="fileName"\r\n\r\nQuoted\r\n--a b:c--\r\n',
			),
		]);
		const r = await request(`${sim.apiUrl}/files/saveFile?token=${sim.keys.teamAdmin}`, {
			method: 'POST',
			headers: { 'content-type': 'multipart/form-data; boundary="a b:c"' },
			rawBody: body,
		});
		expect(r.status).toBe(200);
		expect(r.json.file).toMatchObject({
			id: sha256(bytes),
			size: bytes.length,
			documentname: 'Quoted',
		});
	});
});

describe('GET /definitions/documents', () => {
	test('d_default and d_contract with a required custom field', async () => {
		const r = await api(sim, 'GET', '/definitions/documents', sim.keys.plainUser);
		expect(r.status).toBe(200);
		const byName = Object.fromEntries(r.json.results.map((/** @type {any} */ d) => [d.name, d]));
		expect(byName.d_default).toMatchObject({ definitionType: ['ext'], workflow: 'wf_archive' });
		expect(byName.d_contract.fields).toContainEqual({
			name: 'contractNumber',
			required: true,
			type: 'text',
		});
		expect((await api(sim, 'GET', '/definitions/documents', null)).status).toBe(401);
	});
});

describe('POST /documents and GET /documents/:id', () => {
	test('creates from an upload: results[0] has the documented fields; GET returns the same; documentCreated in the history', async () => {
		const pdf = buildPdf({ title: 'Mine' });
		const up = await upload(sim, sim.keys.teamAdmin, { data: pdf, fileName: 'mine.pdf' });
		const r = await api(sim, 'POST', '/documents', sim.keys.teamAdmin, {
			body: {
				documentType: 'd_default',
				documentTitle: 'My file based document',
				pdfFile: { content: up.json.file.id, _content_type: 'application/pdf' },
			},
			definitionType: 'ext',
			workflow: 'wf_archive',
		});
		expect(r.status).toBe(200);
		const doc = r.json.results[0];
		expect(doc).toMatchObject({
			documentId: expect.stringMatching(/^[0-9a-f-]{36}$/),
			documentTitle: 'My file based document',
			documentType: 'd_default',
			_version: 1,
			owner: 'sales.admin@acme.test',
			pdfFile: { content: up.json.file.id },
			waitingFor: [],
			workflow: {
				workflowType: 'wf_archive',
				shareStateName: null,
				history: [{ event: 'documentCreated', actor: 'sales.admin@acme.test' }],
			},
		});
		expect(Date.parse(doc.createDate)).toBeGreaterThan(Date.now() - 60_000);
		const got = await api(sim, 'GET', `/documents/${doc.documentId}`, sim.keys.teamAdmin);
		expect(got.json).toEqual({ results: [doc] });
		// the team sees it, another team does not
		expect((await api(sim, 'GET', `/documents/${doc.documentId}`, sim.keys.plainUser)).status).toBe(
			200,
		);
		expect(
			(await api(sim, 'GET', `/documents/${doc.documentId}`, sim.keys.otherTeamAdmin)).status,
		).toBe(403);
		const file = await loadFile(sim, doc.pdfFile.content, sim.keys.teamAdmin);
		expect(file.buffer.equals(pdf)).toBe(true);
	});

	test('custom type: the required field is enforced and custom fields come back at the top level', async () => {
		const missing = await createDocument(sim, sim.keys.teamAdmin, {
			documentType: 'd_contract',
		}).catch((e) => e.message);
		expect(missing).toMatch(/400 .*body\.contractNumber is required/);
		const doc = await createDocument(sim, sim.keys.teamAdmin, {
			documentType: 'd_contract',
			fields: { contractNumber: 'C-7', counterparty: 'Globex' },
		});
		expect(doc).toMatchObject({
			documentType: 'd_contract',
			contractNumber: 'C-7',
			counterparty: 'Globex',
		});
	});

	test('refusals: unknown type 400, wrong definitionType 400, bad workflow 400, no pdfFile 400, unknown or foreign hash 404', async () => {
		const up = await upload(sim, sim.keys.teamAdmin, { data: buildPdf({ title: 'r' }) });
		const hash = up.json.file.id;
		/** @param {Record<string, any>} b @param {Record<string, any>} [top] @param {string} [key] */
		const create = (b, top = {}, key = sim.keys.teamAdmin) =>
			api(sim, 'POST', '/documents', key, {
				body: { documentType: 'd_default', documentTitle: 'T', pdfFile: { content: hash }, ...b },
				definitionType: 'ext',
				workflow: 'wf_archive',
				...top,
			});
		/** @type {Array<[import('./helpers').HttpResult, number, string]>} */
		const cases = [
			[await create({ documentType: 'd_nope' }), 400, 'UNKNOWN_DOCUMENT_TYPE'],
			[await create({}, { definitionType: 'edoc' }), 400, 'INVALID_DEFINITION_TYPE'],
			[await create({}, { workflow: 'archive me' }), 400, 'INVALID_WORKFLOW'],
			[await create({ pdfFile: undefined }), 400, 'INVALID_PDF_FILE'],
			[await create({ documentTitle: '' }), 400, 'MISSING_FIELD'],
			[await create({ pdfFile: { content: '0'.repeat(64) } }), 404, 'FILE_NOT_FOUND'],
			[await create({}, {}, sim.keys.otherTenantAdmin), 404, 'FILE_NOT_FOUND'],
		];
		for (const [r, status, code] of cases)
			expect([r.status, r.json.error.code]).toEqual([status, code]);
		expect((await api(sim, 'POST', '/documents', sim.keys.teamAdmin, [])).status).toBe(400);
	});

	test('a non-PDF is refused without convertToPDF and converted with it', async () => {
		const up = await upload(sim, sim.keys.teamAdmin, {
			data: 'Dear Bob,\nplease sign.',
			contentType: 'text/plain',
			fileName: 'letter.txt',
		});
		const body = {
			body: {
				documentType: 'd_default',
				documentTitle: 'Letter',
				pdfFile: { content: up.json.file.id },
			},
			definitionType: 'ext',
			workflow: 'wf_archive',
		};
		const refused = await api(sim, 'POST', '/documents', sim.keys.teamAdmin, body);
		expect([refused.status, refused.json.error.code]).toEqual([400, 'NOT_A_PDF']);
		expect(refused.json.error.message).toMatch(/convertToPDF/);
		const ok = await api(sim, 'POST', '/documents', sim.keys.teamAdmin, {
			...body,
			convertToPDF: true,
		});
		expect(ok.status).toBe(200);
		const hash = ok.json.results[0].pdfFile.content;
		expect(hash).not.toBe(up.json.file.id);
		const pdf = await loadFile(sim, hash, sim.keys.teamAdmin);
		expect(pdf.headers['content-type']).toBe('application/pdf');
		expect(checkPdf(pdf.buffer)).toContain('(please sign.) Tj');
	});

	test('downloads of a title outside ASCII are named with an ASCII fallback and the exact UTF-8 name', async () => {
		const doc = await createDocument(sim, sim.keys.teamAdmin, {
			title: 'Smlouva – "Č. 7" (draft)',
		});
		const file = await loadFile(sim, doc.pdfFile.content, sim.keys.teamAdmin);
		expect(file.status).toBe(200);
		const cd = String(file.headers['content-disposition']);
		expect(cd).toBe(
			`inline; filename="Smlouva _ __. 7_ (draft).pdf"; filename*=UTF-8''Smlouva%20%E2%80%93%20%22%C4%8C.%207%22%20%28draft%29.pdf`,
		);
		expect(decodeURIComponent(cd.split("UTF-8''")[1])).toBe('Smlouva – "Č. 7" (draft).pdf');
		expect((await api(sim, 'GET', '/documents/doc-sales-2/audit', sim.keys.teamAdmin)).status).toBe(
			200,
		);
	});

	test('GET: unknown id 404, the audit trail lists the creation', async () => {
		expect((await api(sim, 'GET', '/documents/nope', sim.keys.teamAdmin)).status).toBe(404);
		const doc = await createDocument(sim, sim.keys.teamAdmin, { title: 'Audited' });
		const audit = await api(sim, 'GET', `/documents/${doc.documentId}/audit`, sim.keys.teamAdmin);
		expect(audit.headers['content-disposition']).toBe(
			`inline; filename="Audited-audit.pdf"; filename*=UTF-8''Audited-audit.pdf`,
		);
		expect(checkPdf(audit.buffer)).toMatch(/documentCreated +by sales\.admin@acme\.test/);
	});
});
