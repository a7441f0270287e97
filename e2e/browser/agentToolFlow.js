// @ts-check
'use strict';
/**
 * The Circularo node as an AI Agent's tool, in the real editor: a workflow with an AI Agent is
 * opened, the agent's Tool connector is clicked, the tools panel is searched for "Circularo",
 * and the node's tool variant is added to the agent. Reopened, the tool's Sign Request operations
 * are Cancel and Create without Send and Wait for Signature (hidden from tools by '@tool'; the
 * plain node's list shows it, checked by sendAndWaitFlow). Shared by the browser test (editor.test.js)
 * and `npm run screenshots`, so the committed screenshot shows an asserted state.
 *
 * Expected texts come from the descriptions n8n serves (/types/nodes.json).
 */

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const E = require('./editor');
const { assertOwnIcon, assertNoMissingNodeWarning, choose } = require('./flow');
const { TOOL_NODE_TYPE } = require('../lib/circularo/action');

const AGENT_NAME = 'AI Agent';

/** A workflow with a chat trigger and an AI Agent (no model: nothing runs). */
function agentWorkflow() {
	return {
		name: 'Agent with Circularo tool',
		nodes: [
			{
				id: crypto.randomUUID(),
				name: 'When chat message received',
				type: '@n8n/n8n-nodes-langchain.manualChatTrigger',
				typeVersion: 1.1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: crypto.randomUUID(),
				name: AGENT_NAME,
				type: '@n8n/n8n-nodes-langchain.agent',
				typeVersion: 3.1,
				position: [300, 0],
				parameters: { options: {} },
			},
		],
		connections: {
			'When chat message received': { main: [[{ node: AGENT_NAME, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * Opens the AI Agent's tools panel, finds the Circularo tool, adds it (with its first action)
 * and checks that the saved workflow connects it to the agent as a tool. Expects a signed-in page.
 * @param {import('./flow').FlowContext} ctx
 */
async function agentToolFlow(ctx) {
	const { n8n, page, log } = ctx;
	const shot = ctx.shot || (async () => undefined);
	const step = ctx.step || (() => undefined);

	const tool = (await n8n.api.nodeTypes()).find(
		(/** @type {any} */ t) => t.name === TOOL_NODE_TYPE,
	);
	assert.ok(tool, `${TOOL_NODE_TYPE} is served by /types/nodes.json`);
	assert.deepEqual(tool.outputs, ['ai_tool'], 'the tool variant plugs into an ai_tool input');

	step('open a workflow with an AI Agent; click its Tool connector');
	const created = await n8n.api.createWorkflow(agentWorkflow());
	const id = String(created.id);
	await E.openWorkflow(page, n8n.baseUrl, id);
	const errorsBefore = log.pageErrors.length;
	const toolConnector = page.locator('[data-handleid="inputs/ai_tool/0"]');
	assert.equal((await toolConnector.innerText()).trim(), 'Tool');
	const creator = page.getByTestId('node-creator');
	await openToolsPanel(page, toolConnector);

	step('tools panel: search "Circularo"');
	await page.getByTestId('node-creator-search-bar').fill('Circularo');
	const names = creator.getByTestId('node-creator-item-name');
	await names.filter({ hasText: tool.displayName }).first().waitFor({ state: 'visible' });
	const results = creator.getByTestId('item-iterator-item');
	assert.equal(await results.count(), 1, 'one tool for "Circularo" (the trigger is no tool)');
	const result = results.first();
	assert.equal(
		(await result.getByTestId('node-creator-item-name').innerText()).trim(),
		tool.displayName,
	);
	assert.equal(
		(await result.getByTestId('node-creator-item-description').innerText()).trim(),
		tool.description,
	);
	await assertOwnIcon(result, 'tools panel result');
	const actionIcons = [tool.iconUrl.light, tool.iconUrl.dark];
	for (const i of await E.iconStates(result))
		assert.ok(
			actionIcons.some((u) => i.src.endsWith(u)),
			`the tool shows the action node's icon, not ${i.src}`,
		);
	await assertNoMissingNodeWarning(page, 'tools panel');
	await page.mouse.move(5, 5);
	await shot('agent-tools');

	step('add the Circularo tool to the agent');
	await result.click();
	// a node with operations lists them as actions first; a node without adds at once
	const ndv = page.getByTestId('ndv');
	const firstAction = creator.getByTestId('item-iterator-item').first();
	await Promise.race([
		ndv.waitFor({ state: 'visible' }),
		firstAction.waitFor({ state: 'visible' }),
	]);
	const signRequest = signRequestOperations(tool);
	if (!(await ndv.isVisible())) {
		step(`the tool's actions: no "${signRequest.waiting.action}"`);
		const actions = (await creator.getByTestId('node-creator-item-name').allInnerTexts()).map((t) =>
			t.trim(),
		);
		for (const o of signRequest.offered)
			assert.ok(actions.includes(o.action), `the tool offers "${o.action}": ${actions}`);
		assert.ok(
			!actions.includes(signRequest.waiting.action),
			`the tool does not offer "${signRequest.waiting.action}": ${actions}`,
		);
		await firstAction.click();
	}
	await ndv.waitFor({ state: 'visible' });
	assert.match((await ndv.getByTestId('node-title-container').innerText()).trim(), /Circularo/);
	await assertOwnIcon(
		ndv.getByTestId('node-title-container').locator('..'),
		'tool parameter panel header',
	);
	await assertNoMissingNodeWarning(page, 'tool parameters');

	step('let the model fill the Document ID ($fromAI)');
	const documentId = ndv.getByTestId('parameter-input-documentId');
	await documentId.hover();
	await ndv.getByTestId('from-ai-override-button').first().click();
	await ndv
		.getByText(/Defined automatically by the model/)
		.first()
		.waitFor({ state: 'visible' });
	await page.mouse.move(5, 5);
	await shot('agent-tool-parameters', ndv);
	await page.keyboard.press('Escape');
	await ndv.waitFor({ state: 'hidden' });
	await page.keyboard.press('Control+s');
	const saved = await waitForToolConnection(n8n, id);
	assert.match(
		String(saved.parameters.documentId),
		/\$fromAI\(/,
		`the stored Document ID is filled by the model: ${JSON.stringify(saved.parameters)}`,
	);
	await shot('agent-with-tool');

	step(`the tool's Sign Request operations: no "${signRequest.waiting.name}"`);
	await page.getByTestId('canvas-node').filter({ hasText: saved.name }).dblclick();
	await ndv.waitFor({ state: 'visible' });
	const params = ndv.getByTestId('node-parameters');
	await choose(page, params.getByTestId('parameter-input-resource'), 'Sign Request');
	await params.getByTestId('parameter-input-operation').click();
	const dropdownItems = page.locator('.el-select-dropdown__item:visible');
	await dropdownItems.first().waitFor({ state: 'visible' });
	const operations = (await dropdownItems.allInnerTexts()).map((t) => t.split('\n')[0].trim());
	for (const o of signRequest.offered)
		assert.ok(operations.includes(o.name), `the tool lists "${o.name}": ${operations}`);
	assert.ok(
		!operations.includes(signRequest.waiting.name),
		`the tool does not list "${signRequest.waiting.name}": ${operations}`,
	);
	await page.keyboard.press('Escape');
	assert.deepEqual(
		E.nodeCausedErrors(log, { since: errorsBefore }),
		[],
		'no browser error caused by the node',
	);
	return { workflowId: id, toolNode: saved };
}

/**
 * The Sign Request operations in the tool's served description: the one hidden from AI agents
 * (shown only when '@tool' is false) and the others.
 * @param {any} tool the tool variant's description from /types/nodes.json
 */
function signRequestOperations(tool) {
	const operation = tool.properties.find(
		(/** @type {any} */ p) =>
			p.name === 'operation' && p.displayOptions?.show?.resource?.includes('signRequest'),
	);
	const options = operation?.options || [];
	const waiting = options.find((/** @type {any} */ o) => o.value === 'sendAndWaitForSignature');
	assert.ok(waiting, 'the served tool description still carries Send and Wait for Signature');
	return { waiting, offered: options.filter((/** @type {any} */ o) => o !== waiting) };
}

/**
 * Clicks the connector's "+" and waits until the nodes panel shows the agent's tools panel alone:
 * n8n opens "Other AI Nodes" and slides "Tools" over it. On a busy machine the panel was seen
 * stopping at "Other AI Nodes"; then it is closed and the click repeated (three times at most).
 * @param {import('playwright-core').Page} page @param {import('playwright-core').Locator} connector
 */
async function openToolsPanel(page, connector) {
	const titles = page.getByTestId('nodes-list-header').locator('p:first-of-type');
	/** @type {string[]} */
	let shown = [];
	for (let attempt = 1; attempt <= 3; attempt++) {
		await connector.getByTestId('canvas-handle-plus').click();
		for (let i = 0; i < 40; i++) {
			shown = (await titles.allInnerTexts()).map((t) => t.trim());
			if (shown.length === 1 && shown[0] === 'Tools') return;
			await page.waitForTimeout(250);
		}
		await page.keyboard.press('Escape');
		await page.getByTestId('node-creator').waitFor({ state: 'hidden' });
		await page.waitForTimeout(1000);
	}
	assert.fail(
		`the Tool connector opened ${JSON.stringify(shown)} instead of the tools panel, three times`,
	);
}

/**
 * Waits until the stored workflow has a Circularo tool node wired to the agent's ai_tool input.
 * @param {any} n8n @param {string} id
 */
async function waitForToolConnection(n8n, id) {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const wf = await n8n.api.getWorkflow(id);
		const node = wf.nodes.find((/** @type {any} */ n) => n.type === TOOL_NODE_TYPE);
		const wired =
			node &&
			(wf.connections[node.name]?.ai_tool || [])
				.flat()
				.some((/** @type {any} */ c) => c.node === AGENT_NAME && c.type === 'ai_tool');
		if (wired) return node;
		if (Date.now() > deadline)
			throw new Error(
				`the saved workflow has no ${TOOL_NODE_TYPE} connected to ${AGENT_NAME}: ${JSON.stringify({ nodes: wf.nodes.map((/** @type {any} */ n) => n.type), connections: wf.connections })}`,
			);
		await new Promise((r) => setTimeout(r, 500));
	}
}

module.exports = { agentToolFlow };
