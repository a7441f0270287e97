/**
 * What the template operations share: the Template parameter (a searchable list, or an ID) and a
 * template as an item.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Template } from '../../circularo/endpoints/templates';
import { badInput } from '../common/inputChecks';

export const templateProperty: INodeProperties = {
	displayName: 'Template',
	name: 'template',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The Circularo signature template, from the list or by its ID',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchTemplates', searchable: true },
		},
		{
			displayName: 'ID',
			name: 'id',
			type: 'string',
			placeholder: 'tpl-nda',
		},
	],
};

/** The chosen template's ID, refused before any call when empty. */
export function templateIdOf(context: IExecuteFunctions, itemIndex: number): string {
	const value = context.getNodeParameter('template', itemIndex, '', { extractValue: true });
	const templateId = String(value ?? '').trim();
	if (templateId === '')
		throw badInput(
			context,
			itemIndex,
			'"Template" is empty',
			'Pick a template from the list or enter its ID.',
		);
	return templateId;
}

/** A template as an item: what a workflow or an agent needs first, then what Circularo sent. */
export function templateItem(template: Template): IDataObject {
	return {
		templateId: template.templateId,
		name: template.name,
		documentType: template.documentType ?? null,
		fields: template.fields,
		roles: template.roles.map((role) => ({
			purpose: role.purpose,
			order: role.order ?? null,
			user: role.user ?? null,
			roleId: role.roleId ?? null,
		})),
		template: template.raw,
	};
}
