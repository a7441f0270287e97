import { DOWNLOAD_FILE } from '../../nodes/Circularo/circularo/endpoints/files';
import { CREATE_WEBHOOK, LIST_WEBHOOKS } from '../../nodes/Circularo/circularo/endpoints/webhooks';
import { describeApiFailure, readFailedRequest } from '../../nodes/Circularo/circularo/errors';

describe('describeApiFailure', () => {
	const root = 'https://acme.circularo.com/api/v1';
	const describe403 = (serverMessage: string) =>
		describeApiFailure(CREATE_WEBHOOK, { status: 403, serverMessage }, root).description;

	it('names the fix for each refusal', () => {
		expect(describeApiFailure(CREATE_WEBHOOK, { status: 401 }, root).description).toMatch(
			/API key/,
		);
		expect(describe403('Webhooks are not enabled for this tenant')).toMatch(/Circularo support/);
		expect(describe403('Only global admins can create tenant webhooks')).toMatch(/global admin/);
		expect(describe403('User lacks the use_webhooks right')).toMatch(/use_webhooks/);
		expect(describe403('Insufficient role')).toMatch(/team admin or global admin/);
		expect(describe403('')).toMatch(/use_webhooks/);
		expect(describeApiFailure(LIST_WEBHOOKS, { status: 429 }, root).message).toMatch(
			/rate limiting/,
		);
		expect(
			describeApiFailure(DOWNLOAD_FILE, { status: 404, serverMessage: 'Document not found' }, root),
		).toEqual({
			message: "Circularo could not find what it needed to download the document's PDF (404)",
			description: `Check that the document still exists and has a PDF. Circularo said: "Document not found". If every call fails like this, check that the Server URL in the credential is your Circularo host (${root}).`,
			httpCode: '404',
		});
		expect(describeApiFailure(LIST_WEBHOOKS, { status: 503 }, root).description).toMatch(
			/server error/,
		);
		expect(describeApiFailure(LIST_WEBHOOKS, { code: 'ECONNREFUSED' }, root).message).toMatch(
			/refused/,
		);
		expect(describeApiFailure(LIST_WEBHOOKS, { code: 'ECONNABORTED' }, root).message).toMatch(
			/timed out/,
		);
		expect(describeApiFailure(LIST_WEBHOOKS, { code: 'ECONNREFUSED' }, root).description).toContain(
			root,
		);
	});

	it('reads status, code and Circularo message from an n8n API error', () => {
		const error = {
			httpCode: '403',
			context: {
				data: { error: { code: 'FORBIDDEN', message: 'User lacks the use_webhooks right' } },
			},
		};
		expect(readFailedRequest(error)).toEqual({
			status: 403,
			code: undefined,
			serverMessage: 'User lacks the use_webhooks right',
		});
		expect(readFailedRequest({ cause: { code: 'ECONNRESET' } })).toEqual({
			status: undefined,
			code: 'ECONNRESET',
			serverMessage: undefined,
		});
		expect(readFailedRequest(undefined)).toEqual({
			status: undefined,
			code: undefined,
			serverMessage: undefined,
		});
	});
});
