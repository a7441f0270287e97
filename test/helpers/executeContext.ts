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

import type { Readable } from 'stream';

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

/** A binary n8n keeps outside the item (its filesystem or object store mode), by its id. */
export interface StoredBinary {
	size: number;
	/** A new read of its bytes, as n8n's getBinaryStream gives. */
	open: () => Readable;
}

export interface ExecuteOptions {
	credentials: CircularoTestCredentials;
	/** The binaries of `items` that carry an `id`. */
	binaryStore?: Record<string, StoredBinary>;
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

async function readAll(stream: Readable): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

export function executeContext(options: ExecuteOptions) {
	const stored = (id: string) => {
		const binary = options.binaryStore?.[id];
		if (!binary) throw new Error(`No stored binary ${id}`);
		return binary;
	};
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
