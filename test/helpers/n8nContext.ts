/**
 * Plain fakes of the n8n context objects the trigger sees, for fast tests. HTTP is real: calls go
 * through n8n-core's own httpRequest to the Circularo simulator, and failures are wrapped in
 * NodeApiError exactly as n8n-core's httpRequestWithAuthentication does.
 */
import type { IDataObject, IHttpRequestOptions, INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

const { httpRequest } = require('n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions.js');

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

export interface ContextOptions {
	credentials: CircularoTestCredentials;
	parameters?: IDataObject;
	staticData?: IDataObject;
	webhookUrl?: string;
}

export interface FakeLog {
	warnings: string[];
}

function helpersFor(credentials: CircularoTestCredentials) {
	return {
		async httpRequestWithAuthentication(_type: string, options: IHttpRequestOptions) {
			// What the credential's `authenticate` block does: the key as `token` query parameter.
			const withToken = { ...options, qs: { ...(options.qs ?? {}), token: credentials.apiKey } };
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

function baseContext(options: ContextOptions, log: FakeLog) {
	const parameters: IDataObject = { events: ['*'], scope: 'myTeam', teamName: '', options: {}, ...options.parameters };
	const staticData = options.staticData ?? {};
	return {
		getNode: () => testNode,
		getWorkflow: () => testWorkflow,
		getCredentials: async () => options.credentials,
		getNodeParameter: (name: string, fallback?: unknown) => (name in parameters ? parameters[name] : fallback),
		getWorkflowStaticData: () => staticData,
		getNodeWebhookUrl: () => options.webhookUrl ?? 'http://127.0.0.1:5678/webhook/11111111-2222-3333-4444-555555555555/webhook',
		logger: {
			warn: (message: string) => log.warnings.push(message),
			error: (message: string) => log.warnings.push(message),
			info: () => undefined,
			debug: () => undefined,
		},
		helpers: helpersFor(options.credentials),
	};
}

export function hookContext(options: ContextOptions) {
	const log: FakeLog = { warnings: [] };
	return { context: baseContext(options, log) as never, log };
}

export interface Delivery {
	rawBody: Buffer;
	headers: Record<string, string | string[] | undefined>;
	/** What n8n's JSON body parser would hand over; undefined when the bytes are not JSON. */
	body?: unknown;
}

export interface RecordedResponse {
	status?: number;
	body?: unknown;
	ended: boolean;
}

export function webhookContext(options: ContextOptions, delivery: Delivery) {
	const log: FakeLog = { warnings: [] };
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
	let parsed = delivery.body;
	if (!('body' in delivery)) {
		try {
			parsed = JSON.parse(delivery.rawBody.toString('utf8'));
		} catch {
			parsed = {};
		}
	}
	const request = { headers: delivery.headers, body: parsed, rawBody: delivery.rawBody };
	const context = {
		...baseContext(options, log),
		getRequestObject: () => request,
		getResponseObject: () => res,
		getBodyData: () => parsed,
		getHeaderData: () => delivery.headers,
	};
	return { context: context as never, response, log };
}
