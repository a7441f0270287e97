import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import {
	AUDIT_TRAIL_FIELD,
	documentFiles,
	maxFileSizeOption,
	wantedFiles,
	type DownloadOptions,
} from '../../circularo/documentFiles';
import type { OperationRun } from '../router';
import { checkFileFields, requiredText } from '../common/inputChecks';
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

export const execute: OperationRun = async function (itemIndex, client) {
	const documentId = requiredText(this, itemIndex, 'documentId', 'Document ID');
	const binaryPropertyName = requiredText(
		this,
		itemIndex,
		'binaryPropertyName',
		'Put Output File in Field',
	);
	const options = this.getNodeParameter('options', itemIndex, {}) as DownloadOptions;
	const wanted = wantedFiles({ ...options, downloadSignedDocument: true, binaryPropertyName });
	checkFileFields(this, itemIndex, wanted, 'Put Output File in Field');
	const files = await documentFiles(this, client, documentId, { ...wanted, failures: 'throw' });
	return [{ json: documentItem(files.document ?? {}), binary: files.binary }];
};
