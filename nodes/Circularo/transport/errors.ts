/**
 * Reads what went wrong in a failed Circularo call and says what to fix; shared by both nodes.
 */
import { NodeApiError, type IDataObject, type INode, type JsonObject } from 'n8n-workflow';

import { errorMessageOf } from '../assumptions';
import type { ServerUrlProblem } from './serverUrl';

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
	/** Set when the node did not send the request at all, and why. */
	refusal?: ServerUrlProblem;
}

/** What to tell the user for a status, where the trigger's webhook-centred default does not fit. */
export type FailureFixes = Partial<Record<400 | 403 | 404 | 409, string>>;

const REDACTED = '[redacted]';
const MAX_SERVER_MESSAGE = 300;

/**
 * Removes the API key and secrets from text copied out of an answer: a gateway may echo the request
 * URL, and with it `?token=<key>`. Secrets are also removed URL-encoded.
 */
export function redactSecrets(
	text: string,
	secrets: ReadonlyArray<string | undefined> = [],
): string {
	let redacted = text.replace(/(token(?:=|%3D))[^&\s"'<>),;\]}]+/gi, `$1${REDACTED}`);
	for (const secret of secrets) {
		if (!secret || secret.length < 4) continue;
		for (const form of new Set([secret, encodeURIComponent(secret)]))
			redacted = redacted.split(form).join(REDACTED);
	}
	return redacted;
}

/** Circularo's own words from an error body: JSON, text or raw bytes. */
function serverMessageOf(data: unknown): string | undefined {
	if (Buffer.isBuffer(data) || data instanceof ArrayBuffer) {
		const text = Buffer.from(data as Buffer).toString('utf8');
		try {
			return serverMessageOf(JSON.parse(text));
		} catch {
			return serverMessageOf(text);
		}
	}
	if (typeof data === 'string') return data.trim() || undefined;
	if (data && typeof data === 'object') return errorMessageOf(data as IDataObject);
	return undefined;
}

/**
 * Reads status, network error code and Circularo's own message (redacted, then shortened) from
 * whatever n8n threw.
 */
export function readFailedRequest(
	error: unknown,
	secrets: ReadonlyArray<string | undefined> = [],
): FailedRequest {
	const e = (error ?? {}) as Record<string, any>;
	const cause = (e.cause ?? {}) as Record<string, any>;
	const statusText = e.httpCode ?? cause.response?.status ?? e.response?.status ?? e.statusCode;
	const status = Number(statusText);
	const said = serverMessageOf(e.context?.data ?? cause.response?.data ?? e.response?.data);
	const isStatus = Number.isInteger(status) && status > 0;
	// n8n puts a network error's code (ECONNRESET, ECONNABORTED, ...) where the status would be.
	const code = cause.code ?? e.errorResponse?.code ?? e.code ?? (isStatus ? undefined : statusText);
	const failed: FailedRequest = {
		status: isStatus ? status : undefined,
		code: typeof code === 'string' ? code : undefined,
		serverMessage:
			said === undefined ? undefined : redactSecrets(said, secrets).slice(0, MAX_SERVER_MESSAGE),
	};
	const refusal = e.context?.refusal as ServerUrlProblem | undefined;
	if (typeof refusal?.problem === 'string' && typeof refusal.fix === 'string')
		failed.refusal = refusal;
	return failed;
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

/** What a 403 from a webhook call means, read from Circularo's words. */
function webhookRightsFix(serverMessage = ''): string {
	const text = serverMessage.toLowerCase();
	if (/not enabled|disabled/.test(text)) {
		return 'Webhooks are not enabled for your Circularo tenant. Ask Circularo support to enable them.';
	}
	if (/tenant|global admin/.test(text)) {
		return 'Tenant-wide webhooks and webhooks for a named team need a global admin\'s API key. Use "My Team" as the Scope, or a global admin\'s key.';
	}
	if (/use_webhooks|right/.test(text)) {
		return 'The user behind the API key lacks the "use_webhooks" right. Ask your Circularo admin to grant it.';
	}
	if (/admin|role/.test(text)) {
		return 'The user behind the API key must be a team admin or global admin to manage webhooks.';
	}
	return 'The API key must belong to a team admin or global admin whose rights include "use_webhooks", and Circularo support must have enabled webhooks for your tenant.';
}

/**
 * Turns a failed Circularo call into a message that says what to fix. `action` reads like
 * "register the webhook"; `fixes` replace the webhook-centred advice for other calls.
 */
export function describeApiFailure(
	action: string,
	failure: FailedRequest,
	apiRoot: string,
	fixes: FailureFixes = {},
): ApiFailure {
	if (failure.refusal)
		return {
			message: `Refused to ${action}: ${failure.refusal.problem}`,
			description: failure.refusal.fix,
		};
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
				description: `${fixes[400] ?? 'Check the Scope and Team Name parameters.'}${said}`,
				httpCode,
			};
		case 401:
			return {
				message: `Circularo rejected the API key (401) when trying to ${action}`,
				description: `The API key in the Circularo API credential is wrong, revoked or expired. Create a new one in Circularo under Preferences > Manage API keys.${said}`,
				httpCode,
			};
		case 403:
			return {
				message: `Circularo refused to ${action} (403)`,
				description: `${fixes[403] ?? webhookRightsFix(failure.serverMessage)}${said}`,
				httpCode,
			};
		case 404:
			return {
				message: `Circularo could not find what it needed to ${action} (404)`,
				description:
					`${fixes[404] ?? ''}${said} If every call fails like this, check that the Server URL in the credential is your Circularo host (${apiRoot}).`.trim(),
				httpCode,
			};
		case 409:
			return {
				message: `Circularo reported a conflict (409) when trying to ${action}`,
				description: `${fixes[409] ?? 'Someone or something changed the document at the same time; run the node again.'}${said}`,
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

/**
 * The error a node throws for a failed call: built from the described failure only, so nothing of
 * the request (URL, token) goes with it. Circularo's redacted words stay readable for
 * readFailedRequest, so a caller may describe the failure again in its own terms.
 */
export function circularoApiError(
	node: INode,
	failure: ApiFailure,
	failed: FailedRequest,
): NodeApiError {
	const error = new NodeApiError(node, { message: failure.message } as JsonObject, {
		message: failure.message,
		description: failure.description,
		httpCode: failure.httpCode,
	});
	// As n8n does, a network error's code stands where the status would; set afterwards, because
	// NodeApiError replaces the message of a known code with its own generic one.
	if (!failure.httpCode && failed.code) error.httpCode = failed.code;
	if (failed.serverMessage) error.context.data = { message: failed.serverMessage };
	if (failed.refusal) error.context.refusal = { ...failed.refusal };
	return error;
}
