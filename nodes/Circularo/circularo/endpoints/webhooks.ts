/** Webhook registrations: list, create, delete. */
import type { IDataObject } from 'n8n-workflow';

import { answerLacks, asObject, firstResultOf, resultsOf, textOf } from '../answers';
import { ABSENT, type CircularoClient } from '../client';
import type { EndpointAdvice } from '../errors';

/** What a 403 from a webhook call means, read from Circularo's words. */
function webhookRightsFix(serverMessage: string): string {
	const text = serverMessage.toLowerCase();
	if (/not enabled|disabled/.test(text))
		return 'Webhooks are not enabled for your Circularo tenant. Ask Circularo support to enable them.';
	if (/team admin or global admin/.test(text))
		return 'The user behind the API key must be a team admin or global admin to manage webhooks.';
	if (/tenant|global admin/.test(text))
		return 'Tenant-wide webhooks and webhooks for a named team need a global admin\'s API key. Use the "My Team" scope, or a global admin\'s key.';
	if (/use_webhooks|right/.test(text))
		return 'The user behind the API key lacks the "use_webhooks" right. Ask your Circularo admin to grant it.';
	if (/admin|role/.test(text))
		return 'The user behind the API key must be a team admin or global admin to manage webhooks.';
	return 'The API key must belong to a team admin or global admin whose rights include "use_webhooks", and Circularo support must have enabled webhooks for your tenant.';
}

export type WebhookScopeType = 'tenant' | 'team';

/** A webhook as Circularo returns it from POST /webhooks and GET /webhooks. */
export interface CircularoWebhook extends IDataObject {
	id: string;
	type?: string;
	name?: string | null;
	callbackUrl?: string;
	hmacSecret?: string | null;
}

/** What POST /webhooks takes (documented). */
export interface WebhookRequest {
	type: WebhookScopeType;
	name?: string;
	callbackUrl: string;
	hmacSecret: string;
}

/** A webhook record with its id read as text, or undefined when it has none. */
function webhookOf(record: IDataObject | undefined): CircularoWebhook | undefined {
	const webhookId = textOf(record?.id);
	return webhookId === undefined ? undefined : { ...record, id: webhookId };
}

export const LIST_WEBHOOKS: EndpointAdvice = {
	action: 'list webhooks',
	advice: { 403: webhookRightsFix },
};

/**
 * GET /webhooks: documented wrapped in `results[]`; [assumed] a bare array is read too. No
 * get-by-id or update is documented, so a webhook is found by listing.
 */
export async function listWebhooks(client: CircularoClient): Promise<CircularoWebhook[]> {
	const answer = await client.request({
		endpoint: LIST_WEBHOOKS,
		method: 'GET',
		path: '/webhooks',
	});
	return resultsOf(answer)
		.map(webhookOf)
		.filter((webhook): webhook is CircularoWebhook => webhook !== undefined);
}

export const CREATE_WEBHOOK: EndpointAdvice = {
	action: 'register the webhook',
	advice: {
		400: "Check the webhook's scope and, for a named team, the team name.",
		403: webhookRightsFix,
	},
};

/** POST /webhooks: the created webhook, documented unwrapped (a wrapped one is read too). */
export async function createWebhook(
	client: CircularoClient,
	request: WebhookRequest,
): Promise<CircularoWebhook> {
	const answer = await client.request({
		endpoint: CREATE_WEBHOOK,
		method: 'POST',
		path: '/webhooks',
		body: { ...request },
	});
	return (
		webhookOf(firstResultOf(answer)) ??
		answerLacks(
			client,
			'Circularo answered the webhook registration without an id',
			'Deactivate and activate the workflow again. If it keeps happening, contact Circularo support.',
		)
	);
}

const DELETE_WEBHOOK: EndpointAdvice = {
	action: 'delete the webhook',
	advice: {
		403: webhookRightsFix,
		404: 'Check the Webhook ID: the webhook may have been deleted already, or belong to another team.',
	},
};

/**
 * [assumed] Deleting a webhook: Circularo says webhooks can be deleted, not how. Assumed
 * `DELETE /webhooks/:id`, where a 404 means already gone (see removeWebhook).
 */
export async function deleteWebhook(
	client: CircularoClient,
	webhookId: string,
): Promise<IDataObject> {
	return asObject(await webhookDeletion(client, webhookId, false)) ?? {};
}

/** Deletes a webhook that may be gone already: true when it was deleted, false when it was gone. */
export async function removeWebhook(client: CircularoClient, webhookId: string): Promise<boolean> {
	return (await webhookDeletion(client, webhookId, true)) !== ABSENT;
}

async function webhookDeletion(client: CircularoClient, webhookId: string, absentOn404: boolean) {
	return await client.request({
		endpoint: DELETE_WEBHOOK,
		method: 'DELETE',
		path: `/webhooks/${encodeURIComponent(webhookId)}`,
		absentOn404,
	});
}
