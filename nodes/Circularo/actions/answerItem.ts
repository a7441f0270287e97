/**
 * One Circularo call whose answer becomes the operation's single item, after what the node
 * already knows (the ID it acted on and what it did).
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	INodeExecutionData,
} from 'n8n-workflow';

import { asObject } from '../assumptions';
import type { FailureFixes } from '../transport/errors';
import { circularoApiRequest } from '../transport/request';

export async function answerItem(
	this: IExecuteFunctions,
	known: IDataObject,
	call: { method: IHttpRequestMethods; path: string; body?: IDataObject },
	action: string,
	fixes: FailureFixes,
): Promise<INodeExecutionData[]> {
	const answer: unknown = await circularoApiRequest.call(this, call.method, call.path, call.body, {
		action,
		fixes,
	});
	return [{ json: { ...known, ...asObject(answer) } }];
}
