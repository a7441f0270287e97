/**
 * Signing links: the address each recipient signs at, for a workflow to send by another channel or
 * embed. Documented ("5. Constructing Signing URLs"): for a recipient outside Circularo, a share
 * protected by a one-time password, its `shareToken` (validateShare, endpoints/shares.ts) and the
 * link `<frontend URL>/share?shareToken=<shareToken>`. A Circularo user signs after logging in;
 * the documentation's example of that link is not readable (see INTERNAL_LINK).
 */
import type { IDataObject } from 'n8n-workflow';

import { apiRootUrl } from '../../../credentials/serverUrl';

/**
 * [assumed] Circularo's app (its "frontend URL") is served from the host of the API: the
 * credential's Server URL without `/api/v1`. The documented example uses the app host.
 */
export function frontendUrl(serverUrl: string): string {
	return apiRootUrl(serverUrl).replace(/\/api\/v1$/, '');
}

/** Documented: the direct link of a protected share. */
export function directSigningLink(serverUrl: string, shareToken: string): string {
	return `${frontendUrl(serverUrl)}/share?shareToken=${encodeURIComponent(shareToken)}`;
}

/**
 * [assumed] The link a Circularo user opens the document at after logging in: the documented
 * deep link to an existing document (`compose/create/general?mode=edit&definition=<type>
 * &documentId=<id>`, "URL based Integrations"); the signing guide's own example for users is not
 * readable. Kept here, one place to correct.
 */
export const INTERNAL_LINK = {
	path: '/compose/create/general',
	query: (documentType: string, documentId: string): IDataObject => ({
		mode: 'edit',
		definition: documentType,
		documentId,
	}),
};

export function loginSigningLink(
	serverUrl: string,
	documentType: string,
	documentId: string,
): string {
	const query = new URLSearchParams(
		INTERNAL_LINK.query(documentType, documentId) as Record<string, string>,
	);
	return `${frontendUrl(serverUrl)}${INTERNAL_LINK.path}?${query.toString()}`;
}
