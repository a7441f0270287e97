import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { eventFileOptions } from './circularo/documentFiles';
import { ALL_EVENTS, eventOptions, eventsSubtitle } from './events';
import { POLLED_EVENTS } from './pollingTrigger/items';
import { runPoll } from './pollingTrigger/run';

const EVENT_OPTIONS = eventOptions(POLLED_EVENTS);
const SUBTITLE = eventsSubtitle(EVENT_OPTIONS);

export class CircularoPollingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Circularo Polling Trigger',
		name: 'circularoPollingTrigger',
		icon: { light: 'file:circularo.svg', dark: 'file:circularo.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: SUBTITLE,
		description:
			'Checks Circularo on a schedule and starts the workflow for documents sent for signing, signed, completed, rejected, expired, cancelled or deleted since the last check',
		defaults: {
			name: 'Circularo Polling Trigger',
		},
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'circularoApi',
				required: true,
			},
		],
		properties: [
			{
				displayName:
					"Reports each document once per sign request ending, including what happened while n8n was stopped, at the first check after it starts. Works with any user's API key and needs no webhook; the first check after publishing only records what is in progress.",
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: [],
				description: 'The Circularo events that start the workflow',
				options: [
					{
						name: 'All Events',
						value: ALL_EVENTS,
						description: 'Every event listed here',
					},
					...EVENT_OPTIONS,
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [...eventFileOptions],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await runPoll(this);
	}
}
