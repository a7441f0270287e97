import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { isFileBasedType, resultsOf } from '../../assumptions';
import { circularoApiRequest } from '../../transport/request';
import { DEFINITION_ADVICE } from '../advice';
import { forOperation } from '../descriptions';
import { returnAllProperties, wantedCount } from '../returnAll';

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

export const description = forOperation('documentType', 'getAll', properties);

/** GET /definitions/documents: one item per type, with its fields and default workflow. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const wanted = wantedCount(this, itemIndex);
	const fileBasedOnly = this.getNodeParameter('fileBasedOnly', itemIndex, true) as boolean;
	const answer = await circularoApiRequest.call(this, 'GET', '/definitions/documents', undefined, {
		action: 'list the document types',
		fixes: DEFINITION_ADVICE,
	});
	const types = resultsOf(answer).filter(
		(definition) => !fileBasedOnly || isFileBasedType(definition),
	);
	return types.slice(0, wanted).map((definition) => ({ json: definition }));
}
