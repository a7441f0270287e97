/**
 * A fake of the context n8n gives the Circularo action node, for fast tests. What matters is real:
 * parameters are resolved against the node's own description the way n8n loads a workflow
 * (defaults filled in, hidden parameters left out), and HTTP goes through n8n-core's own
 * httpRequestWithAuthentication with the credential's real authenticate() to the simulator.
 */
import {
	NodeHelpers,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
} from 'n8n-workflow';

import { CircularoApi } from '../../credentials/CircularoApi.credentials';
import { Circularo } from '../../nodes/Circularo/Circularo.node';
import type { CircularoTestCredentials } from './n8nContext';

const {
	httpRequest,
	httpRequestWithAuthentication,
} = require('n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions.js');

export const actionNode: INode = {
	id: 'node-action',
	name: 'Circularo',
	type: 'n8n-nodes-circularo.circularo',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const nodeType = new Circularo();
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
export function resolvedParameters(values: INodeParameters): INodeParameters {
	return NodeHelpers.getNodeParameters(
		nodeType.description.properties,
		values,
		true,
		false,
		actionNode,
		nodeType.description,
	)!;
}

function valueAt(parameters: INodeParameters, path: string): unknown {
	let value: unknown = parameters;
	for (const key of path.split('.')) {
		value = value && typeof value === 'object' ? (value as IDataObject)[key] : undefined;
	}
	return value;
}

export interface ExecuteOptions {
	credentials: CircularoTestCredentials;
	/** Parameter values as a workflow stores them; per item when a function. */
	parameters: INodeParameters | ((itemIndex: number) => INodeParameters);
	items?: INodeExecutionData[];
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

/**
 * n8n-core's authenticated request for `context`, as n8n runs it for the action node (the
 * credential's real authenticate()); every request is recorded in `calls` first.
 */
export function authenticatedRequest(context: object, node: INode, calls: IHttpRequestOptions[]) {
	return async (type: string, request: IHttpRequestOptions) => {
		calls.push({ ...request });
		return await httpRequestWithAuthentication.call(
			context,
			type,
			request,
			{},
			node,
			additionalData,
		);
	};
}

/** A binary as n8n keeps it in memory mode. */
export async function prepareBinaryData(data: Buffer, fileName?: string, mimeType?: string) {
	return { data: data.toString('base64'), fileName, mimeType, fileSize: String(data.length) };
}

export const quietLogger = {
	warn: () => undefined,
	error: () => undefined,
	info: () => undefined,
	debug: () => undefined,
};

/** Reads a parameter as n8n's getNodeParameter does from resolved parameters. */
export function parameterReader(parameters: () => INodeParameters) {
	return (name: string, fallback?: unknown, extra?: { extractValue?: boolean }) => {
		const value = valueAt(parameters(), name);
		if (value === undefined) {
			if (fallback !== undefined) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		}
		if (extra?.extractValue && value && typeof value === 'object' && '__rl' in value)
			return (value as IDataObject).value;
		return value;
	};
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
	const items: INodeExecutionData[] = options.items ?? [{ json: {} }];
	const parametersOf = (itemIndex: number) =>
		resolvedParameters(
			typeof options.parameters === 'function' ? options.parameters(itemIndex) : options.parameters,
		);
	/** Every call the node asked n8n to make, as it asked (before authentication). */
	const calls: IHttpRequestOptions[] = [];
	const wait: WaitRecord = { customData: {} };
	const node = options.node ?? actionNode;
	const execution = options.execution ?? {
		id: 'execution-1',
		resumeUrl: 'http://127.0.0.1:5678/webhook-waiting/execution-1',
	};
	const read = (itemIndex: number) => parameterReader(() => parametersOf(itemIndex));
	const context = {
		getNode: () => node,
		getWorkflow: () => ({ id: 'workflow-action', name: 'Circularo action test', active: false }),
		getInputData: () => items,
		getCredentials: async () => options.credentials,
		continueOnFail: () => options.continueOnFail === true,
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
		getNodeParameter(
			name: string,
			itemIndex: number,
			fallback?: unknown,
			extra?: { extractValue?: boolean },
		) {
			return read(itemIndex)(name, fallback, extra);
		},
		logger: quietLogger,
		helpers: {
			httpRequestWithAuthentication: undefined as unknown,
			httpRequest: async (request: IHttpRequestOptions) => await httpRequest(request),
			async getBinaryDataBuffer(itemIndex: number, field: string) {
				return Buffer.from(items[itemIndex].binary![field].data, 'base64');
			},
			prepareBinaryData,
		},
	};
	context.helpers.httpRequestWithAuthentication = authenticatedRequest(context, node, calls);
	return { context: context as never, calls, wait };
}

/** Runs the node's execute() as n8n would for one run. */
export async function runNode(options: ExecuteOptions): Promise<INodeExecutionData[]> {
	const { context } = executeContext(options);
	const [output] = await nodeType.execute.call(context);
	return output;
}

export { nodeType as actionNodeType };
