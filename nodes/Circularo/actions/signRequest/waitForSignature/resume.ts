/**
 * A delivery to a waiting Send and Wait for Signature (the node's webhook()): verified as the
 * trigger's are (webhooks/verifiedDelivery.ts), then either acknowledged (the execution keeps
 * waiting) or turned into the one item the execution goes on with. Nothing here throws: n8n would
 * end the wait as an error.
 */
import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { CircularoClient } from '../../../circularo/client';
import type { DownloadOptions } from '../../../circularo/documentFiles';
import { listWebhooks } from '../../../circularo/endpoints/webhooks';
import { receiveVerified, type DeliveryAddress } from '../../../webhooks/verifiedDelivery';
import { removeWaitRegistration } from './cleanup';
import { endingItem, endingOutputs, outcomeOfEvent } from './outcome';
import { isWaitOf, WAIT_QUERY, waitSigningSecret } from './registration';

export async function receiveSignatureDelivery(
	context: IWebhookFunctions,
): Promise<IWebhookResponseData> {
	return await receiveVerified(context, waitAddressed, async ({ client, item, receivedAt }) => {
		const documentId = context.getQueryData()[WAIT_QUERY.documentId as never] as string;
		const outcome = outcomeOfEvent(item.event);
		// Another document of the team, or a step that does not end the signing: keep waiting.
		if (item.documentId !== documentId || outcome === undefined) return {};
		await removeOwnRegistration(context, client);
		const ending = { documentId, outcome, actor: item.actor };
		const at = item.occurredAt ?? receivedAt.toISOString();
		const options = context.getNodeParameter('options', {}) as DownloadOptions;
		return {
			workflowData: endingOutputs(await endingItem(context, client, { ...ending, at }, options)),
		};
	});
}

/**
 * This wait's registration, by the document in its URL. Its secret is derived over the execution,
 * the node and that document, so a delivery to a URL whose document was altered does not verify.
 */
function waitAddressed(context: IWebhookFunctions): DeliveryAddress | undefined {
	const documentId = (context.getQueryData() as Record<string, unknown>)[WAIT_QUERY.documentId];
	if (typeof documentId !== 'string' || documentId === '') return undefined;
	const executionId = context.getExecutionId();
	const nodeId = context.getNode().id;
	return {
		secretKey: JSON.stringify(['sendAndWait', executionId, nodeId, documentId]),
		async secretFromCredential(client) {
			try {
				const credentials = await client.credentials();
				const secret = waitSigningSecret(credentials, executionId, nodeId, documentId);
				return { secret, confirmed: false };
			} catch (error) {
				context.logger.warn(
					`Circularo: a delivery to a waiting execution was refused because the credential could not be read (${(error as Error).message})`,
				);
				return undefined;
			}
		},
	};
}

/** Removes this wait's registration (found in Circularo's list by its URL); failures are logged. */
async function removeOwnRegistration(context: IWebhookFunctions, client: CircularoClient) {
	let webhooks;
	try {
		webhooks = await listWebhooks(client);
	} catch (error) {
		context.logger.warn(
			`Circularo: could not list the webhooks to remove the one of this wait (${(error as Error).message}); a later Send and Wait for Signature run removes it.`,
		);
		return;
	}
	const executionId = context.getExecutionId();
	const nodeId = context.getNode().id;
	for (const webhook of webhooks) {
		if (isWaitOf(webhook, executionId, nodeId))
			await removeWaitRegistration(context, client, webhook.id);
	}
}
