import { createHash } from 'crypto';

import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { binaryItem } from '../helpers/n8nContext';
import { samplePdf, sampleText } from '../circularo/samples';
import { useSimulator } from './harness';

const t = useSimulator();
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const create = (extra: Record<string, unknown> = {}) => ({
	resource: 'document',
	operation: 'create',
	...extra,
});

describe('Document > Create', () => {
	it('uploads the PDF of the binary field, then creates a document titled by the file name', async () => {
		const pdf = samplePdf('Contract');
		const [item, ...rest] = await t.run(create(), {
			items: [binaryItem('data', pdf, 'contract.pdf', 'application/pdf')],
		});
		expect(rest).toEqual([]);
		const [upload, createCall] = t.requests();
		expect(upload).toEqual({
			method: 'POST',
			path: '/files/saveFile',
			query: {},
			status: 200,
			multipart: {
				fields: { fileName: 'contract.pdf' },
				files: [
					{
						name: 'file',
						filename: 'contract.pdf',
						contentType: 'application/pdf',
						size: pdf.length,
						sha256: sha256(pdf),
					},
				],
			},
		});
		expect(createCall).toEqual({
			method: 'POST',
			path: '/documents',
			query: {},
			status: 200,
			body: {
				body: {
					documentType: 'd_default',
					documentTitle: 'contract',
					pdfFile: { content: sha256(pdf), _content_type: 'application/pdf' },
				},
				definitionType: 'ext',
				workflow: 'wf_archive',
			},
		});
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({
			documentTitle: 'contract',
			documentType: 'd_default',
			fileHash: sha256(pdf),
			fileName: 'contract.pdf',
		});
		expect(t.sim.getDocument(item.json.documentId as string)).toMatchObject({
			documentTitle: 'contract',
			documentType: 'd_default',
		});
	});

	it('takes a title, a type from the list, metadata fields and a workflow', async () => {
		const pdf = samplePdf();
		const [item] = await t.run(
			create({
				binaryPropertyName: 'file',
				title: 'ACME service agreement',
				documentType: {
					__rl: true,
					mode: 'list',
					value: 'd_contract',
					cachedResultName: 'd_contract',
				},
				options: {
					workflow: 'wf_archive',
					metadata: {
						field: [
							{ name: 'contractNumber', value: 'C-2026-7' },
							{ name: 'counterparty', value: 'ACME' },
						],
					},
				},
			}),
			{ items: [binaryItem('file', pdf, 'scan.pdf', 'application/pdf')] },
		);
		expect(t.requests()[1].body).toEqual({
			body: {
				contractNumber: 'C-2026-7',
				counterparty: 'ACME',
				documentType: 'd_contract',
				documentTitle: 'ACME service agreement',
				pdfFile: { content: sha256(pdf), _content_type: 'application/pdf' },
			},
			definitionType: 'ext',
			workflow: 'wf_archive',
		});
		expect(item.json).toMatchObject({
			documentTitle: 'ACME service agreement',
			documentType: 'd_contract',
			contractNumber: 'C-2026-7',
		});
	});

	it.each(['id', 'fileId', 'hash'])(
		'reads the uploaded file id from file.%s',
		async (fileIdKey) => {
			t.sim.setVariants({ fileIdKey });
			const pdf = samplePdf();
			const [item] = await t.run(create(), {
				items: [binaryItem('data', pdf, 'a.pdf', 'application/pdf')],
			});
			expect(item.json.fileHash).toBe(sha256(pdf));
			expect((t.requests()[1].body as any).body.pdfFile.content).toBe(sha256(pdf));
		},
	);

	it('sends a non-PDF with "Convert to PDF" and convertToPDF: true', async () => {
		const [item] = await t.run(create({ options: { convertToPdf: true } }), {
			items: [binaryItem('data', sampleText, 'terms.rtf', 'application/rtf')],
		});
		const [upload, createCall] = t.requests();
		expect(upload.multipart!.files[0]).toMatchObject({
			filename: 'terms.rtf',
			contentType: 'application/rtf',
		});
		expect(createCall.body).toEqual({
			body: {
				documentType: 'd_default',
				documentTitle: 'terms',
				pdfFile: { content: sha256(sampleText), _content_type: 'application/rtf' },
			},
			definitionType: 'ext',
			workflow: 'wf_archive',
			convertToPDF: true,
		});
		// The document's PDF is Circularo's conversion, not the uploaded file.
		expect(item.json.fileHash).toBe(t.sim.getDocument(item.json.documentId as string).pdfHash);
		expect(item.json.fileHash).not.toBe(sha256(sampleText));
		expect(item.json).toMatchObject({ documentTitle: 'terms', fileName: 'terms.rtf' });
	});

	describe('refuses bad input before any call, naming the field', () => {
		it.each([
			[
				'no binary field',
				create({ binaryPropertyName: 'file' }),
				/no binary field "file" \(Input Binary Field\)/,
			],
			['a non-PDF without Convert to PDF', create(), /"terms\.rtf" is not a PDF/],
			[
				'an empty document type',
				create({ documentType: { __rl: true, mode: 'id', value: ' ' } }),
				/"Document Type" is empty/,
			],
			[
				'a metadata field the node sets',
				create({ options: { metadata: { field: [{ name: 'documentTitle', value: 'x' }] } } }),
				/"Metadata Fields": "documentTitle" is set by the node/,
			],
		])('%s', async (_, parameters, message) => {
			const error = await t.failure(parameters, {
				items: [binaryItem('data', sampleText, 'terms.rtf', 'application/rtf')],
			});
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toMatch(message);
			expect(t.requests()).toEqual([]);
		});

		it('says how to fix a non-PDF', async () => {
			const error = await t.failure(create(), {
				items: [binaryItem('data', sampleText, 'terms.rtf', 'application/rtf')],
			});
			expect(error.description).toMatch(/Turn on "Convert to PDF"/);
		});
	});

	it('reports Circularo refusing the document with its status and words', async () => {
		const error = await t.failure(
			create({ documentType: { __rl: true, mode: 'id', value: 'd_unknown' } }),
			{
				items: [binaryItem('data', samplePdf(), 'a.pdf', 'application/pdf')],
			},
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('400');
		expect(error.message).toBe('Circularo did not accept the request to create the document (400)');
		expect(error.description).toMatch(
			/^Check the Document Type, the metadata fields and the workflow\. Circularo said: ".*d_unknown/,
		);
	});
});
