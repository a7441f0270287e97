/**
 * A delivery to a waiting Send and Wait for Signature (the node's webhook()): verified as the
 * trigger's are (webhooks/verifiedDelivery.ts), then either acknowledged (the execution keeps
 * waiting) or turned into the one item the execution goes on with. Nothing here throws: n8n would
 * end the wait as an error.
 *
 * A verified delivery is a doorbell, not a fact (webhooks/stateCheck.ts): one that claims its
 * document's signing has ended makes the node read the document, and only an ending Circularo
 * reports ends the wait, with that state as the outcome and who and when from the document's
 * history. A claim Circularo does not confirm within a few seconds leaves the execution waiting.
 */
import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { DownloadOptions } from '../../../circularo/documentFiles';
import { confirmedState, readDocument } from '../../../webhooks/stateCheck';
import { receiveVerified, type DeliveryAddress } from '../../../webhooks/verifiedDelivery';
import { removeOwnRegistration } from './ownRegistration';
import { endingItem, endingOutputs, outcomeOfEvent, outcomeOfState } from './outcome';
import { WAIT_QUERY, waitSigningSecret } from './registration';

export async function receiveSignatureDelivery(
	context: IWebhookFunctions,
): Promise<IWebhookResponseData> {
	return await receiveVerified(context, waitAddressed, async ({ client, item }) => {
		const documentId = context.getQueryData()[WAIT_QUERY.documentId as never] as string;
		// Another document of the team, or a step that does not end the signing: keep waiting.
		if (item.documentId !== documentId || outcomeOfEvent(item.event) === undefined) return {};
		const confirmed = await confirmedState({
			read: async () => await readDocument(client, documentId),
			accepts: (document) => outcomeOfState(document) !== undefined,
			acceptsGone: true,
		});
		if (confirmed === undefined) {
			context.logger.info(
				`Circularo: a delivery said the signing of document ${documentId} ended (${item.event}), but Circularo does not report it ended; the execution keeps waiting.`,
			);
			return {};
		}
		const record = confirmed.kind === 'document' ? confirmed.document : undefined;
		const outcome = record ? outcomeOfState(record) : 'deleted';
		if (outcome === undefined) return {};
		await removeOwnRegistration(context, client, documentId);
		const options = context.getNodeParameter('options', {}) as DownloadOptions;
		const ending = { documentId, outcome, actor: null, at: null, record };
		return { workflowData: endingOutputs(await endingItem(context, client, ending, options)) };
	});
}

/**
 * This wait's registration, by the document in its URL. Its secret is derived over the execution,
 * the node and that document, so a delivery to a URL whose document was altered does not verify.
 * A delivery that does not verify costs no second credential load.
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
				// Nothing else makes this secret: it is the registration's (or, after a credential
				// change, what the credential would derive again anyway), so it is kept at once.
				return { secret, confirmed: true };
			} catch (error) {
				context.logger.warn(
					`Circularo: a delivery to a waiting execution was refused because the credential could not be read (${(error as Error).message})`,
				);
				return undefined;
			}
		},
	};
}
