import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import { listTemplates } from '../../circularo/endpoints/templates';
import type { OperationRun } from '../router';
import { textParameter } from '../common/inputChecks';
import { returnAllProperties, wantedCount } from '../common/parameters';

const properties: INodeProperties[] = [
	...returnAllProperties,
	{
		displayName: 'Name Contains',
		name: 'nameContains',
		type: 'string',
		default: '',
		placeholder: 'NDA',
		description: 'Only templates whose name contains this text (any case). Empty: all.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['template'], operation: ['getAll'] } },
	properties,
);

/** GET /templates: one item per template, by name. */
export const execute: OperationRun = async function (itemIndex, client) {
	const wanted = wantedCount(this, itemIndex);
	const nameContains = textParameter(this, itemIndex, 'nameContains').toLowerCase();
	const templates = (await listTemplates(client))
		.filter((template) => template.name.toLowerCase().includes(nameContains))
		.sort((a, b) => a.name.localeCompare(b.name));
	return templates.slice(0, wanted).map((template) => ({
		json: {
			templateId: template.templateId,
			name: template.name,
			documentType: template.documentType ?? null,
			fields: template.fields,
			...template.raw,
		},
	}));
};
