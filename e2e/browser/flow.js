// @ts-check
'use strict';
/**
 * What an n8n user does with the Circularo Trigger in the real editor, step by step, with the
 * checks of each step. Shared by the browser test (editor.test.js) and `npm run screenshots`
 * (screenshots.js), so every committed screenshot shows a state the test has asserted.
 *
 * Expected texts come from the node and credential descriptions n8n serves
 * (/types/nodes.json, /types/credentials.json), not from copies in this file.
 */

const assert = require('node:assert/strict');
const path = require('node:path');
const E = require('./editor');
const { CREDENTIAL_TYPE } = require('../lib/circularo/stack');
const { TRIGGER_NODE_TYPE } = require('../lib/circularo/trigger');

const PACKAGE_ICON_PREFIX = '/icons/n8n-nodes-circularo/';

/** The properties the package's credential declares (from the build under test). @returns {any[]} */
function ownCredentialProperties() {
	const { CircularoApi } = require(
		path.resolve(__dirname, '..', '..', 'dist', 'credentials', 'CircularoApi.credentials.js'),
	);
	return new CircularoApi().properties;
}

/**
 * @typedef {(name: string, target?: import('playwright-core').Locator) => Promise<void>} Shot
 * @typedef {{ n8n: any, sim: any, page: import('playwright-core').Page, log: import('./editor').PageLog,
 *   shot?: Shot, step?: (msg: string) => void }} FlowContext
 */

/**
 * Asserts that `scope` shows the package's own icon (light or dark), loaded and visible.
 * @param {import('playwright-core').Locator} scope @param {string} where
 */
async function assertOwnIcon(scope, where) {
	const icons = await E.iconStates(scope);
	assert.ok(icons.length > 0, `${where}: an icon image`);
	for (const i of icons)
		assert.ok(
			i.src.startsWith(PACKAGE_ICON_PREFIX),
			`${where}: icon ${i.src} is the package's own`,
		);
	assert.ok(
		icons.some((i) => i.visible && i.loaded && i.width >= 16),
		`${where}: the icon is loaded and shown ${JSON.stringify(icons)}`,
	);
}

/** @param {import('playwright-core').Page} page @param {string} where */
async function assertNoMissingNodeWarning(page, where) {
	const text = await E.visibleText(page);
	const m = E.MISSING_NODE_TEXT.exec(text);
	assert.equal(m, null, `${where}: the editor shows "${m && m[0]}"`);
}

/**
 * The label of parameter `name` is shown with `displayName` and its tooltip shows `description`.
 * @param {import('playwright-core').Page} page @param {import('playwright-core').Locator} scope
 * @param {{ name: string, displayName: string, description?: string }} p @param {string} where
 */
async function assertLabelled(page, scope, p, where) {
	// parameter panels tie labels to inputs with for=; the credential form wraps each field in data-test-id=<name>
	const label = scope
		.locator(`label[for="${p.name}"]`)
		.or(scope.locator(`[data-test-id="${p.name}"] label`))
		.first();
	await label.waitFor({ state: 'visible' });
	const shown = (await label.innerText())
		.split('\n')[0]
		.trim()
		.replace(/\s*\*$/, '');
	assert.equal(shown, p.displayName, `${where}: label of ${p.name}`);
	if (p.description) {
		const tip = await E.labelTooltip(page, label);
		assert.equal(tip, E.stripHtml(p.description), `${where}: description of ${p.name}`);
	}
}

/**
 * Picks `option` in the element-plus select inside `input`.
 * @param {import('playwright-core').Page} page @param {import('playwright-core').Locator} input @param {string} option
 */
async function choose(page, input, option) {
	await input.click();
	const item = page
		.locator('.el-select-dropdown__item:visible')
		.filter({ hasText: option })
		.first();
	await item.click();
	await item.waitFor({ state: 'hidden' }).catch(() => undefined);
}

/**
 * Signs in, finds the node in the nodes panel, adds it with one of its trigger actions, checks
 * every parameter, creates and tests the credential in its dialog, then listens for a test event,
 * fires a Document Completed from the simulator and checks the output panel (item and PDF).
 * Returns the saved workflow's id.
 * @param {FlowContext} ctx
 */
async function editorFlow(ctx) {
	const { n8n, sim, page, log } = ctx;
	const shot = ctx.shot || (async () => undefined);
	const step = ctx.step || (() => undefined);
	const baseUrl = n8n.baseUrl;

	const nodeTypes = await n8n.api.nodeTypes();
	const description = nodeTypes.find((/** @type {any} */ t) => t.name === TRIGGER_NODE_TYPE);
	assert.ok(description, `${TRIGGER_NODE_TYPE} is served by /types/nodes.json`);
	/** @type {Record<string, any>} */
	const prop = Object.fromEntries(
		description.properties.map((/** @type {any} */ p) => [p.name, p]),
	);
	const credentialType = (await n8n.api.credentialTypes()).find(
		(/** @type {any} */ c) => c.name === CREDENTIAL_TYPE,
	);
	assert.ok(credentialType, `${CREDENTIAL_TYPE} is served by /types/credentials.json`);

	step('sign in');
	await E.signIn(page, baseUrl, n8n.owner);

	step('nodes panel: search "Circularo"');
	await E.openNewWorkflow(page, baseUrl);
	const errorsBefore = log.pageErrors.length;
	await E.searchNodesPanel(page, 'Circularo');
	const creator = page.getByTestId('node-creator');
	const results = creator.getByTestId('item-iterator-item');
	// n8n folds the action node and "Circularo Trigger" into one result; the polling trigger is its
	// own (the panel drops "Trigger" from a trigger's name)
	const names = (await results.getByTestId('node-creator-item-name').allInnerTexts()).map((n) =>
		n.trim(),
	);
	assert.deepEqual(names.sort(), ['Circularo', 'Circularo Polling'], 'results for "Circularo"');
	const result = results.filter({
		has: page.getByTestId('node-creator-item-name').getByText('Circularo', { exact: true }),
	});
	assert.equal(
		(await result.getByTestId('node-creator-item-description').innerText()).trim(),
		description.description,
	);
	await assertOwnIcon(result, 'nodes panel result');
	await assertNoMissingNodeWarning(page, 'nodes panel');
	await shot('nodes-panel');

	step('node details: one trigger action per event');
	await result.click();
	const eventOptions = prop.events.options;
	await creator.getByText(`Triggers (${eventOptions.length})`).waitFor({ state: 'visible' });
	const actions = creator.getByTestId('item-iterator-item');
	// the panel animates from the search results to the node's actions: wait for the list to settle
	for (let i = 0; i < 40 && (await actions.count()) !== eventOptions.length; i++)
		await page.waitForTimeout(250);
	assert.equal(await actions.count(), eventOptions.length, 'one trigger action per event option');
	const actionNames = (await creator.getByTestId('node-creator-item-name').allInnerTexts()).map(
		(s) => s.trim(),
	);
	for (const o of eventOptions) {
		assert.ok(
			actionNames.includes(`On ${String(o.name).toLowerCase()}`),
			`action for ${o.name} in ${JSON.stringify(actionNames)}`,
		);
	}
	for (let i = 0; i < eventOptions.length; i++)
		await assertOwnIcon(actions.nth(i), `trigger action ${i}`);
	await assertNoMissingNodeWarning(page, 'node details');
	await shot('node-actions');

	step('add "On document completed": the parameter panel');
	await creator
		.getByTestId('node-creator-item-name')
		.filter({ hasText: /^On document completed$/ })
		.click();
	const ndv = page.getByTestId('ndv');
	await ndv.waitFor({ state: 'visible' });
	assert.equal(
		(await ndv.getByTestId('node-title-container').innerText()).trim(),
		'Circularo Trigger',
	);
	await assertOwnIcon(
		ndv.getByTestId('node-title-container').locator('..'),
		'parameter panel header',
	);
	await assertOwnIcon(page.getByTestId('canvas-node').first(), 'canvas node');
	// every parameter: the notice, then labels with their descriptions
	const params = ndv.getByTestId('node-parameters');
	await params.getByText(prop.notice.displayName).waitFor({ state: 'visible' });
	await assertLabelled(page, params, prop.events, 'parameters');
	const selected = await params
		.getByTestId('parameter-input-events')
		.locator('.el-tag')
		.allInnerTexts();
	assert.deepEqual(
		selected.map((s) => s.trim()),
		['Document Completed'],
		'the action preselected its event',
	);
	await assertLabelled(page, params, prop.scope, 'parameters');
	assert.equal(
		await params.locator('label[for="teamName"]').count(),
		0,
		'Team Name is hidden for My Team',
	);
	await choose(page, params.getByTestId('parameter-input-scope'), 'Named Team');
	await assertLabelled(page, params, prop.teamName, 'parameters');
	assert.equal(
		await params
			.getByTestId('parameter-input-teamName')
			.locator('input')
			.getAttribute('placeholder'),
		prop.teamName.placeholder,
	);
	await assertLabelled(
		page,
		params,
		{ name: 'options', displayName: prop.options.displayName },
		'parameters',
	);
	for (const o of prop.options.options) {
		await params.getByTestId('collection-parameter-add').click();
		const item = page.getByTestId('collection-parameter-option').filter({ hasText: o.displayName });
		await item.first().click();
		await assertLabelled(page, params, o, 'options');
		if (o.hint) await params.getByText(o.hint).waitFor({ state: 'visible' });
	}
	// back to what the team admin key may register, and switch the PDF download on
	await choose(page, params.getByTestId('parameter-input-scope'), 'My Team');
	await params
		.locator('[data-test-id="parameter-input-downloadSignedDocument"] .el-switch')
		.click();
	await params
		.locator('[data-test-id="parameter-input-includeHeaders"]')
		.waitFor({ state: 'visible' });
	await assertNoMissingNodeWarning(page, 'parameter panel');
	await page.mouse.move(5, 5);
	await shot('parameters', ndv);

	step('credential dialog: create and test a Circularo API credential');
	const connect = ndv
		.getByTestId('node-credentials-slot')
		.getByRole('button', { name: /Connect to Circularo/i });
	if (await connect.count()) {
		await connect.first().click();
	} else {
		await ndv.getByTestId('node-credentials-select').click();
		await page.getByTestId('node-credentials-select-item-new').click();
	}
	const modal = page.getByTestId('editCredential-modal');
	await modal.waitFor({ state: 'visible' });
	await modal
		.getByText(credentialType.displayName, { exact: true })
		.first()
		.waitFor({ state: 'visible' });
	await assertOwnIcon(modal.locator('.el-dialog__header, header').first(), 'credential dialog');
	// the credential's own fields (n8n adds fields of its own, e.g. Allowed HTTP Request Domains)
	const own = new Set(ownCredentialProperties().map((p) => p.name));
	assert.ok(own.size >= 2);
	for (const p of credentialType.properties) {
		if (!own.has(p.name) || p.type === 'notice' || p.type === 'hidden') continue;
		await assertLabelled(page, modal, p, 'credential dialog');
	}
	assert.equal(
		await modal
			.getByTestId('parameter-input-serverUrl')
			.locator('input')
			.getAttribute('placeholder'),
		'https://yourcompany.circularo.com',
	);
	await modal.getByTestId('parameter-input-serverUrl').locator('input').fill(sim.baseUrl);
	await modal.getByTestId('parameter-input-apiKey').locator('input').fill(sim.keys.teamAdmin);
	assert.equal(
		await modal.getByTestId('parameter-input-apiKey').locator('input').getAttribute('type'),
		'password',
		'the API key is masked',
	);
	await shot('credential-form', modal);
	await modal.getByTestId('credential-save-button').click();
	// n8n tests the connection on save (GET /webhooks with the key), shows the result and closes the dialog
	await modal
		.getByTestId('credentials-config-container-test-success')
		.waitFor({ state: 'attached', timeout: 60_000 });
	await modal.waitFor({ state: 'hidden' });
	const credentialSelect = ndv.getByTestId('node-credentials-select');
	await credentialSelect.waitFor({ state: 'visible' });
	// open it again from the node: the dialog shows the successful test
	await ndv.getByTestId('credential-edit-button').click();
	await modal.waitFor({ state: 'visible' });
	await modal
		.getByTestId('credentials-config-container-test-success')
		.waitFor({ state: 'visible', timeout: 60_000 });
	await assertNoMissingNodeWarning(page, 'credential dialog');
	await shot('credential', modal);
	await modal.locator('.el-dialog__headerbtn, [aria-label=Close]').first().click();
	await modal.waitFor({ state: 'hidden' });
	// with a credential chosen, the trigger panel tells the user what to do while it waits
	await ndv.getByText(description.triggerPanel.header).waitFor({ state: 'visible' });
	await ndv.getByText(description.triggerPanel.activationHint).waitFor({ state: 'visible' });

	step('listen for a test event, fire Document Completed, see the item and its PDF');
	await ndv.getByTestId('node-execute-button').click();
	const isTestUrl = (/** @type {any} */ w) => w.callbackUrl.includes('/webhook-test/');
	const deadline = Date.now() + 60_000;
	while (!sim.listWebhooks().some(isTestUrl)) {
		if (Date.now() > deadline)
			throw new Error(
				`no test webhook registered with the simulator; n8n log tail:\n${n8n.readLog().slice(-3000)}`,
			);
		await page.waitForTimeout(250);
	}
	const deliveries = await sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-1' });
	assert.deepEqual(
		deliveries.map((/** @type {any} */ d) => d.status),
		[200],
	);
	const output = ndv.getByTestId('output-panel');
	await output
		.getByText(/^1 item$/)
		.first()
		.waitFor({ state: 'visible', timeout: 60_000 });
	// n8n opens a binary-only looking item on its Binary view: the signed PDF
	await output
		.getByTestId('radio-button-binary')
		.click()
		.catch(() => undefined);
	await output.getByText('application/pdf').first().waitFor({ state: 'visible' });
	assert.match(await output.innerText(), /\.pdf/, 'the binary has a PDF file name');
	await page.mouse.move(5, 5);
	await shot('execution-binary', ndv);
	// and the item's fields
	await output.getByTestId('radio-button-json').click();
	await output
		.getByText(/documentCompleted/)
		.first()
		.waitFor({ state: 'visible' });
	const json = await output.innerText();
	assert.match(json, /doc-sales-1/, 'the item shows the document id');
	assert.match(json, /"event"/, 'the item shows the event field');
	assert.deepEqual(
		E.nodeCausedErrors(log, { since: errorsBefore }),
		[],
		'no browser error caused by the node',
	);
	await page.mouse.move(5, 5);
	await shot('execution', ndv);

	const match = /\/workflow\/([^/?#]+)/.exec(page.url());
	return match ? match[1] : undefined;
}

module.exports = {
	editorFlow,
	assertOwnIcon,
	assertNoMissingNodeWarning,
	assertLabelled,
	choose,
	PACKAGE_ICON_PREFIX,
};
