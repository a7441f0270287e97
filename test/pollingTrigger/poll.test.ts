import type { IDataObject } from 'n8n-workflow';

import { usePollingSimulator } from './harness';

const t = usePollingSimulator();

/** A copy of static data as n8n would have stored it (JSON in its database). */
const stored = (staticData: IDataObject): IDataObject => JSON.parse(JSON.stringify(staticData));

/** Static data that counts every write, as n8n's ObservableObject marks it changed. */
function watched(staticData: IDataObject) {
	const writes: string[] = [];
	const proxy = new Proxy(staticData, {
		set(target, key, value) {
			writes.push(String(key));
			return Reflect.set(target, key, value);
		},
		deleteProperty(target, key) {
			writes.push(String(key));
			return Reflect.deleteProperty(target, key);
		},
	});
	return { proxy, writes };
}

describe('Circularo Polling Trigger: the first poll', () => {
	it('records what is in progress and reports nothing, not even documents that just ended', async () => {
		const ended = await t.sendForSigning('Ended before activation');
		await t.sim.sign({ documentId: ended });
		const open = await t.sendForSigning('In progress before activation');
		const first = await t.poll();
		expect(first.output).toBeNull();
		expect(Object.keys(t.staticData.o as IDataObject).sort()).toEqual(['doc-sales-1', open].sort());
		expect(t.staticData.e).toHaveProperty(ended);
		const second = await t.poll();
		expect(second.output).toBeNull();
	});

	it('a poll with nothing changed writes nothing to static data', async () => {
		await t.sendForSigning('Unchanged');
		await t.poll();
		const { proxy, writes } = watched(t.staticData);
		const before = stored(t.staticData);
		expect((await t.poll({ staticData: proxy })).output).toBeNull();
		expect(writes).toEqual([]);
		expect(stored(t.staticData)).toEqual(before);
	});
});

describe('Circularo Polling Trigger: each kind of change, once', () => {
	it('a new sign request, a signature of one of two recipients, then the completion', async () => {
		await t.poll();
		const documentId = await t.sendForSigning('Two signers', ['a@example.com', 'b@example.com']);
		expect(t.events(await t.poll())).toEqual([['signRequest', documentId]]);
		await t.sim.sign({ documentId, as: 'a@example.com' });
		const signed = await t.poll();
		expect(t.events(signed)).toEqual([['documentSigned', documentId]]);
		expect(signed.items[0].actor).toMatchObject({ email: 'a@example.com' });
		await t.sim.sign({ documentId, as: 'b@example.com' });
		expect(t.events(await t.poll())).toEqual([
			['documentSigned', documentId],
			['documentCompleted', documentId],
		]);
		expect((await t.poll()).output).toBeNull();
	});

	it('rejected, expired, cancelled and deleted documents', async () => {
		const rejected = await t.sendForSigning('Rejected');
		const expired = await t.sendForSigning('Expired');
		const cancelled = await t.sendForSigning('Cancelled');
		const deleted = await t.sendForSigning('Deleted');
		await t.poll();
		await t.sim.reject({ documentId: rejected, reason: 'Wrong amount' });
		await t.sim.fire({ event: 'signExpired', documentId: expired });
		const shareId = [...t.sim.shares.values()].find(
			(share: any) => share.documentId === cancelled,
		).shareId;
		await t.call('PUT', '/share/disable', { shareIds: [shareId], message: 'Not needed' });
		await t.call('DELETE', '/documents?hardDelete=false', { documents: [{ id: deleted }] });
		const run = await t.poll();
		expect(t.events(run).sort()).toEqual(
			[
				['signRejected', rejected],
				['signExpired', expired],
				['signCancelled', cancelled],
				['documentDeleted', deleted],
			].sort(),
		);
		const byEvent = Object.fromEntries(run.items.map((item) => [item.event, item]));
		expect(byEvent.signRejected.documentTitle).toBe('Rejected');
		expect(byEvent.documentDeleted).toMatchObject({
			documentTitle: null,
			actor: null,
			occurredAt: null,
			payload: { documentId: deleted },
		});
		expect((await t.poll()).output).toBeNull();
		expect(Object.keys(t.staticData.o as IDataObject)).not.toEqual(
			expect.arrayContaining([rejected]),
		);
	});

	it('a document created and completed between two polls: its whole sign request, once', async () => {
		await t.poll();
		const documentId = await t.sendForSigning('Quick one');
		await t.sim.sign({ documentId });
		expect(t.events(await t.poll())).toEqual([
			['signRequest', documentId],
			['documentSigned', documentId],
			['documentCompleted', documentId],
		]);
		expect((await t.poll()).output).toBeNull();
		expect((await t.poll()).output).toBeNull();
	});

	it("items have the Circularo Trigger's field names, the document as payload", async () => {
		await t.poll();
		const documentId = await t.sendForSigning('Fields');
		await t.sim.sign({ documentId, as: 'signer@example.com' });
		const [, , completed] = (await t.poll()).items;
		expect(Object.keys(completed).sort()).toEqual(
			[
				'actor',
				'documentId',
				'documentTitle',
				'event',
				'occurredAt',
				'payload',
				'receivedAt',
			].sort(),
		);
		expect(completed).toMatchObject({
			event: 'documentCompleted',
			documentId,
			documentTitle: 'Fields',
			payload: { documentId, workflow: { shareStateName: 'completed' } },
		});
		expect(completed.occurredAt).toMatch(/^\d{4}-\d\d-\d\dT/);
	});

	it('reports only the selected events, and still moves on past the others', async () => {
		await t.poll();
		const documentId = await t.sendForSigning('Selected');
		await t.sim.sign({ documentId });
		const run = await t.poll({ parameters: { events: ['documentCompleted'] } });
		expect(t.events(run)).toEqual([['documentCompleted', documentId]]);
		expect((await t.poll({ parameters: { events: ['*'] } })).output).toBeNull();
	});

	it('attaches the signed PDF and the audit trail when asked', async () => {
		await t.poll();
		const documentId = await t.sendForSigning('With files');
		await t.sim.sign({ documentId });
		const run = await t.poll({
			parameters: {
				events: ['documentCompleted'],
				options: { downloadSignedDocument: true, includeAuditTrail: true },
			},
		});
		const [item] = run.output!;
		expect(item.binary!.data).toMatchObject({
			fileName: 'With files.pdf',
			mimeType: 'application/pdf',
		});
		expect(item.binary!.auditTrail).toMatchObject({ fileName: 'With files audit trail.pdf' });
		expect(Buffer.from(item.binary!.data.data, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
	});

	it('a download that fails is told in downloadError; the event is reported once all the same', async () => {
		await t.poll();
		const documentId = await t.sendForSigning('Audit refused');
		await t.sim.sign({ documentId });
		t.sim.setFault({ method: 'GET', path: '/documents/:id/audit', status: 500 });
		const options = { downloadSignedDocument: true, includeAuditTrail: true };
		const run = await t.poll({ parameters: { events: ['documentCompleted'], options } });
		expect(t.events(run)).toEqual([['documentCompleted', documentId]]);
		const [item] = run.output!;
		expect(item.binary!.data).toMatchObject({ fileName: 'Audit refused.pdf' });
		expect(item.binary!.auditTrail).toBeUndefined();
		expect(item.json.downloadError).toMatch(
			/^Circularo failed to download the audit trail \(500\)/,
		);
		t.sim.clearFaults();
		expect((await t.poll({ parameters: { events: ['*'], options } })).output).toBeNull();
	});
});

describe('Circularo Polling Trigger: many documents, keys and failures', () => {
	it('pages through 250 documents in progress and finds a change on any page', async () => {
		const ids = Array.from(
			{ length: 250 },
			(_, i) => t.sim.createDocument({ title: `Bulk ${i}`, team: 'Sales' }).documentId,
		);
		await t.poll();
		expect(Object.keys(t.staticData.o as IDataObject)).toHaveLength(251); // and doc-sales-1
		t.sim.requests.length = 0;
		expect((await t.poll()).output).toBeNull();
		// 100 per page: three pages in progress, one of recently ended documents.
		expect(t.calls()).toEqual(['POST /search', 'POST /search', 'POST /search', 'POST /search']);
		await t.sim.fire({ event: 'documentCompleted', documentId: ids[5] });
		await t.sim.fire({ event: 'signRejected', documentId: ids[120] });
		await t.sim.fire({ event: 'signCancelled', documentId: ids[249] });
		expect(t.events(await t.poll()).sort()).toEqual(
			[
				['documentCompleted', ids[5]],
				['signRejected', ids[120]],
				['signCancelled', ids[249]],
			].sort(),
		);
		expect((await t.poll()).output).toBeNull();
	});

	it("works with a plain user's API key (no webhook rights)", async () => {
		t.key = 'plainUser';
		await t.poll();
		const documentId = await t.sendForSigning('Plain user');
		await t.sim.sign({ documentId });
		expect(t.events(await t.poll())).toEqual([
			['signRequest', documentId],
			['documentSigned', documentId],
			['documentCompleted', documentId],
		]);
		expect(t.calls().some((call) => call.includes('/webhooks'))).toBe(false);
	});

	it('a document is deleted only when a second read a moment later finds it gone too', async () => {
		const documentId = await t.sendForSigning('Old contract');
		// Created long before the poll, so that no search for recently ended documents finds it.
		t.sim.documents.get(documentId).createDate = '2020-01-01T00:00:00.000Z';
		await t.poll();
		await t.sim.sign({ documentId });
		t.sim.setFault({ method: 'GET', path: '/documents/:id', status: 404, times: 1 });
		const run = await t.poll({ parameters: { events: ['*'] } });
		expect(t.events(run)).toEqual([
			['documentSigned', documentId],
			['documentCompleted', documentId],
		]);
		expect(t.calls().filter((call) => call === `GET /documents/${documentId}`)).toHaveLength(2);
	});

	it('a document the key can no longer see is dropped with a warning, no event', async () => {
		const moved = await t.sendForSigning('Moved to Legal');
		await t.poll();
		t.sim.documents.get(moved).team = 'Legal';
		const run = await t.poll();
		expect(run.output).toBeNull();
		expect(run.warnings).toEqual([
			expect.stringMatching(/1 document\(s\) in progress can no longer be seen with this API key/),
		]);
		expect(Object.keys(t.staticData.o as IDataObject)).not.toContain(moved);
		expect((await t.poll()).warnings).toEqual([]);
	});

	it('a poll that fails half-way changes nothing; the next one reports each change once', async () => {
		const first = await t.sendForSigning('First');
		const second = await t.sendForSigning('Second');
		await t.poll();
		const before = stored(t.staticData);
		await t.call('DELETE', '/documents?hardDelete=false', { documents: [{ id: first }] });
		await t.call('DELETE', '/documents?hardDelete=false', { documents: [{ id: second }] });
		t.sim.setFault({ method: 'GET', path: `/documents/${second}`, status: 503, times: 1 });
		await expect(t.poll()).rejects.toThrow();
		expect(stored(t.staticData)).toEqual(before);
		expect(t.events(await t.poll()).sort()).toEqual(
			[
				['documentDeleted', first],
				['documentDeleted', second],
			].sort(),
		);
	});

	it('a crash after poll() returned items: with the save lost they come again, with it saved never', async () => {
		await t.poll();
		const documentId = await t.sendForSigning('Crash');
		await t.sim.sign({ documentId });
		const savedBefore = stored(t.staticData);
		const emitted = await t.poll();
		expect(emitted.items).toHaveLength(3);
		// n8n saved static data (its save landed before the crash): nothing is reported again.
		const savedAfter = stored(t.staticData);
		expect((await t.poll({ staticData: stored(savedAfter) })).output).toBeNull();
		// The save was lost: the state before that poll reports the same items again, none lost.
		const again = await t.poll({ staticData: stored(savedBefore) });
		expect(again.items.map((item) => [item.event, item.documentId])).toEqual(
			emitted.items.map((item) => [item.event, item.documentId]),
		);
	});

	it('two polls overlapping in one process: the later one does nothing, each change once', async () => {
		await t.poll();
		const documentId = await t.sendForSigning('Overlap');
		await t.sim.sign({ documentId });
		const [a, b] = await Promise.all([t.poll(), t.poll()]);
		expect([a.items.length, b.items.length].sort()).toEqual([0, 3]);
		expect((await t.poll()).output).toBeNull();
	});
});

describe('Circularo Polling Trigger: Fetch Test Event (manual mode)', () => {
	it('returns the latest selected event of the newest documents, and keeps no state', async () => {
		const documentId = await t.sendForSigning('Manual');
		await t.sim.sign({ documentId });
		const run = await t.poll({ mode: 'manual', parameters: { events: ['documentCompleted'] } });
		expect(t.events(run)).toEqual([['documentCompleted', documentId]]);
		expect(t.staticData).toEqual({});
	});

	it('says clearly when there is none', async () => {
		await expect(
			t.poll({ mode: 'manual', parameters: { events: ['documentDeleted'] } }),
		).rejects.toThrow(
			'No Circularo document the API key can see has one of the selected events yet',
		);
	});
});
