import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { uploadSource } from '../../circularo/multipart';
import { isPdf } from '../../circularo/pdfDownload';
import { createDocument, DOCUMENT_DEFAULTS } from '../../circularo/endpoints/documents';
import { uploadFile } from '../../circularo/endpoints/files';
import type { OperationRun } from '../router';
import { badInput, requiredText, textParameter } from '../common/inputChecks';
import { documentItem } from '../common/output';

const properties: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field containing the file to upload',
		description:
			'Name of the binary field of the input item that holds the file (a PDF, or another file with Convert to PDF)',
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		placeholder: 'Service agreement ACME 2026',
		description:
			'Title of the new document in Circularo. Leave empty to use the file name without its extension.',
	},
	{
		displayName: 'Document Type',
		name: 'documentType',
		type: 'resourceLocator',
		default: { mode: 'id', value: DOCUMENT_DEFAULTS.documentType },
		required: true,
		description: `The Circularo document type of the new document; ${DOCUMENT_DEFAULTS.documentType} is the standard type of every tenant`,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchDocumentTypes', searchable: true },
			},
			{
				displayName: 'ID',
				name: 'id',
				type: 'string',
				placeholder: DOCUMENT_DEFAULTS.documentType,
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		description: 'Settings of the new document beyond its file, title and type',
		options: [
			{
				displayName: 'Convert to PDF',
				name: 'convertToPdf',
				type: 'boolean',
				default: false,
				description:
					'Whether Circularo converts the file (for example a Word document or an RTF file) to PDF. Needed for any file that is not a PDF.',
			},
			{
				displayName: 'Metadata Fields',
				name: 'metadata',
				type: 'fixedCollection',
				placeholder: 'Add field',
				default: {},
				typeOptions: { multipleValues: true },
				description:
					'Custom fields of the document type, by field name (see Document Type > Get Many for the fields of a type)',
				options: [
					{
						displayName: 'Field',
						name: 'field',
						values: [
							{
								displayName: 'Name',
								name: 'name',
								type: 'string',
								default: '',
								description: 'Name of the field as defined in the document type',
							},
							{
								displayName: 'Value',
								name: 'value',
								type: 'string',
								default: '',
								description: 'Value of the field',
							},
						],
					},
				],
			},
			{
				displayName: 'Workflow',
				name: 'workflow',
				type: 'string',
				default: '',
				placeholder: DOCUMENT_DEFAULTS.workflow,
				description: `The Circularo workflow the document follows. Empty: ${DOCUMENT_DEFAULTS.workflow}, which keeps it stored until it is shared.`,
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['document'], operation: ['create'] } },
	properties,
);

interface CreateOptions {
	convertToPdf?: boolean;
	metadata?: { field?: Array<{ name?: string; value?: string }> };
	workflow?: string;
}

// Set by the node from its own parameters; a metadata field may not replace them.
const RESERVED_FIELDS = new Set(['documentType', 'documentTitle', 'pdfFile']);

function metadataOf(
	context: IExecuteFunctions,
	itemIndex: number,
	options: CreateOptions,
): IDataObject {
	const metadata: IDataObject = {};
	for (const [position, field] of (options.metadata?.field ?? []).entries()) {
		const name = (field.name ?? '').trim();
		if (name === '')
			throw badInput(context, itemIndex, `"Metadata Fields": field ${position + 1} has no name`);
		if (RESERVED_FIELDS.has(name)) {
			throw badInput(
				context,
				itemIndex,
				`"Metadata Fields": "${name}" is set by the node`,
				'Use Title and Document Type instead.',
			);
		}
		metadata[name] = field.value ?? '';
	}
	return metadata;
}

function withoutExtension(fileName: string): string {
	return fileName.replace(/\.[^./\\]{1,8}$/, '') || fileName;
}

export const execute: OperationRun = async function (itemIndex, client) {
	const binaryField = requiredText(this, itemIndex, 'binaryPropertyName', 'Input Binary Field');
	const binary = this.getInputData()[itemIndex].binary?.[binaryField];
	if (!binary) {
		throw badInput(
			this,
			itemIndex,
			`The input item has no binary field "${binaryField}" (Input Binary Field)`,
			'Pass a file from a previous node (for example Read Files from Disk or an HTTP Request) and enter the name of its binary field.',
		);
	}
	const options = this.getNodeParameter('options', itemIndex, {}) as CreateOptions;
	const documentType = textParameter(this, itemIndex, 'documentType', { extractValue: true });
	if (documentType === '')
		throw badInput(
			this,
			itemIndex,
			'"Document Type" is empty',
			`Pick a type, or enter ${DOCUMENT_DEFAULTS.documentType}.`,
		);
	const metadata = metadataOf(this, itemIndex, options);
	const source = await uploadSource(this, binary);
	const fileName = binary.fileName || `${binaryField}.pdf`;
	const convertToPdf = options.convertToPdf === true;
	const refusal =
		source.size === 0
			? badInput(
					this,
					itemIndex,
					`The file "${fileName}" in binary field "${binaryField}" is empty`,
				)
			: !convertToPdf && !isPdf(source.head)
				? badInput(
						this,
						itemIndex,
						`The file "${fileName}" is not a PDF`,
						'Turn on "Convert to PDF" in Options to let Circularo convert it, or pass a PDF.',
					)
				: undefined;
	if (refusal) {
		source.close();
		throw refusal;
	}
	const title = textParameter(this, itemIndex, 'title') || withoutExtension(fileName);
	const workflow = (options.workflow ?? '').trim() || DOCUMENT_DEFAULTS.workflow;
	const mimeType = isPdf(source.head)
		? 'application/pdf'
		: binary.mimeType || 'application/octet-stream';

	let fileId: string;
	try {
		fileId = await uploadFile(client, {
			chunks: source.chunks,
			size: source.size,
			fileName,
			mimeType,
		});
	} finally {
		source.close();
	}
	const created = await createDocument(client, {
		documentType,
		title,
		fileId,
		mimeType,
		workflow,
		convertToPdf,
		metadata,
	});
	// What Circularo answers wins: after a conversion its PDF is not the uploaded file.
	const record: IDataObject = {
		documentTitle: title,
		documentType,
		pdfFile: { content: fileId },
		...created,
	};
	return [{ json: { ...documentItem(record), fileName } }];
};
