/**
 * Each endpoint's failure gives that endpoint's advice: Circularo refusing one call (403) is
 * explained by the advice for that call, whichever operation made it. The trigger's calls are
 * covered beside it (trigger/downloads.test.ts, trigger/lifecycle.test.ts).
 */
import type { INodeParameters } from 'n8n-workflow';

import { ENDPOINT_ADVICE, type Endpoint } from '../../nodes/Circularo/circularo/errors';
import { binaryItem } from '../helpers/n8nContext';
import { samplePdf } from '../circularo/samples';
import { useSimulator } from './harness';

const t = useSimulator();

const create = { resource: 'document', operation: 'create' };
const download = { resource: 'document', operation: 'download', documentId: 'doc-sales-1' };

/** The operation that reaches each endpoint, and the endpoint's path as the simulator routes it. */
const CASES: Record<Exclude<Endpoint, 'createWebhook'>, [INodeParameters, string, string]> = {
	listDocumentTypes: [
		{ resource: 'documentType', operation: 'getAll', returnAll: true },
		'GET',
		'/definitions/documents',
	],
	getDocument: [
		{ resource: 'document', operation: 'get', documentId: 'doc-sales-1' },
		'GET',
		'/documents/:id',
	],
	searchDocuments: [{ resource: 'document', operation: 'getAll' }, 'POST', '/search'],
	uploadFile: [create, 'POST', '/files/saveFile'],
	createDocument: [create, 'POST', '/documents'],
	deleteDocuments: [
		{ resource: 'document', operation: 'delete', documentId: 'doc-sales-1' },
		'DELETE',
		'/documents',
	],
	downloadFile: [download, 'GET', '/files/loadFile/hash/:hash'],
	downloadAuditTrail: [
		{ ...download, options: { includeAuditTrail: true } },
		'GET',
		'/documents/:id/audit',
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
	],
	cancelShare: [
		{ resource: 'signRequest', operation: 'cancel', shareId: 'share-1' },
		'PUT',
		'/share/disable',
	],
	listWebhooks: [{ resource: 'webhook', operation: 'getAll' }, 'GET', '/webhooks'],
	validateShare: [
		{ resource: 'signRequest', operation: 'getSigningLink', shareId: 'share-1' },
		'GET',
		'/share/:shareId/validate',
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
	],
	listTemplates: [{ resource: 'template', operation: 'getAll' }, 'GET', '/templates'],
	getTemplate: [
		{
			resource: 'template',
			operation: 'get',
			template: { __rl: true, mode: 'id', value: 'tpl-nda' },
		},
		'GET',
		'/templates/:id',
	],
	deleteWebhook: [
		{ resource: 'webhook', operation: 'delete', webhookId: 'webhook-1' },
		'DELETE',
		'/webhooks/:id',
	],
};

it('covers every endpoint the action node calls', () => {
	expect(Object.keys(CASES).sort()).toEqual(
		Object.keys(ENDPOINT_ADVICE)
			.filter((endpoint) => endpoint !== 'createWebhook')
			.sort(),
	);
});

it.each(Object.entries(CASES))('a refused %s gives its own advice', async (endpoint, case_) => {
	const [parameters, method, path] = case_;
	const { action, advice } = ENDPOINT_ADVICE[endpoint as Endpoint];
	const fix = (advice as Record<number, string | ((said: string) => string)>)[403];
	t.sim.setFault({ method, path, status: 403, message: 'Forbidden' });
	const items = [binaryItem('data', samplePdf('Advice'), 'advice.pdf', 'application/pdf')];
	const error = await t.failure(parameters, { items });
	expect(error.message).toBe(`Circularo refused to ${action} (403)`);
	expect(error.description).toBe(
		`${typeof fix === 'function' ? fix('Forbidden') : fix} Circularo said: "Forbidden".`,
	);
});
