import type { INodeProperties } from 'n8n-workflow';

import { CircularoTrigger } from '../../nodes/Circularo/CircularoTrigger.node';
import { CircularoPollingTrigger } from '../../nodes/Circularo/CircularoPollingTrigger.node';

const polling = new CircularoPollingTrigger().description;
const webhook = new CircularoTrigger().description;

const property = (properties: INodeProperties[], name: string) =>
	properties.find((p) => p.name === name)!;
const optionValues = (p: INodeProperties) =>
	(p.options as Array<{ value?: unknown; name: string }>).map((o) => o.value ?? o.name);

describe('Circularo Polling Trigger description', () => {
	it('is a polling trigger next to the Circularo Trigger, with the same credential', () => {
		expect(polling).toMatchObject({
			displayName: 'Circularo Polling Trigger',
			name: 'circularoPollingTrigger',
			polling: true,
			group: ['trigger'],
			inputs: [],
			credentials: [{ name: 'circularoApi', required: true }],
		});
	});

	it("offers the webhook trigger's events and options where they apply, by the same names", () => {
		const events = optionValues(property(polling.properties, 'events'));
		expect(events.sort()).toEqual(
			[
				'*',
				'documentCompleted',
				'documentDeleted',
				'documentSigned',
				'signCancelled',
				'signExpired',
				'signRejected',
				'signRequest',
			].sort(),
		);
		expect(optionValues(property(webhook.properties, 'events'))).toEqual(
			expect.arrayContaining(events),
		);
		const options = (property(polling.properties, 'options').options as INodeProperties[]).map(
			(o) => o.name,
		);
		expect(options).toEqual([
			'downloadSignedDocument',
			'binaryPropertyName',
			'includeAuditTrail',
			'maxFileSize',
		]);
		const webhookOptions = property(webhook.properties, 'options').options as INodeProperties[];
		for (const name of options)
			expect(property(polling.properties, 'options').options).toContainEqual(
				webhookOptions.find((o) => o.name === name),
			);
	});

	it('the Circularo Trigger has one notice, which says missed deliveries are not repeated and names the polling trigger', () => {
		const notices = webhook.properties.filter((p) => p.type === 'notice');
		expect(notices).toHaveLength(1);
		expect(notices[0].displayName).toMatch(/not sent again/);
		expect(notices[0].displayName).toMatch(/Circularo Polling Trigger/);
	});
});
