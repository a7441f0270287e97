import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type INodeProperties,
} from 'n8n-workflow';

import { deleteDocument } from '../../circularo/endpoints/documents';
import type { OperationRun } from '../router';
import { badInput, requiredText } from '../common/inputChecks';
import { documentIdProperty } from '../common/parameters';

const properties: INodeProperties[] = [
	documentIdProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		description: 'Delete permanently instead of to the trash, or at a given version',
		options: [
			{
				displayName: 'Delete Permanently',
				name: 'permanent',
				type: 'boolean',
				default: false,
				description:
					'Whether to delete the document for good instead of moving it to the trash, where it can be restored',
			},
			{
				displayName: 'Version',
				name: 'version',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description:
					'Delete only if the document is still at this version (its "version" from Get): if it has changed since, the node fails and nothing is deleted',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['document'], operation: ['delete'] } },
	properties,
);

interface DeleteOptions {
	permanent?: boolean;
	version?: number;
}

/** DELETE /documents: to the trash or for good, and with a Version only if it has not changed. */
export const execute: OperationRun = async function (itemIndex, client) {
	const documentId = requiredText(this, itemIndex, 'documentId', 'Document ID');
	const options = this.getNodeParameter('options', itemIndex, {}) as DeleteOptions;
	const permanent = options.permanent === true;
	const version = options.version;
	if (version !== undefined && (!Number.isInteger(version) || version < 0)) {
		throw badInput(this, itemIndex, '"Version" must be a whole number of at least 0');
	}
	const { answer, failures } = await deleteDocument(client, documentId, { permanent, version });
	if (failures) {
		const said = await client.redact(failures.join('; '));
		throw new NodeOperationError(
			this.getNode(),
			`Circularo could not delete document "${documentId}"`,
			{
				itemIndex,
				description: said
					? `Circularo said: ${said}`
					: 'Circularo answered with errors: true and no details.',
			},
		);
	}
	const json: IDataObject = { documentId, deleted: true, permanent };
	if (version !== undefined) json.version = version;
	return [{ json: { ...json, ...answer } }];
};
