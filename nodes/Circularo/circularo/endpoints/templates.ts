/**
 * Signature templates. Documented ("9. Document Templates", "6. Signature Templates", "Use
 * signature template"): a template holds a file, its metadata fields, its signature fields and its
 * recipients' roles; it is created with `POST /enums/templates/record`, and a document is made
 * from it and shared. The list, get and use calls are not readable: the reading below follows a
 * public client (`GET /templates/:id`, then a new document from the template's file, then
 * `POST /share`), each point [assumed] at its field and read leniently.
 */
import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import { asObject, firstResultOf, firstString, resultsOf, textOf } from '../answers';
import type { CircularoClient } from '../client';

/** [assumed] The list of the tenant's templates: `GET /templates`, wrapped in `results[]` or bare. */
export const TEMPLATE_LIST = { method: 'GET', path: '/templates' } as const;

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

function roleOf(entity: IDataObject): TemplateRole {
	const shareData = Array.isArray(entity.shareData) ? entity.shareData : [];
	const first = asObject(shareData[0]) ?? {};
	const user = asObject(first.user);
	const order = Number(entity.order);
	return {
		purpose: firstString(entity.shareType, entity.sharePurpose) ?? 'sign',
		order: Number.isInteger(order) && order > 0 ? order : undefined,
		user: firstString(user?.name, user?.email, user?.username, first.user, first.shareTo),
		roleId: textOf(entity.userRoleId),
	};
}

/** A template record read leniently; undefined when it has no id. */
export function templateOf(record: IDataObject | undefined): Template | undefined {
	const data = asObject(record?.data) ?? record;
	const templateId = firstString(record?.id, record?.templateId, data?.id, data?.templateId);
	if (!record || !data || templateId === undefined) return undefined;
	const fields = (Array.isArray(data.fields) ? data.fields : [])
		.map((field) => firstString(field, asObject(field)?.name))
		.filter((name): name is string => name !== undefined);
	const entities = Array.isArray(data.signEntities) ? data.signEntities : [];
	return {
		templateId,
		name: firstString(data.name, data.templateName, data.title) ?? templateId,
		documentType: firstString(data.documentType),
		fileHash: firstString(data.file, asObject(data.file)?.content, asObject(data.pdfFile)?.content),
		fields,
		roles: entities
			.map((entity) => asObject(entity))
			.filter((entity): entity is IDataObject => entity !== undefined)
			.map(roleOf),
		signFields: (Array.isArray(data.signFields) ? data.signFields : [])
			.map((field) => asObject(field))
			.filter((field): field is IDataObject => field !== undefined),
		raw: record,
	};
}

/** GET /templates ([assumed]): the tenant's templates. */
export async function listTemplates(client: CircularoClient): Promise<Template[]> {
	const answer = await client.request({
		endpoint: 'listTemplates',
		method: TEMPLATE_LIST.method,
		path: TEMPLATE_LIST.path,
	});
	return resultsOf(answer)
		.map(templateOf)
		.filter((template): template is Template => template !== undefined);
}

/** [assumed] GET /templates/:id, as a public client calls it: one template, wrapped or bare. */
export async function getTemplate(client: CircularoClient, templateId: string): Promise<Template> {
	const answer = await client.request({
		endpoint: 'getTemplate',
		method: 'GET',
		path: `/templates/${encodeURIComponent(templateId)}`,
	});
	const record = firstResultOf(answer) ?? asObject(answer);
	const template = templateOf(record && { id: templateId, ...record });
	if (!template) {
		throw new NodeOperationError(
			client.node,
			`Circularo returned no template for ID "${templateId}"`,
			{ description: 'Its answer to GET /templates/:id held no template.' },
		);
	}
	return template;
}
