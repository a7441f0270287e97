// @ts-check
'use strict';
/**
 * The README's manual install, run verbatim (only the package name replaced by the packed tgz)
 * in a fresh user folder: it installs the package alone, as n8n's Community Nodes panel does
 * (no peer n8n-workflow, no isolated-vm to build), and a real n8n started on that folder loads
 * every node and the credential. The README's Docker line must run the same npm command.
 *
 * Run: npm run build && node --test e2e/suites/manual-install.test.js
 */

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {
	startN8n,
	setupOwner,
	packPackage,
	installPackageInto,
	installAsReadmeSays,
	readmeInstallCommands,
} = require('../lib');

const PACKAGE_NAME = 'n8n-nodes-circularo';
const TESTS = 3;

/** Relative path -> sha256 of every file under `dir`. @param {string} dir @returns {Map<string, string>} */
function filesOf(dir) {
	/** @type {Map<string, string>} */
	const files = new Map();
	for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
		if (!entry.isFile()) continue;
		const full = path.join(entry.parentPath, entry.name);
		files.set(
			path.relative(dir, full),
			crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex'),
		);
	}
	return files;
}

/** Folder names anywhere under `dir`. @param {string} dir @returns {string[]} */
function folderNames(dir) {
	return fs
		.readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((e) => e.isDirectory())
		.map((e) => e.name);
}

describe('manual install from the README, in real n8n', { timeout: 15 * 60_000 }, () => {
	const runsDir = process.env.CIRCULARO_E2E_RUNS || os.tmpdir();
	/** @type {string[]} */
	const folders = [];
	/** @type {import('../lib/n8n').N8nInstance | undefined} */
	let n8n;
	let userFolder = '';
	let tgz = '';
	let passed = 0;

	before(async () => {
		fs.mkdirSync(runsDir, { recursive: true });
		userFolder = fs.mkdtempSync(path.join(runsDir, 'circularo-readme-install-'));
		folders.push(userFolder);
		tgz = await packPackage({ outDir: path.join(userFolder, 'pack') });
		const command = await installAsReadmeSays(userFolder, tgz);
		process.stderr.write(`# ran: ${command}\n`);
	});

	after(async () => {
		if (n8n) await n8n.stop();
		if (passed === TESTS && process.env.CIRCULARO_E2E_KEEP !== '1')
			for (const f of folders) fs.rmSync(f, { recursive: true, force: true });
		else process.stderr.write(`# kept: ${folders.join(' ')}\n`);
	});

	test("the Docker line runs the manual line's npm command inside the container", () => {
		const { manual, docker } = readmeInstallCommands();
		const inContainer = docker.replace(/^docker exec \S+ /, '').replaceAll('/home/node/', '~/');
		assert.equal(inContainer, manual);
		passed++;
	});

	test('the package is installed alone, as the panel installs it: no peer n8n-workflow, nothing to build', async () => {
		const nodeModules = path.join(userFolder, '.n8n', 'nodes', 'node_modules');
		assert.deepEqual(
			fs.readdirSync(nodeModules).filter((f) => !f.startsWith('.')),
			[PACKAGE_NAME],
		);
		const folderSet = new Set(folderNames(nodeModules));
		for (const peer of ['n8n-workflow', 'isolated-vm'])
			assert.equal(folderSet.has(peer), false, `${peer} was installed`);

		// The same files as n8n's panel leaves (e2e/lib/package.js emulates it); the panel only drops
		// the dependency fields from the installed package.json.
		const panelFolder = fs.mkdtempSync(path.join(runsDir, 'circularo-panel-install-'));
		folders.push(panelFolder);
		const panel = await installPackageInto(panelFolder, tgz);
		const readmeInstalled = path.join(nodeModules, PACKAGE_NAME);
		const readmeFiles = filesOf(readmeInstalled);
		const panelFiles = filesOf(panel.packageDir);
		readmeFiles.delete('package.json');
		panelFiles.delete('package.json');
		assert.ok(readmeFiles.size > 0);
		assert.deepEqual([...readmeFiles].sort(), [...panelFiles].sort());
		const readmePkg = JSON.parse(
			fs.readFileSync(path.join(readmeInstalled, 'package.json'), 'utf8'),
		);
		for (const field of ['devDependencies', 'peerDependencies', 'optionalDependencies'])
			delete readmePkg[field];
		assert.deepEqual(
			readmePkg,
			JSON.parse(fs.readFileSync(path.join(panel.packageDir, 'package.json'), 'utf8')),
		);
		passed++;
	});

	test('n8n started on that user folder loads every node of the package and its credential', async () => {
		n8n = await startN8n({ userFolder });
		await setupOwner(n8n);
		const api = /** @type {import('../lib/api').PublicApi} */ (n8n.api);
		const installed = JSON.parse(
			fs.readFileSync(
				path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME, 'package.json'),
				'utf8',
			),
		);
		// dist/nodes/Circularo/CircularoTrigger.node.js -> circularoTrigger (each node's `name`)
		const expected = installed.n8n.nodes.map((/** @type {string} */ f) => {
			const base = path.basename(f, '.node.js');
			return `${PACKAGE_NAME}.${base[0].toLowerCase()}${base.slice(1)}`;
		});
		assert.ok(expected.includes(`${PACKAGE_NAME}.circularoTrigger`));
		const loaded = new Set((await api.nodeTypes()).map((n) => n.name));
		for (const type of expected) assert.ok(loaded.has(type), `${type} is loaded`);
		assert.ok(
			(await api.credentialTypes()).some((c) => c.name === 'circularoApi'),
			'credential type circularoApi is loaded',
		);
		assert.doesNotMatch(
			n8n.readLog(),
			/Unrecognized node type|Class could not be found|Error loading package/i,
		);
		process.stderr.write(`# loaded: ${expected.join(', ')}\n`);
		passed++;
	});
});
