/**
 * Which of the team's registrations are provably this n8n's own waits. Anyone who may list the
 * team's webhooks may also register any callback URL, with any secret, and read every secret in
 * clear; so neither a `circularoWaitUntil` in a URL nor its path says whose a registration is.
 * A registration is this instance's own wait only when
 * - its callback URL's origin and path prefix are this instance's waiting URL (the resume URL
 *   without the execution), followed by exactly `<executionId>/<nodeId>`, with the document and
 *   the deadline in its query; and
 * - the secret Circularo echoes for it equals the one derived again from the credential over that
 *   execution, node and document ([assumed] the list echoes `hmacSecret` as create does; a
 *   registration whose secret is not echoed is never taken for ours).
 * Pure functions: the calls live in cleanup.ts and ownRegistration.ts.
 */
import { timingSafeEqual } from 'crypto';

import type { CircularoCredentials } from '../../../circularo/client';
import type { CircularoWebhook } from '../../../circularo/endpoints/webhooks';
import { WAIT_QUERY, waitSigningSecret } from './registration';

/** This instance's waiting URL: the resume URL's origin and path without the execution id. */
export function waitingBaseOf(resumeUrl: string): string {
	const url = new URL(resumeUrl);
	const path = url.pathname.replace(/\/+$/, '');
	return `${url.origin}${path.slice(0, path.lastIndexOf('/') + 1)}`;
}

export interface OwnWait {
	executionId: string;
	nodeId: string;
	documentId: string;
}

/** Constant-time equality of two secrets given as text. */
export function sameSecret(a: unknown, b: string): boolean {
	if (typeof a !== 'string') return false;
	const left = Buffer.from(a);
	const right = Buffer.from(b);
	return left.length === right.length && timingSafeEqual(left, right);
}

/** The wait a listed registration belongs to, when it is provably this instance's; else undefined. */
export function ownWaitOf(
	webhook: CircularoWebhook,
	waitingBase: string,
	credentials: CircularoCredentials,
): OwnWait | undefined {
	let url: URL;
	try {
		url = new URL(String(webhook.callbackUrl ?? ''));
	} catch {
		return undefined;
	}
	const location = `${url.origin}${url.pathname}`;
	if (!location.startsWith(waitingBase)) return undefined;
	const segments = location.slice(waitingBase.length).split('/');
	const documentId = url.searchParams.get(WAIT_QUERY.documentId);
	if (segments.length !== 2 || segments.some((s) => s === '') || !documentId) return undefined;
	if (!url.searchParams.get(WAIT_QUERY.until)) return undefined;
	let wait: OwnWait;
	try {
		wait = {
			executionId: decodeURIComponent(segments[0]),
			nodeId: decodeURIComponent(segments[1]),
			documentId,
		};
	} catch {
		return undefined;
	}
	const secret = waitSigningSecret(credentials, wait.executionId, wait.nodeId, wait.documentId);
	return sameSecret(webhook.hmacSecret, secret) ? wait : undefined;
}

/** Whether two callback URLs are the same: origin, path and every query parameter. */
export function sameCallbackUrl(a: unknown, b: string): boolean {
	try {
		const left = new URL(String(a));
		const right = new URL(b);
		const query = (url: URL) => JSON.stringify([...url.searchParams.entries()].sort());
		return (
			left.origin === right.origin &&
			left.pathname === right.pathname &&
			query(left) === query(right)
		);
	} catch {
		return false;
	}
}
