/**
 * What a wait registers with Circularo and how it is recognised later: the callback URL (this
 * execution's resume URL for this node, with the wait's deadline in its query), the signing secret
 * (derived, never stored), the deadline itself, and which listed registrations are leftovers.
 * Pure functions: the calls live in ../sendAndWaitForSignature.ts, resume.ts and cleanup.ts.
 */
import { WAIT_INDEFINITELY } from 'n8n-workflow';

import type { CircularoCredentials } from '../../../circularo/client';
import type { CircularoWebhook } from '../../../circularo/endpoints/webhooks';
import { deriveSigningSecret } from '../../../webhooks/signingSecrets';

/**
 * [assumed] Circularo delivers to a webhook's `callbackUrl` exactly as it was registered, query
 * string included, lists it so in GET /webhooks and adds no query parameters of its own. n8n 2.x
 * needs the query (it carries the execution's resume token), and the wait's document, deadline and
 * start ride in it, so that any later run can tell from the list which registrations are a wait's
 * and which have expired. A listed URL without `until` is never taken for a wait's.
 */
export const WAIT_QUERY = {
	/** The document waited for. */
	documentId: 'circularoDocumentId',
	/** When the wait ends at the latest (epoch milliseconds). */
	until: 'circularoWaitUntil',
	/** When the registration was made (epoch milliseconds). */
	since: 'circularoWaitSince',
} as const;

/**
 * n8n's resume URL of the execution with this node's id as its last path segment, before the query:
 * 2.x `…/webhook-waiting/<executionId>/<nodeId>?signature=<resume token>&…`. The node id makes the
 * URL match this node's waiting webhook (path `$nodeId`), so a late delivery can never resume a
 * later wait of the same execution.
 */
export function waitCallbackUrl(
	resumeUrl: string,
	nodeId: string,
	wait: { documentId: string; until: Date; since: Date },
): string {
	const url = new URL(resumeUrl);
	url.pathname = `${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(nodeId)}`;
	url.searchParams.set(WAIT_QUERY.documentId, wait.documentId);
	url.searchParams.set(WAIT_QUERY.until, String(wait.until.getTime()));
	url.searchParams.set(WAIT_QUERY.since, String(wait.since.getTime()));
	return url.toString();
}

/**
 * The registration's signing secret, as the trigger derives its own (HMAC-SHA256 keyed by the
 * credential's Webhook Signing Secret or API key) over public inputs that execute() and the
 * waiting webhook() both know: the execution, the node and the document. So it is never stored,
 * and a delivery to a URL whose document was altered does not verify.
 */
export function waitSigningSecret(
	credentials: CircularoCredentials,
	executionId: string,
	nodeId: string,
	documentId: string,
): string {
	return deriveSigningSecret(
		credentials,
		`send-and-wait/${JSON.stringify([executionId, nodeId, documentId])}`,
	);
}

const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

export interface WaitLimit {
	limitType?: 'afterTimeInterval' | 'atSpecifiedTime';
	resumeAmount?: number;
	resumeUnit?: keyof typeof UNIT_MS;
	maxDateAndTime?: string;
}

/**
 * When the wait ends at the latest, from the "Limit Wait Time" option as n8n's own waiting
 * operations offer it; no limit is n8n's WAIT_INDEFINITELY. A string is the problem to report.
 */
export function waitDeadline(limit: WaitLimit | undefined, now: Date): Date | string {
	if (!limit) return WAIT_INDEFINITELY;
	if (limit.limitType === 'atSpecifiedTime') {
		const at = new Date(String(limit.maxDateAndTime ?? '').trim());
		if (!limit.maxDateAndTime || Number.isNaN(at.getTime()))
			return `"Max Date and Time" is not a valid date: "${String(limit.maxDateAndTime ?? '')}"`;
		if (at.getTime() <= now.getTime())
			return `"Max Date and Time" (${at.toISOString()}) is in the past`;
		return at;
	}
	const amount = Number(limit.resumeAmount);
	const unit = UNIT_MS[limit.resumeUnit ?? 'hours'];
	if (!Number.isFinite(amount) || amount <= 0 || unit === undefined)
		return `"Amount" of "Limit Wait Time" must be a number above 0, not "${String(limit.resumeAmount)}"`;
	return new Date(now.getTime() + amount * unit);
}

/** What to do with a registration found in Circularo's list. */
export type LeftoverVerdict =
	/** Not a wait's registration (the trigger's, someone else's): never touched. */
	| 'notAWait'
	/** Its deadline has passed: n8n has resumed the execution without running any node code. */
	| 'expired'
	/** Made long enough ago that its execution is saved: ask n8n whether it still waits. */
	| 'probe'
	/** Too recent to ask (its execution may not be saved as waiting yet): left alone. */
	| 'recent';

/**
 * How long after registering an execution is surely saved as waiting. Before that n8n answers
 * 409 ("running") to a probe, which must not be taken for "finished".
 */
export const PROBE_AFTER_MS = 10 * 60_000;

function timeParam(url: URL, name: string): number | undefined {
	const value = url.searchParams.get(name);
	const time = value === null || value.trim() === '' ? NaN : Number(value);
	return Number.isFinite(time) ? time : undefined;
}

function parsedUrl(webhook: CircularoWebhook): URL | undefined {
	try {
		return new URL(String(webhook.callbackUrl ?? ''));
	} catch {
		return undefined;
	}
}

export function leftoverVerdict(webhook: CircularoWebhook, now: Date): LeftoverVerdict {
	const url = parsedUrl(webhook);
	const until = url && timeParam(url, WAIT_QUERY.until);
	if (url === undefined || until === undefined) return 'notAWait';
	if (until <= now.getTime()) return 'expired';
	const since = timeParam(url, WAIT_QUERY.since) ?? 0;
	return now.getTime() - since >= PROBE_AFTER_MS ? 'probe' : 'recent';
}

/** Whether a listed registration is the one made for this execution's wait at this node. */
export function isWaitOf(webhook: CircularoWebhook, executionId: string, nodeId: string): boolean {
	const url = parsedUrl(webhook);
	return (
		url !== undefined &&
		url.searchParams.has(WAIT_QUERY.until) &&
		url.pathname.endsWith(`/${encodeURIComponent(executionId)}/${encodeURIComponent(nodeId)}`)
	);
}
