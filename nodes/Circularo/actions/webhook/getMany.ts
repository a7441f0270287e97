import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import type { CircularoClient } from '../../circularo/client';
import { listWebhooks } from '../../circularo/endpoints';
import { returnAllProperties, wantedCount } from '../shared/parameters';

export const description = updateDisplayOptions(
	{ show: { resource: ['webhook'], operation: ['getAll'] } },
	returnAllProperties,
);

/** A webhook as an item: everything but its signing secret, which no item may carry. */
function withoutSecret(webhook: IDataObject): IDataObject {
	const { hmacSecret, ...rest } = webhook;
	return { ...rest, hasSigningSecret: typeof hmacSecret === 'string' && hmacSecret !== '' };
}

/** GET /webhooks: one item per webhook registration the API key can see. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	client: CircularoClient,
): Promise<INodeExecutionData[]> {
	const wanted = wantedCount(this, itemIndex);
	return (await listWebhooks(client))
		.slice(0, wanted)
		.map((webhook) => ({ json: withoutSecret(webhook) }));
}
