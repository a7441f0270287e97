// @ts-check
'use strict';
/**
 * Templates, signing links and reminders in a real n8n 2.41.1 with the packed package, against
 * the simulator over real HTTP:
 *   - a published workflow, n8n Form Trigger -> Template > Send for Signature: the form's values
 *     fill the template's fields and name its open role; the item has each recipient's link;
 *   - Sign Request > Send Reminder twice the same day: the first reminds, the second fails with
 *     Circularo's rule in plain words;
 *   - the editor's searchable Template list (n8n's resource-locator search);
 *   - an AI agent's tool call (n8n's Tool Executor) lists the templates.
 *
 * Run: npm run build && node --test --test-concurrency=1 e2e/suites/signing-extras.test.js
 */

const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const { PublicApi } = require('../lib/api');
const { useStack } = require('../lib/circularo/stack');
const { ACTION_NODE_TYPE, actionNode, toolExecutorWorkflow } = require('../lib/circularo/action');
const { templateFormNode, submitTemplateForm } = require('../lib/circularo/templateForm');
const { MANUAL_TRIGGER_NAME, manualWorkflow } = require('../lib/workflows');
const { shareTokenOf } = require('../../simulator/routes/signingLinks');

const SEND_NODE = 'Send NDA from template';
const SIGNER = 'dana.ceo@example.com';

describe('templates, signing links and reminders in real n8n', { timeout: 15 * 60_000 }, () => {
	/** @type {any} */ let sim;
	/** @type {any} */ let n8n;
	/** @type {{ id: string, name: string }} */ let credential;
	/** The document the form's execution sent. @type {string} */ let documentId;

	useStack((s) => {
		({ sim, n8n, credential } = s);
	});

	test('a form fills the template, the document goes to its roles, the item has each signing link', async () => {
		const form = templateFormNode();
		const send = actionNode({
			name: SEND_NODE,
			credential,
			position: [260, 0],
			parameters: {
				resource: 'template',
				operation: 'send',
				template: { __rl: true, mode: 'list', value: 'tpl-nda', cachedResultName: 'Mutual NDA' },
				title: '=NDA with {{ $json.Company }}',
				fields: {
					field: [
						{ name: 'contractNumber', value: "={{ $json['Contract number'] }}" },
						{ name: 'counterparty', value: '={{ $json.Company }}' },
					],
				},
				recipients: {
					recipient: [{ shareTo: "={{ $json['Signer e-mail'] }}", otp: 'email' }],
				},
				signingLinks: true,
				circularoUsers: 'sales.admin@acme.test',
			},
		});
		const stored = await n8n.api.createWorkflow({
			name: 'NDA from a form',
			nodes: [form, send],
			connections: { [form.name]: { main: [[{ node: send.name, type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		});
		const id = String(stored.id);
		await n8n.api.publish(id);
		const from = sim.requests.length;
		await submitTemplateForm(n8n.baseUrl, form.webhookId, {
			Company: 'Example Ltd',
			'Contract number': 'C-2026-042',
			'Signer e-mail': SIGNER,
		});
		const [execution] = await n8n.api.waitForExecutions(id, 1, {
			timeoutMs: 60_000,
			includeData: true,
		});
		await n8n.api.unpublish(id);
		assert.equal(execution.status, 'success', JSON.stringify(execution.data?.resultData?.error));
		const [item] = PublicApi.nodeOutput(execution, SEND_NODE);
		documentId = item.json.documentId;
		const calls = sim.requests
			.slice(from)
			.map((/** @type {any} */ r) => `${r.method} ${r.path.replace(/^\/api\/v1/, '')}`);
		const shareIds = item.json.shareIds;
		assert.deepEqual(calls, [
			'GET /templates/tpl-nda',
			'POST /documents',
			'POST /share',
			`GET /share/${shareIds[0]}/validate`,
		]);
		const doc = sim.getDocument(documentId);
		assert.equal(doc.documentTitle, 'NDA with Example Ltd');
		assert.equal(doc.contractNumber, 'C-2026-042');
		assert.equal(doc.counterparty, 'Example Ltd');
		assert.deepEqual(doc.waitingFor, [SIGNER], 'the template signs in order: the signer first');
		assert.deepEqual(item.json.signingLinks, [
			{
				recipient: SIGNER,
				shareId: shareIds[0],
				kind: 'direct',
				link: `${sim.baseUrl}/share?shareToken=${shareTokenOf(sim, shareIds[0])}`,
			},
			{
				recipient: 'sales.admin@acme.test',
				shareId: shareIds[1],
				kind: 'afterLogin',
				link: `${sim.baseUrl}/compose/create/general?mode=edit&definition=d_contract&documentId=${documentId}`,
			},
		]);
	});

	test('a reminder goes out once; the second the same day fails with the rule in plain words', async () => {
		assert.ok(documentId, 'the form test sent a document');
		const remind = actionNode({
			name: 'Remind the signer',
			credential,
			parameters: { resource: 'signRequest', operation: 'sendReminder', documentId },
		});
		const stored = await n8n.api.createWorkflow(
			manualWorkflow({ name: 'Remind about the NDA', nodes: [remind] }),
		);
		const first = await n8n.api.runManually(String(stored.id), MANUAL_TRIGGER_NAME);
		assert.equal(first.status, 'success', JSON.stringify(first.data?.resultData?.error));
		const [reminded] = PublicApi.nodeOutput(first, remind.name);
		assert.equal(reminded.json.reminded, true);
		assert.equal(reminded.json.remindedShareIds.length, 1);
		assert.equal(sim.reminders.size, 1);

		const second = await n8n.api.runManually(String(stored.id), MANUAL_TRIGGER_NAME);
		assert.equal(second.status, 'error');
		const error = second.data.resultData.error;
		assert.equal(error.message, 'Circularo did not accept the request to send the reminder (400)');
		assert.match(
			error.description,
			/^Circularo sends at most one reminder per share per day, and this recipient was already reminded today\. Try again tomorrow\./,
		);
		assert.equal(sim.reminders.size, 1, 'nobody was reminded twice');
	});

	test("the editor's Template list is the tenant's templates, searchable by name", async () => {
		/** @param {string} [filter] */
		const search = (filter) =>
			n8n.api.rest.post('/rest/dynamic-node-parameters/resource-locator-results', {
				nodeTypeAndVersion: { name: ACTION_NODE_TYPE, version: 1 },
				methodName: 'searchTemplates',
				path: 'template',
				currentNodeParameters: { resource: 'template', operation: 'send' },
				credentials: { circularoApi: { id: credential.id, name: credential.name } },
				...(filter === undefined ? {} : { filter }),
			});
		const all = await search();
		assert.deepEqual(all.results, [
			{ name: 'Mutual NDA', value: 'tpl-nda' },
			{ name: 'Offer letter', value: 'tpl-offer' },
		]);
		const offer = await search('offer');
		assert.deepEqual(offer.results, [{ name: 'Offer letter', value: 'tpl-offer' }]);
	});

	test("an AI agent's tool call lists the templates", async () => {
		const tool = actionNode({
			tool: true,
			name: 'Find templates',
			credential,
			parameters: {
				resource: 'template',
				operation: 'getAll',
				returnAll: true,
				nameContains: "={{ $fromAI('nameContains', 'Text the template name contains', 'string') }}",
			},
		});
		const stored = await n8n.api.createWorkflow(
			toolExecutorWorkflow({
				name: 'Tool: find templates',
				tool,
				query: { nameContains: 'nda' },
				major: n8n.api.major,
			}),
		);
		const from = sim.requests.length;
		const execution = await n8n.api.runManually(String(stored.id), MANUAL_TRIGGER_NAME);
		assert.equal(execution.status, 'success', JSON.stringify(execution.data?.resultData?.error));
		const calls = sim.requests
			.slice(from)
			.map((/** @type {any} */ r) => `${r.method} ${r.path.replace(/^\/api\/v1/, '')}`);
		assert.deepEqual(calls, ['GET /templates']);
		const [answer] = PublicApi.nodeOutput(execution, 'Tool Executor');
		const templates = JSON.parse(answer.json);
		assert.deepEqual(
			templates.map((/** @type {any} */ t) => [t.templateId, t.name]),
			[['tpl-nda', 'Mutual NDA']],
		);
	});
});
