/**
 * Signature templates. Documented ("9. Document Templates", "6. Signature Templates", "Use
 * signature template"): a template holds a file, its metadata fields, its signature fields and its
 * recipients' roles; it is created with `POST /enums/templates/record`, and a document is made
 * from it and shared. The list, get and use calls are not readable: the reading below follows a
 * public client (`GET /templates/:id`, then a new document from the template's file, then
 * `POST /share`), each point [assumed] at its field; the records are read in records.ts.
 */
import type { IDataObject } from 'n8n-workflow';

import { answerLacks, asObject, firstResultOf, resultsOf } from '../answers';
import type { CircularoClient } from '../client';
import type { EndpointAdvice } from '../errors';
import { templateOf } from '../records';

/** One role of a template: who is asked to do what, and in which order. */
export interface TemplateRole {
	/** What the role does: [assumed] `shareType` (sign, approve, review, accept, view). */
	purpose: string;
	order?: number;
	/** [assumed] The role's named user, `shareData[0].user.name` (or `.email`, `.username`). */
	user?: string;
	/** [assumed] The role's id (`userRoleId`), which signature fields may name instead of a user. */
	roleId?: string;
}

/** A template as the node reads it; `raw` is what Circularo sent. */
export interface Template {
	templateId: string;
	name: string;
	documentType?: string;
	/** [assumed] The template's stored file, `file` (a file hash, as `pdfFile.content` is). */
	fileHash?: string;
	/** The names of its metadata fields (documented `fields`). */
	fields: string[];
	roles: TemplateRole[];
	/** Its signature fields (documented `signFields`), each naming its signer in `user`. */
	signFields: IDataObject[];
	raw: IDataObject;
}

const LIST_TEMPLATES: EndpointAdvice = {
	action: 'list the templates',
	advice: { 403: 'The user behind the API key may not read the templates of this tenant.' },
};

/** [assumed] The tenant's templates: `GET /templates`, wrapped in `results[]` or bare. */
export async function listTemplates(client: CircularoClient): Promise<Template[]> {
	const answer = await client.request({
		endpoint: LIST_TEMPLATES,
		method: 'GET',
		path: '/templates',
	});
	return resultsOf(answer)
		.map((record) => templateOf(record))
		.filter((template): template is Template => template !== undefined);
}

const GET_TEMPLATE: EndpointAdvice = {
	action: 'get the template',
	advice: {
		403: 'The user behind the API key may not use this template.',
		404: 'Check the Template: no template with this ID is visible to the user behind the API key.',
	},
};

/** [assumed] GET /templates/:id, as a public client calls it: one template, wrapped or bare. */
export async function getTemplate(client: CircularoClient, templateId: string): Promise<Template> {
	const answer = await client.request({
		endpoint: GET_TEMPLATE,
		method: 'GET',
		path: `/templates/${encodeURIComponent(templateId)}`,
	});
	const record = firstResultOf(answer) ?? asObject(answer);
	return (
		templateOf(record && { id: templateId, ...record }) ??
		answerLacks(
			client,
			`Circularo returned no template for ID "${templateId}"`,
			'Its answer to GET /templates/:id held no template.',
		)
	);
}
