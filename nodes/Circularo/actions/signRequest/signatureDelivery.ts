/**
 * A delivery to a waiting Send and Wait for Signature (the node's webhook()): verified like the
 * trigger's, then either acknowledged (the execution keeps waiting) or turned into the one item the
 * execution goes on with. Nothing here throws: n8n would end the wait as an error.
 */
import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { circularoClient, type CircularoClient } from '../../circularo/client';
import { readSignedBody } from '../../circularo/deliveries';
import { listWebhooks, WAIT_QUERY } from '../../circularo/endpoints';
import { rejectDelivery, signedBytes } from '../../trigger/delivery';
import { toTriggerItem } from '../../trigger/payload';
import { digestMatches } from '../../trigger/signature';
import { endingItem, endingOptions, endingOutputs, outcomeOfEvent } from './signatureOutcome';
import { deleteRegistration } from './waitCleanup';
import { isWaitOf, waitSigningSecret } from './waitRegistration';

/** The secret this wait's registration was made with; undefined when the credential cannot be read. */
async function registeredSecret(
	context: IWebhookFunctions,
	client: CircularoClient,
	documentId: string,
): Promise<string | undefined> {
	try {
		const credentials = await client.credentials();
		return waitSigningSecret(
			credentials,
			context.getExecutionId(),
			context.getNode().id,
			documentId,
		);
	} catch (error) {
		context.logger.warn(
			`Circularo: a delivery to a waiting execution was refused because the credential could not be read (${(error as Error).message})`,
		);
		return undefined;
	}
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
			await deleteRegistration(context, client, webhook.id);
	}
}

export async function receiveSignatureDelivery(
	context: IWebhookFunctions,
): Promise<IWebhookResponseData> {
	const receivedAt = new Date();
	// Refused before any credential is loaded.
	const signed = await signedBytes(context.getRequestObject());
	if (signed === null) return rejectDelivery(context);
	const { claimed, rawBody } = signed;
	const query = context.getQueryData() as Record<string, unknown>;
	const documentId = query[WAIT_QUERY.documentId];
	if (typeof documentId !== 'string' || documentId === '') return rejectDelivery(context);
	const client = circularoClient(context);
	const secret = await registeredSecret(context, client, documentId);
	if (secret === undefined || !digestMatches(secret, rawBody, claimed))
		return rejectDelivery(context);

	const delivery = toTriggerItem(readSignedBody(rawBody), receivedAt);
	const outcome = outcomeOfEvent(delivery.event);
	// Another document of the team, or a step that does not end the signing: keep waiting.
	if (delivery.documentId !== documentId || outcome === undefined) return {};

	await removeOwnRegistration(context, client);
	const item = await endingItem(
		context,
		client,
		{
			documentId,
			outcome,
			actor: delivery.actor,
			at: delivery.occurredAt ?? receivedAt.toISOString(),
		},
		endingOptions(context.getNodeParameter('options', {}) as object),
	);
	return { workflowData: endingOutputs(item) };
}
