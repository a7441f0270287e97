/**
 * The shared transport against the simulator over HTTP, through n8n-core's own authenticated
 * request and the credential's authenticate().
 */
import { inspect } from 'util';

import { NodeApiError, NodeOperationError, type IDataObject } from 'n8n-workflow';

import {
	circularoApiRequest,
	circularoDownload,
	circularoUpload,
} from '../../nodes/Circularo/transport/request';
import { executeContext } from '../helpers/executeContext';
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
	return executeContext({
		credentials: { serverUrl, apiKey, webhookSecret: secret },
		parameters: {},
	});
}

async function failureOf(promise: Promise<unknown>): Promise<any> {
	try {
		await promise;
	} catch (error) {
		return error;
	}
	throw new Error('expected a failure');
}

const lastRequest = () => sim.requests[sim.requests.length - 1];

describe('circularoApiRequest', () => {
	it('sends the key as the token query parameter, with the query parameters asked for', async () => {
		const { context: ctx } = context(`${sim.baseUrl}/api/v1/`);
		const answer = (await circularoApiRequest.call(
			ctx,
			'GET',
			'/documents/doc-sales-1',
			undefined,
			{ qs: { lang: 'en' } },
		)) as IDataObject;
		expect(answer.results).toHaveLength(1);
		expect(lastRequest()).toMatchObject({
			method: 'GET',
			path: '/api/v1/documents/doc-sales-1',
			query: { token: '[redacted]', lang: 'en' },
			status: 200,
		});
	});

	it('refuses plain http to a public host before n8n is asked to send anything', async () => {
		const { context: ctx, calls } = context('http://acme.circularo.com');
		const error = await failureOf(
			circularoApiRequest.call(ctx, 'GET', '/webhooks', undefined, { action: 'list webhooks' }),
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
		const { context: ctx } = context();
		const error = await failureOf(
			circularoApiRequest.call(ctx, 'GET', '/documents/doc-sales-1', undefined, {
				action: 'get the document',
			}),
		);
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

	it('gives the advice of the operation for 401, 403, 404 and 409', async () => {
		const fixes = { 403: 'Needs the right X.', 404: 'Check the Document ID.', 409: 'It changed.' };
		const { context: ctx } = context();
		const call = (status: number) => {
			sim.clearFaults();
			sim.setFault({ path: '/documents/:id', status, message: `said ${status}` });
			return failureOf(
				circularoApiRequest.call(ctx, 'GET', '/documents/doc-sales-1', undefined, {
					action: 'get the document',
					fixes,
				}),
			);
		};
		expect((await call(401)).description).toMatch(
			/API key in the Circularo API credential is wrong.*said 401/,
		);
		expect((await call(403)).description).toBe('Needs the right X. Circularo said: "said 403".');
		expect((await call(404)).description).toMatch(
			/^Check the Document ID\. Circularo said: "said 404"\. If every call/,
		);
		expect((await call(409)).description).toBe('It changed. Circularo said: "said 409".');
		expect((await call(409)).httpCode).toBe('409');
	});

	it('says when Circularo cannot be reached', async () => {
		const { context: ctx } = context('http://127.0.0.1:1');
		const error = await failureOf(
			circularoApiRequest.call(ctx, 'GET', '/webhooks', undefined, { action: 'list webhooks' }),
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'Could not reach Circularo to list webhooks: the connection was refused',
		);
		expect(error.httpCode).toBe('ECONNREFUSED');
	});
});

describe('circularoUpload', () => {
	it('sends multipart/form-data with the text fields and the file, as the simulator parses it', async () => {
		const { context: ctx } = context();
		const pdf = samplePdf('Upload test');
		const answer = await circularoUpload.call(
			ctx,
			'/files/saveFile',
			{ fileName: 'Contract "A".pdf' },
			'file',
			{
				data: pdf,
				fileName: 'Contract "A".pdf',
				mimeType: 'application/pdf',
			},
		);
		const request = lastRequest();
		expect(request).toMatchObject({
			method: 'POST',
			path: '/api/v1/files/saveFile',
			query: { token: '[redacted]' },
			status: 200,
		});
		expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
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

describe('circularoDownload', () => {
	const pdfPath = () => `/files/loadFile/hash/${sim.getDocument('doc-sales-1').pdfHash}`;

	it('returns the PDF bytes', async () => {
		const { context: ctx } = context();
		const bytes = await circularoDownload.call(ctx, pdfPath());
		expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
		expect(lastRequest()).toMatchObject({
			method: 'GET',
			query: { token: '[redacted]' },
			status: 200,
		});
	});

	it('refuses a file over the size cap', async () => {
		const { context: ctx } = context();
		const error = await failureOf(circularoDownload.call(ctx, pdfPath(), { maxBytes: 200 }));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('The file is larger than 200 bytes, the most this node downloads');
	});

	it('refuses an answer that is not a PDF, even with status 200', async () => {
		sim.setFault({
			path: '/files/loadFile/hash/:hash',
			status: 200,
			message: '<html>Please log in</html>',
		});
		const { context: ctx } = context();
		const error = await failureOf(circularoDownload.call(ctx, pdfPath()));
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
		const { context: ctx } = context();
		const error = await failureOf(
			circularoDownload.call(ctx, '/documents/doc-sales-1/audit', {
				action: 'download the audit trail',
			}),
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
