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
	const context = {
		getNode: () => actionNode,
		getWorkflow: () => ({ id: 'workflow-action', name: 'Circularo action test', active: false }),
		getInputData: () => items,
		getCredentials: async () => options.credentials,
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
		logger: {
			warn: () => undefined,
			error: () => undefined,
			info: () => undefined,
			debug: () => undefined,
		},
		helpers: {
			async httpRequestWithAuthentication(type: string, request: IHttpRequestOptions) {
				calls.push({ ...request });
				return await httpRequestWithAuthentication.call(
					context,
					type,
					request,
					{},
					actionNode,
					additionalData,
				);
			},
			async getBinaryDataBuffer(itemIndex: number, field: string) {
				return Buffer.from(items[itemIndex].binary![field].data, 'base64');
			},
			async prepareBinaryData(data: Buffer, fileName?: string, mimeType?: string) {
				return { data: data.toString('base64'), fileName, mimeType, fileSize: String(data.length) };
			},
		},
	};
	return { context: context as never, calls };
}

/** Runs the node's execute() as n8n would for one run. */
export async function runNode(options: ExecuteOptions): Promise<INodeExecutionData[]> {
	const { context } = executeContext(options);
	const [output] = await nodeType.execute.call(context);
	return output;
}

export { nodeType as actionNodeType };
