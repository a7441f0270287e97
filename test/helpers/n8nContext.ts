/**
 * Plain fakes of the n8n context objects the trigger sees, for fast tests. HTTP is real: calls go
 * through n8n-core's own httpRequest to the Circularo simulator, and failures are wrapped in
 * NodeApiError exactly as n8n-core's httpRequestWithAuthentication does.
 *
 * What n8n does that matters here (read in n8n 2.41's code): checkExists and create run with mode
 * 'trigger' (published) or 'manual' (Listen for test event), delete with 'internal' for both; the
 * webhook phase runs with 'webhook' or 'manual'; each test registration has its own static data.
 */
import type { IDataObject, IHttpRequestOptions, INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { CircularoTrigger } from '../../nodes/Circularo/CircularoTrigger.node';

const {
	httpRequest,
} = require('n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions.js');

export interface CircularoTestCredentials {
	serverUrl: string;
	apiKey: string;
	webhookSecret?: string;
}

export const testNode: INode = {
	id: 'node-1',
	name: 'Circularo Trigger',
	type: 'n8n-nodes-circularo.circularoTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export const testWorkflow = { id: 'workflow-1', name: 'Circularo test workflow', active: true };

export const PRODUCTION_URL =
	'http://127.0.0.1:5678/webhook/11111111-2222-3333-4444-555555555555/webhook';
export const TEST_URL =
	'http://127.0.0.1:5678/webhook-test/11111111-2222-3333-4444-555555555555/webhook';

export interface ContextOptions {
	/** What getCredentials returns, or a function that may throw (to prove it is not called). */
	credentials: CircularoTestCredentials | (() => CircularoTestCredentials);
	parameters?: IDataObject;
	staticData?: IDataObject;
	webhookUrl?: string;
	/** getMode(): hook phase 'trigger' (default), 'manual' or 'internal'; webhook phase 'webhook' (default) or 'manual'. */
	mode?: string;
	workflowId?: string;
}

export interface FakeLog {
	warnings: string[];
	/** How often the node called getCredentials (each one costs n8n a decryption and an isolate). */
	credentialLoads: number;
}

function credentialsOf(options: ContextOptions): CircularoTestCredentials {
	return typeof options.credentials === 'function' ? options.credentials() : options.credentials;
}

function helpersFor(options: ContextOptions) {
	return {
		async httpRequestWithAuthentication(_type: string, request: IHttpRequestOptions) {
			// What the credential's `authenticate` block does: the key as `token` query parameter.
			const withToken = {
				...request,
				qs: { ...(request.qs ?? {}), token: credentialsOf(options).apiKey },
			};
			try {
				return await httpRequest(withToken);
			} catch (error) {
				throw new NodeApiError(testNode, error as never);
			}
		},
		async prepareBinaryData(data: Buffer, fileName?: string, mimeType?: string) {
			return { data: data.toString('base64'), fileName, mimeType, fileSize: String(data.length) };
		},
	};
}

function baseContext(options: ContextOptions, log: FakeLog, defaultMode: string) {
	const parameters: IDataObject = {
		events: ['*'],
		scope: 'myTeam',
		teamName: '',
		options: {},
		...options.parameters,
	};
	const staticData = options.staticData ?? {};
	return {
		getNode: () => testNode,
		getWorkflow: () => ({ ...testWorkflow, id: options.workflowId ?? testWorkflow.id }),
		getMode: () => options.mode ?? defaultMode,
		getCredentials: async () => {
			log.credentialLoads++;
			return credentialsOf(options);
		},
		getNodeParameter: (name: string, fallback?: unknown) =>
			name in parameters ? parameters[name] : fallback,
		getWorkflowStaticData: () => staticData,
		getNodeWebhookUrl: () => options.webhookUrl ?? PRODUCTION_URL,
		logger: {
			warn: (message: string) => log.warnings.push(message),
			error: (message: string) => log.warnings.push(message),
			info: () => undefined,
			debug: () => undefined,
		},
		helpers: helpersFor(options),
	};
}

export function hookContext(options: ContextOptions) {
	const log: FakeLog = { warnings: [], credentialLoads: 0 };
	return { context: baseContext(options, log, 'trigger') as never, log };
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
	const log: FakeLog = { warnings: [], credentialLoads: 0 };
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
	const context = {
		...baseContext(options, log, 'webhook'),
		getRequestObject: () => request,
		getResponseObject: () => res,
		getBodyData: () => parsed,
		getHeaderData: () => delivery.headers,
	};
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
