/**
 * What went wrong in a failed Circularo call and what to fix: one table of advice per endpoint,
 * used by both nodes, and the redaction of anything secret from Circularo's words.
 */
import { NodeApiError, type IDataObject, type INode, type JsonObject } from 'n8n-workflow';

import { errorMessageOf } from './answers';
import { REMINDER_REFUSALS } from './endpoints/reminders';
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

interface EndpointAdvice {
	/** Reads like "get the document": names the call in error messages. */
	action: string;
	/**
	 * [assumed] What each status means for this endpoint: Circularo documents 401 for a bad token and
	 * 409 for a version mismatch; 403 as a missing role or right, 404 as an unknown id and 409 also
	 * as an open sign request are read from its error words and a public client.
	 */
	advice: Partial<Record<400 | 403 | 404 | 409, Advice>>;
}

const DOCUMENT_RIGHTS =
	'The user behind the API key may not do this with this document: it needs the use_document_management right and access to the document (its owner, its team or an admin).';
const UNKNOWN_DOCUMENT =
	'Check the Document ID: no document with this ID is visible to the user behind the API key.';
const SHARE_RIGHTS =
	'Only the owner of the document or the user who shared it may share it or cancel the sign request.';

/** What a 403 from a webhook call means, read from Circularo's words. */
function webhookRightsFix(serverMessage: string): string {
	const text = serverMessage.toLowerCase();
	if (/not enabled|disabled/.test(text)) {
		return 'Webhooks are not enabled for your Circularo tenant. Ask Circularo support to enable them.';
	}
	if (/team admin or global admin/.test(text)) {
		return 'The user behind the API key must be a team admin or global admin to manage webhooks.';
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

/** What Circularo's refusal of a reminder means, in plain words (its documented rules). */
function reminderRefusalFix(serverMessage: string): string {
	if (REMINDER_REFUSALS.alreadyToday.test(serverMessage))
		return 'Circularo sends at most one reminder per share per day, and this recipient was already reminded today. Try again tomorrow.';
	if (REMINDER_REFUSALS.noActionNeeded.test(serverMessage))
		return 'The recipient no longer has anything to do (already signed, rejected, cancelled or only asked to view), and Circularo reminds only recipients who still have to sign, approve or review.';
	return 'Circularo reminds only recipients who still have to sign, approve or review, at most once per share per day.';
}

/** Signing links, reminders and templates (endpoints/signingLinks.ts, reminders.ts, templates.ts). */
const SIGNING_EXTRAS_ADVICE = {
	validateShare: {
		action: 'get the signing link',
		advice: {
			400: 'Circularo gives a direct signing link only for a share protected by a one-time password (by e-mail or SMS) or OAuth. Send the request with Protection set for this recipient; a Circularo user signs after logging in instead.',
			403: 'Only the owner of the document or the user who shared it may get its signing links.',
			404: 'Check the Share ID: no share with this ID is visible to the user behind the API key.',
		},
	},
	sendReminder: {
		action: 'send the reminder',
		advice: {
			400: reminderRefusalFix,
			403: 'Only the owner of the document or the user who shared it may send reminders.',
			404: 'Check the Document ID or Share IDs: nothing with this ID is visible to the user behind the API key.',
			409: reminderRefusalFix,
		},
	},
	listTemplates: {
		action: 'list the templates',
		advice: { 403: 'The user behind the API key may not read the templates of this tenant.' },
	},
	getTemplate: {
		action: 'get the template',
		advice: {
			403: 'The user behind the API key may not use this template.',
			404: 'Check the Template: no template with this ID is visible to the user behind the API key.',
		},
	},
} satisfies Record<string, EndpointAdvice>;

/** Every endpoint either node calls, by the name of its function in endpoints.ts. */
export const ENDPOINT_ADVICE = {
	listDocumentTypes: {
		action: 'list the document types',
		advice: { 403: 'The user behind the API key may not read the document types of this tenant.' },
	},
	getDocument: {
		action: 'get the document',
		advice: { 403: DOCUMENT_RIGHTS, 404: UNKNOWN_DOCUMENT },
	},
	searchDocuments: {
		action: 'search documents',
		advice: { 400: 'Check the filters of this operation.', 403: DOCUMENT_RIGHTS },
	},
	uploadFile: {
		action: 'upload the file',
		advice: {
			400: 'Check the file and its name.',
			403: 'The user behind the API key needs the use_file_management right to upload files.',
		},
	},
	createDocument: {
		action: 'create the document',
		advice: {
			400: 'Check the Document Type, the metadata fields and the workflow.',
			403: 'The user behind the API key needs the use_document_management right and access to this document type.',
		},
	},
	deleteDocuments: {
		action: 'delete the document',
		advice: {
			403: DOCUMENT_RIGHTS,
			404: UNKNOWN_DOCUMENT,
			409: 'The document changed since the given Version. Get the document for its current version, or leave Version empty.',
		},
	},
	downloadFile: {
		action: "download the document's PDF",
		advice: {
			403: DOCUMENT_RIGHTS,
			404: 'Check that the document still exists and has a PDF.',
		},
	},
	downloadAuditTrail: {
		action: 'download the audit trail',
		advice: { 403: DOCUMENT_RIGHTS, 404: UNKNOWN_DOCUMENT },
	},
	share: {
		action: 'send the sign request',
		advice: {
			400: 'Check the recipients (e-mail addresses or usernames, purposes, dates) and the signature fields.',
			403: SHARE_RIGHTS,
			404: UNKNOWN_DOCUMENT,
			409: 'The document already has an open sign request: cancel it first.',
		},
	},
	cancelShare: {
		action: 'cancel the sign request',
		advice: {
			403: SHARE_RIGHTS,
			404: 'Check the Share ID: no share with this ID is visible to the user behind the API key.',
			409: 'The sign request is no longer active (completed or cancelled).',
		},
	},
	listWebhooks: {
		action: 'list webhooks',
		advice: { 403: webhookRightsFix },
	},
	createWebhook: {
		action: 'register the webhook',
		advice: { 400: 'Check the Scope and Team Name parameters.', 403: webhookRightsFix },
	},
	deleteWebhook: {
		action: 'delete the webhook',
		advice: {
			403: webhookRightsFix,
			404: 'Check the Webhook ID: the webhook may have been deleted already, or belong to another team.',
		},
	},
	...SIGNING_EXTRAS_ADVICE,
} satisfies Record<string, EndpointAdvice>;

export type Endpoint = keyof typeof ENDPOINT_ADVICE;

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
	endpoint: Endpoint,
	failure: FailedRequest,
	apiRoot: string,
): ApiFailure {
	const { action, advice } = ENDPOINT_ADVICE[endpoint] as EndpointAdvice;
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
 * the request (URL, token) goes with it. Circularo's redacted words stay readable for
 * readFailedRequest. With `fixInMessage` the message carries the description too: where n8n shows
 * only the message (a failed activation).
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
	if (failed.serverMessage) error.context.data = { message: failed.serverMessage };
	return error;
}
