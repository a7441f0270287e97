/**
 * The trigger believes Circularo, not the delivery (issue #25): an event that claims an ending
 * starts an execution only when Circularo reports that state (or the document gone), reading
 * again while reads lag, and downloads the PDF of the read that showed it; a delivery whose signed
 * time lies outside the window is refused; the Named Team scope is refused. Deliveries are signed
 * with the registration's secret as Circularo echoes it: what any team admin can read.
 */
import { createHash } from 'crypto';

import { CircularoTrigger } from '../../nodes/Circularo/CircularoTrigger.node';
import { DELIVERY_WINDOW_MS } from '../../nodes/Circularo/webhooks/timestampWindow';
import { hookContext, type Delivery } from '../helpers/n8nContext';
import { useTriggerHarness } from '../helpers/triggerHarness';

const { hmacHex } = require('../../simulator');

const trigger = new CircularoTrigger();
const harness = useTriggerHarness();
const { owner } = harness;
let staticData: Record<string, string>;

beforeEach(async () => {
	staticData = {};
	await harness.activate(trigger, staticData, owner());
});

/** A delivery signed with the secret Circularo lists for the registration (an insider's forgery). */
function insiderDelivery(body: object): Delivery {
	const [registration] = harness.sim.listWebhooks();
	const rawBody = Buffer.from(JSON.stringify(body));
	return {
		rawBody,
		headers: {
			'content-type': 'application/json',
			'x-circularo-signature': hmacHex(registration.hmacSecret, rawBody),
		},
	};
}

const receive = (delivery: Delivery, options: object = {}) =>
	harness.receive(trigger, delivery, {
		credentials: owner(),
		staticData,
		parameters: { events: ['*'], options } as never,
	});

const now = () => new Date().toISOString();
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('an ending event starts an execution only when Circularo reports it', () => {
	it.each([
		['documentCompleted', 'doc-sales-1'],
		['signRejected', 'doc-sales-2'],
		['signExpired', 'doc-sales-1'],
		['signCancelled', 'doc-sales-2'],
		['documentDeleted', 'doc-sales-1'],
	])(
		'a forged %s for %s (a state that is not it): no item, nothing downloaded',
		async (event, documentId) => {
			const from = harness.sim.requests.length;
			const { accepted, response, item } = await receive(
				insiderDelivery({ event, documentId, timestamp: now() }),
				{ downloadSignedDocument: true },
			);
			expect(response.status).toBeUndefined(); // acknowledged: Circularo is not asked to retry
			expect(accepted).toBe(false);
			expect(item).toBeUndefined();
			const calls = harness.sim.requests.slice(from).map((r: any) => `${r.method} ${r.path}`);
			expect(new Set(calls)).toEqual(new Set([`GET /api/v1/documents/${documentId}`]));
			expect(calls.length).toBeLessThanOrEqual(6);
		},
		15_000,
	);

	it('the genuine completion: one item, with the PDF of the read that showed it completed', async () => {
		const { production } = await harness.fire({
			event: 'documentCompleted',
			documentId: 'doc-sales-1',
		});
		const { item } = await receive(production!, { downloadSignedDocument: true });
		expect(item!.json).toMatchObject({ event: 'documentCompleted', documentId: 'doc-sales-1' });
		expect(item!.binary!.data).toBeDefined();
	});

	it('reads that lag 1.5 s: read again until completed, then the signed PDF, never the unsigned one', async () => {
		const { sim } = harness;
		sim.setVariants({ readLagMs: 1500 });
		const documentId = sim.createDocument({
			title: 'Lagging',
			team: 'Sales',
			shareStateName: null,
		}).documentId;
		const shared = await fetch(`${sim.apiUrl}/share?token=${sim.keys.teamAdmin}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				id: documentId,
				type: 'd_default',
				objectType: 'document',
				data: [{ sharePurpose: 'sign', shareTo: 'signer@example.com' }],
			}),
		});
		expect(shared.status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 1600));
		harness.receiver.received.length = 0;
		await sim.sign({ documentId });
		const completed = harness.receiver.received.find((d) =>
			d.rawBody.toString().includes('documentCompleted'),
		)!;
		const signedHash = sim.getDocument(documentId).pdfHash;
		const from = sim.requests.length;
		const { item } = await receive(completed, { downloadSignedDocument: true });
		expect(item!.json.documentId).toBe(documentId);
		const reads = sim.requests
			.slice(from)
			.filter((r: any) => r.path === `/api/v1/documents/${documentId}`);
		expect(reads.length).toBeGreaterThan(1); // the first read still showed it in progress
		const downloads = sim.requests.slice(from).filter((r: any) => r.path.includes('/loadFile/'));
		expect(downloads.map((r: any) => r.path)).toEqual([
			`/api/v1/files/loadFile/hash/${signedHash}`,
		]);
		// The simulator names a file by the SHA-256 of its bytes.
		expect(sha256(Buffer.from(item!.binary!.data.data, 'base64'))).toBe(signedHash);
	}, 20_000);
});

describe('the signed time', () => {
	it('a replay whose timestamp lies outside the window is acknowledged and starts nothing', async () => {
		const old = new Date(Date.now() - DELIVERY_WINDOW_MS - 60_000).toISOString();
		harness.sim.fire({ event: 'documentSigned', documentId: 'doc-sales-1' });
		const stale = await receive(
			insiderDelivery({ event: 'documentSigned', documentId: 'doc-sales-1', timestamp: old }),
		);
		expect(stale.accepted).toBe(false);
		expect(stale.response.status).toBeUndefined();
		const fresh = await receive(
			insiderDelivery({ event: 'documentSigned', documentId: 'doc-sales-1', timestamp: now() }),
		);
		expect(fresh.accepted).toBe(true);
	});

	it('a missing or unreadable timestamp ([assumed] format) is not refused for it', async () => {
		for (const timestamp of [undefined, 'not a time']) {
			const { accepted } = await receive(
				insiderDelivery({ event: 'documentSigned', documentId: 'doc-sales-1', timestamp }),
			);
			expect(accepted).toBe(true);
		}
	});
});

describe("a team's scope with a global admin's key", () => {
	it('Named Team is refused with what to use instead, and leaves no webhook', async () => {
		const { context } = hookContext({
			credentials: owner({ apiKey: harness.sim.keys.globalAdmin }),
			staticData: {} as never,
			webhookUrl: harness.receiver.productionUrl,
			parameters: { scope: 'namedTeam', teamName: 'Legal' } as never,
		});
		harness.sim.reset();
		const methods = trigger.webhookMethods.default;
		expect(await methods.checkExists.call(context)).toBe(false);
		await expect(methods.create.call(context)).rejects.toMatchObject({
			message: expect.stringContaining('Named Team scope is refused'),
			description: expect.stringContaining('My Team'),
		});
		expect(harness.sim.listWebhooks()).toEqual([]);
	});
});
