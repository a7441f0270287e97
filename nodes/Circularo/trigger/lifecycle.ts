/**
 * The webhook lifecycle n8n runs on publish, unpublish and "Listen for test event": checkExists,
 * create and delete (webhookMethods.default).
 */
import { NodeOperationError, type IHookFunctions } from 'n8n-workflow';

import { circularoClient, type CircularoClient } from '../circularo/client';
import {
	createWebhook,
	listWebhooks,
	removeWebhook,
	type CircularoWebhook,
} from '../circularo/endpoints/webhooks';
import { isSameTarget, webhookSecretMatches } from '../circularo/records';
import { forgetSecret, rememberSecret } from '../webhooks/knownSecrets';
import {
	clearRegistration,
	kindOfRegistration,
	registrationDataOf,
	registrationFor,
	registrationKey,
	storeRegistration,
	urlKindOf,
} from './staticData';
import {
	unreachableCallbackReason,
	webhookRequestFor,
	WEBHOOK_URL_HINT,
	type ScopeOption,
} from '../webhooks/registrationRequest';
import { deriveSigningSecret, fingerprintOf, newRegistration } from '../webhooks/signingSecrets';

export const CREDENTIAL_CHANGED =
	'the Circularo API credential of this trigger (its API key or Webhook Signing Secret) has changed since the webhook was registered';

export const NAMED_TEAM_REFUSED =
	"The Named Team scope is refused: that team's admins could make this workflow act on any document of the tenant";
export const NAMED_TEAM_HINT =
	'Only a global admin may register a webhook for a named team, but Circularo shows its signing secret to every admin of that team who may list webhooks. They could sign events about any document of the tenant, which this trigger would read and download with the global admin\'s API key. Use the API key of an admin of that team with Scope "My Team", or Scope "Whole Tenant" (whose webhooks only global admins can list).';

export const REREGISTER_HINT =
	'Unpublish and publish the workflow again (or restart n8n) to register the webhook with the current credential.';

/** n8n shows only the message of an error thrown while publishing, so it carries the fix. */
function lifecycleClient(context: IHookFunctions): CircularoClient {
	return circularoClient(context, { fixInMessage: true });
}

/**
 * Deletes the stored registration and any other remote webhook pointing at this node's URL (left
 * over by a failed call or an old secret); one already gone is no failure. Throws the first failure
 * after trying them all.
 */
async function removeRegistrations(
	client: CircularoClient,
	storedId: string | undefined,
	callbackUrl: string,
): Promise<void> {
	const ids = new Set<string>(storedId ? [storedId] : []);
	let firstFailure: unknown;
	try {
		for (const webhook of await listWebhooks(client)) {
			if (webhook.callbackUrl === callbackUrl) ids.add(webhook.id);
		}
	} catch (error) {
		firstFailure = error;
	}
	for (const id of ids) {
		await removeWebhook(client, id).catch((error: unknown) => (firstFailure ??= error));
	}
	if (firstFailure) throw firstFailure;
}

function wantedRegistration(context: IHookFunctions, hmacSecret: string) {
	return webhookRequestFor(
		context.getNodeParameter('scope') as ScopeOption,
		context.getNodeParameter('teamName', '') as string,
		context.getNodeWebhookUrl('default') as string,
		hmacSecret,
	);
}

/**
 * True when Circularo still holds this node's registration for the current URL kind, as the
 * current parameters and credential would make it. False sends n8n to create(), which replaces
 * it: a registration made by version 0.1.0 (its secret in static data), one whose credential has
 * changed since (a rotated API key or an edited secret derive another secret), or one whose
 * webhook is gone or differs. Never deletes anything.
 */
export async function checkExists(this: IHookFunctions): Promise<boolean> {
	// Refused (create() says why): never kept, even when registered before.
	if (this.getNodeParameter('scope') === 'namedTeam') return false;
	const data = registrationDataOf(this);
	const kind = urlKindOf(this);
	const registration = registrationFor(data, kind);
	if (registration?.nonce === undefined) return false;
	const client = lifecycleClient(this);
	const secret = deriveSigningSecret(await client.credentials(), registration.nonce);
	if (fingerprintOf(secret) !== registration.fingerprint) {
		this.logger.warn(`Circularo Trigger: ${CREDENTIAL_CHANGED}; registering the webhook again.`);
		return false;
	}
	const wanted = wantedRegistration(this, secret);
	const remote = (await listWebhooks(client)).find(
		(webhook) => webhook.id === registration.webhookId,
	);
	if (!remote || !isSameTarget(remote, wanted) || !webhookSecretMatches(remote, secret)) {
		return false;
	}
	rememberSecret(registrationKey(this, kind, registration.webhookId), secret);
	return true;
}

/** Registers this node's URL with a fresh nonce, replacing whatever the node registered there before. */
export async function create(this: IHookFunctions): Promise<boolean> {
	const data = registrationDataOf(this);
	const kind = urlKindOf(this);
	const client = lifecycleClient(this);
	const credentials = await client.credentials();
	const callbackUrl = this.getNodeWebhookUrl('default') as string;
	const unreachable = unreachableCallbackReason(callbackUrl, credentials.serverUrl);
	if (unreachable) {
		throw new NodeOperationError(
			this.getNode(),
			`Circularo cannot deliver events to this n8n: ${unreachable}`,
			{
				description: WEBHOOK_URL_HINT,
			},
		);
	}
	if (this.getNodeParameter('scope') === 'namedTeam') {
		// What 0.2.0 and earlier registered with this scope goes, so nothing keeps delivering.
		await removeRegistrations(client, data.webhookId, callbackUrl);
		forgetSecret(registrationKey(this, kindOfRegistration(data), data.webhookId));
		clearRegistration(data);
		throw new NodeOperationError(this.getNode(), NAMED_TEAM_REFUSED, {
			description: NAMED_TEAM_HINT,
		});
	}
	const { nonce, secret, fingerprint } = newRegistration(credentials);
	const request = wantedRegistration(this, secret);

	// Replace, never duplicate: whatever this node registered before (an old secret or scope, a
	// leftover of a failed call, or 0.1.0's registration) goes first.
	await removeRegistrations(client, data.webhookId, callbackUrl);
	forgetSecret(registrationKey(this, kindOfRegistration(data), data.webhookId));
	clearRegistration(data);

	let created: CircularoWebhook | undefined;
	try {
		created = await createWebhook(client, request);
	} finally {
		// The call can fail after Circularo stored the webhook (dropped connection, timeout, 5xx
		// after commit): remove anything registered for this URL so nothing is orphaned. The
		// failure of the registration itself goes on to n8n.
		if (created === undefined) {
			await removeRegistrations(client, undefined, callbackUrl).catch((cleanupError: Error) =>
				this.logger.warn(
					`Circularo Trigger: could not check for a half-created webhook after a failed registration: ${cleanupError.message}`,
				),
			);
		}
	}
	storeRegistration(data, { kind, webhookId: created.id, nonce, fingerprint });
	rememberSecret(registrationKey(this, kind, created.id), secret);
	return true;
}

/**
 * Removes this node's registration. n8n runs it with mode 'internal' for test and published
 * registrations alike; each has its own static data, so the stored one is the right one.
 * Never fails: if Circularo is unreachable, the next activation finds the leftover by its URL.
 */
export async function unregister(this: IHookFunctions): Promise<boolean> {
	const data = registrationDataOf(this);
	const callbackUrl = this.getNodeWebhookUrl('default') as string;
	forgetSecret(registrationKey(this, kindOfRegistration(data), data.webhookId));
	try {
		await removeRegistrations(lifecycleClient(this), data.webhookId, callbackUrl);
	} catch (error) {
		this.logger.warn(
			`Circularo Trigger: could not remove the webhook from Circularo (${(error as Error).message}). It will be replaced at the next activation.`,
		);
	}
	clearRegistration(data);
	return true;
}
