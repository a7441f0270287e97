// @ts-check
'use strict';

const crypto = require('node:crypto');
const { CANCEL_SHARE } = require('../../simulator');
const {
	api,
	request,
	checkPdf,
	useSimulator,
	createWebhook,
	createDocument,
	loadFile,
} = require('./helpers');

/** @type {import('./helpers').Simulator} */
let sim;
/** @type {import('./helpers').Receiver} */
let rx;
const SECRET = 'share-secret';

useSimulator((s, r) => ((sim = s), (rx = r)), { receiver: true });
beforeEach(async () => {
	await createWebhook(sim, sim.keys.teamAdmin, {
		type: 'team',
		callbackUrl: rx.url,
		hmacSecret: SECRET,
	});
});

const FIELD = {
	type: 'signature',
	pages: [1],
	position: { percentX: 0.1, percentY: 0.8, percentWidth: 0.25, percentHeight: 0.06 },
};

/**
 * POST /share on a document with the given recipients.
 * @param {string} id
 * @param {Array<Record<string, unknown>>} data
 * @param {Record<string, unknown>} [extra]
 * @param {string} [key]
 */
function share(id, data, extra = {}, key = sim.keys.teamAdmin) {
	return api(sim, 'POST', '/share', key, {
		id,
		type: 'd_default',
		objectType: 'document',
		data,
		...extra,
	});
}

/** @param {string} id */
const getDoc = async (id) =>
	(await api(sim, 'GET', `/documents/${id}`, sim.keys.teamAdmin)).json.results[0];

/** The events received (after every emitted one was delivered), each checked against its signature. */
async function received() {
	await sim.settled();
	return rx.requests.map((q) => {
		expect(q.headers['x-circularo-signature']).toBe(
			crypto.createHmac('sha256', SECRET).update(q.body).digest('hex'),
		);
		const b = JSON.parse(q.body.toString());
		return `${b.event} ${b.user.username}`;
	});
}

/**
 * The request on the document ended in `state`: nobody is waited for, the history ends with
 * `last`, and the receiver's last delivery is that event by that actor.
 * @param {string} documentId
 * @param {string} state
 * @param {{ event: string, actor: string, message: string }} last
 */
async function expectEnded(documentId, state, last) {
	const after = await getDoc(documentId);
	expect(after).toMatchObject({ waitingFor: [], workflow: { shareStateName: state } });
	expect(after.workflow.history.at(-1)).toMatchObject(last);
	expect((await received()).at(-1)).toBe(`${last.event} ${last.actor}`);
}

test('POST /share answers one documented share per recipient, opens the request and delivers a signed signRequest', async () => {
	const doc = await createDocument(sim, sim.keys.teamAdmin, { title: 'NDA' });
	const validUntil = new Date(Date.now() + 86400_000).toISOString();
	const r = await share(
		doc.documentId,
		[
			{
				sharePurpose: 'sign',
				shareTo: 'bill@example.com',
				message: 'Sign me',
				validUntil,
				otpEnabled: true,
				phone: '+420 123 456 789',
				order: 1,
			},
			{ sharePurpose: 'approve', shareTo: 'sales.user@acme.test' },
		],
		{
			sequential: true,
			signatureFields: [{ ...FIELD, user: ['bill@example.com'], required: true, timestamp: false }],
		},
	);
	expect(r.status).toBe(200);
	expect(r.json).toEqual([
		{
			shareId: expect.any(String),
			isActive: true,
			isPermanentViewToken: false,
			shareDate: expect.any(String),
			shareType: 'sign',
			sharedBy: 'sales.admin@acme.test',
			sharedObjectEsId: doc.documentId,
			sharedObjectEsType: 'd_default',
			sharedObjectType: 'document',
			sharedWith: ['bill@example.com'],
			sharedUsername: 'bill@example.com',
			otpEnabled: true,
			passwordRequired: false,
			privateMessage: 'Sign me',
			validUntil,
			order: 1,
		},
		expect.objectContaining({
			shareType: 'approve',
			sharedWith: ['sales.user@acme.test'],
			order: 2,
			privateMessage: null,
		}),
	]);
	const after = await getDoc(doc.documentId);
	expect(after).toMatchObject({
		_version: doc._version + 1,
		waitingFor: ['bill@example.com'],
		workflow: { shareStateName: 'inprogress' },
	});
	expect(after.signatureFields).toEqual([
		{ ...FIELD, user: ['bill@example.com'], required: true, timestamp: false },
	]);
	expect(await received()).toEqual([
		'documentCreated sales.admin@acme.test',
		'signRequest sales.admin@acme.test',
	]);
	expect(sim.requests.find((q) => q.path === '/api/v1/share')?.body).toMatchObject({
		id: doc.documentId,
		sequential: true,
	});
});

test('refusals name the field: no recipients, purpose, recipient, OTP contact, validUntil, order, signer of a field, type, document', async () => {
	const doc = await createDocument(sim, sim.keys.teamAdmin);
	const id = doc.documentId;
	const sign = { sharePurpose: 'sign', shareTo: 'a@example.com' };
	/** @param {import('./helpers').HttpResult} r */
	const err = (r) => [r.status, r.json.error.code, r.json.error.message];
	expect(err(await share(id, []))).toEqual([400, 'NO_RECIPIENTS', expect.stringContaining('data')]);
	expect(err(await share(id, [{ ...sign, sharePurpose: 'stamp' }]))).toEqual([
		400,
		'INVALID_SHARE_PURPOSE',
		expect.stringContaining('data[0].sharePurpose'),
	]);
	expect(err(await share(id, [sign, { sharePurpose: 'sign', shareTo: 'not an address' }]))).toEqual(
		[400, 'INVALID_RECIPIENT', expect.stringContaining('data[1].shareTo')],
	);
	expect(err(await share(id, [sign, { ...sign, shareTo: 'A@example.com' }]))).toEqual([
		400,
		'DUPLICATE_RECIPIENT',
		expect.any(String),
	]);
	expect(err(await share(id, [{ ...sign, otpEnabled: true }]))).toEqual([
		400,
		'OTP_CONTACT_REQUIRED',
		expect.stringContaining('phone'),
	]);
	expect(err(await share(id, [{ ...sign, mail: 'nope' }]))).toEqual([
		400,
		'INVALID_SHARE',
		expect.stringContaining('data[0].mail'),
	]);
	expect(err(await share(id, [{ ...sign, validUntil: '2020-02-11T19:10:10.100Z' }]))).toEqual([
		400,
		'INVALID_VALID_UNTIL',
		expect.stringContaining('future'),
	]);
	expect(err(await share(id, [{ ...sign, order: 0 }]))).toEqual([
		400,
		'INVALID_SHARE',
		expect.stringContaining('order'),
	]);
	expect(
		err(await share(id, [sign], { signatureFields: [{ ...FIELD, user: ['b@example.com'] }] })),
	).toEqual([400, 'UNKNOWN_SIGNER', expect.any(String)]);
	expect(
		err(
			await share(id, [sign], {
				signatureFields: [{ ...FIELD, user: ['a@example.com'], position: { percentX: 2 } }],
			}),
		),
	).toEqual([400, 'INVALID_POSITION', expect.any(String)]);
	expect(
		err(
			await share(id, [sign], {
				signatureFields: [{ ...FIELD, user: ['a@example.com'], pages: [0] }],
			}),
		),
	).toEqual([400, 'INVALID_SIGNATURE_FIELDS', expect.stringContaining('pages')]);
	expect(err(await share(id, [sign], { type: 'd_contract' }))).toEqual([
		400,
		'TYPE_MISMATCH',
		expect.stringContaining('d_default'),
	]);
	expect(err(await share(id, [sign], { objectType: 'folder' }))).toEqual([
		400,
		'INVALID_OBJECT_TYPE',
		expect.any(String),
	]);
	expect(err(await share('doc-nope', [sign]))).toEqual([
		404,
		'DOCUMENT_NOT_FOUND',
		expect.any(String),
	]);
	expect(err(await share('doc-legal-1', [sign]))).toEqual([
		403,
		'DOCUMENT_FORBIDDEN',
		expect.any(String),
	]);
	// nothing was opened by the refused calls
	expect((await getDoc(id)).waitingFor).toEqual([]);
	expect(err(await share('doc-sales-1', [sign]))).toEqual([
		409,
		'SHARE_IN_PROGRESS',
		expect.any(String),
	]);
	// page as a number (older pages) is accepted
	expect(
		(
			await share(id, [sign], {
				signatureFields: [
					{ type: 'signature', page: 2, position: FIELD.position, user: ['a@example.com'] },
				],
			})
		).status,
	).toBe(200);
});

test('sequential: order is kept, waitingFor follows, the last signature completes with a new, visibly signed PDF', async () => {
	const doc = await createDocument(sim, sim.keys.teamAdmin, { title: 'Sequential' });
	const id = doc.documentId;
	await share(
		id,
		[
			{ sharePurpose: 'sign', shareTo: 'first@example.com' },
			{ sharePurpose: 'sign', shareTo: 'sales.user@acme.test' },
		],
		{ sequential: true },
	);
	await expect(sim.sign({ documentId: id, as: 'sales.user@acme.test' })).rejects.toMatchObject({
		status: 409,
		code: 'NOT_YOUR_TURN',
	});
	await expect(sim.sign({ documentId: id, as: 'stranger@example.com' })).rejects.toMatchObject({
		status: 400,
		code: 'NOT_A_RECIPIENT',
	});
	const one = await sim.sign({ documentId: id });
	expect(one.events).toEqual(['documentSigned']);
	expect(one.document).toMatchObject({
		waitingFor: ['sales.user@acme.test'],
		shareStateName: 'inprogress',
	});
	const mid = await getDoc(id);
	expect(mid.pdfFile.content).not.toBe(doc.pdfFile.content);
	const two = await sim.sign({ documentId: id, as: 'sales.user@acme.test' });
	expect(two.events).toEqual(['documentSigned', 'documentCompleted']);
	expect(two.deliveries.map((d) => d.event)).toEqual(['documentSigned', 'documentCompleted']);
	const done = await getDoc(id);
	expect(done).toMatchObject({
		waitingFor: [],
		isSigned: true,
		workflow: { shareStateName: 'completed' },
	});
	expect(done._version).toBe(mid._version + 2);
	expect(done.pdfFile.content).not.toBe(mid.pdfFile.content);
	const pdf = checkPdf((await loadFile(sim, done.pdfFile.content, sim.keys.teamAdmin)).buffer);
	expect(pdf).toMatch(/\(Signed by first@example\.com on \d{4}-\d\d-\d\dT[^)]*\) Tj/);
	expect(pdf).toMatch(/\(Signed by Pat Plain <sales\.user@acme\.test> on [^)]*\) Tj/);
	expect(pdf).toContain('(All required signatures collected.) Tj');
	// the original upload is still there, unchanged
	expect((await loadFile(sim, doc.pdfFile.content, sim.keys.teamAdmin)).status).toBe(200);
	const audit = checkPdf(
		(await api(sim, 'GET', `/documents/${id}/audit`, sim.keys.teamAdmin)).buffer,
	);
	for (const line of [
		'documentCreated +by sales.admin',
		'signRequest +by sales.admin',
		'documentSigned +by first@example.com',
		'documentCompleted +by sales.user',
	]) {
		expect(audit).toMatch(new RegExp(line));
	}
	expect(await received()).toEqual([
		'documentCreated sales.admin@acme.test',
		'signRequest sales.admin@acme.test',
		'documentSigned first@example.com',
		'documentSigned sales.user@acme.test',
		'documentCompleted sales.user@acme.test',
	]);
	await expect(sim.sign({ documentId: id })).rejects.toMatchObject({
		status: 409,
		code: 'NO_OPEN_SIGN_REQUEST',
	});
});

test('parallel: everyone is waited for and may act in any order; approve emits documentSimpleActionExecuted', async () => {
	const doc = await createDocument(sim, sim.keys.teamAdmin);
	await share(doc.documentId, [
		{ sharePurpose: 'sign', shareTo: 'a@example.com' },
		{ sharePurpose: 'approve', shareTo: 'b@example.com' },
		{ sharePurpose: 'view', shareTo: 'c@example.com' },
	]);
	expect((await getDoc(doc.documentId)).waitingFor).toEqual(['a@example.com', 'b@example.com']);
	expect((await sim.sign({ documentId: doc.documentId, as: 'b@example.com' })).events).toEqual([
		'documentSimpleActionExecuted',
	]);
	expect((await getDoc(doc.documentId)).waitingFor).toEqual(['a@example.com']);
	expect((await sim.sign({ documentId: doc.documentId, as: 'a@example.com' })).events).toEqual([
		'documentSigned',
		'documentCompleted',
	]);
});

test('reject: signRejected with the reason in the history, state rejected, nobody waited for; a new request may follow', async () => {
	const doc = await createDocument(sim, sim.keys.teamAdmin);
	await share(doc.documentId, [
		{ sharePurpose: 'sign', shareTo: 'a@example.com' },
		{ sharePurpose: 'sign', shareTo: 'b@example.com' },
	]);
	const r = await sim.reject({
		documentId: doc.documentId,
		as: 'b@example.com',
		reason: 'Wrong amount',
	});
	expect(r.events).toEqual(['signRejected']);
	await expectEnded(doc.documentId, 'rejected', {
		event: 'signRejected',
		actor: 'b@example.com',
		message: 'Wrong amount',
	});
	await expect(sim.sign({ documentId: doc.documentId })).rejects.toMatchObject({ status: 409 });
	expect(
		(await share(doc.documentId, [{ sharePurpose: 'sign', shareTo: 'a@example.com' }])).status,
	).toBe(200);
});

test(`cancel (${CANCEL_SHARE.method} ${CANCEL_SHARE.path}): one share id cancels the whole process; signCancelled; then 409`, async () => {
	const doc = await createDocument(sim, sim.keys.teamAdmin);
	const shares = (
		await share(doc.documentId, [
			{ sharePurpose: 'sign', shareTo: 'a@example.com' },
			{ sharePurpose: 'sign', shareTo: 'b@example.com' },
		])
	).json;
	const path = CANCEL_SHARE.path;
	const other = await api(sim, CANCEL_SHARE.method, path, sim.keys.plainUser, {
		shareIds: [shares[0].shareId],
	});
	expect([other.status, other.json.error.code]).toEqual([403, 'SHARE_FORBIDDEN']);
	const r = await api(sim, CANCEL_SHARE.method, path, sim.keys.teamAdmin, {
		shareIds: [shares[1].shareId],
		message: 'Superseded',
	});
	expect(r.status).toBe(200);
	expect(r.json.map((/** @type {any} */ s) => [s.shareId, s.isActive])).toEqual([
		[shares[0].shareId, false],
		[shares[1].shareId, false],
	]);
	await expectEnded(doc.documentId, 'cancelled', {
		event: 'signCancelled',
		actor: 'sales.admin@acme.test',
		message: 'Superseded',
	});
	const again = await api(sim, CANCEL_SHARE.method, path, sim.keys.teamAdmin, {
		id: shares[0].shareId,
	});
	expect([again.status, again.json.error.code]).toEqual([409, 'SHARE_NOT_ACTIVE']);
	expect(
		(await api(sim, CANCEL_SHARE.method, path, sim.keys.teamAdmin, { shareIds: ['nope'] })).status,
	).toBe(404);
	expect(
		(
			await api(sim, CANCEL_SHARE.method, path, sim.keys.otherTenantAdmin, {
				id: shares[0].shareId,
			})
		).status,
	).toBe(404);
	expect((await api(sim, CANCEL_SHARE.method, path, sim.keys.teamAdmin, {})).json.error.code).toBe(
		'INVALID_BODY',
	);
});

test('cancel by { id } as the global admin; variant shareResponse=results wraps both answers', async () => {
	sim.setVariants({ shareResponse: 'results' });
	const doc = await createDocument(sim, sim.keys.teamAdmin);
	const opened = await share(doc.documentId, [{ sharePurpose: 'sign', shareTo: 'a@example.com' }]);
	expect(opened.json).toEqual({ results: [expect.objectContaining({ shareType: 'sign' })] });
	const r = await api(sim, CANCEL_SHARE.method, CANCEL_SHARE.path, sim.keys.globalAdmin, {
		id: opened.json.results[0].shareId,
	});
	expect(r.json).toEqual({ results: [expect.objectContaining({ isActive: false })] });
});

test('control API: POST /_sim/sign and /_sim/reject act on the seeded open requests; errors come back as JSON', async () => {
	const signed = await request(`${sim.baseUrl}/_sim/sign`, {
		method: 'POST',
		body: { documentId: 'doc-sales-1' },
	});
	expect(signed.status).toBe(200);
	expect(signed.json).toMatchObject({
		events: ['documentSigned', 'documentCompleted'],
		document: { documentId: 'doc-sales-1', shareStateName: 'completed', waitingFor: [] },
		share: { sharedUsername: 'signer@example.com', isActive: false },
		deliveries: [
			{ event: 'documentSigned', status: 200 },
			{ event: 'documentCompleted', status: 200 },
		],
	});
	const rejected = await request(`${sim.baseUrl}/_sim/reject`, {
		method: 'POST',
		body: { documentId: 'doc-legal-1', as: 'counsel@example.com', reason: 'No' },
	});
	expect(rejected.json).toMatchObject({
		events: ['signRejected'],
		document: { shareStateName: 'rejected' },
	});
	const none = await request(`${sim.baseUrl}/_sim/sign`, {
		method: 'POST',
		body: { documentId: 'doc-sales-2' },
	});
	expect([none.status, none.json.error.code]).toEqual([409, 'NO_OPEN_SIGN_REQUEST']);
	expect((await request(`${sim.baseUrl}/_sim/sign`, { method: 'POST', body: {} })).status).toBe(
		400,
	);
	expect(
		(await request(`${sim.baseUrl}/_sim/sign`, { method: 'POST', body: { documentId: 'doc-x' } }))
			.status,
	).toBe(404);
});

test('actOnNextShare: the first recipient signs (or rejects) right after the next share, before its answer; only once', async () => {
	const doc = await createDocument(sim, sim.keys.teamAdmin);
	sim.actOnNextShare({ action: 'sign' });
	const answer = await share(doc.documentId, [{ sharePurpose: 'sign', shareTo: 'a@example.com' }]);
	expect(answer.status).toBe(200);
	expect((await getDoc(doc.documentId)).workflow.shareStateName).toBe('completed');
	expect(await received()).toEqual([
		'documentCreated sales.admin@acme.test',
		'signRequest sales.admin@acme.test',
		'documentSigned a@example.com',
		'documentCompleted a@example.com',
	]);

	const next = await createDocument(sim, sim.keys.teamAdmin);
	await share(next.documentId, [{ sharePurpose: 'sign', shareTo: 'a@example.com' }]);
	expect((await getDoc(next.documentId)).workflow.shareStateName).toBe('inprogress');

	const rejected = await createDocument(sim, sim.keys.teamAdmin);
	sim.actOnNextShare({ action: 'reject', reason: 'No' });
	await share(rejected.documentId, [{ sharePurpose: 'sign', shareTo: 'a@example.com' }]);
	await expectEnded(rejected.documentId, 'rejected', {
		event: 'signRejected',
		actor: 'a@example.com',
		message: 'No',
	});
	expect(() => sim.actOnNextShare(/** @type {any} */ ({ action: 'approve' }))).toThrow(
		/"sign" \| "reject"/,
	);
});
