/**
 * The one fake of the contexts n8n gives the nodes (execute, hook, webhook), for fast tests. What
 * matters is real: parameters are resolved against the node's own description the way n8n loads a
 * workflow (defaults filled in, hidden parameters left out), and HTTP goes through n8n-core's own
 * httpRequestWithAuthentication, which calls the credential's real authenticate(), to the
 * simulator. Each getCredentials is counted, as n8n's own loads the credential when a node does
 * not hand it over.
 *
 * What n8n does that matters here (read in n8n 2.41's code): checkExists and create run with mode
 * 'trigger' (published) or 'manual' (Listen for test event), delete with 'internal' for both; the
 * webhook phase runs with 'webhook' or 'manual'; each test registration has its own static data.
 */
import {
	NodeHelpers,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { randomUUID } from 'crypto';
import { createReadStream } from 'fs';
import { rename, rm, stat, writeFile } from 'fs/promises';
import { join } from 'path';
import type { Readable } from 'stream';

import { CircularoApi } from '../../credentials/CircularoApi.credentials';
import { Circularo } from '../../nodes/Circularo/Circularo.node';
import { CircularoTrigger } from '../../nodes/Circularo/CircularoTrigger.node';
import { CircularoPollingTrigger } from '../../nodes/Circularo/CircularoPollingTrigger.node';

const {
	httpRequest,
	httpRequestWithAuthentication,
} = require('n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions.js');

export interface CircularoTestCredentials {
	serverUrl: string;
	apiKey: string;
	webhookSecret?: string;
}

const nodeOf = (id: string, name: string, type: string): INode => ({
	id,
	name,
	type: `n8n-nodes-circularo.${type}`,
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
});

export const testNode = nodeOf('node-1', 'Circularo Trigger', 'circularoTrigger');
export const actionNode = nodeOf('node-action', 'Circularo', 'circularo');

export const testWorkflow = { id: 'workflow-1', name: 'Circularo test workflow', active: true };

export const PRODUCTION_URL =
	'http://127.0.0.1:5678/webhook/11111111-2222-3333-4444-555555555555/webhook';
export const TEST_URL =
	'http://127.0.0.1:5678/webhook-test/11111111-2222-3333-4444-555555555555/webhook';

const actionNodeType = new Circularo();
const triggerDescription = new CircularoTrigger().description;
const credentialType = new CircularoApi();

/** What n8n's CredentialsHelper does for a credential whose authenticate is a function. */
const additionalData = {
	credentialsHelper: {
		getParentTypes: () => [],
		preAuthentication: async () => undefined,
		authenticate: async (credentials: IDataObject, _type: string, options: IHttpRequestOptions) =>
			await credentialType.authenticate(credentials as never, options),
	},
};

/** The parameters n8n would hand the node for these values: defaults filled in, hidden ones dropped. */
function resolved(
	description: INodeTypeDescription,
	node: INode,
	values: INodeParameters,
): INodeParameters {
	return NodeHelpers.getNodeParameters(
		description.properties,
		values,
		true,
		false,
		node,
		description,
	)!;
}

export function resolvedParameters(values: INodeParameters): INodeParameters {
	return resolved(actionNodeType.description, actionNode, values);
}

function valueAt(parameters: INodeParameters, path: string): unknown {
	let value: unknown = parameters;
	for (const key of path.split('.')) {
		value = value && typeof value === 'object' ? (value as IDataObject)[key] : undefined;
	}
	return value;
}

export interface FakeLog {
	warnings: string[];
	/** How often getCredentials ran (each one costs n8n a decryption and an expression isolate). */
	credentialLoads: number;
	/** Every call the node asked n8n to make, as it asked (before authentication). */
	calls: IHttpRequestOptions[];
}

type Credentials = CircularoTestCredentials | (() => CircularoTestCredentials);

/** What every context shares: the node, credentials (counted), logger and n8n-core's HTTP. */
function commonContext(node: INode, credentials: Credentials, log: FakeLog) {
	const context: Record<string, unknown> = {
		getNode: () => node,
		getCredentials: async () => {
			log.credentialLoads++;
			return typeof credentials === 'function' ? credentials() : credentials;
		},
		logger: {
			warn: (message: string) => log.warnings.push(message),
			error: (message: string) => log.warnings.push(message),
			info: () => undefined,
			debug: () => undefined,
		},
	};
	context.helpers = {
		async httpRequestWithAuthentication(
			type: string,
			request: IHttpRequestOptions,
			additionalCredentialOptions?: unknown,
		) {
			log.calls.push({ ...request });
			return await httpRequestWithAuthentication.call(
				context,
				type,
				request,
				{},
				node,
				additionalData,
				additionalCredentialOptions,
			);
		},
		/** Unauthenticated requests (Send and Wait for Signature's probes of n8n's own URLs). */
		httpRequest: async (request: IHttpRequestOptions) => await httpRequest(request),
		// As n8n's default (in-memory) mode does: a stream is read whole into the item.
		async prepareBinaryData(data: Buffer | Readable, fileName?: string, mimeType?: string) {
			const bytes = Buffer.isBuffer(data) ? data : await readAll(data);
			return {
				data: bytes.toString('base64'),
				fileName,
				mimeType,
				fileSize: String(bytes.length),
				bytes: bytes.length,
			};
		},
	};
	return context;
}

/** Reads a stream whole as n8n 2.41's binaryToBuffer does: by 'data' events. */
export function readAll(stream: Readable): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		stream.on('data', (chunk: Buffer) => chunks.push(chunk));
		stream.once('end', () => resolve(Buffer.concat(chunks)));
		stream.once('error', reject);
		stream.once('close', () => reject(new Error('Stream closed before completing')));
	});
}

/**
 * n8n 2.41's filesystem binary mode (FsByteStore.write): the stream is written to a temporary file
 * as it is read (fs.writeFile iterates it), renamed once complete and removed when it fails.
 */
async function storedOnDisk(
	dir: string,
	store: Record<string, StoredBinary>,
	data: Buffer | Readable,
	fileName?: string,
	mimeType?: string,
) {
	const id = `filesystem-v2:${randomUUID()}`;
	const file = join(dir, id.replace(':', '-'));
	const temporary = `${file}.tmp`;
	try {
		await writeFile(temporary, data);
		await rename(temporary, file);
	} finally {
		await rm(temporary, { force: true });
	}
	const size = (await stat(file)).size;
	store[id] = { size, open: () => createReadStream(file) };
	return { id, data: 'filesystem-v2', fileName, mimeType, fileSize: String(size), bytes: size };
}

function newLog(): FakeLog {
	return { warnings: [], credentialLoads: 0, calls: [] };
}

// ---- The action node's execute context ----------------------------------------------------------

/** A binary n8n keeps outside the item (its filesystem or object store mode), by its id. */
export interface StoredBinary {
	size: number;
	/** A new read of its bytes, as n8n's getBinaryStream gives. */
	open: () => Readable;
}

export interface ExecuteOptions {
	credentials: CircularoTestCredentials;
	/** Parameter values as a workflow stores them; per item when a function. */
	parameters: INodeParameters | ((itemIndex: number) => INodeParameters);
	items?: INodeExecutionData[];
	/** The binaries of `items` that carry an `id`; binaries the node makes join them in filesystem mode. */
	binaryStore?: Record<string, StoredBinary>;
	/** n8n's filesystem binary mode, binaries written here as they are read; else its default mode. */
	binaryDir?: string;
	continueOnFail?: boolean;
	/** The execution as n8n describes it to a node that may wait: its id and resume URL. */
	execution?: { id: string; resumeUrl: string };
	/** The node, when not the plain action node (for example its tool variant). */
	node?: INode;
}

/** What the node asked of n8n's waiting mechanism in execute(). */
export interface WaitRecord {
	/** The date given to putExecutionToWait, when it was called. */
	waitTill?: Date;
	/** What the node put into the execution's custom data. */
	customData: Record<string, string>;
}

/** A binary field as n8n keeps it in memory mode. */
export function binaryItem(
	field: string,
	data: Buffer,
	fileName: string,
	mimeType: string,
): INodeExecutionData {
	return { json: {}, binary: { [field]: { data: data.toString('base64'), fileName, mimeType } } };
}

export function executeContext(options: ExecuteOptions) {
	const log = newLog();
	const items: INodeExecutionData[] = options.items ?? [{ json: {} }];
	const parametersOf = (itemIndex: number) =>
		resolvedParameters(
			typeof options.parameters === 'function' ? options.parameters(itemIndex) : options.parameters,
		);
	const wait: WaitRecord = { customData: {} };
	const execution = options.execution ?? {
		id: 'execution-1',
		resumeUrl: 'http://127.0.0.1:5678/webhook-waiting/execution-1',
	};
	const context = commonContext(options.node ?? actionNode, options.credentials, log);
	Object.assign(context, {
		getExecutionId: () => execution.id,
		getWorkflowDataProxy: () => ({
			$execution: {
				id: execution.id,
				resumeUrl: execution.resumeUrl,
				customData: {
					set: (key: string, value: string) => {
						wait.customData[key] = value;
					},
				},
			},
		}),
		async putExecutionToWait(waitTill: Date) {
			wait.waitTill = waitTill;
		},
		getWorkflow: () => ({ id: 'workflow-action', name: 'Circularo action test', active: false }),
		getInputData: () => items,
		continueOnFail: () => options.continueOnFail === true,
		getNodeParameter(
			name: string,
			itemIndex: number,
			fallback?: unknown,
			extra?: { extractValue?: boolean },
		) {
			const value = valueAt(parametersOf(itemIndex), name);
			if (value === undefined) {
				if (fallback !== undefined) return fallback;
				throw new Error(`Could not get parameter "${name}"`);
			}
			if (extra?.extractValue && value && typeof value === 'object' && '__rl' in value)
				return (value as IDataObject).value;
			return value;
		},
	});
	const binaryStore = options.binaryStore ?? {};
	const stored = (id: string) => {
		const binary = binaryStore[id];
		if (!binary) throw new Error(`No stored binary ${id}`);
		return binary;
	};
	const { binaryDir } = options;
	if (binaryDir)
		Object.assign(context.helpers as object, {
			prepareBinaryData: async (data: Buffer | Readable, fileName?: string, mimeType?: string) =>
				await storedOnDisk(binaryDir, binaryStore, data, fileName, mimeType),
		});
	Object.assign(context.helpers as object, {
		// As n8n does: a binary with an id is read from its store, whole.
		async getBinaryDataBuffer(itemIndex: number, field: string) {
			const binary = items[itemIndex].binary![field];
			if (binary.id) return await readAll(stored(binary.id).open());
			return Buffer.from(binary.data, 'base64');
		},
		async getBinaryStream(id: string) {
			return stored(id).open();
		},
		async getBinaryMetadata(id: string) {
			return { fileSize: stored(id).size };
		},
	});
	return { context: context as never, calls: log.calls, log, wait };
}

/** Runs the node's execute() as n8n would for one run. */
export async function runNode(options: ExecuteOptions): Promise<INodeExecutionData[]> {
	const { context } = executeContext(options);
	const [output] = await actionNodeType.execute.call(context);
	return output;
}

export { actionNodeType };

// ---- The trigger's hook and webhook contexts ----------------------------------------------------

export interface ContextOptions {
	/** What getCredentials returns, or a function that may throw (to prove it is not called). */
	credentials: Credentials;
	/** Parameter values as the workflow stores them; "events" is All Events unless given. */
	parameters?: IDataObject;
	staticData?: IDataObject;
	webhookUrl?: string;
	/** getMode(): hook phase 'trigger' (default), 'manual' or 'internal'; webhook phase 'webhook' (default) or 'manual'. */
	mode?: string;
	workflowId?: string;
}

function triggerContext(options: ContextOptions, log: FakeLog, defaultMode: string) {
	const parameters = resolved(triggerDescription, testNode, {
		events: ['*'],
		...options.parameters,
	} as INodeParameters);
	const staticData = options.staticData ?? {};
	return Object.assign(commonContext(testNode, options.credentials, log), {
		getWorkflow: () => ({ ...testWorkflow, id: options.workflowId ?? testWorkflow.id }),
		getMode: () => options.mode ?? defaultMode,
		getNodeParameter: (name: string, fallback?: unknown) =>
			name in parameters ? parameters[name] : fallback,
		getWorkflowStaticData: () => staticData,
		getNodeWebhookUrl: () => options.webhookUrl ?? PRODUCTION_URL,
	});
}

export function hookContext(options: ContextOptions) {
	const log = newLog();
	return { context: triggerContext(options, log, 'trigger') as never, log };
}

export interface Delivery {
	rawBody: Buffer;
	headers: Record<string, string | string[] | undefined>;
	/** What n8n's body parser made of the bytes (it follows the Content-Type); default JSON.parse or {}. */
	body?: unknown;
	/** n8n did not read the body (no or unknown Content-Type on a version 1.1 node): only readRawBody() gets it. */
	unread?: boolean;
}

export interface RecordedResponse {
	status?: number;
	body?: unknown;
	ended: boolean;
}

/** n8n's response object as a node writes to it, recording what was written. */
export function recordingResponse() {
	const response: RecordedResponse = { ended: false };
	const res = {
		status(code: number) {
			response.status = code;
			return res;
		},
		json(body: unknown) {
			response.body = body;
			return res;
		},
		send(body: unknown) {
			response.body = body;
			return res;
		},
		end() {
			response.ended = true;
			return res;
		},
	};
	return { res, response };
}

export function webhookContext(options: ContextOptions, delivery: Delivery) {
	const log = newLog();
	const { res, response } = recordingResponse();
	let parsed = delivery.body;
	if (!('body' in delivery)) {
		try {
			parsed = JSON.parse(delivery.rawBody.toString('utf8'));
		} catch {
			parsed = {};
		}
	}
	// As n8n 2.41's rawBodyReader middleware: readRawBody() reads the stream once into rawBody.
	const request: {
		headers: Delivery['headers'];
		body: unknown;
		rawBody?: Buffer;
		readRawBody: () => Promise<void>;
	} = {
		headers: delivery.headers,
		body: delivery.unread ? {} : parsed,
		rawBody: delivery.unread ? undefined : delivery.rawBody,
		readRawBody: async () => {
			request.rawBody ??= delivery.rawBody;
		},
	};
	const context = Object.assign(triggerContext(options, log, 'webhook'), {
		getRequestObject: () => request,
		getResponseObject: () => res,
		getBodyData: () => parsed,
		getHeaderData: () => delivery.headers,
	});
	return { context: context as never, response, log };
}

// ---- The action node waiting in Send and Wait for Signature ---------------------------------------

export interface WaitingDelivery {
	credentials: CircularoTestCredentials;
	/** The waiting node's parameters, as the workflow stores them. */
	parameters: INodeParameters;
	executionId: string;
	headers: Record<string, string | string[] | undefined>;
	rawBody: Buffer;
	query: Record<string, string>;
	/** The execution's resume URL, as n8n's `$execution.resumeUrl` gives it. */
	resumeUrl?: string;
}

/** The webhook context n8n gives the action node for a delivery to an execution waiting in it. */
export function waitingWebhookContext(delivery: WaitingDelivery) {
	const log = newLog();
	const parameters = resolvedParameters(delivery.parameters);
	const { res, response } = recordingResponse();
	const context = Object.assign(commonContext(actionNode, delivery.credentials, log), {
		getExecutionId: () => delivery.executionId,
		getNodeParameter: (name: string, fallback?: unknown) => valueAt(parameters, name) ?? fallback,
		getRequestObject: () => ({ headers: delivery.headers, rawBody: delivery.rawBody }),
		getResponseObject: () => res,
		getQueryData: () => delivery.query,
		evaluateExpression: (expression: string) => {
			if (expression.replace(/\s/g, '') !== '{{$execution.resumeUrl}}' || !delivery.resumeUrl)
				throw new Error(`this test's context cannot evaluate ${expression}`);
			return delivery.resumeUrl;
		},
	});
	return { context: context as never, response, log };
}

/**
 * The trigger as another n8n process would load it: a fresh copy of the node and its modules, so
 * nothing this process remembers (known secrets, seen deliveries) is shared.
 */
export function triggerInAnotherProcess(): CircularoTrigger {
	let fresh: CircularoTrigger | undefined;
	jest.isolateModules(() => {
		const { CircularoTrigger: Fresh } = require('../../nodes/Circularo/CircularoTrigger.node');
		fresh = new Fresh();
	});
	return fresh!;
}

// ---- The polling trigger's poll context -----------------------------------------------------------

const pollingNode = nodeOf('node-poll', 'Circularo Polling Trigger', 'circularoPollingTrigger');
const pollingDescription = new CircularoPollingTrigger().description;

export interface PollOptions {
	credentials: CircularoTestCredentials;
	/** Parameter values as the workflow stores them; "events" is All Events unless given. */
	parameters?: IDataObject;
	/** The node's static data, kept by the test between polls as n8n keeps it. */
	staticData: IDataObject;
	/** getMode(): 'trigger' (published, default) or 'manual' (Fetch Test Event). */
	mode?: string;
}

/** The context n8n gives poll(): parameters, the node's static data, getMode, n8n-core's HTTP. */
export function pollContext(options: PollOptions) {
	const log = newLog();
	const parameters = resolved(pollingDescription, pollingNode, {
		events: ['*'],
		...options.parameters,
	} as INodeParameters);
	const context = Object.assign(commonContext(pollingNode, options.credentials, log), {
		getWorkflow: () => testWorkflow,
		getMode: () => options.mode ?? 'trigger',
		getNodeParameter: (name: string, fallback?: unknown) =>
			name in parameters ? parameters[name] : fallback,
		getWorkflowStaticData: () => options.staticData,
	});
	return { context: context as never, log };
}
