// @ts-check
'use strict';
/**
 * The package under test, delivered the way users get it: `npm pack` of the repo, then
 * installed into `<userFolder>/.n8n/nodes` exactly as n8n's community-package installer does
 * (n8n scans `.n8n/nodes/node_modules/n8n-nodes-*` at start-up; the node type is then
 * `<package name>.<node name>`, e.g. `n8n-nodes-circularo.circularoTrigger`).
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { run, NPM_CLI } = require('./install');

const REPO_DIR = path.resolve(__dirname, '..', '..');

/**
 * What n8n 2.41's own community-package installer does (packages/cli
 * modules/community-packages/community-packages.service.js, downloadPackage): unpack the
 * tarball into `<nodes>/node_modules/<name>`, drop devDependencies, peerDependencies and
 * optionalDependencies from its package.json, run `npm install` with these flags inside it
 * (for run-time dependencies; ours has none, so nothing is fetched), and record the package
 * in `<nodes>/package.json`.
 */
const N8N_INSTALL_ARGS = [
	'install',
	'--audit=false',
	'--fund=false',
	'--bin-links=false',
	'--install-strategy=shallow',
	'--ignore-scripts=true',
	'--package-lock=false',
];

/**
 * `npm pack` of a built package folder (default: this repo). Requires `dist/` (run
 * `npm run build` first). Returns the absolute path of the .tgz.
 * @param {{ repoDir?: string, outDir?: string }} [o]
 * @returns {Promise<string>}
 */
async function packPackage(o = {}) {
	const repoDir = o.repoDir || REPO_DIR;
	if (!fs.existsSync(path.join(repoDir, 'dist'))) {
		throw new Error(
			`${repoDir}/dist does not exist: run \`npm run build\` before packing the package`,
		);
	}
	const outDir = o.outDir || fs.mkdtempSync(path.join(os.tmpdir(), 'circularo-pack-'));
	fs.mkdirSync(outDir, { recursive: true });
	const before = new Set(fs.readdirSync(outDir));
	const logFile = path.join(outDir, 'pack.log');
	await run(process.execPath, [NPM_CLI, 'pack', '--ignore-scripts', '--pack-destination', outDir], {
		cwd: repoDir,
		timeoutMs: 120_000,
		logFile,
	});
	const tgz = fs.readdirSync(outDir).filter((f) => f.endsWith('.tgz') && !before.has(f));
	if (tgz.length !== 1) {
		// packing the same version again overwrites the same file name
		const all = fs.readdirSync(outDir).filter((f) => f.endsWith('.tgz'));
		if (all.length === 1) return path.join(outDir, all[0]);
		throw new Error(`npm pack left ${tgz.length} new .tgz files in ${outDir}`);
	}
	return path.join(outDir, tgz[0]);
}

/**
 * Installs a packed community package into an n8n user folder (`<userFolder>/.n8n/nodes`)
 * the way n8n's own installer does (see N8N_INSTALL_ARGS). Replaces an earlier copy.
 * @param {string} userFolder  the folder given to n8n as N8N_USER_FOLDER
 * @param {string} tgz         path of the packed package
 * @returns {Promise<{ nodesDir: string, packageDir: string, name: string, version: string }>}
 */
async function installPackageInto(userFolder, tgz) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(path.join(nodesDir, 'node_modules'), { recursive: true });
	const logFile = path.join(nodesDir, 'install.log');
	const unpack = fs.mkdtempSync(path.join(nodesDir, '.unpack-'));
	try {
		await run('tar', ['-xzf', path.resolve(tgz), '-C', unpack, '--strip-components=1'], {
			cwd: nodesDir,
			timeoutMs: 60_000,
			logFile,
		});
		// The panel installs without dev, peer and optional dependencies.
		const pkg = JSON.parse(fs.readFileSync(path.join(unpack, 'package.json'), 'utf8'));
		for (const key of ['devDependencies', 'peerDependencies', 'optionalDependencies'])
			delete pkg[key];
		const name = String(pkg.name);
		if (!/^(@[a-z0-9._-]+\/)?n8n-nodes-[a-z0-9._-]+$/.test(name))
			throw new Error(`${tgz} holds package "${name}", not an n8n-nodes-* package`);
		fs.writeFileSync(path.join(unpack, 'package.json'), JSON.stringify(pkg, null, 2));
		const packageDir = path.join(nodesDir, 'node_modules', name);
		fs.rmSync(packageDir, { recursive: true, force: true });
		fs.mkdirSync(path.dirname(packageDir), { recursive: true });
		fs.renameSync(unpack, packageDir);
		await run(process.execPath, [NPM_CLI, ...N8N_INSTALL_ARGS], {
			cwd: packageDir,
			timeoutMs: 180_000,
			logFile,
			env: { ...process.env, npm_config_update_notifier: 'false' },
		});
		const pj = path.join(nodesDir, 'package.json');
		const nodesPkg = fs.existsSync(pj)
			? JSON.parse(fs.readFileSync(pj, 'utf8'))
			: { name: 'installed-nodes', private: true, dependencies: {} };
		nodesPkg.dependencies = { ...(nodesPkg.dependencies || {}), [name]: pkg.version };
		fs.writeFileSync(pj, JSON.stringify(nodesPkg, null, 2));
		return { nodesDir, packageDir, name, version: String(pkg.version) };
	} finally {
		fs.rmSync(unpack, { recursive: true, force: true });
	}
}

/**
 * The README's two install lines: the npm command for a machine (`manual`) and the same command
 * through `docker exec` (`docker`). Read from README.md so that tests run what users read.
 * @param {string} [readme] README text (default: this repo's README.md)
 * @returns {{ manual: string, docker: string }}
 */
function readmeInstallCommands(readme = fs.readFileSync(path.join(REPO_DIR, 'README.md'), 'utf8')) {
	const lines = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
		m[1].split('\n').map((l) => l.trim()),
	);
	const manual = lines.filter((l) => /^npm install .*~\/\.n8n\/nodes/.test(l));
	const docker = lines.filter((l) => /^docker exec \S+ npm install /.test(l));
	if (manual.length !== 1 || docker.length !== 1) {
		throw new Error(
			`README.md must hold exactly one manual \`npm install ... ~/.n8n/nodes ...\` line and one \`docker exec <container> npm install\` line in sh blocks; found ${manual.length} and ${docker.length}`,
		);
	}
	return { manual: manual[0], docker: docker[0] };
}

/**
 * Runs the README's manual-install line as a user's shell would, with only the package name
 * replaced by the packed tgz: `sh -c`, HOME set to `userFolder` (so `~/.n8n/nodes` is the folder
 * n8n started with N8N_USER_FOLDER=userFolder reads), and none of the `npm_*` variables an
 * `npm run` parent sets (such as this repo's ignore-scripts). Returns the command it ran.
 * @param {string} userFolder
 * @param {string} tgz
 * @returns {Promise<string>}
 */
async function installAsReadmeSays(userFolder, tgz) {
	const { name } = JSON.parse(fs.readFileSync(path.join(REPO_DIR, 'package.json'), 'utf8'));
	const words = readmeInstallCommands().manual.split(/\s+/);
	if (words.filter((w) => w === name).length !== 1)
		throw new Error(`the README's install line names ${name} not exactly once: ${words.join(' ')}`);
	const command = words.map((w) => (w === name ? `'${path.resolve(tgz)}'` : w)).join(' ');
	/** @type {Record<string, string>} */
	const env = { npm_config_update_notifier: 'false' };
	for (const [k, v] of Object.entries(process.env))
		if (v !== undefined && !/^npm_/.test(k)) env[k] = v;
	env.HOME = userFolder;
	fs.mkdirSync(userFolder, { recursive: true });
	await run('sh', ['-c', command], {
		cwd: userFolder,
		env,
		timeoutMs: 180_000,
		logFile: path.join(userFolder, 'readme-install.log'),
	});
	return command;
}

module.exports = {
	packPackage,
	installPackageInto,
	readmeInstallCommands,
	installAsReadmeSays,
	REPO_DIR,
};
