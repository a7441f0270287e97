// @ts-check
/// <reference lib="dom" />
'use strict';
/**
 * Driving n8n's editor in headless Chromium with playwright-core, for the browser test
 * (editor.test.js) and `npm run screenshots` (screenshots.js). Uses the machine's Chromium
 * (Debian: `apt-get install chromium`; elsewhere set CIRCULARO_CHROMIUM to a Chrome/Chromium
 * binary); Playwright's own browser download is never used.
 *
 * The page may talk to the n8n under test only: every other request (n8n asks the npm registry
 * about community packages, for example) is aborted by the test, and recorded.
 */

const fs = require('node:fs');
const { spawnSync } = require('node:child_process');
const { chromium, selectors } = require('playwright-core');

/** n8n marks its elements with data-test-id. */
selectors.setTestIdAttribute('data-test-id');

const CHROMIUM_FLAGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-dev-shm-usage',
];

/** Text n8n shows for a node type it does not know or a package that is missing. */
const MISSING_NODE_TEXT =
	/unknown node|install this node|node is not currently installed|not installed|install node|is not known|could not be found|Node type .* not found/i;

function chromiumPath() {
	const candidates = [
		process.env.CIRCULARO_CHROMIUM,
		'/usr/bin/chromium',
		'/usr/bin/chromium-browser',
		'/usr/bin/google-chrome',
	];
	for (const c of candidates) if (c && fs.existsSync(c)) return c;
	throw new Error(
		'no Chromium found: on Debian run `apt-get install -y chromium`, or set CIRCULARO_CHROMIUM to a Chrome/Chromium binary',
	);
}

/** The apt line that provides the browser on Debian (CI: run it before the tests, as root). */
const APT_INSTALL = 'apt-get update && apt-get install -y chromium';

/**
 * The browser binary; on Debian as root installs Debian's `chromium` with apt-get when no browser
 * is found (as the harness does for Redis and PostgreSQL). Runs no apt command when one is there.
 * @param {{ log?: (line: string) => void, timeoutMs?: number }} [o]
 */
function ensureChromium(o = {}) {
	try {
		return chromiumPath();
	} catch (error) {
		const canApt =
			!process.env.CIRCULARO_CHROMIUM &&
			fs.existsSync('/usr/bin/apt-get') &&
			typeof process.getuid === 'function' &&
			process.getuid() === 0;
		if (!canApt) throw error;
	}
	const log = o.log || ((/** @type {string} */ l) => process.stderr.write(`${l}\n`));
	log('browser: apt-get install chromium (missing)');
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const lock = ['-o', 'DPkg::Lock::Timeout=120'];
	for (const args of [
		['update', ...lock],
		['install', '-y', ...lock, 'chromium'],
	]) {
		const r = spawnSync('apt-get', ['-q', ...args], {
			env,
			encoding: 'utf8',
			timeout: o.timeoutMs ?? 600_000,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		if (r.status !== 0) {
			throw new Error(
				`apt-get ${args[0]} failed (${r.status ?? r.signal ?? r.error}); install by hand: ${APT_INSTALL}\n${String(r.stderr || '').slice(-1500)}`,
			);
		}
	}
	return chromiumPath();
}

/** A headless Chromium with a fresh, empty profile (Playwright makes a new user-data-dir per launch). */
async function launchBrowser() {
	return chromium.launch({
		executablePath: chromiumPath(),
		headless: true,
		args: CHROMIUM_FLAGS,
		timeout: 60_000,
	});
}

/**
 * @typedef {object} PageLog
 * @property {{ text: string, url: string }[]} consoleErrors  console errors (same-origin or not)
 * @property {string[]} pageErrors                            uncaught exceptions in the page
 * @property {string[]} blocked                               non-n8n URLs the test aborted
 * @property {{ status: number, url: string }[]} httpErrors    n8n answers >= 400
 */

/**
 * A page on the n8n under test, with everything that went wrong recorded in `log`.
 * @param {import('playwright-core').Browser} browser @param {string} baseUrl
 * @returns {Promise<{ page: import('playwright-core').Page, log: PageLog }>}
 */
async function openPage(browser, baseUrl) {
	const context = await browser.newContext({
		viewport: { width: 1440, height: 900 },
		deviceScaleFactor: 1,
		locale: 'en-US',
		timezoneId: 'UTC',
	});
	// generous: several n8n instances may share this machine's two cores
	context.setDefaultTimeout(60_000);
	context.setDefaultNavigationTimeout(120_000);
	const page = await context.newPage();
	/** @type {PageLog} */
	const log = { consoleErrors: [], pageErrors: [], blocked: [], httpErrors: [] };
	const origin = new URL(baseUrl).origin;
	await context.route(
		(url) => url.origin !== origin && url.protocol !== 'data:' && url.protocol !== 'blob:',
		(route) => {
			log.blocked.push(route.request().url());
			return route.abort('blockedbyclient');
		},
	);
	page.on('console', (m) => {
		if (m.type() === 'error')
			log.consoleErrors.push({ text: m.text(), url: m.location().url || '' });
	});
	page.on('pageerror', (e) => log.pageErrors.push(`${e.name}: ${e.message}\n${e.stack || ''}`));
	page.on('response', (r) => {
		if (r.status() >= 400 && r.url().startsWith(origin))
			log.httpErrors.push({ status: r.status(), url: r.url() });
	});
	return { page, log };
}

/**
 * Errors in the log that the node or its package could have caused: uncaught exceptions and
 * console errors that name Circularo or come from the n8n under test (a missing icon, a failing
 * request of the node), and n8n answers >= 400 for anything of the package. Loads of non-n8n
 * URLs that the test itself blocked are not counted (they are listed in `log.blocked`).
 * @param {PageLog} log @param {{ since?: number }} [o] only entries after these indexes
 */
function nodeCausedErrors(log, o = {}) {
	const since = o.since || 0;
	const circularo = /circularo/i;
	const out = [];
	for (const e of log.pageErrors.slice(since)) out.push(`page error: ${e}`);
	for (const c of log.consoleErrors) {
		const external =
			c.url && !c.url.startsWith('http://127.0.0.1') && !c.url.startsWith('http://localhost');
		if (external && log.blocked.includes(c.url)) continue;
		if (circularo.test(c.text) || circularo.test(c.url))
			out.push(`console error: ${c.text} (${c.url})`);
	}
	for (const h of log.httpErrors) if (circularo.test(h.url)) out.push(`HTTP ${h.status} ${h.url}`);
	return out;
}

/**
 * Signs in through the editor's sign-in form.
 * @param {import('playwright-core').Page} page @param {string} baseUrl @param {{ email: string, password: string }} owner
 */
async function signIn(page, baseUrl, owner) {
	await page.goto(`${baseUrl}/signin`);
	await page
		.locator('[data-test-id=emailOrLdapLoginId] input, input[name=emailOrLdapLoginId]')
		.first()
		.fill(owner.email);
	await page
		.locator('[data-test-id=password] input, input[name=password]')
		.first()
		.fill(owner.password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 30_000 });
}

/** Opens an empty workflow and waits for the canvas. @param {import('playwright-core').Page} page @param {string} baseUrl */
async function openNewWorkflow(page, baseUrl) {
	await page.goto(`${baseUrl}/workflow/new`);
	await page.getByTestId('canvas-add-button').waitFor({ state: 'visible', timeout: 90_000 });
}

/** Opens a stored workflow and waits for its canvas nodes. @param {import('playwright-core').Page} page @param {string} baseUrl @param {string} id */
async function openWorkflow(page, baseUrl, id) {
	await page.goto(`${baseUrl}/workflow/${id}`);
	await page.getByTestId('canvas-node').first().waitFor({ state: 'visible', timeout: 90_000 });
}

/**
 * Opens the nodes panel ("What triggers this workflow?") and searches it.
 * @param {import('playwright-core').Page} page @param {string} text
 */
async function searchNodesPanel(page, text) {
	await page.getByTestId('canvas-add-button').click();
	const search = page.getByTestId('node-creator-search-bar');
	await search.waitFor({ state: 'visible' });
	await search.fill(text);
	// the list updates a moment after typing
	await page
		.getByTestId('node-creator')
		.getByTestId('node-creator-item-name')
		.filter({ hasText: text })
		.first()
		.waitFor({ state: 'visible' });
}

/**
 * The icon images inside `scope` (n8n may render a light and a dark one): src, whether each
 * loaded, rendered size and visibility. Waits (bounded) for at least one image.
 * @param {import('playwright-core').Locator} scope
 * @returns {Promise<{ src: string, loaded: boolean, width: number, height: number, visible: boolean }[]>}
 */
async function iconStates(scope) {
	await scope.locator('img').first().waitFor({ state: 'attached' });
	return scope.locator('img').evaluateAll(async (els) =>
		Promise.all(
			els.map(async (el) => {
				const i = /** @type {HTMLImageElement} */ (el);
				await i.decode().catch(() => undefined);
				const r = i.getBoundingClientRect();
				const style = getComputedStyle(i);
				return {
					src: i.getAttribute('src') || '',
					loaded: i.complete && i.naturalWidth > 0,
					width: r.width,
					height: r.height,
					visible:
						r.width > 0 &&
						r.height > 0 &&
						style.visibility !== 'hidden' &&
						style.display !== 'none',
				};
			}),
		),
	);
}

/**
 * The description tooltip of a parameter label: hovers the label, then its info icon, and
 * returns the visible tooltip text (empty when none shows).
 * @param {import('playwright-core').Page} page @param {import('playwright-core').Locator} label
 */
async function labelTooltip(page, label) {
	await label.hover();
	const icon = label.locator('[data-state]').first();
	if (!(await icon.count())) return '';
	await icon.hover();
	const tip = page.locator('[data-test-id=tooltip-content]:visible').last();
	try {
		await tip.waitFor({ state: 'visible', timeout: 5000 });
	} catch {
		return '';
	}
	const text = (await tip.innerText()).trim();
	await page.mouse.move(5, 5);
	await tip.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
	return text;
}

/** Visible text of the whole page. @param {import('playwright-core').Page} page */
async function visibleText(page) {
	return page.locator('body').innerText();
}

/** @param {string} html */
function stripHtml(html) {
	return html
		.replace(/<br\s*\/?>/gi, '\n')
		.replace(/<[^>]+>/g, '')
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&amp;/g, '&')
		.trim();
}

module.exports = {
	CHROMIUM_FLAGS,
	MISSING_NODE_TEXT,
	APT_INSTALL,
	chromiumPath,
	ensureChromium,
	launchBrowser,
	openPage,
	nodeCausedErrors,
	signIn,
	openNewWorkflow,
	openWorkflow,
	searchNodesPanel,
	iconStates,
	labelTooltip,
	visibleText,
	stripHtml,
};
