import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { asObject, deleteFailures, documentVersion } from '../../assumptions';
import { readFailedRequest } from '../../transport/errors';
import { circularoApiRequest, redactedCircularoText } from '../../transport/request';
import { DOCUMENT_ADVICE } from '../advice';
import { forOperation } from '../descriptions';
import { badInput, requiredText } from '../inputChecks';
import { loadDocument } from '../loadDocument';
import { documentIdProperty } from './documentId';

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
					'Version of the document to delete (its "version" from Get). When Circularo reports that the version moved on, the node retries once with the latest one, so this does not prevent the delete.',
			},
		],
	},
];

export const description = forOperation('document', 'delete', properties);

interface DeleteOptions {
	permanent?: boolean;
	version?: number;
}

async function deleteDocument(
	context: IExecuteFunctions,
	documentId: string,
	permanent: boolean,
	version: number | undefined,
	action = 'delete the document',
): Promise<IDataObject> {
	const entry: IDataObject = { id: documentId };
	if (version !== undefined) entry.version = version;
	const answer: unknown = await circularoApiRequest.call(
		context,
		'DELETE',
		'/documents',
		{ documents: [entry] },
		{
			qs: { hardDelete: permanent },
			action,
			fixes: DOCUMENT_ADVICE,
		},
	);
	return asObject(answer) ?? {};
}

/** The answer, or undefined when Circularo answered 409 (version mismatch); other failures are thrown. */
async function unlessConflict<T>(call: Promise<T>): Promise<T | undefined> {
	return await call.catch((error: unknown) => {
		if (readFailedRequest(error).status === 409) return undefined;
		throw error;
	});
}

/**
 * DELETE /documents. A 409 (the version moved on, for example through a background task) is
 * retried once with the version Circularo reports now.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const documentId = requiredText(this, itemIndex, 'documentId', 'Document ID');
	const options = this.getNodeParameter('options', itemIndex, {}) as DeleteOptions;
	const permanent = options.permanent === true;
	let version = options.version;
	if (version !== undefined && (!Number.isInteger(version) || version < 0)) {
		throw badInput(this, itemIndex, '"Version" must be a whole number of at least 0');
	}
	let answer = await unlessConflict(deleteDocument(this, documentId, permanent, version));
	const retried = answer === undefined;
	if (answer === undefined) {
		version = documentVersion(
			await loadDocument.call(this, documentId, itemIndex, 'read the latest version'),
		);
		answer = await deleteDocument(
			this,
			documentId,
			permanent,
			version,
			'delete the document, even with its latest version',
		);
	}
	const failures = deleteFailures(answer);
	if (failures) {
		const said = await redactedCircularoText.call(this, failures.join('; '));
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
	if (retried) json.retriedAfterVersionConflict = true;
	return [{ json: { ...json, ...answer } }];
}
