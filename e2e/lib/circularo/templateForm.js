// @ts-check
'use strict';

/**
 * Fixtures for sending from a template out of an n8n form: the Form Trigger of the workflow and a
 * submission of it as a browser sends it.
 */

const crypto = require('node:crypto');

/** The Form Trigger's fields, in order; a submission names them `field-0`, `field-1`, ... */
const TEMPLATE_FORM_FIELDS = ['Company', 'Contract number', 'Signer e-mail'];

/** n8n's Form Trigger asking for the template's values, first in a workflow. */
function templateFormNode() {
	return {
		id: crypto.randomUUID(),
		name: 'NDA request form',
		type: 'n8n-nodes-base.formTrigger',
		typeVersion: 2.2,
		position: [0, 0],
		webhookId: crypto.randomUUID(),
		parameters: {
			formTitle: 'Request an NDA',
			formDescription: 'We send you the NDA to sign and show your signing link.',
			formFields: {
				values: TEMPLATE_FORM_FIELDS.map((fieldLabel) => ({
					fieldLabel,
					...(fieldLabel.includes('e-mail') ? { fieldType: 'email' } : {}),
					requiredField: true,
				})),
			},
			options: {},
		},
	};
}

/**
 * Submits the form of a published workflow with `values` (by label), as a browser would.
 * @param {string} baseUrl n8n's address @param {string} webhookId the Form Trigger's
 * @param {Record<string, string>} values
 */
async function submitTemplateForm(baseUrl, webhookId, values) {
	const submission = new FormData();
	TEMPLATE_FORM_FIELDS.forEach((label, i) => submission.append(`field-${i}`, values[label] ?? ''));
	const answer = await fetch(`${baseUrl}/form/${webhookId}`, { method: 'POST', body: submission });
	if (answer.status !== 200) throw new Error(`form: ${answer.status} ${await answer.text()}`);
}

module.exports = { TEMPLATE_FORM_FIELDS, templateFormNode, submitTemplateForm };
