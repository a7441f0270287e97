/**
 * Removing the registrations of waits that have ended without our code: at the wait limit, on
 * cancel and on delete n8n runs no node code, so every run of Send and Wait for Signature looks at
 * Circularo's webhook list (never at process memory) and removes
 * - a wait's registration whose deadline has passed, and
 * - one whose execution no longer waits: a POST without a signature to its callback URL is
 *   answered 401 by our webhook() while the execution waits there, but 404 (execution deleted, or
 *   waiting elsewhere) or 409 (cancelled or finished) by n8n itself before any node code runs.
 * Nothing here fails the run: a registration that cannot be removed now is tried again next time.
 */
import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import type { CircularoClient } from '../../../circularo/client';
import { removeWebhook, type CircularoWebhook } from '../../../circularo/endpoints/webhooks';
import { leftoverVerdict } from './registration';

/** n8n's answers to an unsigned probe that mean "this execution no longer waits here". */
const ENDED_STATUSES = [404, 409];
const PROBE_TIMEOUT_MS = 5_000;
/** Probes sent at once (each costs n8n one execution load). */
const PROBES_AT_ONCE = 4;

/** Deletes one registration; already gone counts as done. False (logged) when it failed. */
export async function removeWaitRegistration(
	context: IExecuteFunctions | IWebhookFunctions,
	client: CircularoClient,
	webhookId: string,
): Promise<boolean> {
	try {
		await removeWebhook(client, webhookId);
		return true;
	} catch (error) {
		context.logger.warn(
			`Circularo: could not remove the webhook ${webhookId} of a finished wait (${(error as Error).message}); the next Send and Wait for Signature run tries again.`,
		);
		return false;
	}
}

async function executionStillWaits(context: IExecuteFunctions, callbackUrl: string) {
	try {
		const response = (await context.helpers.httpRequest({
			method: 'POST',
			url: callbackUrl,
			body: {},
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: PROBE_TIMEOUT_MS,
		})) as { statusCode: number };
		return !ENDED_STATUSES.includes(response.statusCode);
	} catch {
		// Unreachable now: keep it; its deadline removes it.
		return true;
	}
}

/** Removes the leftovers among `webhooks` (Circularo's list). Resolves how many it removed. */
export async function removeLeftoverWaits(
	context: IExecuteFunctions,
	client: CircularoClient,
	webhooks: CircularoWebhook[],
	now = new Date(),
): Promise<number> {
	const ended: CircularoWebhook[] = [];
	const toProbe: CircularoWebhook[] = [];
	for (const webhook of webhooks) {
		const verdict = leftoverVerdict(webhook, now);
		if (verdict === 'expired') ended.push(webhook);
		if (verdict === 'probe') toProbe.push(webhook);
	}
	for (let start = 0; start < toProbe.length; start += PROBES_AT_ONCE) {
		const batch = toProbe.slice(start, start + PROBES_AT_ONCE);
		const waits = await Promise.all(
			batch.map(async (webhook) => await executionStillWaits(context, String(webhook.callbackUrl))),
		);
		ended.push(...batch.filter((_, index) => !waits[index]));
	}
	let removed = 0;
	for (const webhook of ended) {
		if (await removeWaitRegistration(context, client, webhook.id)) removed++;
	}
	if (removed > 0)
		context.logger.info(`Circularo: removed ${removed} webhook(s) of waits that have ended`);
	return removed;
}
