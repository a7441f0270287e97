/**
 * Signing links: Sign Request > Get Signing Link and the "Add Signing Links" option of Create,
 * against the simulator over HTTP, with the refusal of an unprotected recipient outside Circularo
 * before any call and Circularo's own refusal of an unprotected share.
 */
import type { INodeParameters } from 'n8n-workflow';

import { useSimulator } from './harness';

const t = useSimulator();

const { shareTokenOf } = require('../../simulator/routes/signingLinks');

const fresh = () => t.sim.createDocument({ title: 'Link me', team: 'Sales', shareStateName: null });

describe('Sign Request > Create with "Add Signing Links"', () => {
	it('gives a protected recipient the direct link and a Circularo user the after-login link', async () => {
		const document = fresh();
		const [item] = await t.run({
			resource: 'signRequest',
			operation: 'create',
			documentId: document.documentId,
			recipients: {
				recipient: [
					{ shareTo: 'ext@example.com', otp: 'email' },
					{ shareTo: 'sales.user@acme.test' },
				],
			},
			signingLinks: true,
			circularoUsers: 'Sales.User@acme.test',
		});
		const shareIds = item.json.shareIds as string[];
		expect(t.requests().map((r) => `${r.method} ${r.path}`)).toEqual([
			`GET /documents/${document.documentId}`,
			'POST /share',
			`GET /share/${shareIds[0]}/validate`,
		]);
		const base = t.sim.baseUrl;
		expect(item.json.signingLinks).toEqual([
			{
				recipient: 'ext@example.com',
				shareId: shareIds[0],
				kind: 'direct',
				link: `${base}/share?shareToken=${shareTokenOf(t.sim, shareIds[0])}`,
			},
			{
				recipient: 'sales.user@acme.test',
				shareId: shareIds[1],
				kind: 'afterLogin',
				link: `${base}/compose/create/general?mode=edit&definition=d_default&documentId=${document.documentId}`,
			},
		]);
	});

	it('refuses, before any call, a recipient outside Circularo without a one-time password', async () => {
		const document = fresh();
		const error = await t.failure({
			resource: 'signRequest',
			operation: 'create',
			documentId: document.documentId,
			recipients: {
				recipient: [{ shareTo: 'ext@example.com', otp: 'email' }, { shareTo: 'open@example.com' }],
			},
			signingLinks: true,
		});
		expect(error.message).toBe(
			'"Protection" of recipient 2 (open@example.com) in "Recipients" is None, but "Add Signing Links" needs a one-time password for a recipient outside Circularo',
		);
		expect(error.description).toMatch(/Circularo Users/);
		expect(t.requests()).toEqual([]);
	});

	it('leaves the item as it was without the option', async () => {
		const document = fresh();
		const [item] = await t.run({
			resource: 'signRequest',
			operation: 'create',
			documentId: document.documentId,
			recipients: { recipient: [{ shareTo: 'open@example.com' }] },
		});
		expect(item.json.signingLinks).toBeUndefined();
		expect(t.requests()).toHaveLength(2);
	});
});

describe('Sign Request > Get Signing Link', () => {
	const shareWith = async (recipient: INodeParameters) => {
		const document = fresh();
		const [item] = await t.run({
			resource: 'signRequest',
			operation: 'create',
			documentId: document.documentId,
			recipients: { recipient: [recipient] },
		});
		t.sim.requests.length = 0;
		return { documentId: document.documentId, shareId: (item.json.shareIds as string[])[0] };
	};

	it('validates a protected share and builds its direct link', async () => {
		const { shareId } = await shareWith({
			shareTo: 'ext@example.com',
			otp: 'phone',
			otpPhone: '+420 777 123 456',
		});
		const [item] = await t.run({ resource: 'signRequest', operation: 'getSigningLink', shareId });
		expect(t.requests()).toEqual([
			{ method: 'GET', path: `/share/${shareId}/validate`, query: {}, status: 200 },
		]);
		expect(item.json).toEqual({
			shareId,
			kind: 'direct',
			link: `${t.sim.baseUrl}/share?shareToken=${shareTokenOf(t.sim, shareId)}`,
		});
	});

	it("explains Circularo's refusal of an unprotected share", async () => {
		const { shareId } = await shareWith({ shareTo: 'open@example.com' });
		const error = await t.failure({
			resource: 'signRequest',
			operation: 'getSigningLink',
			shareId,
		});
		expect(error.message).toBe(
			'Circularo did not accept the request to get the signing link (400)',
		);
		expect(error.description).toMatch(
			/^Circularo gives a direct signing link only for a share protected by a one-time password/,
		);
		expect(error.description).toMatch(
			/Circularo said: "Share needs to be secured by mail or phone OTP or oAuth."/,
		);
	});

	it("builds a Circularo user's after-login link from the document's type", async () => {
		const { documentId } = await shareWith({ shareTo: 'sales.user@acme.test' });
		const [item] = await t.run({
			resource: 'signRequest',
			operation: 'getSigningLink',
			recipientKind: 'circularoUser',
			documentId,
		});
		expect(t.requests().map((r) => `${r.method} ${r.path}`)).toEqual([
			`GET /documents/${documentId}`,
		]);
		expect(item.json).toEqual({
			documentId,
			kind: 'afterLogin',
			link: `${t.sim.baseUrl}/compose/create/general?mode=edit&definition=d_default&documentId=${documentId}`,
		});
	});

	it('refuses an empty Share ID before any call', async () => {
		const error = await t.failure({
			resource: 'signRequest',
			operation: 'getSigningLink',
			shareId: ' ',
		});
		expect(error.message).toBe('"Share ID" is empty');
		expect(t.requests()).toEqual([]);
	});
});
