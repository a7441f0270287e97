// @ts-check
'use strict';
/**
 * The Circularo Trigger as an n8n user meets it: the real n8n 2.41.1 editor (the package installed
 * the way users get it) in headless Chromium. Signs in as the owner the harness created, searches
 * the nodes panel for "Circularo", adds the trigger, checks its icon, every parameter's label and
 * description, the credential dialog (and its connection test against the Circularo simulator),
 * that no "unknown node" / "install this node" warning shows, that no browser error is caused
 * by the node, and that a test event shows the item and its signed PDF in the output panel.
 * Then Sign Request > Send and Wait for Signature: in the Circularo node's actions, its parameters,
 * its two named outputs. Then the Circularo action node as a tool: listed in an AI Agent's tools
 * panel and added to it, its Sign Request operations without Send and Wait for Signature.
 *
 * Needs Chromium: `apt-get install -y chromium` (or CIRCULARO_CHROMIUM=/path/to/chrome).
 * Run: npm run build && node --test e2e/browser/
 * On failure a screenshot and the page's HTML are left in e2e/.runs/browser/.
 */

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const E = require('./editor');
const { editorFlow } = require('./flow');
const { agentToolFlow } = require('./agentToolFlow');
const { sendAndWaitFlow } = require('./sendAndWaitFlow');
const { startStack } = require('../lib/circularo/stack');

const FAILURE_DIR = path.resolve(__dirname, '..', '.runs', 'browser');

describe('Circularo nodes in the real n8n editor', { timeout: 20 * 60_000 }, () => {
	/** @type {any} */ let stack;
	/** @type {import('playwright-core').Browser | undefined} */ let browser;

	before(async () => {
		E.ensureChromium(); // Debian's chromium via apt-get when missing (root), else fail with the hint
		stack = await startStack();
		browser = await E.launchBrowser();
	});

	after(async () => {
		if (browser) await browser.close().catch(() => undefined);
		if (stack) await stack.stop();
	});

	/**
	 * Runs `flow` on a fresh page; on failure leaves a screenshot, the HTML and the browser log
	 * (named `name`) in FAILURE_DIR.
	 * @param {any} t @param {string} name @param {(ctx: import('./flow').FlowContext) => Promise<unknown>} flow
	 * @param {{ signIn?: boolean }} [o]
	 */
	async function inBrowser(t, name, flow, o = {}) {
		const { page, log } = await E.openPage(/** @type {any} */ (browser), stack.n8n.baseUrl);
		const started = Date.now();
		try {
			if (o.signIn) await E.signIn(page, stack.n8n.baseUrl, stack.n8n.owner);
			await flow({
				n8n: stack.n8n,
				sim: stack.sim,
				page,
				log,
				step: (msg) => t.diagnostic(`${Math.round((Date.now() - started) / 1000)} s: ${msg}`),
			});
		} catch (error) {
			fs.mkdirSync(FAILURE_DIR, { recursive: true });
			await page
				.screenshot({ path: path.join(FAILURE_DIR, `${name}-failure.png`) })
				.catch(() => undefined);
			fs.writeFileSync(
				path.join(FAILURE_DIR, `${name}-failure.html`),
				await page.content().catch(() => ''),
			);
			fs.writeFileSync(
				path.join(FAILURE_DIR, `${name}-browser-log.json`),
				JSON.stringify(log, null, 2),
			);
			t.diagnostic(`screenshot, HTML and browser log in ${FAILURE_DIR}`);
			throw error;
		}
		t.diagnostic(
			`${name} took ${Math.round((Date.now() - started) / 1000)} s; blocked non-n8n requests: ${JSON.stringify([...new Set(log.blocked)])}`,
		);
		assert.deepEqual(E.nodeCausedErrors(log), [], 'no browser error caused by the node');
		await page.context().close();
	}

	test('find the node, set every parameter, create and test the credential, see a test event with its PDF', async (t) => {
		await inBrowser(t, 'editor', editorFlow);
	});

	test('Sign Request > Send and Wait for Signature: in the actions list, its parameters and options, two named outputs', async (t) => {
		await inBrowser(t, 'send-and-wait', sendAndWaitFlow, { signIn: true });
	});

	test("the Circularo node is in the AI Agent's tool list and plugs into its Tool connector", async (t) => {
		await inBrowser(t, 'agent-tools', agentToolFlow, { signIn: true });
	});
});
