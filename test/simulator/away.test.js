// @ts-check
'use strict';

/**
 * n8n away: with nothing listening at the webhook's URL, documents are still completed, rejected,
 * expired, cancelled and deleted; each delivery fails once, is recorded and is never sent again.
 */
const net = require('node:net');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { api, request, createWebhook, useSimulator } = require('./helpers');

/** A loopback URL where nothing listens (a port taken and released). */
async function deadUrl() {
	const server = net.createServer();
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const { port } = /** @type {net.AddressInfo} */ (server.address());
	await new Promise((resolve) => server.close(() => resolve(undefined)));
	return `http://127.0.0.1:${port}/webhook/away`;
}

describe('n8n away', () => {
	/** @type {import('./helpers').Simulator} */
	let sim;
	useSimulator((s) => (sim = s));

	/** @param {string} title */
	async function shared(title) {
		const document = sim.createDocument({ title, team: 'Sales', shareStateName: null });
		const r = await api(sim, 'POST', '/share', sim.keys.teamAdmin, {
			id: document.documentId,
			type: 'd_default',
			objectType: 'document',
			data: [{ sharePurpose: 'sign', shareTo: 'signer@example.com' }],
		});
		expect(r.status).toBe(200);
		return /** @type {string} */ (document.documentId);
	}

	test('documents end with no one listening; every delivery fails once and is not retried', async () => {
		await createWebhook(sim, sim.keys.teamAdmin, { type: 'team', callbackUrl: await deadUrl() });
		const [completed, rejected, expired, cancelled, deleted] = await Promise.all(
			['Completed', 'Rejected', 'Expired', 'Cancelled', 'Deleted'].map(shared),
		);
		await sim.settled();
		await sim.sign({ documentId: completed });
		await sim.reject({ documentId: rejected });
		const r = await request(`${sim.baseUrl}/_sim/expire`, {
			method: 'POST',
			body: { documentId: expired },
		});
		expect(r.status).toBe(200);
		expect(r.json.document.shareStateName).toBe('expired');
		const share = [...sim.shares.values()].find((s) => s.documentId === cancelled);
		expect(
			(await api(sim, 'PUT', '/share/disable', sim.keys.teamAdmin, { shareIds: [share?.shareId] }))
				.status,
		).toBe(200);
		expect(
			(await api(sim, 'DELETE', '/documents', sim.keys.teamAdmin, { documents: [{ id: deleted }] }))
				.status,
		).toBe(200);
		await sim.settled();
		const states = Object.fromEntries(
			sim.listDocuments().map((/** @type {any} */ d) => [d.documentId, d.shareStateName]),
		);
		expect(states).toMatchObject({
			[completed]: 'completed',
			[rejected]: 'rejected',
			[expired]: 'expired',
			[cancelled]: 'cancelled',
		});
		expect(sim.getDocument(deleted)).toMatchObject({ deleted: true });
		expect([...sim.shares.values()].filter((s) => s.documentId === expired)).toEqual([
			expect.objectContaining({ isActive: false, status: 'expired' }),
		]);

		const failed = sim.undelivered();
		expect(failed.length).toBe(sim.deliveries.length);
		expect(failed.map((/** @type {any} */ d) => d.event)).toEqual(
			expect.arrayContaining([
				'documentCompleted',
				'signRejected',
				'signExpired',
				'signCancelled',
				'documentDeleted',
			]),
		);
		for (const d of failed) expect(d).toMatchObject({ status: null, attempt: 1 });
		expect(failed.every((/** @type {any} */ d) => typeof d.error === 'string')).toBe(true);
		// Not retried: nothing more is sent later.
		const count = sim.deliveries.length;
		await new Promise((resolve) => setTimeout(resolve, 1500));
		await sim.settled();
		expect(sim.deliveries.length).toBe(count);
		const listed = await request(`${sim.baseUrl}/_sim/undelivered`);
		expect(listed.json.results).toHaveLength(count);
	});

	test('the CLI: expire --document, then undelivered lists the delivery that failed', async () => {
		await createWebhook(sim, sim.keys.teamAdmin, { type: 'team', callbackUrl: await deadUrl() });
		/** @param {string[]} args @returns {Promise<{ code: number, stdout: string }>} */
		const cli = (args) =>
			new Promise((resolve) =>
				execFile(
					process.execPath,
					[path.join(__dirname, '..', '..', 'simulator', 'cli.js'), ...args, '--url', sim.baseUrl],
					{ timeout: 15_000 },
					(error, stdout) => resolve({ code: error ? 1 : 0, stdout }),
				),
			);
		const expired = await cli(['expire', '--document', 'doc-sales-1']);
		expect(expired.code).toBe(0);
		expect(expired.stdout).toMatch(/doc-sales-1: sign request expired; state expired/);
		const listed = await cli(['undelivered']);
		expect(listed.stdout).toMatch(/Undelivered \(not retried, as Circularo retries none\): 1/);
		expect(listed.stdout).toMatch(/signExpired/);
	});

	test('expire refuses a document without a sign request in progress', async () => {
		const r = await request(`${sim.baseUrl}/_sim/expire`, {
			method: 'POST',
			body: { documentId: 'doc-sales-2' },
		});
		expect(r.status).toBe(409);
	});
});
