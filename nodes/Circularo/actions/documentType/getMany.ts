import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import { listDocumentTypes } from '../../circularo/endpoints/documentTypes';
import { isFileBasedType } from '../../circularo/records';
import type { OperationRun } from '../router';
import { returnAllProperties, wantedCount } from '../common/parameters';

const properties: INodeProperties[] = [
	...returnAllProperties,
	{
		displayName: 'File-Based Only',
		name: 'fileBasedOnly',
		type: 'boolean',
		default: true,
		description:
			'Whether to list only the types a document can be created from a file with (definition type "ext"), the ones Document > Create uses',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['documentType'], operation: ['getAll'] } },
	properties,
);

/** GET /definitions/documents: one item per type, with its fields and default workflow. */
export const execute: OperationRun = async function (itemIndex, client) {
	const wanted = wantedCount(this, itemIndex);
	const fileBasedOnly = this.getNodeParameter('fileBasedOnly', itemIndex, true) as boolean;
	const types = (await listDocumentTypes(client)).filter(
		(definition) => !fileBasedOnly || isFileBasedType(definition),
	);
	return types.slice(0, wanted).map((definition) => ({ json: definition }));
};
