import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { resultsOf } from '../../assumptions';
import { circularoApiRequest } from '../../transport/request';
import { WEBHOOK_ADVICE } from '../advice';
import { forOperation } from '../descriptions';
import { returnAllProperties, wantedCount } from '../returnAll';

export const description = forOperation('webhook', 'getAll', returnAllProperties);

/** A webhook as an item: everything but its signing secret, which no item may carry. */
function withoutSecret(webhook: IDataObject): IDataObject {
	const { hmacSecret, ...rest } = webhook;
	return { ...rest, hasSigningSecret: typeof hmacSecret === 'string' && hmacSecret !== '' };
}

/** GET /webhooks: one item per webhook registration the API key can see. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const wanted = wantedCount(this, itemIndex);
	const answer = await circularoApiRequest.call(this, 'GET', '/webhooks', undefined, {
		action: 'list webhooks',
		fixes: WEBHOOK_ADVICE,
	});
	return resultsOf(answer)
		.slice(0, wanted)
		.map((webhook) => ({ json: withoutSecret(webhook) }));
}
