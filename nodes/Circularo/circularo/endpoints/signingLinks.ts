/**
 * Signing links: the address each recipient signs at, for a workflow to send by another channel or
 * embed. Documented ("5. Constructing Signing URLs"): for a recipient outside Circularo, a share
 * protected by a one-time password, `GET /share/:shareId/validate` for its `shareToken`, and the
 * link `<frontend URL>/share?shareToken=<shareToken>`; without the protection Circularo answers
 * 400 "Share needs to be secured by mail or phone OTP or oAuth.". A Circularo user signs after
 * logging in; the documentation's example of that link is not readable (see INTERNAL_LINK).
 */
import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import { asObject, firstResultOf, firstString } from '../answers';
import type { CircularoClient } from '../client';
import { apiRootUrl } from '../../../../credentials/serverUrl';

/**
 * GET /share/:shareId/validate: the share's `shareToken` (documented at the top level; [assumed]
 * also read inside `results[0]`). [assumed] The call takes the `token` query parameter like every
 * other call: the documentation's example shows none.
 */
export async function validateShare(client: CircularoClient, shareId: string): Promise<string> {
	const answer = await client.request({
		endpoint: 'validateShare',
		method: 'GET',
		path: `/share/${encodeURIComponent(shareId)}/validate`,
	});
	const body = asObject(answer) ?? {};
	const token = firstString(body.shareToken, firstResultOf(answer)?.shareToken);
	if (token === undefined) {
		throw new NodeOperationError(
			client.node,
			`Circularo validated share "${shareId}" but its answer holds no shareToken`,
			{ description: 'Looked for shareToken in the answer of GET /share/:shareId/validate.' },
		);
	}
	return token;
}

/** The words of Circularo's documented refusal of a link for an unprotected share. */
export const UNPROTECTED_SHARE = /secured by mail or phone OTP|otp or oauth/i;

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
