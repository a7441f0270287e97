/**
 * The one way the trigger turns a failed Circularo call into text for the user.
 */
import {
	NodeApiError,
	type IHookFunctions,
	type IWebhookFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { describeApiFailure, readFailedRequest, type ApiFailure } from '../transport/errors';
import { apiRootUrl } from '../transport/request';

/** What failed and what to fix, as one sentence pair ("register the webhook" reads as `action`). */
export function describeCallFailure(
	action: string,
	error: unknown,
	serverUrl: string,
): ApiFailure & { text: string } {
	const failure = describeApiFailure(action, readFailedRequest(error), apiRootUrl(serverUrl));
	return { ...failure, text: `${failure.message}. ${failure.description}` };
}

/** A failed lifecycle call as n8n shows it when publishing fails (only the message is shown, so it carries the fix). */
export function apiError(
	context: IHookFunctions | IWebhookFunctions,
	action: string,
	error: unknown,
	serverUrl: string,
): NodeApiError {
	const { text, ...failure } = describeCallFailure(action, error, serverUrl);
	// Built from the description only: the original error carries the request, and with it the token.
	return new NodeApiError(context.getNode(), { message: text } as JsonObject, {
		...failure,
		message: text,
	});
}
