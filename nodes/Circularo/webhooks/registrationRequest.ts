/**
 * Where a registration delivers to, for both receivers: the request for a scope and callback URL,
 * and whether Circularo could ever reach that URL (with what to tell the user when it cannot).
 */
import type { WebhookRequest, WebhookScopeType } from '../circularo/endpoints/webhooks';
import { hostClass, type HostClass } from '../../../credentials/serverUrl';

export type ScopeOption = 'myTeam' | 'tenant' | 'namedTeam';

export function webhookRequestFor(
	scope: ScopeOption,
	teamName: string,
	callbackUrl: string,
	hmacSecret: string,
): WebhookRequest {
	const type: WebhookScopeType = scope === 'tenant' ? 'tenant' : 'team';
	const request: WebhookRequest = { type, callbackUrl, hmacSecret };
	if (scope === 'namedTeam') request.name = teamName.trim();
	return request;
}

const REACH: Record<HostClass, number> = { loopback: 0, private: 1, public: 2 };

/**
 * Why Circularo cannot deliver to `callbackUrl`, or null when it can. Circularo reaches a loopback
 * callback only from the same machine and a private one only from a private network, so a
 * Circularo server (or the local simulator) on such a host may use it; a hosted tenant may not.
 */
export function unreachableCallbackReason(callbackUrl: string, serverUrl: string): string | null {
	let callback: URL;
	try {
		callback = new URL(callbackUrl);
	} catch {
		return `the webhook URL "${callbackUrl}" is not a valid URL`;
	}
	if (callback.protocol !== 'http:' && callback.protocol !== 'https:') {
		return `the webhook URL uses ${callback.protocol} instead of http or https`;
	}
	let serverClass: HostClass = 'public';
	try {
		serverClass = hostClass(new URL(serverUrl).hostname);
	} catch {
		serverClass = 'public';
	}
	const callbackClass = hostClass(callback.hostname);
	if (REACH[callbackClass] >= REACH[serverClass]) return null;
	const where =
		callbackClass === 'loopback' ? 'this machine only (localhost)' : 'a private network';
	return `the webhook URL ${callback.origin} points to ${where}, which Circularo cannot reach`;
}

export const WEBHOOK_URL_HINT =
	'Set the WEBHOOK_URL environment variable of n8n to the public HTTPS address under which Circularo can reach this n8n (for example https://n8n.example.com/), restart n8n and activate the workflow again. For local testing use a tunnel (for example n8n start --tunnel, ngrok or cloudflared).';
