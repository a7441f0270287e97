/**
 * The signing secrets this n8n process knows, by registration (see registrationKey: workflow, node,
 * URL kind and Circularo's webhook id).
 *
 * A secret is known once it is certain to be the registration's: this process registered it, a
 * delivery verified with it, or the credential derived it and the stored fingerprint confirmed it.
 * From then on deliveries are verified without loading the credential: in n8n 2.x every
 * `getCredentials` in the webhook phase decrypts the credential and builds an expression isolate,
 * which costs far more than the rest of the node's work.
 *
 * Because the key holds Circularo's webhook id, which the workflow's static data names and every
 * process reads per delivery, a re-registration (new id) makes every process's entry unreachable
 * without any messaging between processes. Entries are few (one per live registration), but
 * re-registrations leave old ones behind, so the oldest are dropped past a bound.
 */

const MAX_REGISTRATIONS = 1000;

const secrets = new Map<string, string>();

export function knownSecret(registrationKey: string): string | undefined {
	return secrets.get(registrationKey);
}

export function rememberSecret(registrationKey: string, secret: string): void {
	secrets.delete(registrationKey);
	secrets.set(registrationKey, secret);
	if (secrets.size > MAX_REGISTRATIONS) secrets.delete(secrets.keys().next().value as string);
}

export function forgetSecret(registrationKey: string): void {
	secrets.delete(registrationKey);
}
