/**
 * The node's subtitle: the chosen operation and resource by their display names ("Create: Sign
 * Request"), built from the descriptions so that it cannot drift from them.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

export function operationSubtitle(
	resource: INodeProperties,
	properties: INodeProperties[],
): string {
	const names: Record<string, string> = {};
	for (const { name: resourceName, value: resourceValue } of (resource.options ??
		[]) as INodePropertyOptions[]) {
		const operation = properties.find(
			(property) =>
				property.name === 'operation' &&
				property.displayOptions?.show?.resource?.includes(resourceValue),
		);
		for (const option of (operation?.options ?? []) as INodePropertyOptions[]) {
			names[`${String(resourceValue)}.${String(option.value)}`] = `${option.name}: ${resourceName}`;
		}
	}
	return `={{ ${JSON.stringify(names)}[$parameter["resource"] + "." + $parameter["operation"]] }}`;
}
