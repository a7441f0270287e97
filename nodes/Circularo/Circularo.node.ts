import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import * as document from './actions/document';
import * as documentType from './actions/documentType';
import { searchDocumentTypes } from './actions/listSearch';
import { router } from './actions/router';
import * as signRequest from './actions/signRequest';
import {
	NODE_OUTPUTS,
	SIGNATURE_WAIT_WEBHOOKS,
	WAITING_TOOLTIP,
} from './actions/signRequest/sendAndWaitForSignature';
import { receiveSignatureDelivery } from './actions/signRequest/waitForSignature/resume';
import { operationSubtitle } from './actions/common/subtitle';
import * as template from './actions/template';
import { searchTemplates } from './actions/template/templateSearch';
import * as webhook from './actions/webhook';

const resource: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	default: 'document',
	options: [
		{ name: 'Document', value: 'document' },
		{ name: 'Document Type', value: 'documentType' },
		{ name: 'Sign Request', value: 'signRequest' },
		{ name: 'Template', value: 'template' },
		{ name: 'Webhook', value: 'webhook' },
	],
};

const operations: INodeProperties[] = [
	...document.description,
	...documentType.description,
	...signRequest.description,
	...template.description,
	...webhook.description,
];

export class Circularo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Circularo',
		name: 'circularo',
		icon: { light: 'file:circularoAction.svg', dark: 'file:circularoAction.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: operationSubtitle(resource, operations),
		description:
			'Create documents in Circularo, send them for signature, follow, download and delete them',
		defaults: {
			name: 'Circularo',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		// Two outputs for Send and Wait for Signature (Not Completed, Completed), one otherwise.
		outputs: NODE_OUTPUTS,
		webhooks: SIGNATURE_WAIT_WEBHOOKS,
		waitingNodeTooltip: WAITING_TOOLTIP,
		credentials: [
			{
				name: 'circularoApi',
				required: true,
			},
		],
		properties: [resource, ...operations],
	};

	methods = {
		listSearch: { searchDocumentTypes, searchTemplates },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}

	/** Deliveries to an execution waiting in Send and Wait for Signature. */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveSignatureDelivery(this);
	}
}
