/**
 * The client both nodes call Circularo through, against the simulator over HTTP, through n8n-core's
 * own authenticated request and the credential's authenticate().
 */
import { createServer } from 'http';
import type { AddressInfo } from 'net';
import { inspect } from 'util';

import { NodeApiError, NodeOperationError, type IDataObject } from 'n8n-workflow';

import { circularoClient } from '../../nodes/Circularo/circularo/client';
import { RefusedDownload } from '../../nodes/Circularo/circularo/pdfDownload';
import { executeContext } from '../helpers/n8nContext';
import { samplePdf } from './samples';

const { startSimulator } = require('../../simulator');

let sim: any;
const secret = 'signing-secret-value-42';

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
});
afterAll(async () => {
	await sim.stop();
});
beforeEach(() => sim.reset());

function context(serverUrl = sim.baseUrl, apiKey = sim.keys.teamAdmin) {
	const made = executeContext({
		credentials: { serverUrl, apiKey, webhookSecret: secret },
		parameters: {},
	});
	return { ...made, client: circularoClient(made.context) };
}

/** An endpoint with its own advice for 403 and 404, and none for 409 (the generic fix applies). */
const getDocument = {
	endpoint: {
		action: 'get the document',
		advice: {
			403: 'The user behind the API key may not do this with this document.',
			404: 'Check the Document ID: no document with this ID is visible.',
		},
	},
	method: 'GET',
	path: '/documents/doc-sales-1',
} as const;

async function failureOf(promise: Promise<unknown>): Promise<any> {
	try {
		await promise;
	} catch (error) {
		return error;
	}
	throw new Error('expected a failure');
}

const lastRequest = () => sim.requests[sim.requests.length - 1];

describe('request', () => {
	it('sends the key as the token query parameter, with the query parameters asked for', async () => {
		const { client } = context(`${sim.baseUrl}/api/v1/`);
		const answer = await client.request<IDataObject>({ ...getDocument, qs: { lang: 'en' } });
		expect(answer.results).toHaveLength(1);
		// The simulator answers 200 only to the credential's key in `token` (a wrong or missing one: 401).
		expect(lastRequest()).toMatchObject({
			method: 'GET',
			path: '/api/v1/documents/doc-sales-1',
			query: { lang: 'en' },
			status: 200,
		});
		expect(Object.keys(lastRequest().query).sort()).toEqual(['lang', 'token']);
	});

	it('refuses plain http to a public host before n8n is asked to send anything', async () => {
		const { client, calls } = context('http://acme.circularo.com');
		const error = await failureOf(
			client.request({
				endpoint: { action: 'list webhooks', advice: {} },
				method: 'GET',
				path: '/webhooks',
			}),
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'Refused to list webhooks: the API key would travel unencrypted, over plain http:// to acme.circularo.com, where anyone on the way could read it',
		);
		expect(error.description).toMatch(
			/^Change the Server URL in the Circularo API credential to the https:\/\//,
		);
		expect(calls).toEqual([]);
	});

	it("maps a failure to a NodeApiError with the status, the fix and Circularo's words, redacted", async () => {
		const key = sim.keys.teamAdmin;
		sim.setFault({
			path: '/documents/:id',
			status: 502,
			// A token that is not the credential's (a rotated key, a session token) is caught by its name.
			message: `Gateway failed GET ${sim.apiUrl}/documents/x?lang=en&token=${key} (key ${key}, secret ${encodeURIComponent(secret)}, earlier ?token=old-key-7f3a)`,
		});
		const { client } = context();
		const error = await failureOf(client.request(getDocument));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('502');
		expect(error.message).toBe('Circularo failed to get the document (502)');
		expect(error.description).toContain('server error');
		expect(error.description).toContain('token=[redacted]');
		const everything = inspect(error, { depth: 8 }) + JSON.stringify(error);
		expect(everything).not.toContain(key);
		expect(everything).not.toContain(secret);
		expect(everything).not.toContain('old-key-7f3a');
	});

	it('gives the advice of the endpoint for 401, 403, 404 and 409', async () => {
		const { client } = context();
		const call = (status: number) => {
			sim.clearFaults();
			sim.setFault({ path: '/documents/:id', status, message: `said ${status}` });
			return failureOf(client.request(getDocument));
		};
		expect((await call(401)).description).toMatch(
			/API key in the Circularo API credential is wrong.*said 401/,
		);
		expect((await call(403)).description).toMatch(
			/^The user behind the API key may not do this with this document.* Circularo said: "said 403"\.$/,
		);
		expect((await call(404)).description).toMatch(
			/^Check the Document ID: no document .* Circularo said: "said 404"\. If every call/,
		);
		expect((await call(409)).description).toBe(
			'Someone or something changed the document at the same time; run the node again. Circularo said: "said 409".',
		);
		expect((await call(409)).httpCode).toBe('409');
	});

	it('says when Circularo cannot be reached', async () => {
		const { client } = context('http://127.0.0.1:1');
		const error = await failureOf(
			client.request({
				endpoint: { action: 'list webhooks', advice: {} },
				method: 'GET',
				path: '/webhooks',
			}),
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'Could not reach Circularo to list webhooks: the connection was refused',
		);
		expect(error.httpCode).toBe('ECONNREFUSED');
	});
});

describe('upload', () => {
	it('sends multipart/form-data with the text fields and the file, as the simulator parses it', async () => {
		const { client } = context();
		const pdf = samplePdf('Upload test');
		const answer = await client.upload({
			endpoint: { action: 'upload the file', advice: {} },
			path: '/files/saveFile',
			fields: { fileName: 'Contract "A".pdf' },
			fileField: 'file',
			file: {
				chunks: (async function* () {
					yield pdf.subarray(0, 100);
					yield pdf.subarray(100);
				})(),
				size: pdf.length,
				fileName: 'Contract "A".pdf',
				mimeType: 'application/pdf',
			},
		});
		const request = lastRequest();
		expect(request).toMatchObject({
			method: 'POST',
			path: '/api/v1/files/saveFile',
			query: { token: '[redacted]' },
			status: 200,
		});
		expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		// Streamed with its length known, not chunked.
		expect(Number(request.headers['content-length'])).toBeGreaterThan(pdf.length);
		expect(request.headers['transfer-encoding']).toBeUndefined();
		expect(request.multipart.fields).toEqual({ fileName: 'Contract "A".pdf' });
		expect(request.multipart.files).toEqual([
			{
				name: 'file',
				filename: 'Contract %22A%22.pdf',
				contentType: 'application/pdf',
				size: pdf.length,
				sha256: require('crypto').createHash('sha256').update(pdf).digest('hex'),
			},
		]);
		expect((answer as any).file).toMatchObject({
			documentname: 'Contract "A".pdf',
			mimetype: 'application/pdf',
			size: pdf.length,
		});
	});
});

describe('download', () => {
	const pdfPath = () => `/files/loadFile/hash/${sim.getDocument('doc-sales-1').pdfHash}`;
	const limit = { maxBytes: 100 * 1024 * 1024, setting: '"Max File Size (MB)" in Options' };

	it('hands on the PDF as a stream of its declared length, every byte in it', async () => {
		const { client } = context();
		const pdf = await client.download(
			{ endpoint: { action: "download the document's PDF", advice: {} }, path: pdfPath() },
			limit,
		);
		const chunks: Buffer[] = [];
		for await (const chunk of pdf.stream) chunks.push(chunk as Buffer);
		const bytes = Buffer.concat(chunks);
		expect(bytes.length).toBe(pdf.size);
		expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
		expect(lastRequest()).toMatchObject({
			method: 'GET',
			query: { token: '[redacted]' },
			status: 200,
		});
	});

	it.each([
		['declared', 'The file is 300 MB, larger than the 100 MB this node downloads', 0],
		['not declared', 'The file is larger than the 100 MB this node downloads', 100],
	])(
		'refuses a file over the limit (size %s), reading no further',
		async (declared, message, most) => {
			// A server that sends a PDF of 300 MB in 1 MB pieces, as fast as the client reads them.
			let sent = 0;
			const piece = Buffer.alloc(1024 * 1024, 0x20);
			const server = createServer((_request, response) => {
				response.writeHead(200, {
					'content-type': 'application/pdf',
					...(declared === 'declared' ? { 'content-length': 300 * 1024 * 1024 + 5 } : {}),
				});
				response.write('%PDF-');
				const more = () => {
					while (sent < 300 && !response.destroyed) {
						sent++;
						if (!response.write(piece)) return void response.once('drain', more);
					}
					response.end();
				};
				more();
			});
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			try {
				const { client } = context(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
				// A declared size is refused before the stream is handed on; any other download's
				// stream fails as it is read past the limit (files.ts reports what n8n's read threw).
				const error = await failureOf(
					client
						.download(
							{ endpoint: { action: "download the document's PDF", advice: {} }, path: '/f' },
							limit,
						)
						.then(async ({ stream }) => {
							for await (const chunk of stream) void chunk;
						}),
				);
				expect(error).toBeInstanceOf(
					declared === 'declared' ? NodeOperationError : RefusedDownload,
				);
				expect(error.message).toBe(message);
				expect(error.description).toBe('Raise "Max File Size (MB)" in Options to download it.');
				expect(sent).toBeLessThanOrEqual(most + 40);
			} finally {
				server.closeAllConnections();
				server.close();
			}
		},
	);

	it('refuses an answer that is not a PDF, even with status 200', async () => {
		sim.setFault({
			path: '/files/loadFile/hash/:hash',
			status: 200,
			message: '<html>Please log in</html>',
		});
		const { client } = context();
		const error = await failureOf(
			client.download(
				{ endpoint: { action: "download the document's PDF", advice: {} }, path: pdfPath() },
				limit,
			),
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe("Circularo's answer is not a PDF");
		expect(error.description).toMatch(/application\/json/);
	});

	it("maps an error answer (read from the stream) with Circularo's words, redacted", async () => {
		const key = sim.keys.teamAdmin;
		sim.setFault({
			path: '/documents/:id/audit',
			status: 404,
			message: `No audit for ?token=${key}`,
		});
		const { client } = context();
		const error = await failureOf(
			client.download(
				{
					endpoint: { action: 'download the audit trail', advice: {} },
					path: '/documents/doc-sales-1/audit',
				},
				limit,
			),
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('404');
		expect(error.message).toBe(
			'Circularo could not find what it needed to download the audit trail (404)',
		);
		expect(error.description).toContain('Circularo said: "No audit for ?token=[redacted]"');
		expect(inspect(error, { depth: 8 })).not.toContain(key);
	});
});
