/**
 * Sign Request > Send and Wait for Signature: shares the document as Create does, registers a
 * Circularo webhook that delivers to this execution's resume URL, and waits until the sign request
 * ends (waitForSignature/resume.ts resumes it) or the wait limit passes (n8n resumes it and runs no node
 * code). Only the first input item is used, as n8n's own waiting operations do.
 *
 * The operation value is not `sendAndWait`: n8n turns a node with that value into an approval
 * gate for AI agents expecting `approved: true|false`, which a signature is not.
 */
import {
	NodeOperationError,
	sleep,
	updateDisplayOptions,
	type INode,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type IWebhookDescription,
} from 'n8n-workflow';

import type { CircularoClient } from '../../circularo/client';
import {
	maxFileSizeOption,
	wantedFiles,
	type DownloadOptions,
} from '../../circularo/documentFiles';
import { createWebhook, listWebhooks } from '../../circularo/endpoints/webhooks';
import { statusOf } from '../../circularo/errors';
import { readDocument } from '../../webhooks/stateCheck';
import {
	unreachableCallbackReason,
	webhookRequestFor,
	WEBHOOK_URL_HINT,
	type ScopeOption,
} from '../../webhooks/registrationRequest';
import { auditTrailFieldOption } from '../document/download';
import { badInput, checkFileFields } from '../common/inputChecks';
import { readShareRequest, sendShare, shareProperties } from './create';
import { removeLeftoverWaits, removeWaitRegistration } from './waitForSignature/cleanup';
import { MINIMUM_N8N_VERSION, resumesOnEveryOutput } from './waitForSignature/n8nVersion';
import {
	endingItem,
	endingOutputs,
	outcomeOfState,
	OUTPUT_NAMES,
} from './waitForSignature/outcome';
import {
	waitCallbackUrl,
	waitDeadline,
	waitSigningSecret,
	type WaitLimit,
} from './waitForSignature/registration';

export const SEND_AND_WAIT_FOR_SIGNATURE = 'sendAndWaitForSignature';

/** The pause before reading a document again that answered 404 right after it was shared. */
const GONE_RECHECK_MS = 1000;

/**
 * The waiting webhook n8n routes `/webhook-waiting/<executionId>/<nodeId>` to. A const, as n8n's
 * own waiting nodes declare it: registered only while an execution waits, never on publish.
 */
export const SIGNATURE_WAIT_WEBHOOKS: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		responseData: '',
		path: '={{ $nodeId }}',
		restartWebhook: true,
		isFullPath: true,
	},
];

/** The node's outputs: two for this operation, one for every other. */
export const NODE_OUTPUTS: `={{${string}}}` = `={{ $parameter.operation === "${SEND_AND_WAIT_FOR_SIGNATURE}" ? ${JSON.stringify(
	OUTPUT_NAMES.map((displayName) => ({ type: 'main', displayName })),
)} : ["main"] }}`;

export const WAITING_TOOLTIP =
	'Waiting until the document is completed, rejected, expired, cancelled or deleted in Circularo, or until the wait limit';

interface SendAndWaitOptions extends DownloadOptions {
	limitWaitTime?: { values?: WaitLimit };
	webhookScope?: ScopeOption;
}

const waitLimitValues: INodeProperties[] = [
	{
		displayName: 'Limit Type',
		name: 'limitType',
		type: 'options',
		default: 'afterTimeInterval',
		description: 'Whether the wait ends after an interval or at a date and time',
		options: [
			{
				name: 'After Time Interval',
				value: 'afterTimeInterval',
				description: 'Waits at most this long',
			},
			{
				name: 'At Specified Time',
				value: 'atSpecifiedTime',
				description: 'Waits until this date and time at the latest',
			},
		],
	},
	{
		displayName: 'Amount',
		name: 'resumeAmount',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 7,
		description: 'How long to wait at most',
		displayOptions: { show: { limitType: ['afterTimeInterval'] } },
	},
	{
		displayName: 'Unit',
		name: 'resumeUnit',
		type: 'options',
		default: 'days',
		description: 'Unit of the amount',
		options: [
			{ name: 'Minutes', value: 'minutes' },
			{ name: 'Hours', value: 'hours' },
			{ name: 'Days', value: 'days' },
		],
		displayOptions: { show: { limitType: ['afterTimeInterval'] } },
	},
	{
		displayName: 'Max Date and Time',
		name: 'maxDateAndTime',
		type: 'dateTime',
		default: '',
		description: 'When the wait ends at the latest',
		displayOptions: { show: { limitType: ['atSpecifiedTime'] } },
	},
];

const properties: INodeProperties[] = [
	{
		displayName:
			'The workflow waits here until the sign request ends. A completed document leaves by the Completed output; rejected, expired, cancelled or deleted ones leave by Not Completed, with their "outcome". At the wait limit n8n passes this node\'s input on by Not Completed unchanged: an item there without "outcome" is a timeout. Only the first input item is used.',
		name: 'sendAndWaitNotice',
		type: 'notice',
		default: '',
	},
	...shareProperties,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		description:
			'The PDFs to attach when the document is completed, the wait limit and the webhook scope',
		options: [
			{
				displayName: 'Attach Audit Trail',
				name: 'includeAuditTrail',
				type: 'boolean',
				default: false,
				description:
					'Whether to attach the audit trail PDF (the Certificate of Fulfilment) when the document is completed',
			},
			{
				displayName: 'Attach Signed PDF',
				name: 'downloadSignedDocument',
				type: 'boolean',
				default: false,
				description: 'Whether to attach the signed PDF when the document is completed',
			},
			{
				displayName: 'Limit Wait Time',
				name: 'limitWaitTime',
				type: 'fixedCollection',
				default: {
					values: { limitType: 'afterTimeInterval', resumeAmount: 7, resumeUnit: 'days' },
				},
				description:
					'Whether to stop waiting after a while. The input then goes on by Not Completed. Without a limit the node waits until the sign request ends.',
				options: [{ displayName: 'Values', name: 'values', values: waitLimitValues }],
			},
			maxFileSizeOption,
			auditTrailFieldOption,
			{
				displayName: 'Put Signed PDF in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description: 'Name of the binary field the signed PDF is put in',
				displayOptions: { show: { downloadSignedDocument: [true] } },
			},
			{
				displayName: 'Webhook Scope',
				name: 'webhookScope',
				type: 'options',
				default: 'myTeam',
				description:
					"Which events the temporary webhook receives: those of the API key's team, or (for a global admin's key) of the whole tenant",
				options: [
					{ name: 'My Team', value: 'myTeam' },
					{ name: 'Whole Tenant (Global Admin)', value: 'tenant' },
				],
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['signRequest'], operation: [SEND_AND_WAIT_FOR_SIGNATURE] } },
	properties,
);

/** A failed call's error, its fix (the description) told as this operation tells it. */
function failureSaying(node: INode, error: unknown, tell: (fix: string) => string | undefined) {
	const { message, description } = error as NodeOperationError;
	return new NodeOperationError(node, message, { description: tell(description ?? '') });
}

/** The options, after refusing what cannot work. */
function checkedOptions(context: IExecuteFunctions, now: Date) {
	const options = context.getNodeParameter('options', 0, {}) as SendAndWaitOptions;
	const until = waitDeadline(options.limitWaitTime?.values, now);
	if (typeof until === 'string')
		throw badInput(context, 0, until, 'Set "Limit Wait Time" in the options to a future time.');
	checkFileFields(context, 0, wantedFiles(options), 'Put Signed PDF in Field');
	return { until, options, scope: options.webhookScope ?? 'myTeam' };
}

export async function execute(
	this: IExecuteFunctions,
	client: CircularoClient,
): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	if (node.type.endsWith('Tool')) {
		throw new NodeOperationError(node, 'Send and Wait for Signature cannot run as an AI tool', {
			description:
				"A waiting tool call would hand the agent its own input at once instead of the signature's outcome. Give the agent Sign Request > Create and Document > Get instead, or run Send and Wait for Signature in the workflow.",
		});
	}
	if (!resumesOnEveryOutput()) {
		throw new NodeOperationError(
			node,
			`Send and Wait for Signature needs n8n ${MINIMUM_N8N_VERSION} or later`,
			{
				description: `This n8n passes on only the first output of a node that resumes from a wait, so a completed document would be lost. Update n8n to ${MINIMUM_N8N_VERSION} or later, or send with Sign Request > Create and follow the document with the Circularo Trigger. Nothing was shared.`,
			},
		);
	}
	const now = new Date();
	const request = readShareRequest(this, 0);
	const { until, options, scope } = checkedOptions(this, now);
	const { documentId } = request;
	const executionId = this.getExecutionId();
	const resumeUrl = String(this.getWorkflowDataProxy(0).$execution.resumeUrl);
	const callbackUrl = waitCallbackUrl(resumeUrl, node.id, { documentId, until, since: now });
	const credentials = await client.credentials();
	const unreachable = unreachableCallbackReason(callbackUrl, credentials.serverUrl);
	if (unreachable)
		throw new NodeOperationError(node, `Circularo cannot deliver to this n8n: ${unreachable}`, {
			description: `${WEBHOOK_URL_HINT} Nothing was shared.`,
		});

	// Listing webhooks needs the rights registering needs: checked before anything is shared.
	const webhooks = await listWebhooks(client).catch((error: unknown) => {
		const why =
			statusOf(error) === 403 ? 'Send and Wait for Signature registers a Circularo webhook. ' : '';
		throw failureSaying(node, error, (fix) => `${why}${fix} Nothing was shared.`);
	});

	const shared = await sendShare(client, request);
	const secret = waitSigningSecret(credentials, executionId, node.id, documentId);
	const wanted = webhookRequestFor(scope, '', callbackUrl, secret);
	const registration = await createWebhook(client, wanted).catch((error: unknown) => {
		const sent = `The sign request was sent (share IDs: ${shared.shareIds.join(', ')})`;
		throw failureSaying(node, error, (fix) =>
			`${fix} ${sent} but the workflow cannot wait for it: follow it with the Circularo Trigger or cancel it.`.trim(),
		);
	});

	// A sign request that ended before Circularo knew where to deliver (or before n8n saved the
	// execution as waiting, when it answers a delivery 409) is caught here: no wait at all. A
	// document just shared that is now gone has been deleted since, but one 404 (a proxy, an index
	// that lags) is not believed: only a second one a moment later ends the wait as deleted.
	let read = await readDocument(client, documentId);
	let gone = false;
	if (read.kind === 'gone') {
		await sleep(GONE_RECHECK_MS);
		read = await readDocument(client, documentId);
		gone = read.kind === 'gone';
		// A failure of this second read is no confirmation either way: the execution waits.
		if (read.kind === 'failed') read = { kind: 'gone' };
	}
	if (read.kind === 'failed') {
		await removeWaitRegistration(this, client, registration.id);
		throw failureSaying(node, read.error, (fix) => fix || undefined);
	}
	const record = read.kind === 'document' ? read.document : undefined;
	const outcome = record ? outcomeOfState(record) : gone ? 'deleted' : undefined;
	// After the share, so that it never waits behind them.
	await removeLeftoverWaits(this, client, webhooks, { resumeUrl, credentials }, now);
	if (outcome) {
		await removeWaitRegistration(this, client, registration.id);
		const item = await endingItem(
			this,
			client,
			{ documentId, outcome, actor: null, at: null, record },
			options,
		);
		return endingOutputs({ ...item, pairedItem: { item: 0 } });
	}
	this.getWorkflowDataProxy(0).$execution.customData.set('circularoWaitsForDocument', documentId);
	await this.putExecutionToWait(until);
	return [this.getInputData()];
}
