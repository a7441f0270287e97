// @ts-check
'use strict';

/**
 * Signing links (`GET /share/:shareId/validate`), manual reminders (`POST /share/remind`),
 * automatic reminders in `POST /share` and the templates (`GET /templates`, `GET /templates/:id`),
 * with their documented refusals: no one-time password, a second reminder the same day, a share
 * that no longer needs action.
 */

const { api, useSimulator, createDocument } = require('./helpers');

/** @type {import('./helpers').Simulator} */
let sim;
useSimulator((s) => (sim = s));

const FIELD = {
	type: 'signature',
	pages: [1],
	position: { percentX: 0.1, percentY: 0.8, percentWidth: 0.2, percentHeight: 0.05 },
};

/**
 * A new document shared with `data` by the Sales team admin; its shares.
 * @param {Array<Record<string, unknown>>} data
 */
async function shared(data) {
	const key = sim.keys.teamAdmin;
	const doc = await createDocument(sim, key, { title: 'Extras contract' });
	const r = await api(sim, 'POST', '/share', key, {
		id: doc.documentId,
		type: 'd_default',
		objectType: 'document',
		data,
		signatureFields: data
			.filter((d) => d.sharePurpose === 'sign')
			.map((d) => ({ ...FIELD, user: [d.shareTo] })),
	});
	expect(r.status).toBe(200);
	return { documentId: doc.documentId, shares: /** @type {any[]} */ (r.json) };
}

describe('GET /share/:shareId/validate', () => {
	it('answers the shareToken of a share protected by a one-time password', async () => {
		const { shares } = await shared([
			{
				sharePurpose: 'sign',
				shareTo: 'ext@example.com',
				otpEnabled: true,
				mail: 'ext@example.com',
			},
		]);
		const r = await api(sim, 'GET', `/share/${shares[0].shareId}/validate`, null);
		expect(r.status).toBe(200);
		expect(r.json.shareToken).toMatch(/^[0-9a-f]{64}$/);
		const again = await api(sim, 'GET', `/share/${shares[0].shareId}/validate`, sim.keys.teamAdmin);
		expect(again.json.shareToken).toBe(r.json.shareToken);
	});

	it("refuses an unprotected share with Circularo's documented 400", async () => {
		const { shares } = await shared([{ sharePurpose: 'sign', shareTo: 'ext@example.com' }]);
		const r = await api(sim, 'GET', `/share/${shares[0].shareId}/validate`, null);
		expect(r.status).toBe(400);
		expect(r.json.error.message).toBe('Share needs to be secured by mail or phone OTP or oAuth.');
	});

	it('answers 404 for an unknown share', async () => {
		const r = await api(sim, 'GET', '/share/nope/validate', null);
		expect(r.status).toBe(404);
	});
});

describe('POST /share/remind', () => {
	const key = () => sim.keys.teamAdmin;

	it('reminds the shares of a document once a day, then refuses a second reminder', async () => {
		const { documentId, shares } = await shared([
			{ sharePurpose: 'sign', shareTo: 'a@example.com' },
			{ sharePurpose: 'view', shareTo: 'b@example.com' },
		]);
		const first = await api(sim, 'POST', '/share/remind', key(), { documentId });
		expect(first.status).toBe(200);
		expect(first.json.results.map((/** @type {any} */ s) => s.shareId)).toEqual([
			shares[0].shareId,
		]);
		expect(sim.reminders.get(shares[0].shareId)).toHaveLength(1);
		const second = await api(sim, 'POST', '/share/remind', key(), { documentId });
		expect(second.status).toBe(400);
		expect(second.json.error.message).toMatch(/already sent today/);
		const byShare = await api(sim, 'POST', '/share/remind', key(), {
			shareIds: [shares[0].shareId],
		});
		expect(byShare.status).toBe(400);
		expect(byShare.json.error.code).toBe('REMINDER_LIMIT');
	});

	it('refuses a share that no longer needs action: signed, or only to view', async () => {
		const { documentId, shares } = await shared([
			{ sharePurpose: 'sign', shareTo: 'a@example.com' },
			{ sharePurpose: 'view', shareTo: 'b@example.com' },
		]);
		const view = await api(sim, 'POST', '/share/remind', key(), { shareIds: [shares[1].shareId] });
		expect(view.status).toBe(400);
		expect(view.json.error.message).toMatch(/does not require any action/);
		sim.sign({ documentId });
		const signed = await api(sim, 'POST', '/share/remind', key(), {
			shareIds: [shares[0].shareId],
		});
		expect(signed.status).toBe(400);
		expect(signed.json.error.code).toBe('NO_ACTION_REQUIRED');
		const doc = await api(sim, 'POST', '/share/remind', key(), { documentId });
		expect(doc.status).toBe(400);
		expect(doc.json.error.code).toBe('NO_ACTION_REQUIRED');
	});

	it('lets only the owner or the original sharer remind, and refuses a body without a target', async () => {
		const { shares } = await shared([{ sharePurpose: 'sign', shareTo: 'a@example.com' }]);
		const other = await api(sim, 'POST', '/share/remind', sim.keys.plainUser, {
			shareIds: [shares[0].shareId],
		});
		expect(other.status).toBe(403);
		const empty = await api(sim, 'POST', '/share/remind', key(), {});
		expect(empty.status).toBe(400);
		expect(sim.reminders.size).toBe(0);
	});
});

describe('automatic reminders in POST /share', () => {
	it('keeps a recipient’s automaticReminder and echoes it', async () => {
		const reminder = { start: '2030-01-02T09:00:00.000Z', intervalDays: 2 };
		const { shares } = await shared([
			{ sharePurpose: 'sign', shareTo: 'a@example.com', automaticReminder: reminder },
		]);
		expect(shares[0].automaticReminder).toEqual(reminder);
	});

	it('refuses an automaticReminder without a whole interval of days', async () => {
		const doc = await createDocument(sim, sim.keys.teamAdmin, { title: 'Bad reminder' });
		const r = await api(sim, 'POST', '/share', sim.keys.teamAdmin, {
			id: doc.documentId,
			type: 'd_default',
			data: [
				{
					sharePurpose: 'sign',
					shareTo: 'a@example.com',
					automaticReminder: { start: '2030-01-02T09:00:00Z', intervalDays: 0.5 },
				},
			],
		});
		expect(r.status).toBe(400);
		expect(r.json.error.code).toBe('INVALID_REMINDER');
	});
});

describe('templates', () => {
	it('lists the tenant’s templates and gets one with its file, fields and roles', async () => {
		const list = await api(sim, 'GET', '/templates', sim.keys.teamAdmin);
		expect(list.status).toBe(200);
		expect(list.json.results.map((/** @type {any} */ t) => t.name)).toEqual([
			'Mutual NDA',
			'Offer letter',
		]);
		const one = await api(sim, 'GET', '/templates/tpl-nda', sim.keys.teamAdmin);
		expect(one.status).toBe(200);
		expect(one.json).toMatchObject({
			id: 'tpl-nda',
			documentType: 'd_contract',
			fields: ['contractNumber', 'counterparty'],
		});
		expect(one.json.signEntities).toHaveLength(2);
		expect(sim.files.get(one.json.file)?.mimetype).toBe('application/pdf');
	});

	it('hides other tenants’ templates and answers 404 for an unknown one', async () => {
		const other = await api(sim, 'GET', '/templates', sim.keys.otherTenantAdmin);
		expect(other.json.results).toEqual([]);
		const missing = await api(sim, 'GET', '/templates/tpl-nda', sim.keys.otherTenantAdmin);
		expect(missing.status).toBe(404);
	});

	it('gives a document made from a template its file', async () => {
		const template = (await api(sim, 'GET', '/templates/tpl-offer', sim.keys.teamAdmin)).json;
		const r = await api(sim, 'POST', '/documents', sim.keys.teamAdmin, {
			body: {
				documentType: 'd_default',
				documentTitle: 'Offer for Ada',
				pdfFile: { content: template.file, _content_type: 'application/pdf' },
			},
			definitionType: 'ext',
			workflow: 'wf_archive',
		});
		expect(r.status).toBe(200);
	});
});
