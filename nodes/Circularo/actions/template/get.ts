import { updateDisplayOptions } from 'n8n-workflow';

import { getTemplate } from '../../circularo/endpoints/templates';
import type { OperationRun } from '../router';
import { templateIdOf, templateItem, templateProperty } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['template'], operation: ['get'] } },
	[templateProperty],
);

/** GET /templates/:id: its fields and roles, read, and the template as Circularo sent it. */
export const execute: OperationRun = async function (itemIndex, client) {
	return [{ json: templateItem(await getTemplate(client, templateIdOf(this, itemIndex))) }];
};
