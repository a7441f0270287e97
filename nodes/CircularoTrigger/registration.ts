/**
 * Pure helpers for the webhook lifecycle: which registration this node wants, whether a remote one
 * is it, whether Circularo could ever reach the callback URL, and what to tell the user when
 * Circularo refuses.
 */
import type { CircularoWebhook, CircularoWebhookRequest, WebhookScopeType } from './types';

export type ScopeOption = 'myTeam' | 'tenant' | 'namedTeam';

export function webhookRequestFor(
	scope: ScopeOption,
	teamName: string,
	callbackUrl: string,
	hmacSecret: string,
): CircularoWebhookRequest {
	const type: WebhookScopeType = scope === 'tenant' ? 'tenant' : 'team';
	const request: CircularoWebhookRequest = { type, callbackUrl, hmacSecret };
	if (scope === 'namedTeam') request.name = teamName.trim();
	return request;
}

/** Same callback URL and scope; the secret is compared separately. */
export function isSameTarget(remote: CircularoWebhook, wanted: CircularoWebhookRequest): boolean {
	if (remote.callbackUrl !== wanted.callbackUrl || remote.type !== wanted.type) return false;
	// For "my team" Circularo fills in the team name itself, so only a requested name must match.
	return wanted.name === undefined || remote.name === wanted.name;
}

type HostClass = 'loopback' | 'private' | 'public';

function ipv4Class(host: string): HostClass | undefined {
	const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
	if (!match) return undefined;
	const [a, b] = [Number(match[1]), Number(match[2])];
	if (a === 127 || a === 0) return 'loopback';
	if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
	if (a === 169 && b === 254) return 'private'; // link-local
	if (a === 100 && b >= 64 && b <= 127) return 'private'; // carrier-grade NAT
	return 'public';
}

function hostClass(hostname: string): HostClass {
	const host = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
	if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
	const v4 = ipv4Class(host);
	if (v4) return v4;
	if (host.includes(':')) {
		if (host === '::1' || host === '::') return 'loopback';
		const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
		if (mapped) return ipv4Class(mapped[1]) ?? 'public';
		if (/^f[cd]/.test(host) || /^fe[89ab]/.test(host)) return 'private';
		return 'public';
	}
	if (host.endsWith('.local') || host.endsWith('.internal') || !host.includes('.')) return 'private';
	return 'public';
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
	const where = callbackClass === 'loopback' ? 'this machine only (localhost)' : 'a private network';
	return `the webhook URL ${callback.origin} points to ${where}, which Circularo cannot reach`;
}

export const WEBHOOK_URL_HINT =
	'Set the WEBHOOK_URL environment variable of n8n to the public HTTPS address under which Circularo can reach this n8n (for example https://n8n.example.com/), restart n8n and activate the workflow again. For local testing use a tunnel (for example n8n start --tunnel, ngrok or cloudflared).';

export interface ApiFailure {
	message: string;
	description: string;
	httpCode?: string;
}

/** The parts of a failed request that explain it; never the request itself (it carries the token). */
export interface FailedRequest {
	status?: number;
	code?: string;
	serverMessage?: string;
}

/** Reads status, network error code and Circularo's own message from whatever n8n threw. */
export function readFailedRequest(error: unknown): FailedRequest {
	const e = (error ?? {}) as Record<string, any>;
	const cause = (e.cause ?? {}) as Record<string, any>;
	const statusText = e.httpCode ?? cause.response?.status ?? e.response?.status ?? e.statusCode;
	const status = Number(statusText);
	const data = e.context?.data ?? cause.response?.data ?? e.response?.data;
	let serverMessage: string | undefined;
	if (typeof data === 'string' && data.trim() !== '') serverMessage = data.trim().slice(0, 300);
	else if (data && typeof data === 'object') {
		const candidate = data.error?.message ?? data.message ?? data.error;
		if (typeof candidate === 'string') serverMessage = candidate.slice(0, 300);
	}
	const isStatus = Number.isInteger(status) && status > 0;
	// n8n puts a network error's code (ECONNRESET, ECONNABORTED, ...) where the status would be.
	const code = cause.code ?? e.errorResponse?.code ?? e.code ?? (isStatus ? undefined : statusText);
	return {
		status: isStatus ? status : undefined,
		code: typeof code === 'string' ? code : undefined,
		serverMessage,
	};
}

const NETWORK_CODES: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ECONNRESET: 'the connection was dropped',
	ECONNABORTED: 'the request timed out',
	ETIMEDOUT: 'the request timed out',
	ENOTFOUND: 'the host name could not be resolved',
	EAI_AGAIN: 'the host name could not be resolved',
	EPIPE: 'the connection was dropped',
	ERR_SOCKET_CONNECTION_TIMEOUT: 'the request timed out',
};

/**
 * Turns a failed Circularo call into a message that says what to fix. `action` reads like
 * "register the webhook".
 */
export function describeApiFailure(action: string, failure: FailedRequest, apiRoot: string): ApiFailure {
	const said = failure.serverMessage ? ` Circularo said: "${failure.serverMessage}".` : '';
	const httpCode = failure.status === undefined ? undefined : String(failure.status);
	switch (failure.status) {
		case undefined: {
			const why = (failure.code && NETWORK_CODES[failure.code]) ?? failure.code ?? 'no answer';
			return {
				message: `Could not reach Circularo to ${action}: ${why}`,
				description: `No answer from ${apiRoot}. Check the Server URL in the Circularo API credential (for example https://yourcompany.circularo.com) and that n8n can reach it.`,
			};
		}
		case 400:
			return {
				message: `Circularo did not accept the request to ${action} (400)`,
				description: `Check the Scope and Team Name parameters.${said}`,
				httpCode,
			};
		case 401:
			return {
				message: `Circularo rejected the API key (401) when trying to ${action}`,
				description: `The API key in the Circularo API credential is wrong, revoked or expired. Create a new one in Circularo under Preferences > Manage API keys.${said}`,
				httpCode,
			};
		case 403: {
			const text = (failure.serverMessage ?? '').toLowerCase();
			let fix =
				'The API key must belong to a team admin or global admin whose rights include "use_webhooks", and Circularo support must have enabled webhooks for your tenant.';
			if (/not enabled|disabled/.test(text)) {
				fix = 'Webhooks are not enabled for your Circularo tenant. Ask Circularo support to enable them.';
			} else if (/tenant|global admin/.test(text)) {
				fix = 'Tenant-wide webhooks and webhooks for a named team need a global admin\'s API key. Use "My Team" as the Scope, or a global admin\'s key.';
			} else if (/use_webhooks|right/.test(text)) {
				fix = 'The user behind the API key lacks the "use_webhooks" right. Ask your Circularo admin to grant it.';
			} else if (/admin|role/.test(text)) {
				fix = 'The user behind the API key must be a team admin or global admin to manage webhooks.';
			}
			return {
				message: `Circularo refused to ${action} (403)`,
				description: `${fix}${said}`,
				httpCode,
			};
		}
		case 404:
			return {
				message: `Circularo could not find what it needed to ${action} (404)`,
				description: `${said.trim()} If every call fails like this, check that the Server URL in the credential is your Circularo host (${apiRoot}).`.trim(),
				httpCode,
			};
		case 429:
			return {
				message: `Circularo is rate limiting requests (429) when trying to ${action}`,
				description: `Wait a minute and try again.${said}`,
				httpCode,
			};
		default:
			return {
				message: `Circularo failed to ${action} (${failure.status})`,
				description:
					failure.status >= 500
						? `Circularo had a server error; try again later.${said}`
						: `Unexpected answer from Circularo.${said}`,
				httpCode,
			};
	}
}
