import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IBinaryKeyData,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
	type JsonObject,
} from 'n8n-workflow';

import { describeApiFailure, readFailedRequest } from './transport/errors';
import { apiRootUrl, circularoApiRequest, circularoDownload, CREDENTIAL_TYPE, pdfFileName } from './transport/request';
import { toTriggerItem } from './trigger/payload';
import {
	unreachableCallbackReason,
	webhookRequestFor,
	isSameTarget,
	WEBHOOK_URL_HINT,
	type ScopeOption,
} from './trigger/registration';
import { forgetRegisteredSecret, registeredSecrets, rememberRegisteredSecret } from './trigger/registeredSecrets';
import { generateSigningSecret, isValidSignature, SIGNATURE_HEADER } from './trigger/signature';
import {
	EVENTS_WITH_SIGNED_DOCUMENT,
	type CircularoDocumentList,
	type CircularoEventName,
	type CircularoTriggerItem,
	type CircularoWebhook,
	type CircularoWebhookList,
} from './types';

interface CircularoCredentials {
	serverUrl: string;
	apiKey: string;
	webhookSecret?: string;
}

/** What the trigger keeps between activation and deliveries (n8n stores it with the workflow). */
interface RegistrationData extends IDataObject {
	webhookId?: string;
	/** Only for secrets the node generated; a secret set in the credential stays there. */
	webhookSecret?: string;
}

interface TriggerOptions {
	downloadSignedDocument?: boolean;
	binaryPropertyName?: string;
	includeAuditTrail?: boolean;
	includeHeaders?: boolean;
}

const ALL_EVENTS = '*';
const AUDIT_TRAIL_PROPERTY = 'auditTrail';

const EVENT_OPTIONS: Array<{ name: string; value: CircularoEventName; description: string }> = [
	{ name: 'Document Completed', value: 'documentCompleted', description: 'All required signatures are collected' },
	{ name: 'Document Created', value: 'documentCreated', description: 'A document is created' },
	{ name: 'Document Deleted', value: 'documentDeleted', description: 'A document is deleted' },
	{ name: 'Document Edited', value: 'documentEdited', description: 'A document is edited' },
	{ name: 'Document Signed', value: 'documentSigned', description: 'A user signs a document' },
	{ name: 'Simple Action Executed', value: 'documentSimpleActionExecuted', description: 'An approve, review or accept action is executed' },
	{ name: 'Sign Request Cancelled', value: 'signCancelled', description: 'A sign request is cancelled' },
	{ name: 'Sign Request Created', value: 'signRequest', description: 'A document is shared for signing' },
	{ name: 'Sign Request Delegated', value: 'signDelegated', description: 'A sign request is delegated to someone else' },
	{ name: 'Sign Request Expired', value: 'signExpired', description: 'A sign request expires' },
	{ name: 'Sign Request Rejected', value: 'signRejected', description: 'A recipient rejects the sign request' },
];

async function credentialsOf(context: IHookFunctions | IWebhookFunctions): Promise<CircularoCredentials> {
	return await context.getCredentials<CircularoCredentials>(CREDENTIAL_TYPE);
}

/** Which workflow and node a context belongs to: the key of the secrets this process registered. */
function triggerOf(context: IHookFunctions | IWebhookFunctions): [workflowId: string, nodeId: string] {
	return [context.getWorkflow().id ?? '', context.getNode().id];
}

function apiError(
	context: IHookFunctions | IWebhookFunctions,
	action: string,
	error: unknown,
	serverUrl: string,
): NodeApiError {
	const failure = describeApiFailure(action, readFailedRequest(error), apiRootUrl(serverUrl));
	// n8n shows only the message when activation fails, so the fix goes into it too.
	const message = `${failure.message}. ${failure.description}`;
	// Built from the description only: the original error carries the request, and with it the token.
	return new NodeApiError(context.getNode(), { message } as JsonObject, { ...failure, message });
}

async function listWebhooks(this: IHookFunctions, serverUrl: string): Promise<CircularoWebhook[]> {
	try {
		const list = await circularoApiRequest.call<IHookFunctions, ['GET', string], Promise<CircularoWebhookList>>(
			this,
			'GET',
			'/webhooks',
		);
		return Array.isArray(list?.results) ? list.results : [];
	} catch (error) {
		throw apiError(this, 'list webhooks', error, serverUrl);
	}
}

/**
 * Deletes the stored registration and any other remote webhook pointing at this node's URL (left
 * over by a failed call or an old secret). A 404 means already gone. Throws the first failure after
 * trying them all.
 */
async function removeRegistrations(
	this: IHookFunctions,
	storedId: string | undefined,
	callbackUrl: string,
	serverUrl: string,
): Promise<void> {
	const ids = new Set<string>(storedId ? [storedId] : []);
	let firstFailure: NodeApiError | undefined;
	try {
		for (const webhook of await listWebhooks.call(this, serverUrl)) {
			if (webhook.callbackUrl === callbackUrl) ids.add(webhook.id);
		}
	} catch (error) {
		firstFailure = error as NodeApiError;
	}
	for (const id of ids) {
		try {
			await circularoApiRequest.call(this, 'DELETE', `/webhooks/${encodeURIComponent(id)}`);
		} catch (error) {
			if (readFailedRequest(error).status !== 404) {
				firstFailure ??= apiError(this, 'remove the webhook', error, serverUrl);
			}
		}
	}
	if (firstFailure) throw firstFailure;
}

function wantedRegistration(context: IHookFunctions, hmacSecret: string) {
	return webhookRequestFor(
		context.getNodeParameter('scope') as ScopeOption,
		context.getNodeParameter('teamName', '') as string,
		context.getNodeWebhookUrl('default') as string,
		hmacSecret,
	);
}

async function downloadDocuments(
	context: IWebhookFunctions,
	item: CircularoTriggerItem,
	options: TriggerOptions,
	serverUrl: string,
): Promise<IBinaryKeyData> {
	const binary: IBinaryKeyData = {};
	const documentId = item.documentId;
	const wantsSigned =
		options.downloadSignedDocument === true &&
		EVENTS_WITH_SIGNED_DOCUMENT.includes(item.event as CircularoEventName);
	const wantsAudit = options.includeAuditTrail === true && item.event !== 'documentDeleted';
	if (!wantsSigned && !wantsAudit) return binary;
	if (!documentId) {
		item.downloadError = 'The delivery carries no document id, so no file could be downloaded';
		return binary;
	}
	const path = `/documents/${encodeURIComponent(documentId)}`;
	const errors: string[] = [];
	if (wantsSigned) {
		try {
			const found = await circularoApiRequest.call<IWebhookFunctions, ['GET', string], Promise<CircularoDocumentList>>(
				context,
				'GET',
				path,
			);
			const document = found?.results?.[0];
			const hash = document?.pdfFile?.content;
			if (!hash) throw new NodeOperationError(context.getNode(), 'Circularo returned no PDF for this document');
			const bytes = await circularoDownload.call(context, `/files/loadFile/hash/${encodeURIComponent(hash)}`);
			const title = document.documentTitle ?? item.documentTitle ?? documentId;
			binary[options.binaryPropertyName || 'data'] = await context.helpers.prepareBinaryData(
				bytes,
				pdfFileName(title),
				'application/pdf',
			);
		} catch (error) {
			errors.push(downloadFailure(error, 'the signed document', serverUrl));
		}
	}
	if (wantsAudit) {
		try {
			const bytes = await circularoDownload.call(context, `${path}/audit`);
			binary[AUDIT_TRAIL_PROPERTY] = await context.helpers.prepareBinaryData(
				bytes,
				pdfFileName(`${item.documentTitle ?? documentId} audit trail`),
				'application/pdf',
			);
		} catch (error) {
			errors.push(downloadFailure(error, 'the audit trail', serverUrl));
		}
	}
	if (errors.length > 0) item.downloadError = errors.join('; ');
	return binary;
}

function downloadFailure(error: unknown, what: string, serverUrl: string): string {
	if (error instanceof NodeOperationError) return `Could not download ${what}: ${error.message}`;
	const failure = describeApiFailure(`download ${what}`, readFailedRequest(error), apiRootUrl(serverUrl));
	return `${failure.message}. ${failure.description}`;
}

// Headers that authenticate the caller to n8n say nothing about the event.
const HIDDEN_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

function visibleHeaders(headers: IDataObject): IDataObject {
	const visible: IDataObject = {};
	for (const [name, value] of Object.entries(headers)) {
		if (!HIDDEN_HEADERS.has(name.toLowerCase())) visible[name] = value;
	}
	return visible;
}

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
		subtitle: '={{($parameter["events"] || []).includes("*") ? "All events" : ($parameter["events"] || []).join(", ")}}',
		description: 'Starts the workflow when a Circularo document is created, sent for signing, signed, completed or rejected',
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
					'Circularo must be able to reach this n8n over the internet, and your Circularo tenant must have webhooks enabled by Circularo support.',
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
				description: 'The Circularo events that start the workflow. Other events are acknowledged and ignored.',
				options: [{ name: 'All Events', value: ALL_EVENTS, description: 'Every event, including unrecognised ones' }, ...EVENT_OPTIONS],
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
						description: 'Documents of the team of the user who owns the API key (team admin or global admin)',
					},
					{
						name: 'Whole Tenant',
						value: 'tenant',
						description: 'Every document in the tenant (needs a global admin API key)',
					},
					{
						name: 'Named Team',
						value: 'namedTeam',
						description: 'Documents of one team, chosen by name (needs a global admin API key)',
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
					{
						displayName: 'Download Signed Document',
						name: 'downloadSignedDocument',
						type: 'boolean',
						default: false,
						description:
							'Whether to download the signed PDF and attach it as binary data (for Document Completed and Document Signed events)',
					},
					{
						displayName: 'Put Output File in Field',
						name: 'binaryPropertyName',
						type: 'string',
						default: 'data',
						hint: 'The name of the output binary field to put the signed PDF in',
						description: 'Used with Download Signed Document',
					},
					{
						displayName: 'Include Audit Trail',
						name: 'includeAuditTrail',
						type: 'boolean',
						default: false,
						description:
							'Whether to download the audit-trail PDF of the document and attach it as binary field "auditTrail"',
					},
					{
						displayName: 'Include Request Headers',
						name: 'includeHeaders',
						type: 'boolean',
						default: false,
						description: 'Whether to add the HTTP headers of the delivery to the output item',
					},
				],
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const registration = this.getWorkflowStaticData('node') as RegistrationData;
				const credentials = await credentialsOf(this);
				const expectedSecret = credentials.webhookSecret || registration.webhookSecret;
				const wanted = wantedRegistration(this, expectedSecret ?? '');
				const remote = await listWebhooks.call(this, credentials.serverUrl);

				const stored = remote.find((webhook) => webhook.id === registration.webhookId);
				// Circularo echoes the secret; where it does not, the stored id is trusted.
				if (
					stored &&
					isSameTarget(stored, wanted) &&
					(stored.hmacSecret === undefined || stored.hmacSecret === expectedSecret)
				) {
					rememberRegisteredSecret(...triggerOf(this), wanted.callbackUrl, expectedSecret ?? '');
					return true;
				}
				// After a restart, re-publish or import the stored id may be gone while Circularo still
				// holds our registration: adopt it instead of creating a duplicate.
				const adoptable = remote.find(
					(webhook) =>
						isSameTarget(webhook, wanted) &&
						typeof webhook.hmacSecret === 'string' &&
						webhook.hmacSecret !== '' &&
						(expectedSecret === undefined || expectedSecret === '' || webhook.hmacSecret === expectedSecret),
				);
				if (!adoptable) return false;
				registration.webhookId = adoptable.id;
				if (!credentials.webhookSecret) registration.webhookSecret = adoptable.hmacSecret as string;
				rememberRegisteredSecret(...triggerOf(this), wanted.callbackUrl, adoptable.hmacSecret as string);
				return true;
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const registration = this.getWorkflowStaticData('node') as RegistrationData;
				const credentials = await credentialsOf(this);
				const callbackUrl = this.getNodeWebhookUrl('default') as string;
				const unreachable = unreachableCallbackReason(callbackUrl, credentials.serverUrl);
				if (unreachable) {
					throw new NodeOperationError(this.getNode(), `Circularo cannot deliver events to this n8n: ${unreachable}`, {
						description: WEBHOOK_URL_HINT,
					});
				}
				const secret = credentials.webhookSecret || generateSigningSecret();
				const request = wantedRegistration(this, secret);

				// Replace, never duplicate: whatever this node registered before (an old secret or scope,
				// or a leftover of a failed call) goes first.
				await removeRegistrations.call(this, registration.webhookId, callbackUrl, credentials.serverUrl);
				delete registration.webhookId;
				delete registration.webhookSecret;
				forgetRegisteredSecret(...triggerOf(this), callbackUrl);

				let created: CircularoWebhook;
				try {
					created = await circularoApiRequest.call<IHookFunctions, ['POST', string, IDataObject], Promise<CircularoWebhook>>(
						this,
						'POST',
						'/webhooks',
						{ ...request },
					);
				} catch (error) {
					// The call can fail after Circularo stored the webhook (dropped connection, timeout, 5xx
					// after commit): remove anything registered for this URL so nothing is orphaned.
					try {
						await removeRegistrations.call(this, undefined, callbackUrl, credentials.serverUrl);
					} catch (cleanupError) {
						this.logger.warn(
							`Circularo Trigger: could not check for a half-created webhook after a failed registration: ${(cleanupError as Error).message}`,
						);
					}
					throw apiError(this, 'register the webhook', error, credentials.serverUrl);
				}
				if (!created || typeof created.id !== 'string' || created.id === '') {
					throw new NodeOperationError(this.getNode(), 'Circularo answered the webhook registration without an id', {
						description: 'Deactivate and activate the workflow again. If it keeps happening, contact Circularo support.',
					});
				}
				registration.webhookId = created.id;
				if (!credentials.webhookSecret) registration.webhookSecret = secret;
				rememberRegisteredSecret(...triggerOf(this), callbackUrl, secret);
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const registration = this.getWorkflowStaticData('node') as RegistrationData;
				const callbackUrl = this.getNodeWebhookUrl('default') as string;
				forgetRegisteredSecret(...triggerOf(this), callbackUrl);
				try {
					const credentials = await credentialsOf(this);
					await removeRegistrations.call(this, registration.webhookId, callbackUrl, credentials.serverUrl);
				} catch (error) {
					// Deactivation must not fail because Circularo is unreachable: the next activation
					// finds the leftover by its callback URL and replaces it.
					this.logger.warn(
						`Circularo Trigger: could not remove the webhook from Circularo (${(error as Error).message}). It will be replaced at the next activation.`,
					);
				}
				delete registration.webhookId;
				delete registration.webhookSecret;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const receivedAt = new Date();
		const request = this.getRequestObject();
		const rawBody: unknown = (request as { rawBody?: unknown }).rawBody;
		const signature = request.headers[SIGNATURE_HEADER];
		if (!Buffer.isBuffer(rawBody)) return rejectDelivery(this);

		// Checked against the secret this process registered first; the credential is loaded only
		// when that does not verify (another process registered it, or the call is not genuine).
		let credentials: CircularoCredentials | undefined;
		if (!signedByRegistration(this, rawBody, signature)) {
			credentials = await credentialsOf(this);
			const registration = this.getWorkflowStaticData('node') as RegistrationData;
			const secret = credentials.webhookSecret || registration.webhookSecret || '';
			if (!isValidSignature(rawBody, signature, secret)) return rejectDelivery(this);
		}

		const item = toTriggerItem(bodyOf(request.body, rawBody), receivedAt);
		const events = this.getNodeParameter('events', []) as string[];
		if (!events.includes(ALL_EVENTS) && !events.includes(item.event)) {
			// Circularo cannot filter server-side: acknowledge and start nothing.
			return {};
		}

		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		if (options.includeHeaders) item.headers = visibleHeaders(request.headers as IDataObject);
		if (options.downloadSignedDocument !== true && options.includeAuditTrail !== true) {
			// Nothing to download: no further awaits on the path every delivery takes.
			return { workflowData: [[{ json: item }]] };
		}
		credentials ??= await credentialsOf(this);
		const binary = await downloadDocuments(this, item, options, credentials.serverUrl);
		return {
			workflowData: [[Object.keys(binary).length > 0 ? { json: item, binary } : { json: item }]],
		};
	}
}

/** True when the delivery is signed with the secret of a registration this process made for the node. */
function signedByRegistration(context: IWebhookFunctions, rawBody: Buffer, signature: string | string[] | undefined): boolean {
	for (const secret of registeredSecrets(...triggerOf(context))) {
		if (isValidSignature(rawBody, signature, secret)) return true;
	}
	return false;
}

function rejectDelivery(context: IWebhookFunctions): IWebhookResponseData {
	context.getResponseObject().status(401).json({ message: 'Invalid or missing x-circularo-signature' }).end();
	return { noWebhookResponse: true };
}

/** n8n has parsed JSON bodies already; anything it could not parse is read from the signed bytes. */
function bodyOf(parsed: unknown, rawBody: Buffer): unknown {
	if (parsed !== undefined && !(isEmptyObject(parsed) && rawBody.length > 2)) return parsed;
	const text = rawBody.toString('utf8');
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

function isEmptyObject(value: unknown): boolean {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

