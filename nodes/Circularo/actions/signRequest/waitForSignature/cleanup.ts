/**
 * Removing the registrations of waits that have ended without our code: at the wait limit, on
 * cancel and on delete n8n runs no node code, so every run of Send and Wait for Signature looks at
 * Circularo's webhook list (never at process memory) and removes, among the registrations that are
 * provably this instance's own waits (ownership.ts), never any other,
 * - those whose deadline has passed, and
 * - those whose execution no longer waits: a POST without a signature to the callback URL is
 *   answered 401 by our webhook() while the execution waits there; n8n itself answers, before any
 *   node code runs, with its own 404 or 409 naming the execution when it no longer does
 *   (probeAnswer.ts). Redirects are not followed, any other answer keeps the registration, and a
 *   run probes at most PROBES_PER_RUN registrations at once, each for at most PROBE_TIMEOUT_MS.
 * Nothing here fails the run: a registration that cannot be removed now is tried again next time.
 */
import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import type { CircularoClient, CircularoCredentials } from '../../../circularo/client';
import { removeWebhook, type CircularoWebhook } from '../../../circularo/endpoints/webhooks';
import { ownWaitOf, waitingBaseOf } from './ownership';
import { n8nSaysEnded } from './probeAnswer';
import { leftoverVerdict } from './registration';

export const PROBE_TIMEOUT_MS = 2_000;
/** Probes per run, all at once (each costs n8n one execution load): the oldest waits first. */
export const PROBES_PER_RUN = 4;

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

/** Whether n8n itself says the execution no longer waits at this URL. */
async function n8nSaysWaitEnded(
	context: IExecuteFunctions,
	callbackUrl: string,
	executionId: string,
): Promise<boolean> {
	try {
		const response = (await context.helpers.httpRequest({
			method: 'POST',
			url: callbackUrl,
			body: {},
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: PROBE_TIMEOUT_MS,
		})) as { statusCode: number; body: unknown };
		return n8nSaysEnded(response.statusCode, response.body, executionId);
	} catch {
		// Unreachable now: keep it; its deadline removes it.
		return false;
	}
}

const sinceOf = (webhook: CircularoWebhook) =>
	Number(new URL(String(webhook.callbackUrl)).searchParams.get('circularoWaitSince') ?? 0) || 0;

/**
 * Removes the leftovers of this instance's waits among `webhooks` (Circularo's list); `resumeUrl`
 * is this execution's, which names this instance's waiting URL. Resolves how many it removed.
 */
export async function removeLeftoverWaits(
	context: IExecuteFunctions,
	client: CircularoClient,
	webhooks: CircularoWebhook[],
	own: { resumeUrl: string; credentials: CircularoCredentials },
	now = new Date(),
): Promise<number> {
	const waitingBase = waitingBaseOf(own.resumeUrl);
	const ended: CircularoWebhook[] = [];
	const toProbe: Array<{ webhook: CircularoWebhook; executionId: string }> = [];
	for (const webhook of webhooks) {
		const verdict = leftoverVerdict(webhook, now);
		if (verdict !== 'expired' && verdict !== 'probe') continue;
		const wait = ownWaitOf(webhook, waitingBase, own.credentials);
		if (wait === undefined) continue;
		if (verdict === 'expired') ended.push(webhook);
		else toProbe.push({ webhook, executionId: wait.executionId });
	}
	const probed = toProbe
		.sort((a, b) => sinceOf(a.webhook) - sinceOf(b.webhook))
		.slice(0, PROBES_PER_RUN);
	const answers = await Promise.all(
		probed.map(
			async ({ webhook, executionId }) =>
				await n8nSaysWaitEnded(context, String(webhook.callbackUrl), executionId),
		),
	);
	ended.push(...probed.filter((_, index) => answers[index]).map(({ webhook }) => webhook));
	let removed = 0;
	for (const webhook of ended) {
		if (await removeWaitRegistration(context, client, webhook.id)) removed++;
	}
	if (removed > 0)
		context.logger.info(`Circularo: removed ${removed} webhook(s) of waits that have ended`);
	return removed;
}
