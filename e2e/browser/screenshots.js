// @ts-check
'use strict';
/**
 * `npm run screenshots`: runs the browser test's flows (e2e/browser/flow.js, agentToolFlow.js
 * and sendAndWaitFlow.js, with all their checks) against a real n8n 2.41.1 with the packed package and the Circularo simulator, and saves
 * the README's pictures into docs/screenshots/. Exits non-zero, saving nothing, when a check fails.
 *
 * Needs Chromium (`apt-get install -y chromium`, or CIRCULARO_CHROMIUM=/path/to/chrome).
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const E = require('./editor');
const { editorFlow } = require('./flow');
const { agentToolFlow } = require('./agentToolFlow');
const { sendAndWaitFlow } = require('./sendAndWaitFlow');
const { startStack } = require('../lib/circularo/stack');

const OUT_DIR = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');

/** Flow step name -> committed file (other steps are checked but not kept). */
const KEEP = {
	'nodes-panel': 'nodes-panel.png',
	'node-actions': 'node-triggers.png',
	parameters: 'parameters.png',
	credential: 'credential.png',
	execution: 'execution-item.png',
	'execution-binary': 'execution-pdf.png',
	'agent-tools': 'agent-tools.png',
	'agent-tool-parameters': 'agent-tool-parameters.png',
	'agent-with-tool': 'agent-with-tool.png',
	'send-and-wait-parameters': 'send-and-wait-parameters.png',
	'send-and-wait-canvas': 'send-and-wait-outputs.png',
};

async function main() {
	const started = Date.now();
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'circularo-shots-'));
	E.ensureChromium();
	const stack = await startStack();
	/** @type {import('playwright-core').Browser | undefined} */
	let browser;
	try {
		browser = await E.launchBrowser();
		const { page, log } = await E.openPage(browser, stack.n8n.baseUrl);
		/** @type {import('./flow').FlowContext} */
		const ctx = {
			n8n: stack.n8n,
			sim: stack.sim,
			page,
			log,
			step: (msg) =>
				process.stdout.write(
					`[screenshots] ${Math.round((Date.now() - started) / 1000)} s: ${msg}\n`,
				),
			shot: async (name, target) => {
				const file = /** @type {Record<string, string>} */ (KEEP)[name];
				if (!file) return;
				await (target || page).screenshot({
					path: path.join(tmp, file),
					animations: 'disabled',
					caret: 'hide',
				});
			},
		};
		await editorFlow(ctx);
		await agentToolFlow(ctx);
		await sendAndWaitFlow(ctx);
		const missing = Object.values(KEEP).filter((f) => !fs.existsSync(path.join(tmp, f)));
		if (missing.length) throw new Error(`the flow took no screenshot for ${missing.join(', ')}`);
		fs.mkdirSync(OUT_DIR, { recursive: true });
		for (const f of Object.values(KEEP)) {
			fs.copyFileSync(path.join(tmp, f), path.join(OUT_DIR, f));
			process.stdout.write(
				`[screenshots] docs/screenshots/${f} (${Math.round(fs.statSync(path.join(OUT_DIR, f)).size / 1024)} KiB)\n`,
			);
		}
	} finally {
		if (browser) await browser.close().catch(() => undefined);
		await stack.stop();
		fs.rmSync(tmp, { recursive: true, force: true });
	}
	process.stdout.write(`[screenshots] done in ${Math.round((Date.now() - started) / 1000)} s\n`);
}

main().catch((error) => {
	process.stderr.write(`[screenshots] failed: ${error && error.stack ? error.stack : error}\n`);
	process.exitCode = 1;
});
