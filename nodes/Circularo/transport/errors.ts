/**
 * Reads what went wrong in a failed Circularo call and says what to fix; shared by both nodes.
 */
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
