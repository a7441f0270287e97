/**
 * The signing secrets of the registrations this n8n process made, by workflow node and callback URL.
 *
 * Circularo signs with the secret it was registered with, so that secret is the right one to check
 * against, and it is known once activation has registered (or adopted) the webhook. Keeping it here
 * lets `webhook()` verify a delivery without loading the credential: n8n decrypts a credential for
 * every call to `getCredentials` and, under n8n 2.x's default expression engine, builds a fresh
 * expression isolate to do it, which costs far more than the rest of the node's work. It also keeps
 * deliveries verifiable when the credential's secret is edited while the workflow is published.
 *
 * A process that did not run the activation (a queue-mode webhook process, or after a restart until
 * n8n re-activates) finds nothing here and verifies against the credential, as before.
 */

/** Workflow node → callback URL (production or test) → secret registered for it. */
const secretsByNode = new Map<string, Map<string, string>>();

/** Identifies one trigger node in one workflow. */
export function triggerKey(workflowId: string | undefined, nodeId: string): string {
	return `${workflowId ?? ''}/${nodeId}`;
}

export function rememberRegisteredSecret(trigger: string, callbackUrl: string, secret: string): void {
	if (secret === '') return;
	let byUrl = secretsByNode.get(trigger);
	if (byUrl === undefined) {
		byUrl = new Map();
		secretsByNode.set(trigger, byUrl);
	}
	byUrl.set(callbackUrl, secret);
}

export function forgetRegisteredSecret(trigger: string, callbackUrl: string): void {
	const byUrl = secretsByNode.get(trigger);
	if (byUrl === undefined) return;
	byUrl.delete(callbackUrl);
	if (byUrl.size === 0) secretsByNode.delete(trigger);
}

/** The secrets of this node's live registrations (at most its production and its test webhook). */
export function registeredSecrets(trigger: string): Iterable<string> {
	return secretsByNode.get(trigger)?.values() ?? [];
}
