/** The trigger's webhook registration. */
import type { CircularoWebhook } from '../types';

/**
 * [assumed] Deleting a webhook: Circularo says webhooks can be deleted, not how. Assumed
 * `DELETE /webhooks/:id`, where `404` means already gone. Nor is a get-by-id or an update
 * documented, so a webhook is found by listing (`GET /webhooks`) and changed by deleting and
 * creating it again.
 */
export const DELETE_WEBHOOK = {
	method: 'DELETE',
	path(webhookId: string): string {
		return `/webhooks/${encodeURIComponent(webhookId)}`;
	},
	goneStatus: 404,
} as const;

/**
 * [assumed] The list echoes each webhook's `hmacSecret` as create does (documented for create
 * only): an entry naming another secret is not this registration; one naming none is trusted.
 */
export function webhookSecretMatches(webhook: CircularoWebhook, secret: string): boolean {
	return webhook.hmacSecret === undefined || webhook.hmacSecret === secret;
}
