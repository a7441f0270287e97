/**
 * Compatibility with registrations made by version 0.1.0 of the trigger, which kept Circularo's
 * webhook id and possibly a generated signing secret in clear in the workflow's static data, with
 * no nonce and no fingerprint. Such a registration keeps receiving deliveries (production only)
 * until the next activation or start replaces it with a current one and removes its secret.
 *
 * Remove this module, the `webhookSecret` field of RegistrationData and the tests of 0.1.0
 * registrations in the first release that no longer upgrades from 0.1.0 (a major version), saying
 * so in the CHANGELOG: by then every published workflow has been activated, and so re-registered,
 * at least once.
 */
import type { CircularoCredentials } from '../circularo/client';
import type { RegistrationData } from './staticData';

/** Made by version 0.1.0: an id and possibly a secret in clear, no nonce. */
export function isFromVersion010(data: RegistrationData): boolean {
	return (
		data.nonce === undefined && (data.webhookId !== undefined || data.webhookSecret !== undefined)
	);
}

/** The secret 0.1.0 registered: the one it stored or, when it stored none, the credential's own. */
export function version010Secret(
	data: RegistrationData,
	credentials: CircularoCredentials,
): string {
	return data.webhookSecret || credentials.webhookSecret || '';
}
