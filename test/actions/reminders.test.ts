/**
 * Reminders: Sign Request > Send Reminder and the "Automatic Reminders" option of Create, against
 * the simulator over HTTP, with Circularo's two refusals explained in plain words and the
 * refusals the node can make before any call.
 */
import type { INodeParameters } from 'n8n-workflow';

import { useSimulator } from './harness';

const t = useSimulator();

/** A new document of the Sales team shared with `recipient`s by the Sales team admin. */
async function shared(recipient: INodeParameters[], extra: INodeParameters = {}) {
	const document = t.sim.createDocument({
		title: 'Remind me',
		team: 'Sales',
		shareStateName: null,
	});
	const [item] = await t.run({
		resource: 'signRequest',
		operation: 'create',
		documentId: document.documentId,
		recipients: { recipient },
		...extra,
	});
	t.sim.requests.length = 0;
	return { documentId: document.documentId, item, shareIds: item.json.shareIds as string[] };
}

const remindDocument = (documentId: string) => ({
	resource: 'signRequest',
	operation: 'sendReminder',
	documentId,
});

describe('Sign Request > Send Reminder', () => {
	it('reminds everyone who still has to act, once; the second the same day is explained', async () => {
		const { documentId, shareIds } = await shared([{ shareTo: 'a@example.com' }]);
		const [item] = await t.run(remindDocument(documentId));
		expect(t.requests()).toEqual([
			{ method: 'GET', path: `/documents/${documentId}`, query: {}, status: 200 },
			{ method: 'POST', path: '/share/remind', query: {}, status: 200, body: { documentId } },
		]);
		expect(item.json).toMatchObject({ documentId, reminded: true, remindedShareIds: shareIds });

		const error = await t.failure(remindDocument(documentId));
		expect(error.message).toBe('Circularo did not accept the request to send the reminder (400)');
		expect(error.description).toMatch(
			/^Circularo sends at most one reminder per share per day, and this recipient was already reminded today\. Try again tomorrow\./,
		);
	});

	it('reminds given shares, and explains a share that no longer needs action', async () => {
		const { shareIds } = await shared([
			{ shareTo: 'a@example.com' },
			{ shareTo: 'b@example.com', purpose: 'view' },
		]);
		const [item] = await t.run({
			resource: 'signRequest',
			operation: 'sendReminder',
			remindTarget: 'shares',
			shareIds: `${shareIds[0]}, ${shareIds[0]}`,
		});
		expect(t.requests()[0]).toMatchObject({
			method: 'POST',
			path: '/share/remind',
			body: { shareIds: [shareIds[0]] },
		});
		expect(item.json.remindedShareIds).toEqual([shareIds[0]]);

		const error = await t.failure({
			resource: 'signRequest',
			operation: 'sendReminder',
			remindTarget: 'shares',
			shareIds: shareIds[1],
		});
		expect(error.description).toMatch(
			/^The recipient no longer has anything to do \(already signed, rejected, cancelled or only asked to view\)/,
		);
	});

	it('refuses, before the reminder call, a document that waits for nobody', async () => {
		const { documentId } = await shared([{ shareTo: 'a@example.com' }]);
		t.sim.sign({ documentId });
		const error = await t.failure(remindDocument(documentId));
		expect(error.message).toBe(
			`Document "${documentId}" waits for nobody (status: completed), so there is nobody to remind`,
		);
		expect(t.requests().map((r) => r.path)).toEqual([`/documents/${documentId}`]);
	});

	it('refuses, before any call, a second reminder of the same share in one execution', async () => {
		const { shareIds } = await shared([{ shareTo: 'a@example.com' }]);
		const parameters = {
			resource: 'signRequest',
			operation: 'sendReminder',
			remindTarget: 'shares',
			shareIds: shareIds[0],
		};
		const output = await t.run(parameters, {
			items: [{ json: {} }, { json: {} }],
			continueOnFail: true,
		});
		expect(output[0].json.reminded).toBe(true);
		expect(output[1].json.error).toBe(`"Share IDs": share "${shareIds[0]}" was reminded already`);
		expect(t.requests()).toHaveLength(1);
	});

	it('refuses empty Share IDs before any call', async () => {
		const error = await t.failure({
			resource: 'signRequest',
			operation: 'sendReminder',
			remindTarget: 'shares',
			shareIds: '',
		});
		expect(error.message).toBe('"Share IDs" is empty');
		expect(t.requests()).toEqual([]);
	});
});

describe('"Automatic Reminders" of Sign Request > Create', () => {
	it('sends start and interval for every recipient who acts, not for viewers', async () => {
		const before = Date.now();
		await shared([{ shareTo: 'a@example.com' }, { shareTo: 'b@example.com', purpose: 'view' }], {
			automaticReminders: { settings: { firstAfterDays: 1, intervalDays: 3 } },
		});
		const stored = [...t.sim.shares.values()].filter(
			(s: any) => s.shareDate >= new Date(before).toISOString(),
		);
		const reminder = stored.find((s: any) => s.shareTo === 'a@example.com').automaticReminder;
		expect(reminder.intervalDays).toBe(3);
		const start = Date.parse(reminder.start);
		expect(start - before).toBeGreaterThanOrEqual(24 * 3600 * 1000 - 1000);
		expect(start - before).toBeLessThan(24 * 3600 * 1000 + 60_000);
		expect(stored.find((s: any) => s.shareTo === 'b@example.com').automaticReminder).toBeNull();
	});

	it('reminds only the recipients named in "Only For"', async () => {
		const { item } = await shared([{ shareTo: 'a@example.com' }, { shareTo: 'b@example.com' }], {
			automaticReminders: { settings: { onlyFor: 'B@example.com' } },
		});
		const shares = item.json.shares as Array<Record<string, any>>;
		expect(shares.map((s) => s.automaticReminder?.intervalDays ?? null)).toEqual([null, 2]);
	});

	it('refuses, before any call, a broken interval and a name that is not a recipient who acts', async () => {
		const document = t.sim.createDocument({ title: 'Bad', team: 'Sales', shareStateName: null });
		const base = {
			resource: 'signRequest',
			operation: 'create',
			documentId: document.documentId,
			recipients: {
				recipient: [{ shareTo: 'a@example.com' }, { shareTo: 'v@example.com', purpose: 'view' }],
			},
		};
		const interval = await t.failure({
			...base,
			automaticReminders: { settings: { intervalDays: 0 } },
		});
		expect(interval.message).toBe('"Repeat Every (Days)" must be a whole number of at least 1');
		const viewer = await t.failure({
			...base,
			automaticReminders: { settings: { onlyFor: 'v@example.com' } },
		});
		expect(viewer.message).toBe(
			'"Only For" of "Automatic Reminders" names "v@example.com", who is not a recipient with something to do',
		);
		expect(t.requests()).toEqual([]);
	});
});
