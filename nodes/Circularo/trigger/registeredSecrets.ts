/**
 * The signing secrets of the registrations this n8n process made, by workflow, node and callback URL.
 *
 * Circularo signs with the secret it was registered with, so that secret is the right one to check
 * against, and it is known once activation has registered (or adopted) the webhook. Keeping it here
 * lets `webhook()` verify a delivery without loading the credential: n8n decrypts a credential for
 * every call to `getCredentials` and, under n8n 2.x's default expression engine, builds a fresh
 * expression isolate to do it, which costs far more than the rest of the node's work. It also keeps
 * deliveries verifiable when the credential's secret is edited while the workflow is published.
 *
 * A process that did not run the activation (a queue-mode webhook process) finds nothing here and
 * verifies against the credential, as before.
 */

/** Workflow id → node id → callback URL (production or test) → the secret registered for it. */
const secrets = new Map<string, Map<string, Map<string, string>>>();

const NONE: readonly string[] = [];

export function rememberRegisteredSecret(workflowId: string, nodeId: string, callbackUrl: string, secret: string): void {
	if (secret === '') return;
	let byNode = secrets.get(workflowId);
	if (byNode === undefined) secrets.set(workflowId, (byNode = new Map()));
	let byUrl = byNode.get(nodeId);
	if (byUrl === undefined) byNode.set(nodeId, (byUrl = new Map()));
	byUrl.set(callbackUrl, secret);
}

export function forgetRegisteredSecret(workflowId: string, nodeId: string, callbackUrl: string): void {
	const byNode = secrets.get(workflowId);
	const byUrl = byNode?.get(nodeId);
	if (byNode === undefined || byUrl === undefined) return;
	byUrl.delete(callbackUrl);
	if (byUrl.size === 0) byNode.delete(nodeId);
	if (byNode.size === 0) secrets.delete(workflowId);
}

/** The secrets of this node's live registrations (at most its production and its test webhook). */
export function registeredSecrets(workflowId: string, nodeId: string): Iterable<string> {
	return secrets.get(workflowId)?.get(nodeId)?.values() ?? NONE;
}
