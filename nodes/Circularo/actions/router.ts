/**
 * Runs the chosen operation once per input item: each output item is paired with its input item,
 * and with "Continue On Fail" a failure becomes an error item and the next item runs.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { circularoClient, type CircularoClient } from '../circularo/client';
import * as document from './document';
import * as documentType from './documentType';
import * as signRequest from './signRequest';
import * as sendAndWait from './signRequest/sendAndWaitForSignature';
import * as template from './template';
import * as webhook from './webhook';

/** One operation for one input item; all items of an execution share one client (one credential load). */
export type OperationRun = (
	this: IExecuteFunctions,
	itemIndex: number,
	client: CircularoClient,
) => Promise<INodeExecutionData[]>;

const RESOURCES: Record<string, Record<string, OperationRun>> = {
	document: document.operations,
	documentType: documentType.operations,
	signRequest: signRequest.operations,
	template: template.operations,
	webhook: webhook.operations,
};

function asNodeError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

function errorItem(failure: NodeApiError | NodeOperationError, itemIndex: number) {
	const json = failure.description
		? { error: failure.message, description: failure.description }
		: { error: failure.message };
	return { json, pairedItem: { item: itemIndex } };
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const client = circularoClient(this);
	if (this.getNodeParameter('operation', 0) === sendAndWait.SEND_AND_WAIT_FOR_SIGNATURE) {
		// One run for the whole input (its first item), with two outputs.
		try {
			return await sendAndWait.execute.call(this, client);
		} catch (error) {
			const failure = asNodeError(this, error, 0);
			if (!this.continueOnFail()) throw failure;
			return [[errorItem(failure, 0)], []];
		}
	}
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const resource = this.getNodeParameter('resource', itemIndex) as string;
		const operation = this.getNodeParameter('operation', itemIndex) as string;
		const run = RESOURCES[resource]?.[operation];
		try {
			if (!run) {
				throw new NodeOperationError(
					this.getNode(),
					`The operation "${operation}" of "${resource}" is not supported`,
					{ itemIndex },
				);
			}
			for (const result of await run.call(this, itemIndex, client)) {
				output.push({ ...result, pairedItem: { item: itemIndex } });
			}
		} catch (error) {
			const failure = asNodeError(this, error, itemIndex);
			if (!this.continueOnFail()) throw failure;
			output.push(errorItem(failure, itemIndex));
		}
	}
	return [output];
}
