// @ts-check
'use strict';
/**
 * The Circularo node as an AI agent uses it, without a language model: in a real n8n 2.41.1, the
 * node's tool variant (`n8n-nodes-circularo.circularoTool`, derived by n8n from `usableAsTool`)
 * with parameters filled by `$fromAI()` is connected to n8n's hidden Tool Executor
 * (`@n8n/n8n-nodes-langchain.toolExecutor`, what the editor uses to test a tool). The executor
 * gets the arguments a model would send as its `query`; the test checks the Circularo calls the
 * simulator logged and the answer the tool returned (what the model would read).
 *
 * Runs on 2.41.1 (`npm run e2e`); with CIRCULARO_E2E_N8N_VERSION=1.123.81 on n8n 1, whose Tool
 * Executor takes the arguments unkeyed (see toolExecutorWorkflow).
 * Run: npm run build && node --test e2e/suites/tool.test.js
 */

const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const { PublicApi } = require('../lib/api');
const { useStack } = require('../lib/circularo/stack');
const { TOOL_NODE_TYPE, actionNode, toolExecutorWorkflow } = require('../lib/circularo/action');
const { MANUAL_TRIGGER_NAME } = require('../lib/workflows');

const EXECUTOR = 'Tool Executor';

describe(
	"Circularo node as an AI tool, run by n8n's Tool Executor",
	{ timeout: 15 * 60_000 },
	() => {
		/** @type {any} */ let sim;
		/** @type {any} */ let n8n;
		/** @type {{ id: string, name: string }} */ let credential;

		useStack((s) => {
			({ sim, n8n, credential } = s);
		});

		/**
		 * Runs the tool node `name` with `parameters` under the Tool Executor with the model's
		 * arguments `query`. Returns the execution, the Circularo calls made ("METHOD /path") with
		 * their log entries, the arguments the tool received and its answer (parsed).
		 * @param {string} name @param {Record<string, any>} parameters @param {Record<string, any>} query
		 */
		async function callTool(name, parameters, query) {
			const tool = actionNode({ tool: true, name, parameters, credential });
			const stored = await n8n.api.createWorkflow(
				toolExecutorWorkflow({ name: `Tool: ${name}`, tool, query, major: n8n.api.major }),
			);
			const from = sim.requests.length;
			const execution = await n8n.api.runManually(String(stored.id), MANUAL_TRIGGER_NAME);
			const requests = sim.requests.slice(from);
			const calls = requests.map(
				(/** @type {any} */ r) => `${r.method} ${r.path.replace(/^\/api\/v1/, '')}`,
			);
			assert.ok(
				execution.data,
				`execution ${execution.id} (${execution.status}) kept no data: ${JSON.stringify(execution).slice(0, 500)}`,
			);
			const toolRun = execution.data.resultData.runData[name]?.[0];
			const received = toolRun?.inputOverride?.ai_tool?.[0]?.[0]?.json;
			const [answer] = PublicApi.nodeOutput(execution, EXECUTOR);
			return { execution, calls, requests, received, answer: answer && JSON.parse(answer.json) };
		}

		test("the tool variant is an ai_tool node with the action node's operations", async () => {
			const tool = (await n8n.api.nodeTypes()).find(
				(/** @type {any} */ t) => t.name === TOOL_NODE_TYPE,
			);
			assert.ok(tool, `${TOOL_NODE_TYPE} is loaded`);
			assert.equal(tool.displayName, 'Circularo Tool');
			assert.deepEqual(tool.inputs, []);
			assert.deepEqual(tool.outputs, ['ai_tool']);
			const resources = tool.properties
				.find((/** @type {any} */ p) => p.name === 'resource')
				.options.map((/** @type {any} */ o) => o.value);
			assert.deepEqual(resources.sort(), [
				'document',
				'documentType',
				'signRequest',
				'template',
				'webhook',
			]);
			assert.ok(
				tool.properties.some((/** @type {any} */ p) => p.name === 'toolDescription'),
				'n8n added the tool description parameter',
			);
		});

		test('Document > Get: the document ID comes from $fromAI; one GET; the answer is the readable document', async () => {
			const { execution, calls, received, answer } = await callTool(
				'Get document',
				{
					resource: 'document',
					operation: 'get',
					documentId: "={{ $fromAI('documentId', 'ID of the Circularo document', 'string') }}",
				},
				{ documentId: 'doc-sales-1' },
			);
			assert.equal(execution.status, 'success', JSON.stringify(execution.data.resultData.error));
			assert.deepEqual(
				received,
				{ documentId: 'doc-sales-1' },
				"the tool got the model's arguments",
			);
			assert.deepEqual(calls, ['GET /documents/doc-sales-1']);
			assert.equal(answer.length, 1);
			const [doc] = answer;
			const stored = sim.getDocument('doc-sales-1');
			assert.equal(doc.documentId, 'doc-sales-1');
			assert.equal(doc.documentTitle, stored.documentTitle);
			assert.equal(doc.status, 'inprogress');
			assert.deepEqual(doc.waitingFor, ['signer@example.com']);
			assert.equal(doc.version, stored._version);
			assert.equal(doc.fileHash, stored.pdfHash);
		});

		test('Sign Request > Create: document and signer from $fromAI; Circularo opens one share for that signer; the answer has its ID', async () => {
			const target = sim.createDocument({ title: 'Consulting agreement for the agent' });
			const signer = 'mia.agent-signer@example.com';
			const { execution, calls, requests, received, answer } = await callTool(
				'Send for signature',
				{
					resource: 'signRequest',
					operation: 'create',
					documentId:
						"={{ $fromAI('documentId', 'ID of the Circularo document to send', 'string') }}",
					recipients: {
						recipient: [
							{
								shareTo:
									"={{ $fromAI('signerEmail', 'E-mail address of the person who must sign', 'string') }}",
							},
						],
					},
				},
				{ documentId: target.documentId, signerEmail: signer },
			);
			assert.equal(execution.status, 'success', JSON.stringify(execution.data.resultData.error));
			assert.deepEqual(received, { documentId: target.documentId, signerEmail: signer });
			assert.deepEqual(calls, [`GET /documents/${target.documentId}`, 'POST /share']);
			const share = requests[1].body;
			assert.equal(share.id, target.documentId);
			assert.deepEqual(share.data, [{ sharePurpose: 'sign', shareTo: signer }]);
			assert.deepEqual(
				share.signatureFields.map((/** @type {any} */ f) => f.user),
				[[signer]],
			);

			assert.equal(answer.length, 1);
			assert.equal(answer[0].documentId, target.documentId);
			assert.equal(answer[0].shareIds.length, 1);
			const doc = sim.getDocument(target.documentId);
			assert.equal(doc.shareStateName, 'inprogress');
			assert.deepEqual(doc.waitingFor, [signer]);
			await sim.settled();
			const signRequest = sim.deliveries.filter(
				(/** @type {any} */ d) => JSON.parse(d.body).documentId === target.documentId,
			);
			assert.equal(signRequest.length, 0, 'no webhook is registered, so nothing is delivered');
		});

		test('Document > Get Many: title words and a number limit from $fromAI go into the search', async () => {
			const { execution, requests, received, answer } = await callTool(
				'Find documents',
				{
					resource: 'document',
					operation: 'getAll',
					limit: "={{ $fromAI('limit', 'How many documents at most', 'number') }}",
					filters: {
						titleContains:
							"={{ $fromAI('titleWords', 'Words the document title contains', 'string') }}",
					},
				},
				{ titleWords: 'contract', limit: 1 },
			);
			assert.equal(execution.status, 'success', JSON.stringify(execution.data.resultData.error));
			assert.deepEqual(received, { titleWords: 'contract', limit: 1 });
			const search = requests.find((/** @type {any} */ r) => r.path === '/api/v1/search');
			assert.match(JSON.stringify(search.body.query), /"contract"/);
			assert.equal(search.body.size, 1);
			assert.equal(answer.length, 1);
			assert.match(answer[0].documentTitle, /contract/i);
		});

		test('Document > Create: a tool gets no file, so it is refused before any call, naming the binary field', async () => {
			const { execution, calls } = await callTool(
				'Create document',
				{
					resource: 'document',
					operation: 'create',
					binaryPropertyName: 'data',
					title: "={{ $fromAI('title', 'Title of the new document', 'string') }}",
				},
				{ title: 'Contract from the agent' },
			);
			assert.equal(execution.status, 'error');
			assert.deepEqual(calls, [], 'nothing was sent to Circularo');
			assert.match(execution.data.resultData.error.message, /binary field "data"/);
		});

		test('a failing call reaches the agent as an error naming the problem, never the API key', async (t) => {
			const { execution, calls } = await callTool(
				'Get document',
				{
					resource: 'document',
					operation: 'get',
					documentId: "={{ $fromAI('documentId', 'ID of the Circularo document', 'string') }}",
				},
				{ documentId: 'no-such-document' },
			);
			assert.equal(execution.status, 'error');
			assert.deepEqual(calls, ['GET /documents/no-such-document']);
			const error = execution.data.resultData.error;
			const text = JSON.stringify(error);
			t.diagnostic(`the error: ${error.message} | ${error.description ?? ''}`);
			assert.match(error.message, /Error executing tool/);
			assert.match(text, /404|not found/i);
			assert.doesNotMatch(text, new RegExp(sim.keys.teamAdmin));
		});
	},
);
