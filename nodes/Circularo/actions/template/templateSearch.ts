/**
 * The editor's searchable list of templates for Template > Get and Send for Signature (an ID or an
 * expression works too).
 */
import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { circularoClient } from '../../circularo/client';
import { listTemplates } from '../../circularo/endpoints/templates';

export async function searchTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const wanted = (filter ?? '').trim().toLowerCase();
	const results = (await listTemplates(circularoClient(this)))
		.filter((template) => template.name.toLowerCase().includes(wanted))
		.sort((a, b) => a.name.localeCompare(b.name))
		.map((template) => ({ name: template.name, value: template.templateId }));
	return { results };
}
