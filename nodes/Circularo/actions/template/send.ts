import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { DOCUMENT_DEFAULTS, createDocument } from '../../circularo/endpoints/documents';
import { share } from '../../circularo/endpoints/shares';
import { getTemplate } from '../../circularo/endpoints/templates';
import type { OperationRun } from '../router';
import { badInput, textParameter } from '../common/inputChecks';
import { reminderProperties, withAutomaticReminders } from '../signRequest/reminderOptions';
import {
	readSigningLinkPlan,
	signingLinkProperties,
	signingLinksOf,
} from '../signRequest/signingLinkOption';
import { templateIdOf, templateProperty } from './common';
import { templateShare, type RoleRecipientParameters } from './templateRecipients';

const properties: INodeProperties[] = [
	templateProperty,
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		placeholder: 'NDA with Example Ltd',
		description: "Title of the new document. Empty: the template's name.",
	},
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'fixedCollection',
		placeholder: 'Add field',
		default: {},
		typeOptions: { multipleValues: true },
		description:
			"Values of the template's fields, by field name (Template > Get lists them), for example from a form",
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'contractNumber',
						description: 'Name of the field in the template',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'Value of the field',
					},
				],
			},
		],
	},
	{
		displayName: 'Recipients',
		name: 'recipients',
		type: 'fixedCollection',
		placeholder: 'Add recipient',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		description:
			"One recipient per role of the template, in the template's order; a role left out or empty goes to the user the template names",
		options: [
			{
				displayName: 'Recipient',
				name: 'recipient',
				values: [
					{
						displayName: 'E-Mail or Username',
						name: 'shareTo',
						type: 'string',
						default: '',
						placeholder: 'name@email.com',
						description:
							"E-mail address or Circularo username of this role's recipient. Empty: the user the template names.",
					},
					{
						displayName: 'OTP E-Mail',
						name: 'otpEmail',
						type: 'string',
						default: '',
						placeholder: 'name@email.com',
						description:
							"Where the one-time password is sent. Empty: the recipient's e-mail address.",
					},
					{
						displayName: 'Phone Number',
						name: 'otpPhone',
						type: 'string',
						default: '',
						placeholder: '+420 777 123 456',
						description: 'Mobile number the one-time password is sent to, in international format',
					},
					{
						displayName: 'Private Message',
						name: 'message',
						type: 'string',
						default: '',
						description: 'A message only this recipient sees in the invitation',
					},
					{
						displayName: 'Protection',
						name: 'otp',
						type: 'options',
						default: 'none',
						description:
							'Whether the recipient must enter a one-time password before opening the document (needed for a signing link to someone outside Circularo)',
						options: [
							{
								name: 'None',
								value: 'none',
							},
							{
								name: 'One-Time Password by E-Mail',
								value: 'email',
							},
							{
								name: 'One-Time Password by SMS',
								value: 'phone',
							},
						],
					},
				],
			},
		],
	},
	...reminderProperties,
	...signingLinkProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['template'], operation: ['send'] } },
	properties,
);

const RESERVED_FIELDS = new Set(['documentType', 'documentTitle', 'pdfFile']);

/** The Fields parameter by name, refused before any call when a name is empty or reserved. */
function fieldValues(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const parameter = context.getNodeParameter('fields', itemIndex, {}) as {
		field?: Array<{ name?: string; value?: unknown }>;
	};
	const values: IDataObject = {};
	for (const [position, field] of (parameter.field ?? []).entries()) {
		const name = String(field.name ?? '').trim();
		if (name === '')
			throw badInput(context, itemIndex, `"Fields": field ${position + 1} has no name`);
		if (RESERVED_FIELDS.has(name))
			throw badInput(
				context,
				itemIndex,
				`"Fields": "${name}" is set by the node`,
				'Use Title instead.',
			);
		values[name] = (field.value ?? '') as IDataObject[string];
	}
	return values;
}

/**
 * GET /templates/:id, POST /documents (the template's file, the fields filled), POST /share (the
 * template's roles and signature fields); with signing links, GET /share/:shareId/validate per
 * protected share.
 */
export const execute: OperationRun = async function (itemIndex, client) {
	const templateId = templateIdOf(this, itemIndex);
	const fields = fieldValues(this, itemIndex);
	const given =
		(
			this.getNodeParameter('recipients', itemIndex, {}) as {
				recipient?: RoleRecipientParameters[];
			}
		).recipient ?? [];
	const template = await getTemplate(client, templateId);
	const unknown = Object.keys(fields).filter((name) => !template.fields.includes(name));
	if (template.fields.length > 0 && unknown.length > 0)
		throw badInput(
			this,
			itemIndex,
			`"Fields": "${unknown[0]}" is not a field of template "${template.name}"`,
			`Its fields: ${template.fields.join(', ')}. Nothing was created.`,
		);
	const planned = templateShare(this, itemIndex, template, given);
	const recipients = withAutomaticReminders(this, itemIndex, planned.recipients);
	const linkPlan = readSigningLinkPlan(this, itemIndex, recipients);
	if (!template.fileHash)
		throw new NodeOperationError(this.getNode(), `Template "${template.name}" names no file`, {
			description: 'Its answer to GET /templates/:id held no file. Nothing was created.',
			itemIndex,
		});
	const documentType = template.documentType ?? DOCUMENT_DEFAULTS.documentType;
	const title = textParameter(this, itemIndex, 'title') || template.name;
	const created = await createDocument(client, {
		documentType,
		title,
		// [assumed] A document may use the template's stored file by its hash; a public client
		// downloads and uploads it again first.
		fileId: template.fileHash,
		mimeType: 'application/pdf',
		workflow: DOCUMENT_DEFAULTS.workflow,
		convertToPdf: false,
		metadata: fields,
	});
	const { documentId } = created;
	const { shares, shareIds } = await share(client, {
		documentId,
		documentType,
		sequential: planned.sequential,
		recipients,
		signatureFields: planned.signatureFields,
	});
	const json: IDataObject = {
		documentId,
		documentTitle: title,
		templateId: template.templateId,
		templateName: template.name,
		sequential: planned.sequential,
		shareIds,
		shares,
	};
	if (linkPlan)
		json.signingLinks = await signingLinksOf(client, linkPlan, documentId, recipients, shares);
	return [{ json }];
};
