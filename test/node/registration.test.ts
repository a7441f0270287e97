import { describeApiFailure, readFailedRequest } from '../../nodes/Circularo/transport/errors';
import {
	isSameTarget,
	unreachableCallbackReason,
	webhookRequestFor,
} from '../../nodes/Circularo/trigger/registration';

const hosted = 'https://acme.circularo.com';

describe('unreachableCallbackReason', () => {
	it.each([
		'http://localhost:5678/webhook/x/webhook',
		'http://127.0.0.1:5678/webhook/x/webhook',
		'http://[::1]:5678/webhook/x/webhook',
		'http://10.1.2.3/webhook/x/webhook',
		'http://172.20.0.5/webhook/x/webhook',
		'http://192.168.1.10/webhook/x/webhook',
		'http://169.254.169.254/webhook/x/webhook',
		'http://[fd00::1]/webhook/x/webhook',
		'http://[fe80::1]/webhook/x/webhook',
		'http://n8n.local/webhook/x/webhook',
		'http://n8n/webhook/x/webhook',
	])('refuses %s for a hosted tenant', (callback) => {
		expect(unreachableCallbackReason(callback, hosted)).toMatch(/cannot reach/);
	});

	it('accepts a public URL', () => {
		expect(
			unreachableCallbackReason('https://n8n.example.com/webhook/x/webhook', hosted),
		).toBeNull();
		expect(unreachableCallbackReason('http://172.32.0.1/webhook/x/webhook', hosted)).toBeNull();
	});

	it('accepts a loopback URL when Circularo itself runs on this machine (the simulator)', () => {
		expect(
			unreachableCallbackReason('http://127.0.0.1:5678/webhook/x/webhook', 'http://127.0.0.1:8787'),
		).toBeNull();
		expect(
			unreachableCallbackReason(
				'http://localhost:5678/webhook/x/webhook',
				'http://localhost:8787/api/v1',
			),
		).toBeNull();
	});

	it('accepts a private URL for an on-premises Circularo in the same network, but not loopback', () => {
		expect(
			unreachableCallbackReason('http://10.0.0.7/webhook/x/webhook', 'https://10.0.0.2'),
		).toBeNull();
		expect(
			unreachableCallbackReason('http://127.0.0.1/webhook/x/webhook', 'https://10.0.0.2'),
		).toMatch(/localhost/);
	});

	it('refuses URLs that are not http(s)', () => {
		expect(unreachableCallbackReason('ftp://n8n.example.com/x', hosted)).toMatch(/ftp/);
		expect(unreachableCallbackReason('not a url', hosted)).toMatch(/not a valid URL/);
	});
});

describe('webhookRequestFor and isSameTarget', () => {
	const url = 'https://n8n.example.com/webhook/abc/webhook';

	it('builds the documented request bodies per scope', () => {
		expect(webhookRequestFor('myTeam', 'ignored', url, 's')).toEqual({
			type: 'team',
			callbackUrl: url,
			hmacSecret: 's',
		});
		expect(webhookRequestFor('tenant', '', url, 's')).toEqual({
			type: 'tenant',
			callbackUrl: url,
			hmacSecret: 's',
		});
		expect(webhookRequestFor('namedTeam', ' Sales ', url, 's')).toEqual({
			type: 'team',
			name: 'Sales',
			callbackUrl: url,
			hmacSecret: 's',
		});
	});

	it('matches on callback URL and scope, and on the team name only when one was asked for', () => {
		const remote = {
			id: '1',
			type: 'team' as const,
			name: 'Sales',
			callbackUrl: url,
			hmacSecret: 's',
		};
		expect(isSameTarget(remote, webhookRequestFor('myTeam', '', url, 's'))).toBe(true);
		expect(isSameTarget(remote, webhookRequestFor('namedTeam', 'Sales', url, 's'))).toBe(true);
		expect(isSameTarget(remote, webhookRequestFor('namedTeam', 'Legal', url, 's'))).toBe(false);
		expect(isSameTarget(remote, webhookRequestFor('tenant', '', url, 's'))).toBe(false);
		expect(isSameTarget(remote, webhookRequestFor('myTeam', '', `${url}-other`, 's'))).toBe(false);
	});
});

describe('describeApiFailure', () => {
	const root = 'https://acme.circularo.com/api/v1';
	const describe403 = (serverMessage: string) =>
		describeApiFailure('register the webhook', { status: 403, serverMessage }, root).description;

	it('names the fix for each refusal', () => {
		expect(describeApiFailure('register the webhook', { status: 401 }, root).description).toMatch(
			/API key/,
		);
		expect(describe403('Webhooks are not enabled for this tenant')).toMatch(/Circularo support/);
		expect(describe403('Only global admins can create tenant webhooks')).toMatch(/global admin/);
		expect(describe403('User lacks the use_webhooks right')).toMatch(/use_webhooks/);
		expect(describe403('Insufficient role')).toMatch(/team admin or global admin/);
		expect(describe403('')).toMatch(/use_webhooks/);
		expect(describeApiFailure('x', { status: 429 }, root).message).toMatch(/rate limiting/);
		expect(
			describeApiFailure(
				'download the signed document',
				{ status: 404, serverMessage: 'Document not found' },
				root,
			),
		).toEqual({
			message: 'Circularo could not find what it needed to download the signed document (404)',
			description: `Circularo said: "Document not found". If every call fails like this, check that the Server URL in the credential is your Circularo host (${root}).`,
			httpCode: '404',
		});
		expect(describeApiFailure('x', { status: 503 }, root).description).toMatch(/server error/);
		expect(describeApiFailure('x', { code: 'ECONNREFUSED' }, root).message).toMatch(/refused/);
		expect(describeApiFailure('x', { code: 'ECONNABORTED' }, root).message).toMatch(/timed out/);
		expect(describeApiFailure('x', { code: 'ECONNREFUSED' }, root).description).toContain(root);
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
