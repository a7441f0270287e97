/**
 * The trigger's registration as n8n keeps it in the workflow's static data (RegistrationData), and
 * which registration a lifecycle call or a delivery belongs to.
 *
 * n8n gives "Listen for test event" its own static data, separate from the published workflow's,
 * so each holds at most one registration; its `kind` says which URL it is for. A delivery is
 * checked only against the registration of its own URL kind.
 */
import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import { isFromVersion010 } from './version010';

/** Which of n8n's two URLs a registration is for: "Listen for test event" or the published workflow. */
export type UrlKind = 'test' | 'production';

/**
 * What the trigger keeps in the workflow's static data (stored unencrypted with the workflow and
 * returned by n8n's APIs and exports), so nothing here is secret. The signing secret is derived
 * from the credential and the nonce when needed.
 */
export interface RegistrationData extends IDataObject {
	kind?: UrlKind;
	/** Circularo's id of the webhook. */
	webhookId?: string;
	/** Random, per registration; the signing secret is an HMAC over it keyed by the credential. */
	nonce?: string;
	/** Tells whether the credential still derives the registered secret; reveals nothing about it. */
	fingerprint?: string;
	/** Version 0.1.0 only (see version010.ts): a generated secret kept in clear. */
	webhookSecret?: string;
}

/**
 * The URL kind of the current call. n8n runs checkExists and create with mode 'manual' for test
 * registrations and 'trigger' for published ones, and the webhook phase with 'manual' for test
 * deliveries and 'webhook' otherwise. (delete runs with 'internal' for both: it reads the kind
 * from the registration instead.)
 */
export function urlKindOf(context: IHookFunctions | IWebhookFunctions): UrlKind {
	return context.getMode() === 'manual' ? 'test' : 'production';
}

export function registrationDataOf(context: IHookFunctions | IWebhookFunctions): RegistrationData {
	return context.getWorkflowStaticData('node') as RegistrationData;
}

/**
 * The registration that deliveries of `kind` must be signed for, or undefined when there is none:
 * one made by this version for that kind, or (production only) one made by version 0.1.0 that has
 * not been replaced yet.
 */
export function registrationFor(
	data: RegistrationData,
	kind: UrlKind,
): RegistrationData | undefined {
	if (data.nonce !== undefined) {
		const complete =
			data.kind === kind && data.webhookId !== undefined && data.fingerprint !== undefined;
		return complete ? data : undefined;
	}
	return kind === 'production' && isFromVersion010(data) ? data : undefined;
}

/** The registration's own kind (0.1.0 kept only published registrations). */
export function kindOfRegistration(data: RegistrationData): UrlKind {
	return data.kind ?? 'production';
}

export function storeRegistration(
	data: RegistrationData,
	stored: Required<Pick<RegistrationData, 'kind' | 'webhookId' | 'nonce' | 'fingerprint'>>,
): void {
	data.kind = stored.kind;
	data.webhookId = stored.webhookId;
	data.nonce = stored.nonce;
	data.fingerprint = stored.fingerprint;
}

/** Forgets the registration, including what version 0.1.0 kept (its secret in clear). */
export function clearRegistration(data: RegistrationData): void {
	delete data.kind;
	delete data.webhookId;
	delete data.nonce;
	delete data.fingerprint;
	delete data.webhookSecret;
}

/** The key of a registration in this process's memory: bound to the workflow, node, URL kind and Circularo's webhook id. */
export function registrationKey(
	context: IHookFunctions | IWebhookFunctions,
	kind: UrlKind,
	webhookId: string | undefined,
): string {
	return JSON.stringify([
		context.getWorkflow().id ?? '',
		context.getNode().id,
		kind,
		webhookId ?? '',
	]);
}
