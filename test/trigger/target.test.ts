import { isSameTarget } from '../../nodes/Circularo/circularo/records';
import {
	unreachableCallbackReason,
	webhookRequestFor,
} from '../../nodes/Circularo/webhooks/registrationRequest';

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
