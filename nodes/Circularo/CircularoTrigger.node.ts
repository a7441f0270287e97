import {
	NodeConnectionTypes,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { eventFileOptions } from './circularo/documentFiles';
import { ALL_EVENTS, EVENT_OPTIONS, eventsSubtitle } from './events';
import { receiveDelivery } from './trigger/delivery';
import { checkExists, create, unregister } from './trigger/lifecycle';

const SUBTITLE = eventsSubtitle(EVENT_OPTIONS);

export class CircularoTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Circularo Trigger',
		name: 'circularoTrigger',
		icon: { light: 'file:circularo.svg', dark: 'file:circularo.dark.svg' },
		group: ['trigger'],
		// 1.1 behaves exactly like 1. n8n 2.x evaluates an expression for every delivery to a
		// version-1 webhook node (parseRequestBody reads the old Webhook node's binaryData option
		// when typeVersion === 1), which costs an expression isolate per delivery; from 1.1 on it
		// does not. Workflows saved with version 1 keep working.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: SUBTITLE,
		description:
			'Starts the workflow when a Circularo document is created, sent for signing, signed, completed or rejected',
		defaults: {
			name: 'Circularo Trigger',
		},
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'circularoApi',
				required: true,
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		triggerPanel: {
			header: 'Waiting for a Circularo event',
			executionsHelp: {
				inactive:
					"<b>While building your workflow</b>, click 'Listen for test event', then create, sign or complete a document in Circularo (or fire one from the Circularo simulator). The node registers a temporary webhook and removes it when it stops listening.<br /><br /><b>Once you're happy with your workflow</b>, publish it: the node registers a permanent webhook with Circularo and every selected event starts the workflow.",
				active:
					"<b>While building your workflow</b>, click 'Listen for test event', then create, sign or complete a document in Circularo. The node registers a temporary webhook and removes it when it stops listening.<br /><br /><b>Your workflow is published</b> and runs for every selected Circularo event. Executions show up in the executions list.",
			},
			activationHint:
				"Once you've finished building your workflow, publish it to receive Circularo events continuously.",
		},
		properties: [
			{
				displayName:
					'Circularo must be able to reach this n8n over the internet, and your Circularo tenant must have webhooks enabled by Circularo support. Circularo sends each event once: events while n8n is stopped or unreachable are not sent again. For workflows that must not miss one, use the Circularo Polling Trigger.',
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
				description:
					'The Circularo events that start the workflow. Other events are acknowledged and ignored.',
				options: [
					{
						name: 'All Events',
						value: ALL_EVENTS,
						description: 'Every event, including unrecognised ones',
					},
					...EVENT_OPTIONS,
				],
			},
			{
				displayName: 'Scope',
				name: 'scope',
				type: 'options',
				default: 'myTeam',
				description: 'Whose documents the webhook covers',
				options: [
					{
						name: 'My Team',
						value: 'myTeam',
						description:
							'Documents of the team of the user who owns the API key (team admin or global admin)',
					},
					{
						name: 'Whole Tenant',
						value: 'tenant',
						description: 'Every document in the tenant (needs a global admin API key)',
					},
					{
						name: 'Named Team',
						value: 'namedTeam',
						description:
							"Refused: that team's admins could read the webhook's secret and announce any document of the tenant. Use a key of that team's admin with My Team.",
					},
				],
			},
			{
				displayName: 'Team Name',
				name: 'teamName',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'Sales',
				description: 'The name of the Circularo team whose documents start the workflow',
				displayOptions: {
					show: {
						scope: ['namedTeam'],
					},
				},
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					...eventFileOptions,
					{
						displayName: 'Include Request Headers',
						name: 'includeHeaders',
						type: 'boolean',
						default: false,
						description:
							'Whether to add how the delivery was sent to the output item: the content type, length and encoding, the user agent and the proxy headers (X-Forwarded-*, Forwarded, X-Real-IP, X-Request-ID). Other headers, which may carry credentials, are left out.',
					},
				],
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await checkExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await create.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await unregister.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDelivery(this);
	}
}
