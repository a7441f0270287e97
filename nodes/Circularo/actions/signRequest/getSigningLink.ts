import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import { DOCUMENT_DEFAULTS, getDocument } from '../../circularo/endpoints/documents';
import { validateShare } from '../../circularo/endpoints/shares';
import { directSigningLink, loginSigningLink } from '../../circularo/signingLinks';
import type { OperationRun } from '../router';
import { requiredText } from '../common/inputChecks';
import { documentIdProperty } from '../common/parameters';

const properties: INodeProperties[] = [
	{
		displayName: 'Recipient Is',
		name: 'recipientKind',
		type: 'options',
		default: 'external',
		description: 'Whether the recipient signs through a protected direct link or after logging in',
		options: [
			{
				name: 'Outside Circularo (Protected Share)',
				value: 'external',
				description:
					'A direct link, for a share protected by a one-time password (Circularo refuses one for any other share)',
			},
			{
				name: 'A Circularo User',
				value: 'circularoUser',
				description: 'The link that opens the document after logging in',
			},
		],
	},
	{
		displayName: 'Share ID',
		name: 'shareId',
		type: 'string',
		default: '',
		required: true,
		description: "ID of the recipient's share (a value of shareIds from Create)",
		displayOptions: { show: { recipientKind: ['external'] } },
	},
	{
		...documentIdProperty,
		displayOptions: { show: { recipientKind: ['circularoUser'] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['signRequest'], operation: ['getSigningLink'] } },
	properties,
);

/**
 * Outside Circularo: GET /share/:shareId/validate, then the documented link. A Circularo user:
 * GET /documents/:id (its type goes into the link).
 */
export const execute: OperationRun = async function (itemIndex, client) {
	const { serverUrl } = await client.credentials();
	if (this.getNodeParameter('recipientKind', itemIndex, 'external') === 'circularoUser') {
		const documentId = requiredText(this, itemIndex, 'documentId', 'Document ID');
		const { documentType } = await getDocument(client, documentId);
		const type = typeof documentType === 'string' ? documentType : DOCUMENT_DEFAULTS.documentType;
		return [
			{
				json: {
					documentId,
					kind: 'afterLogin',
					link: loginSigningLink(serverUrl, type, documentId),
				},
			},
		];
	}
	const shareId = requiredText(this, itemIndex, 'shareId', 'Share ID');
	const shareToken = await validateShare(client, shareId);
	return [{ json: { shareId, kind: 'direct', link: directSigningLink(serverUrl, shareToken) } }];
};
