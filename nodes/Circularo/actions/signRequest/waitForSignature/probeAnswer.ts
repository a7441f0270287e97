/**
 * Whether an answer to the sweep's probe of a wait's callback URL is n8n's own word that the
 * execution no longer waits there. Only n8n's own answers count: a proxy, a load balancer or any
 * other server between this node and n8n may answer 404 for reasons of its own, and an execution
 * must never lose its registration because of them.
 *
 * n8n 2.x's waiting-webhook route answers, before any node code runs, with its JSON error body
 * `{ code, message }` naming the execution:
 * - 404 `The execution "<id>" does not exist.` (deleted, or pruned);
 * - 404 `The workflow for execution "<id>" does not contain a waiting webhook with a matching
 *   path/method.` (it waits at another node now);
 * - 409 `The execution "<id>" has finished with error.` or `The execution "<id> has finished
 *   already.` (sic: n8n 2.41 leaves out the closing quote);
 * - 409 `The execution "<id>" is running already.`: not an ending (it may be resuming now).
 * While the execution waits at this node, the node's own webhook() answers the unsigned probe 401.
 */

const ENDED_MESSAGES: Record<number, Array<(id: string) => string>> = {
	404: [
		(id) => `The execution "${id}" does not exist.`,
		(id) =>
			`The workflow for execution "${id}" does not contain a waiting webhook with a matching path/method.`,
	],
	409: [
		(id) => `The execution "${id}" has finished with error.`,
		(id) => `The execution "${id} has finished already.`,
		(id) => `The execution "${id}" has finished already.`,
	],
};

function messageOf(body: unknown): string | undefined {
	let parsed = body;
	if (typeof body === 'string') {
		try {
			parsed = JSON.parse(body);
		} catch {
			return undefined;
		}
	}
	if (parsed === null || typeof parsed !== 'object') return undefined;
	const message = (parsed as { message?: unknown }).message;
	return typeof message === 'string' ? message : undefined;
}

/** True only for n8n's own "no longer waits" answers about exactly this execution. */
export function n8nSaysEnded(status: number, body: unknown, executionId: string): boolean {
	const message = messageOf(body);
	if (message === undefined) return false;
	return (ENDED_MESSAGES[status] ?? []).some((expected) => expected(executionId) === message);
}
