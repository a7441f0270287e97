// @ts-check
'use strict';
/**
 * Sign Request > Send and Wait for Signature as an n8n user meets it in the real editor: after a
 * Manual Trigger, the nodes panel is searched for "Circularo", the operation is picked from the
 * Circularo node's actions, and its parameter panel shows the notice, the document and recipients
 * (Create's parameters), and every option with its label and description. On the canvas the node
 * has two outputs, named as the node names them. Shared by the browser test (editor.test.js) and
 * `npm run screenshots`, so the committed screenshot shows an asserted state.
 *
 * Expected texts come from the node description n8n serves (/types/nodes.json).
 */

const assert = require('node:assert/strict');
const E = require('./editor');
const { assertOwnIcon, assertNoMissingNodeWarning, assertLabelled } = require('./flow');
const { ACTION_NODE_TYPE } = require('../lib/circularo/action');
const { MANUAL_TRIGGER_NAME, manualWorkflow } = require('../lib/workflows');

const OPERATION = 'sendAndWaitForSignature';

/**
 * The operation's option in the served description and its own parameters, by name.
 * @param {any} description the Circularo node's description from /types/nodes.json
 */
function operationParts(description) {
	const operation = description.properties.find(
		(/** @type {any} */ p) =>
			p.name === 'operation' && p.displayOptions?.show?.resource?.includes('signRequest'),
	);
	const option = operation?.options.find((/** @type {any} */ o) => o.value === OPERATION);
	assert.ok(option, `the served Circularo node has Sign Request > ${OPERATION}`);
	/** @type {Record<string, any>} */
	const own = {};
	for (const p of description.properties)
		if (p.displayOptions?.show?.operation?.includes(OPERATION)) own[p.name] = p;
	return { option, own };
}

/**
 * @param {import('./flow').FlowContext} ctx
 * @returns {Promise<{ workflowId: string }>}
 */
async function sendAndWaitFlow(ctx) {
	const { n8n, page, log } = ctx;
	const shot = ctx.shot || (async () => undefined);
	const step = ctx.step || (() => undefined);

	const description = (await n8n.api.nodeTypes()).find(
		(/** @type {any} */ t) => t.name === ACTION_NODE_TYPE,
	);
	assert.ok(description, `${ACTION_NODE_TYPE} is served by /types/nodes.json`);
	const { option, own } = operationParts(description);

	step('open a workflow with a Manual Trigger; add a node after it');
	const created = await n8n.api.createWorkflow(
		manualWorkflow({ name: 'Send and Wait for Signature in the editor', nodes: [] }),
	);
	const id = String(created.id);
	await E.openWorkflow(page, n8n.baseUrl, id);
	const errorsBefore = log.pageErrors.length;
	await page
		.getByTestId('canvas-node')
		.filter({ hasText: MANUAL_TRIGGER_NAME })
		.locator('[data-handleid="outputs/main/0"]')
		.getByTestId('canvas-handle-plus')
		.click();
	const creator = page.getByTestId('node-creator');
	await page.getByTestId('node-creator-search-bar').fill('Circularo');
	await creator
		.getByTestId('node-creator-item-name')
		.filter({ hasText: /^Circularo$/ })
		.first()
		.click();

	step(`the Circularo node's actions list "${option.action}"`);
	const action = creator.getByTestId('item-iterator-item').filter({
		has: page.getByTestId('node-creator-item-name').getByText(option.action, { exact: true }),
	});
	await action.first().waitFor({ state: 'visible' });
	assert.equal(await action.count(), 1, `one action "${option.action}"`);
	await assertOwnIcon(action.first(), 'the action');
	await assertNoMissingNodeWarning(page, 'actions');
	await action.first().click();

	step('the parameter panel: notice, document, recipients, options');
	const ndv = page.getByTestId('ndv');
	await ndv.waitFor({ state: 'visible' });
	const params = ndv.getByTestId('node-parameters');
	for (const [name, shown] of [
		['resource', 'Sign Request'],
		['operation', option.name],
	]) {
		const input = params.getByTestId(`parameter-input-${name}`).locator('input').first();
		assert.equal(await input.inputValue(), shown, `${name} shows "${shown}"`);
	}
	await params.getByText(own.sendAndWaitNotice.displayName).waitFor({ state: 'visible' });
	await page.mouse.move(5, 5);
	await shot('send-and-wait-parameters', ndv);
	for (const name of ['documentId', 'recipients', 'sequential'])
		await assertLabelled(page, params, own[name], 'parameters');
	await assertLabelled(
		page,
		params,
		{ name: 'options', displayName: own.options.displayName },
		'parameters',
	);
	/** Adds option `o` through "Add option" and checks its label and description. @param {any} o */
	const addOption = async (o) => {
		await params.getByTestId('collection-parameter-add').click();
		await page
			.getByTestId('collection-parameter-option')
			.filter({ hasText: o.displayName })
			.first()
			.click();
		await assertLabelled(page, params, o, 'options');
	};
	// The field-name options are offered once their switch is on.
	const dependent = own.options.options.filter((/** @type {any} */ o) => o.displayOptions);
	for (const o of own.options.options) if (!o.displayOptions) await addOption(o);
	for (const o of dependent)
		for (const name of Object.keys(o.displayOptions.show))
			if (!(await params.locator(`[data-test-id="parameter-input-${name}"] .is-checked`).count()))
				await params.locator(`[data-test-id="parameter-input-${name}"] .el-switch`).click();
	for (const o of dependent) await addOption(o);
	assert.ok(dependent.length >= 2, 'the signed PDF and audit trail field names depend on switches');
	await assertNoMissingNodeWarning(page, 'parameter panel');
	await page.mouse.move(5, 5);
	await shot('send-and-wait-options', ndv);

	step('the node on the canvas: two outputs, named as the node names them');
	await page.keyboard.press('Escape');
	await ndv.waitFor({ state: 'hidden' });
	const node = page.getByTestId('canvas-node').filter({ hasNotText: MANUAL_TRIGGER_NAME });
	assert.equal(await node.count(), 1, 'the trigger and the new node on the canvas');
	await assertOwnIcon(node, 'canvas node');
	const outputs = await node.locator('[data-handleid^="outputs/main/"]').allInnerTexts();
	assert.deepEqual(
		outputs.map((t) => t.trim()),
		['Not Completed', 'Completed'],
		'output 0 Not Completed (where n8n puts a timed-out item), output 1 Completed',
	);
	await page.mouse.move(5, 5);
	await shot('send-and-wait-canvas');
	assert.deepEqual(
		E.nodeCausedErrors(log, { since: errorsBefore }),
		[],
		'no browser error caused by the node',
	);
	return { workflowId: id };
}

module.exports = { sendAndWaitFlow };
