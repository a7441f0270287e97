/**
 * At the end of a wait, webhook() removes this wait's registration: the one whose whole callback
 * URL is this wait's (this instance's resume URL for this node, with this request's document,
 * deadline and start) and whose echoed secret is this wait's. A registration that only ends in
 * the same `/<executionId>/<nodeId>` (another n8n's wait, one planted by someone who lists the
 * team's webhooks) is never touched. Failures are logged: the sweep (cleanup.ts) removes a
 * registration left behind once n8n itself says its execution has finished.
 */
import type { IWebhookFunctions } from 'n8n-workflow';

import type { CircularoClient } from '../../../circularo/client';
import { listWebhooks } from '../../../circularo/endpoints/webhooks';
import { removeWaitRegistration } from './cleanup';
import { sameCallbackUrl, sameSecret } from './ownership';
import { waitCallbackUrl, WAIT_QUERY, waitSigningSecret } from './registration';

/** This wait's callback URL as execute() registered it, rebuilt from n8n's resume URL and the query. */
function ownCallbackUrl(context: IWebhookFunctions, documentId: string): string | undefined {
	const query = context.getQueryData() as Record<string, unknown>;
	const until = Number(query[WAIT_QUERY.until]);
	const since = Number(query[WAIT_QUERY.since]);
	if (!Number.isFinite(until) || !Number.isFinite(since)) return undefined;
	try {
		const resumeUrl = String(context.evaluateExpression('{{ $execution.resumeUrl }}', 0));
		return waitCallbackUrl(resumeUrl, context.getNode().id, {
			documentId,
			until: new Date(until),
			since: new Date(since),
		});
	} catch {
		return undefined;
	}
}

export async function removeOwnRegistration(
	context: IWebhookFunctions,
	client: CircularoClient,
	documentId: string,
): Promise<void> {
	const later = 'a later Send and Wait for Signature run removes it';
	const own = ownCallbackUrl(context, documentId);
	if (own === undefined) {
		context.logger.warn(`Circularo: could not tell this wait's webhook URL; ${later}.`);
		return;
	}
	try {
		const secret = waitSigningSecret(
			await client.credentials(),
			context.getExecutionId(),
			context.getNode().id,
			documentId,
		);
		for (const webhook of await listWebhooks(client)) {
			if (sameCallbackUrl(webhook.callbackUrl, own) && sameSecret(webhook.hmacSecret, secret))
				await removeWaitRegistration(context, client, webhook.id);
		}
	} catch (error) {
		context.logger.warn(
			`Circularo: could not remove the webhook of this wait (${(error as Error).message}); ${later}.`,
		);
	}
}
