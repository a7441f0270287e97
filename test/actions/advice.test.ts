/**
 * Each endpoint's failure gives that endpoint's advice: Circularo refusing one call (403) is
 * explained by the advice for that call, whichever operation made it. The trigger's calls are
 * covered beside it (trigger/downloads.test.ts, trigger/lifecycle.test.ts).
 */
import type { INodeParameters } from 'n8n-workflow';

import { binaryItem } from '../helpers/n8nContext';
import { samplePdf } from '../circularo/samples';
import { useSimulator } from './harness';

const t = useSimulator();

const create = { resource: 'document', operation: 'create' };
const download = { resource: 'document', operation: 'download', documentId: 'doc-sales-1' };

/**
 * The operation that reaches each endpoint, the endpoint's path as the simulator routes it, and
 * what the user is told when Circularo refuses it: the call in words, and its fix.
 */
const CASES: Record<string, [INodeParameters, string, string, string, string]> = {
	listDocumentTypes: [
		{ resource: 'documentType', operation: 'getAll', returnAll: true },
		'GET',
		'/definitions/documents',
		'list the document types',
		'The user behind the API key may not read the document types of this tenant.',
	],
	getDocument: [
		{ resource: 'document', operation: 'get', documentId: 'doc-sales-1' },
		'GET',
		'/documents/:id',
		'get the document',
		'The user behind the API key may not do this with this document: it needs the use_document_management right and access to the document (its owner, its team or an admin).',
	],
	searchDocuments: [
		{ resource: 'document', operation: 'getAll' },
		'POST',
		'/search',
		'search documents',
		'The user behind the API key may not do this with this document: it needs the use_document_management right and access to the document (its owner, its team or an admin).',
	],
	uploadFile: [
		create,
		'POST',
		'/files/saveFile',
		'upload the file',
		'The user behind the API key needs the use_file_management right to upload files.',
	],
	createDocument: [
		create,
		'POST',
		'/documents',
		'create the document',
		'The user behind the API key needs the use_document_management right and access to this document type.',
	],
	deleteDocument: [
		{ resource: 'document', operation: 'delete', documentId: 'doc-sales-1' },
		'DELETE',
		'/documents',
		'delete the document',
		'The user behind the API key may not do this with this document: it needs the use_document_management right and access to the document (its owner, its team or an admin).',
	],
	downloadFile: [
		download,
		'GET',
		'/files/loadFile/hash/:hash',
		"download the document's PDF",
		'The user behind the API key may not do this with this document: it needs the use_document_management right and access to the document (its owner, its team or an admin).',
	],
	downloadAuditTrail: [
		{ ...download, options: { includeAuditTrail: true } },
		'GET',
		'/documents/:id/audit',
		'download the audit trail',
		'The user behind the API key may not do this with this document: it needs the use_document_management right and access to the document (its owner, its team or an admin).',
	],
	share: [
		{
			resource: 'signRequest',
			operation: 'create',
			documentId: 'doc-sales-1',
			recipients: { recipient: [{ shareTo: 'new.signer@example.com', purpose: 'sign' }] },
		},
		'POST',
		'/share',
		'send the sign request',
		'Only the owner of the document or the user who shared it may share it or cancel the sign request.',
	],
	cancelShare: [
		{ resource: 'signRequest', operation: 'cancel', shareId: 'share-1' },
		'PUT',
		'/share/disable',
		'cancel the sign request',
		'Only the owner of the document or the user who shared it may share it or cancel the sign request.',
	],
	listWebhooks: [
		{ resource: 'webhook', operation: 'getAll' },
		'GET',
		'/webhooks',
		'list webhooks',
		'The API key must belong to a team admin or global admin whose rights include "use_webhooks", and Circularo support must have enabled webhooks for your tenant.',
	],
	validateShare: [
		{ resource: 'signRequest', operation: 'getSigningLink', shareId: 'share-1' },
		'GET',
		'/share/:shareId/validate',
		'get the signing link',
		'Only the owner of the document or the user who shared it may get its signing links.',
	],
	sendReminder: [
		{
			resource: 'signRequest',
			operation: 'sendReminder',
			remindTarget: 'shares',
			shareIds: 'share-1',
		},
		'POST',
		'/share/remind',
		'send the reminder',
		'Only the owner of the document or the user who shared it may send reminders.',
	],
	listTemplates: [
		{ resource: 'template', operation: 'getAll' },
		'GET',
		'/templates',
		'list the templates',
		'The user behind the API key may not read the templates of this tenant.',
	],
	getTemplate: [
		{
			resource: 'template',
			operation: 'get',
			template: { __rl: true, mode: 'id', value: 'tpl-nda' },
		},
		'GET',
		'/templates/:id',
		'get the template',
		'The user behind the API key may not use this template.',
	],
	deleteWebhook: [
		{ resource: 'webhook', operation: 'delete', webhookId: 'webhook-1' },
		'DELETE',
		'/webhooks/:id',
		'delete the webhook',
		'The API key must belong to a team admin or global admin whose rights include "use_webhooks", and Circularo support must have enabled webhooks for your tenant.',
	],
};

it.each(Object.entries(CASES))('a refused %s gives its own advice', async (_endpoint, case_) => {
	const [parameters, method, path, action, fix] = case_;
	t.sim.setFault({ method, path, status: 403, message: 'Forbidden' });
	const items = [binaryItem('data', samplePdf('Advice'), 'advice.pdf', 'application/pdf')];
	const error = await t.failure(parameters, { items });
	expect(error.message).toBe(`Circularo refused to ${action} (403)`);
	expect(error.description).toBe(`${fix} Circularo said: "Forbidden".`);
});
