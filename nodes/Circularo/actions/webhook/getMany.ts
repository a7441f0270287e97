import { updateDisplayOptions, type IDataObject } from 'n8n-workflow';

import { listWebhooks } from '../../circularo/endpoints/webhooks';
import type { OperationRun } from '../router';
import { returnAllProperties, wantedCount } from '../common/parameters';

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
export const execute: OperationRun = async function (itemIndex, client) {
	const wanted = wantedCount(this, itemIndex);
	return (await listWebhooks(client))
		.slice(0, wanted)
		.map((webhook) => ({ json: withoutSecret(webhook) }));
};
