/**
 * What went wrong in a failed Circularo call and what to fix (each endpoint's own advice is declared
 * beside it, in endpoints/), and the redaction of anything secret from Circularo's words.
 */
import { NodeApiError, type IDataObject, type INode, type JsonObject } from 'n8n-workflow';

import { errorMessageOf } from './answers';
import type { ServerUrlProblem } from '../../../credentials/serverUrl';

/** The parts of a failed request that explain it; never the request itself (it carries the token). */
export interface FailedRequest {
	status?: number;
	code?: string;
	serverMessage?: string;
	/** Set when the node did not send the request at all, and why. */
	refusal?: ServerUrlProblem;
}

export interface ApiFailure {
	message: string;
	description: string;
	httpCode?: string;
}

type Advice = string | ((serverMessage: string) => string);

/** What to say when a call to one endpoint fails: declared beside the endpoint's function. */
export interface EndpointAdvice {
	/** Reads like "get the document": names the call in error messages. */
	action: string;
	/**
	 * [assumed] What each status means for this endpoint: Circularo documents 401 for a bad token and
	 * 409 for a version mismatch; 403 as a missing role or right, 404 as an unknown id and 409 also
	 * as an open sign request are read from its error words and a public client.
	 */
	advice: Partial<Record<400 | 403 | 404 | 409, Advice>>;
}

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
	return {
		status: isStatus ? status : undefined,
		code: typeof code === 'string' ? code : undefined,
		serverMessage:
			said === undefined ? undefined : redactSecrets(said, secrets).slice(0, MAX_SERVER_MESSAGE),
	};
}

/** The HTTP status of a failed call as the client threw it, if Circularo answered. */
export function statusOf(error: unknown): number | undefined {
	return readFailedRequest(error).status;
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

/** What a status says whatever the endpoint: the message, and the fix where the endpoint has none. */
const STATUSES: Record<number, [(action: string) => string, string]> = {
	400: [
		(action) => `Circularo did not accept the request to ${action} (400)`,
		'Check the parameters of this operation.',
	],
	// The endpoint's advice does not apply: a rejected key is the credential's matter.
	401: [
		(action) => `Circularo rejected the API key (401) when trying to ${action}`,
		'The API key in the Circularo API credential is wrong, revoked or expired. Create a new one in Circularo under Preferences > Manage API keys.',
	],
	403: [
		(action) => `Circularo refused to ${action} (403)`,
		'The user behind the API key lacks the rights for this.',
	],
	404: [(action) => `Circularo could not find what it needed to ${action} (404)`, ''],
	409: [
		(action) => `Circularo reported a conflict (409) when trying to ${action}`,
		'Someone or something changed the document at the same time; run the node again.',
	],
	429: [
		(action) => `Circularo is rate limiting requests (429) when trying to ${action}`,
		'Wait a minute and try again.',
	],
};

/** Turns a failed call to `endpoint` into a message that says what to fix. */
export function describeApiFailure(
	endpoint: EndpointAdvice,
	failure: FailedRequest,
	apiRoot: string,
): ApiFailure {
	const { action, advice } = endpoint;
	if (failure.refusal)
		return {
			message: `Refused to ${action}: ${failure.refusal.problem}`,
			description: failure.refusal.fix,
		};
	const said = failure.serverMessage ? ` Circularo said: "${failure.serverMessage}".` : '';
	const status = failure.status;
	if (status === undefined) {
		const why = (failure.code && NETWORK_CODES[failure.code]) ?? failure.code ?? 'no answer';
		return {
			message: `Could not reach Circularo to ${action}: ${why}`,
			description: `No answer from ${apiRoot}. Check the Server URL in the Circularo API credential (for example https://yourcompany.circularo.com) and that n8n can reach it.`,
		};
	}
	const given = advice[status as 400 | 403 | 404 | 409];
	const [message, fallback] = STATUSES[status] ?? [
		(doing: string) => `Circularo failed to ${doing} (${status})`,
		status >= 500
			? 'Circularo had a server error; try again later.'
			: 'Unexpected answer from Circularo.',
	];
	const fix =
		typeof given === 'function' ? given(failure.serverMessage ?? '') : (given ?? fallback);
	const description =
		status === 404
			? `${fix}${said} If every call fails like this, check that the Server URL in the credential is your Circularo host (${apiRoot}).`.trim()
			: `${fix}${said}`;
	return { message: message(action), description, httpCode: String(status) };
}

/**
 * The error a node throws for a failed call: built from the described failure only, so nothing of
 * the request (URL, token) goes with it; Circularo's redacted words are in the description. With
 * `fixInMessage` the message carries the description too: where n8n shows only the message (a
 * failed activation).
 */
export function circularoApiError(
	node: INode,
	failure: ApiFailure,
	failed: FailedRequest,
	fixInMessage = false,
): NodeApiError {
	const message = fixInMessage ? `${failure.message}. ${failure.description}` : failure.message;
	const error = new NodeApiError(node, { message } as JsonObject, {
		message,
		description: failure.description,
		httpCode: failure.httpCode,
	});
	// As n8n does, a network error's code stands where the status would; set afterwards, because
	// NodeApiError replaces the message of a known code with its own generic one.
	if (!failure.httpCode && failed.code) error.httpCode = failed.code;
	return error;
}
