/**
 * An operation's own parameters, shown only for it. (Each resource's "Operation" parameter stays a
 * literal in its index.ts: n8n's lint rules, which verification applies, only check it there.)
 */
import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

export function forOperation(
	resource: string,
	operation: string,
	properties: INodeProperties[],
): INodeProperties[] {
	return updateDisplayOptions(
		{ show: { resource: [resource], operation: [operation] } },
		properties,
	);
}
