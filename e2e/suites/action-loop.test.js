// @ts-check
'use strict';
/**
 * Circularo's whole loop with only our two nodes, in a real n8n (2.41.1, or 1.123.81 with
 * CIRCULARO_E2E_N8N_VERSION=1.123.81) with the package installed the way users get it, against
 * the Circularo simulator over real HTTP:
 *   PDF -> Document: Create -> Sign Request: Create -> (simulator: the signer signs)
 *   -> Circularo Trigger (documentCompleted) -> Document: Download (signed PDF + audit trail)
 *   -> Document: Get Many finds it completed -> Document: Delete.
 * Also Delete permanently with a stale version (the 409 retry), Sign Request: Cancel, Document
 * Type: Get Many and Webhook: Get Many / Delete.
 * Judged through n8n's executions and the simulator's state and request log.
 *
 * Run: npm run build && node --test e2e/suites/action-loop.test.js
 */

const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { PublicApi } = require('../lib/api');
const { request } = require('../lib/http');
const { useStack } = require('../lib/circularo/stack');
const { WEBHOOK_PATH, triggerWorkflow, webhooksFor } = require('../lib/circularo/trigger');
const {
	ACTION_NODE_TYPE,
	TOOL_NODE_TYPE,
	actionNode,
	pdfCodeNode,
	contractPdf,
} = require('../lib/circularo/action');
const { MANUAL_TRIGGER_NAME, manualWorkflow } = require('../lib/workflows');

const SIGNER = 'anna.signer@example.com';
const DOWNLOAD_NODE = 'Download signed PDF';
const SETTLE_MS = 2000;

describe(
	'Circularo loop in real n8n: create, send for signature, completed, download, find, delete',
	{ timeout: 20 * 60_000 },
	() => {
		/** @type {any} */ let sim;
		/** @type {any} */ let n8n;
		/** @type {{ id: string, name: string }} */ let credential;
		/** A title no seeded document has, so that searches find only this run's document. */
		const title = `Service agreement ${crypto.randomBytes(3).toString('hex')}`;
		/** @type {{ id: string, productionUrl: string }} */ let completed;
		/** @type {string} */ let documentId;

		useStack((s) => {
			({ sim, n8n, credential } = s);
		});

		/** @param {string} name @param {Record<string, any>} parameters */
		const node = (name, parameters) => actionNode({ name, parameters, credential });

		/**
		 * Saves a Manual Trigger -> nodes workflow, runs it and returns the finished execution.
		 * @param {string} name @param {any[]} nodes @param {{ allowError?: boolean }} [o]
		 */
		async function run(name, nodes, o = {}) {
			const stored = await n8n.api.createWorkflow(manualWorkflow({ name, nodes }));
			const execution = await n8n.api.runManually(String(stored.id), MANUAL_TRIGGER_NAME);
			if (!o.allowError)
				assert.equal(
					execution.status,
					'success',
					`${name}: ${JSON.stringify(execution.data?.resultData?.error)}`,
				);
			return execution;
		}

		/** The API calls the simulator logged since `from`, as "METHOD /path" (without /api/v1). @param {number} from */
		const callsSince = (from) =>
			sim.requests
				.slice(from)
				.map((/** @type {any} */ r) => `${r.method} ${r.path.replace(/^\/api\/v1/, '')}`);

		test('1. the action node is loaded beside the trigger (with its AI tool variant on n8n 2)', async () => {
			const types = (await n8n.api.nodeTypes()).map((/** @type {any} */ t) => t.name);
			assert.ok(types.includes(ACTION_NODE_TYPE), `${ACTION_NODE_TYPE} is loaded`);
			if (n8n.api.major >= 2)
				assert.ok(types.includes(TOOL_NODE_TYPE), `${TOOL_NODE_TYPE} is derived by n8n`);
		});

		test('2. a PDF becomes a document and is sent for signature: one upload, one document, one share, waiting for the signer', async () => {
			// the trigger that closes the loop is published first: it downloads when the document completes
			const { webhookId, workflow } = triggerWorkflow({
				credential,
				events: ['documentCompleted'],
				name: 'On completed: download',
			});
			const download = node(DOWNLOAD_NODE, {
				resource: 'document',
				operation: 'download',
				documentId: '={{ $json.documentId }}',
				binaryPropertyName: 'data',
				options: { includeAuditTrail: true, auditTrailBinaryPropertyName: 'auditTrail' },
			});
			workflow.nodes[1] = { ...download, position: [260, 0] };
			workflow.connections = {
				[workflow.nodes[0].name]: { main: [[{ node: DOWNLOAD_NODE, type: 'main', index: 0 }]] },
			};
			const stored = await n8n.api.createWorkflow(workflow);
			completed = {
				id: String(stored.id),
				productionUrl: n8n.webhookUrl(`${webhookId}/${WEBHOOK_PATH}`),
			};
			await n8n.api.publish(completed.id);
			assert.equal(webhooksFor(sim, completed.productionUrl).length, 1);

			const from = sim.requests.length;
			const pdf = pdfCodeNode({ title, fileName: 'service-agreement.pdf' });
			const execution = await run('Create and send', [
				pdf,
				node('Create document', {
					resource: 'document',
					operation: 'create',
					binaryPropertyName: 'data',
					title,
				}),
				node('Send for signature', {
					resource: 'signRequest',
					operation: 'create',
					documentId: '={{ $json.documentId }}',
					recipients: { recipient: [{ shareTo: SIGNER }] },
				}),
			]);
			const [created] = PublicApi.nodeOutput(execution, 'Create document');
			documentId = created.json.documentId;
			assert.match(documentId, /^[0-9a-f-]{36}$/, JSON.stringify(created.json));
			assert.equal(created.json.documentTitle, title);
			assert.equal(created.json.fileName, 'service-agreement.pdf');
			const [sent] = PublicApi.nodeOutput(execution, 'Send for signature');
			assert.equal(sent.json.documentId, documentId);
			assert.equal(sent.json.shareIds.length, 1, JSON.stringify(sent.json));

			assert.deepEqual(callsSince(from), [
				'POST /files/saveFile',
				'POST /documents',
				`GET /documents/${documentId}`,
				'POST /share',
			]);
			const [upload, createCall, , share] = sim.requests.slice(from);
			const uploaded = contractPdf(title);
			assert.deepEqual(upload.multipart.fields, { fileName: 'service-agreement.pdf' });
			assert.equal(upload.multipart.files[0].name, 'file');
			assert.equal(upload.multipart.files[0].size, uploaded.length);
			assert.equal(
				upload.multipart.files[0].sha256,
				crypto.createHash('sha256').update(uploaded).digest('hex'),
				'the PDF bytes arrived unchanged',
			);
			assert.equal(createCall.body.body.documentTitle, title);
			assert.deepEqual(
				share.body.data.map((/** @type {any} */ r) => r.shareTo),
				[SIGNER],
			);
			assert.equal(
				share.body.signatureFields[0].user[0],
				SIGNER,
				'the one signer got a signature field',
			);

			const doc = sim.getDocument(documentId);
			assert.equal(doc.documentTitle, title);
			assert.equal(doc.shareStateName, 'inprogress');
			assert.deepEqual(
				doc.waitingFor.map((/** @type {any} */ w) => (typeof w === 'string' ? w : w.email)),
				[SIGNER],
			);
			assert.deepEqual(
				sent.json.shareIds,
				await sharesOf(documentId),
				'the share ids Circularo gave',
			);
		});

		test('3. the signer signs: the trigger workflow runs once and attaches the signed PDF and the audit trail', async () => {
			const signed = await sim.sign({ documentId });
			assert.deepEqual(signed.events, ['documentSigned', 'documentCompleted']);
			const executions = await n8n.api.waitForExecutions(completed.id, 1, {
				timeoutMs: 60_000,
				settleMs: SETTLE_MS,
			});
			assert.equal(executions.length, 1, 'only documentCompleted is selected');
			const execution = await n8n.api.getExecution(executions[0].id);
			assert.equal(execution.status, 'success', JSON.stringify(execution.data?.resultData?.error));
			const [item] = PublicApi.nodeOutput(execution, DOWNLOAD_NODE);
			assert.equal(item.json.documentId, documentId);
			assert.equal(item.json.status, 'completed');
			assert.equal(item.json.documentTitle, title);

			assert.equal(item.binary.data.mimeType, 'application/pdf');
			assert.equal(item.binary.data.fileName, `${title}.pdf`);
			const pdf = await n8n.api.binaryBytes(item.binary.data);
			assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
			const text = pdf.toString('latin1');
			assert.match(
				text,
				new RegExp(`Signed by [^)]*${SIGNER.replace(/\./g, '\\.')}`),
				'the signed PDF names the signer',
			);
			assert.match(text, /All required signatures collected\./);
			assert.equal(
				crypto.createHash('sha256').update(pdf).digest('hex'),
				sim.getDocument(documentId).pdfHash,
				'the current (signed) file',
			);

			assert.equal(item.binary.auditTrail.mimeType, 'application/pdf');
			const audit = await n8n.api.binaryBytes(item.binary.auditTrail);
			assert.equal(audit.subarray(0, 5).toString(), '%PDF-');
			assert.match(audit.toString('latin1'), new RegExp(`Audit trail of document ${documentId}`));
			assert.notDeepEqual(audit, pdf);
		});

		test('4. Get Many finds it completed, and Get shows nobody left to sign', async () => {
			const execution = await run('Find completed', [
				node('Find completed', {
					resource: 'document',
					operation: 'getAll',
					returnAll: true,
					filters: { status: ['completed'], titleContains: title },
				}),
				node('Get it', {
					resource: 'document',
					operation: 'get',
					documentId: '={{ $json.documentId }}',
				}),
			]);
			const found = PublicApi.nodeOutput(execution, 'Find completed');
			assert.deepEqual(
				found.map((/** @type {any} */ i) => i.json.documentId),
				[documentId],
			);
			assert.equal(found[0].json.status, 'completed');
			const [got] = PublicApi.nodeOutput(execution, 'Get it');
			assert.equal(got.json.status, 'completed');
			assert.deepEqual(got.json.waitingFor, []);
			assert.equal(got.json.version, sim.getDocument(documentId)._version);

			const search = sim.requests
				.filter((/** @type {any} */ r) => r.path === '/api/v1/search')
				.pop();
			assert.match(
				JSON.stringify(search.body.query),
				/completed/,
				'the status filter went into the search',
			);
			const inProgress = await run('Find in progress', [
				node('Find in progress', {
					resource: 'document',
					operation: 'getAll',
					returnAll: true,
					filters: { status: ['inprogress'], titleContains: title },
				}),
			]);
			assert.equal(
				PublicApi.nodeOutput(inProgress, 'Find in progress').length,
				0,
				'not in progress any more',
			);
		});

		test('5. Delete moves it to the trash: Get Many no longer finds it', async () => {
			const from = sim.requests.length;
			const execution = await run('Delete', [
				node('Delete it', { resource: 'document', operation: 'delete', documentId }),
			]);
			const [deleted] = PublicApi.nodeOutput(execution, 'Delete it');
			assert.equal(deleted.json.documentId, documentId);
			assert.equal(deleted.json.deleted, true);
			const call = sim.requests.slice(from).find((/** @type {any} */ r) => r.method === 'DELETE');
			assert.equal(call.query.hardDelete, 'false');
			assert.deepEqual(
				call.body.documents.map((/** @type {any} */ d) => d.id),
				[documentId],
			);
			assert.ok(sim.getDocument(documentId).deleted, 'the simulator has it in the trash');

			const again = await run('Find after delete', [
				node('Find any', {
					resource: 'document',
					operation: 'getAll',
					returnAll: true,
					filters: { titleContains: title },
				}),
			]);
			assert.equal(PublicApi.nodeOutput(again, 'Find any').length, 0);
		});

		test('6. Delete at a stale Version fails and deletes nothing; without a Version it deletes for good', async () => {
			const doc = sim.createDocument({ title: `${title} (old draft)` });
			// any change moves the version on (here a fired event, which the trigger ignores)
			await sim.fire({ event: 'documentSigned', documentId: doc.documentId });
			assert.ok(sim.getDocument(doc.documentId)._version > doc._version);
			const deleteNode = (/** @type {object} */ options) =>
				node('Delete for good', {
					resource: 'document',
					operation: 'delete',
					documentId: doc.documentId,
					options,
				});
			let from = sim.requests.length;
			const refused = await run(
				'Delete at a stale version',
				[deleteNode({ permanent: true, version: doc._version })],
				{ allowError: true },
			);
			assert.equal(refused.status, 'error');
			assert.match(
				JSON.stringify(refused.data?.resultData?.error),
				/The document changed since the given Version/,
			);
			assert.deepEqual(callsSince(from), ['DELETE /documents']);
			assert.equal(sim.requests[from].status, 409);
			assert.ok(sim.getDocument(doc.documentId), 'nothing deleted');

			from = sim.requests.length;
			const execution = await run('Delete permanently', [deleteNode({ permanent: true })]);
			assert.deepEqual(callsSince(from), ['DELETE /documents']);
			assert.equal(sim.requests[from].query.hardDelete, 'true');
			assert.deepEqual(sim.requests[from].body.documents, [{ id: doc.documentId }]);
			const [deleted] = PublicApi.nodeOutput(execution, 'Delete for good');
			assert.equal(deleted.json.deleted, true);
			assert.equal(deleted.json.permanent, true);
			assert.equal(
				sim.getDocument(doc.documentId),
				undefined,
				'removed for good, not in the trash',
			);
		});

		test('7. Sign Request: Cancel withdraws a request the node opened (signCancelled, nobody left to sign)', async () => {
			const execution = await run('Create, send and cancel', [
				pdfCodeNode({ title: `${title} (to cancel)` }),
				node('Create document', {
					resource: 'document',
					operation: 'create',
					binaryPropertyName: 'data',
				}),
				node('Send for signature', {
					resource: 'signRequest',
					operation: 'create',
					documentId: '={{ $json.documentId }}',
					recipients: {
						recipient: [
							{ shareTo: SIGNER },
							{ shareTo: 'bob.approver@example.com', purpose: 'approve' },
						],
					},
					sequential: true,
				}),
				node('Cancel it', {
					resource: 'signRequest',
					operation: 'cancel',
					shareId: '={{ $json.shareIds[1] }}',
					message: 'Wrong version attached',
				}),
			]);
			const [sent] = PublicApi.nodeOutput(execution, 'Send for signature');
			const [cancelled] = PublicApi.nodeOutput(execution, 'Cancel it');
			assert.equal(cancelled.json.shareId, sent.json.shareIds[1]);
			assert.equal(cancelled.json.cancelled, true);
			await sim.settled();
			const doc = sim.getDocument(sent.json.documentId);
			assert.equal(doc.shareStateName, 'cancelled');
			assert.deepEqual(doc.waitingFor, []);
			assert.ok(
				doc.history.some(
					(/** @type {any} */ h) =>
						/cancel/i.test(h.event) && h.message === 'Wrong version attached',
				),
				JSON.stringify(doc.history),
			);
		});

		test("8. housekeeping: Document Type Get Many; Webhook Get Many lists the trigger's registration, Webhook Delete removes a stray one", async () => {
			const stray = await request(
				'POST',
				`${sim.apiUrl}/webhooks?token=${encodeURIComponent(sim.keys.teamAdmin)}`,
				{
					body: {
						callbackUrl: 'http://127.0.0.1:9/left-behind',
						type: 'team',
						hmacSecret: 'x'.repeat(32),
					},
					timeoutMs: 10_000,
				},
			);
			assert.ok(stray.status < 300, `stray webhook: ${stray.status} ${stray.text}`);
			const strayId = stray.json.id ?? stray.json.results?.[0]?.id;
			assert.ok(strayId, stray.text);

			const execution = await run('Housekeeping', [
				node('Document types', { resource: 'documentType', operation: 'getAll', returnAll: true }),
				node('Webhooks', { resource: 'webhook', operation: 'getAll', returnAll: true }),
			]);
			const types = PublicApi.nodeOutput(execution, 'Document types').map(
				(/** @type {any} */ i) => i.json.name,
			);
			assert.ok(types.includes('d_default'), JSON.stringify(types));
			const hooks = PublicApi.nodeOutput(execution, 'Webhooks').map(
				(/** @type {any} */ i) => i.json,
			);
			assert.ok(
				hooks.some((/** @type {any} */ h) => h.callbackUrl === completed.productionUrl),
				"the trigger's registration is listed",
			);
			assert.ok(hooks.some((/** @type {any} */ h) => h.id === strayId));
			assert.doesNotMatch(
				JSON.stringify(hooks),
				/hmacSecret|x{32}/,
				'no signing secret in the items',
			);

			const removed = await run('Remove stray webhook', [
				node('Delete webhook', { resource: 'webhook', operation: 'delete', webhookId: strayId }),
			]);
			assert.deepEqual(PublicApi.nodeOutput(removed, 'Delete webhook')[0].json, {
				id: strayId,
				deleted: true,
			});
			assert.deepEqual(
				sim.listWebhooks().map((/** @type {any} */ w) => w.callbackUrl),
				[completed.productionUrl],
				"only the trigger's registration is left",
			);
			await n8n.api.unpublish(completed.id);
			assert.equal(sim.listWebhooks().length, 0);
		});

		/** Share ids of a document from the simulator's control state. @param {string} id */
		async function sharesOf(id) {
			const state = await request('GET', `${sim.baseUrl}/_sim/state`, { timeoutMs: 10_000 });
			return state.json.shares
				.filter((/** @type {any} */ s) => (s.sharedObjectEsId ?? s.documentId) === id)
				.map((/** @type {any} */ s) => s.shareId);
		}
	},
);
