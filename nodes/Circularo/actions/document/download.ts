import {
	NodeOperationError,
	type IBinaryKeyData,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { DOWNLOAD_FILE_NAMES } from '../../assumptions';
import { circularoDownload } from '../../transport/request';
import { FILE_ADVICE } from '../advice';
import { forOperation } from '../descriptions';
import { badInput, requiredText } from '../inputChecks';
import { loadDocument } from '../loadDocument';
import { readableDocument } from '../readableDocument';
import { documentIdProperty } from './documentId';

/** Where the audit trail PDF goes, once the option "includeAuditTrail" is on. */
export const auditTrailFieldOption: INodeProperties = {
	displayName: 'Put Audit Trail in Field',
	name: 'auditTrailBinaryPropertyName',
	type: 'string',
	default: 'auditTrail',
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
		description: 'Whether to download the audit trail too, and where to put it',
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
		],
	},
];

export const description = forOperation('document', 'download', properties);

interface DownloadOptions {
	includeAuditTrail?: boolean;
	auditTrailBinaryPropertyName?: string;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const documentId = requiredText(this, itemIndex, 'documentId', 'Document ID');
	const binaryField = requiredText(
		this,
		itemIndex,
		'binaryPropertyName',
		'Put Output File in Field',
	);
	const options = this.getNodeParameter('options', itemIndex, {}) as DownloadOptions;
	const auditField = options.includeAuditTrail
		? (options.auditTrailBinaryPropertyName ?? 'auditTrail').trim()
		: undefined;
	if (auditField === '') throw badInput(this, itemIndex, '"Put Audit Trail in Field" is empty');
	if (auditField === binaryField) {
		throw badInput(
			this,
			itemIndex,
			'"Put Audit Trail in Field" is the same field as "Put Output File in Field"',
		);
	}

	const record = await loadDocument.call(this, documentId, itemIndex);
	const document = readableDocument(record);
	const hash = typeof document.fileHash === 'string' ? document.fileHash : '';
	if (hash === '') {
		throw new NodeOperationError(
			this.getNode(),
			`Circularo returned no PDF for document "${documentId}"`,
			{
				itemIndex,
				description: 'The document has no pdfFile.content (file hash) to download.',
			},
		);
	}
	const title =
		typeof document.title === 'string' && document.title !== '' ? document.title : documentId;
	const binary: IBinaryKeyData = {};
	const pdf = await circularoDownload.call(
		this,
		`/files/loadFile/hash/${encodeURIComponent(hash)}`,
		{
			action: 'download the document',
			fixes: FILE_ADVICE,
		},
	);
	binary[binaryField] = await this.helpers.prepareBinaryData(
		pdf,
		DOWNLOAD_FILE_NAMES.document(title),
		'application/pdf',
	);
	if (auditField) {
		const audit = await circularoDownload.call(
			this,
			`/documents/${encodeURIComponent(documentId)}/audit`,
			{
				action: 'download the audit trail',
				fixes: FILE_ADVICE,
			},
		);
		binary[auditField] = await this.helpers.prepareBinaryData(
			audit,
			DOWNLOAD_FILE_NAMES.auditTrail(title),
			'application/pdf',
		);
	}
	return [{ json: document, binary }];
}
