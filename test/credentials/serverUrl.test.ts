import { CircularoApi } from '../../credentials/CircularoApi.credentials';
import { apiRootUrl, hostClass, plainHttpRefusal } from '../../credentials/serverUrl';

describe('hostClass', () => {
	it.each([
		['localhost', 'loopback'],
		['api.localhost', 'loopback'],
		['127.0.0.1', 'loopback'],
		['[::1]', 'loopback'],
		['[::ffff:7f00:1]', 'loopback'],
		['10.1.2.3', 'private'],
		['172.16.0.1', 'private'],
		['192.168.1.10', 'private'],
		['169.254.169.254', 'private'],
		['[::ffff:c0a8:10a]', 'private'],
		['[fd00::1]', 'private'],
		['[fe80::1]', 'private'],
		['circularo.local', 'private'],
		['circularo.internal', 'private'],
		['circularo', 'private'],
		['acme.circularo.com', 'public'],
		['172.32.0.1', 'public'],
		['8.8.8.8', 'public'],
		['[::ffff:808:808]', 'public'],
		['[2001:db8::1]', 'public'],
	])('%s is %s', (host, expected) => {
		expect(hostClass(host)).toBe(expected);
	});
});

describe('plainHttpRefusal', () => {
	it('accepts https anywhere and http on this machine or a private network', () => {
		for (const url of [
			'https://acme.circularo.com',
			'http://127.0.0.1:8787/api/v1',
			'http://localhost:8787',
			'http://10.0.0.2',
			'http://circularo:8080',
		]) {
			expect(plainHttpRefusal(url)).toBeUndefined();
		}
	});

	it('refuses http to a public host and says why and what to change, without the rest of the URL', () => {
		const refusal = plainHttpRefusal('http://user:pw@acme.circularo.com/api/v1?token=abc');
		expect(refusal).toEqual({
			problem:
				'the API key would travel unencrypted, over plain http:// to acme.circularo.com, where anyone on the way could read it',
			fix: expect.stringMatching(
				/^Change the Server URL in the Circularo API credential to the https:\/\/ address/,
			),
		});
		expect(JSON.stringify(refusal)).not.toMatch(/pw|abc|user:/);
	});

	it('refuses other schemes and what is not a URL', () => {
		expect(plainHttpRefusal('ftp://acme.circularo.com')?.problem).toMatch(
			/starts with ftp:\/\/ instead of https:\/\//,
		);
		expect(plainHttpRefusal('acme.circularo.com')?.problem).toMatch(/not a valid URL/);
	});

	it('apiRootUrl takes the server URL as users paste it', () => {
		expect(apiRootUrl(' https://acme.circularo.com/api/v1/ ')).toBe(
			'https://acme.circularo.com/api/v1',
		);
		expect(apiRootUrl('https://acme.circularo.com//')).toBe('https://acme.circularo.com/api/v1');
	});
});

describe('the credential adds the key only where it may go', () => {
	const credential = new CircularoApi();
	const credentials = { serverUrl: 'x', apiKey: 'the-key' };

	it('adds the key as the token query parameter, keeping other query parameters', async () => {
		const options = await credential.authenticate(credentials, {
			url: 'https://acme.circularo.com/api/v1/documents',
			qs: { hardDelete: true },
		});
		expect(options.qs).toEqual({ hardDelete: true, token: 'the-key' });
	});

	it('refuses the credential test request (baseURL + url) to a public host over http', async () => {
		const testRequest = credential.test.request;
		await expect(
			credential.authenticate(credentials, {
				url: testRequest.url!,
				baseURL: 'http://acme.circularo.com/api/v1',
			}),
		).rejects.toThrow(
			/^Refused to send the Circularo API key: the API key would travel unencrypted, over plain http:\/\/ to acme\.circularo\.com.*Change the Server URL/,
		);
		await expect(
			credential.authenticate(credentials, {
				url: testRequest.url!,
				baseURL: 'http://127.0.0.1:8787/api/v1',
			}),
		).resolves.toMatchObject({ qs: { token: 'the-key' } });
	});

	it('judges the URL the request goes to: an absolute url wins over the baseURL', async () => {
		await expect(
			credential.authenticate(credentials, {
				url: 'http://evil.example.com/x',
				baseURL: 'https://acme.circularo.com',
			}),
		).rejects.toThrow(/evil\.example\.com/);
	});
});

describe('the trigger keeps the key from a public http server too', () => {
	it('refuses at activation, saying why, before any call', async () => {
		const { hookContext } = require('../helpers/n8nContext');
		const { CircularoTrigger } = require('../../nodes/Circularo/CircularoTrigger.node');
		const { context } = hookContext({
			credentials: { serverUrl: 'http://acme.circularo.com', apiKey: 'the-key' },
			webhookUrl: 'https://n8n.example.com/webhook/abc/webhook',
		});
		const calls: unknown[] = [];
		context.helpers.httpRequestWithAuthentication = async (...args: unknown[]) => calls.push(args);
		const create = new CircularoTrigger().webhookMethods.default.create;
		await expect(create.call(context)).rejects.toThrow(
			/^Refused to list webhooks: the API key would travel unencrypted, over plain http:\/\/ to acme\.circularo\.com.*\. Change the Server URL/,
		);
		expect(calls).toEqual([]);
	});
});
