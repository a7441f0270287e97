import { updateDisplayOptions, type IBinaryKeyData, type INodeProperties } from 'n8n-workflow';

import {
	AUDIT_TRAIL_FIELD,
	auditTrailPdf,
	documentPdf,
	downloadLimit,
	maxFileSizeOption,
} from '../../circularo/files';
import type { OperationRun } from '../router';
import { badInput, requiredText } from '../common/inputChecks';
import { documentItem } from '../common/output';
import { documentIdProperty } from '../common/parameters';

/** Where the audit trail PDF goes, once the option "includeAuditTrail" is on. */
export const auditTrailFieldOption: INodeProperties = {
	displayName: 'Put Audit Trail in Field',
	name: 'auditTrailBinaryPropertyName',
	type: 'string',
	default: AUDIT_TRAIL_FIELD,
	description: 'Name of the binary field the audit trail PDF is put in',
	displayOptions: { show: { includeAuditTrail: [true] } },
};

const properties: INodeProperties[] = [
	documentIdProperty,
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the PDF in',
		description:
			'Name of the binary field the current PDF of the document is put in (signed, once everyone has signed)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		description:
			'Whether to download the audit trail too, where to put it, and the largest file to download',
		options: [
			{
				displayName: 'Include Audit Trail',
				name: 'includeAuditTrail',
				type: 'boolean',
				default: false,
				description:
					'Whether to also download the audit trail PDF (the Certificate of Fulfilment once the document is completed)',
			},
			auditTrailFieldOption,
			maxFileSizeOption,
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['document'], operation: ['download'] } },
	properties,
);

interface DownloadOptions {
	includeAuditTrail?: boolean;
	auditTrailBinaryPropertyName?: string;
	maxFileSize?: number;
}

export const execute: OperationRun = async function (itemIndex, client) {
	const documentId = requiredText(this, itemIndex, 'documentId', 'Document ID');
	const binaryField = requiredText(
		this,
		itemIndex,
		'binaryPropertyName',
		'Put Output File in Field',
	);
	const options = this.getNodeParameter('options', itemIndex, {}) as DownloadOptions;
	const auditField = options.includeAuditTrail
		? (options.auditTrailBinaryPropertyName ?? AUDIT_TRAIL_FIELD).trim()
		: undefined;
	if (auditField === '') throw badInput(this, itemIndex, '"Put Audit Trail in Field" is empty');
	if (auditField === binaryField) {
		throw badInput(
			this,
			itemIndex,
			'"Put Audit Trail in Field" is the same field as "Put Output File in Field"',
		);
	}
	const limit = downloadLimit(options.maxFileSize);
	const { document, pdf, title } = await documentPdf(this, client, documentId, limit);
	const binary: IBinaryKeyData = { [binaryField]: pdf };
	if (auditField) binary[auditField] = await auditTrailPdf(this, client, documentId, title, limit);
	return [{ json: documentItem(document), binary }];
};
