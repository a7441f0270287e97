import type { INodeProperties } from 'n8n-workflow';

/** The Document ID parameter every document operation but Create starts with. */
export const documentIdProperty: INodeProperties = {
	displayName: 'Document ID',
	name: 'documentId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '7a306bc1-4c52-4f0e-9d1a-2b7e0c9f6a11',
	description:
		'ID of the Circularo document (documentId), as returned by Create or Get Many or sent by the Circularo Trigger',
};
