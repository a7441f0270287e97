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
const { run } = require('./install');

const REPO_DIR = path.resolve(__dirname, '..', '..');

/**
 * What n8n 2.41's own community-package installer does (packages/cli
 * modules/community-packages/community-packages.service.js, downloadPackage): unpack the
 * tarball into `<nodes>/node_modules/<name>`, drop devDependencies, peerDependencies and
 * optionalDependencies from its package.json, run `npm install` with these flags inside it
 * (for run-time dependencies; ours has none, so nothing is fetched), and record the package
 * in `<nodes>/package.json`.
 */
const N8N_INSTALL_ARGS = ['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'];

/**
 * `npm pack` of a built package folder (default: this repo). Requires `dist/` (run
 * `npm run build` first). Returns the absolute path of the .tgz.
 * @param {{ repoDir?: string, outDir?: string }} [o]
 * @returns {Promise<string>}
 */
async function packPackage(o = {}) {
  const repoDir = o.repoDir || REPO_DIR;
  if (!fs.existsSync(path.join(repoDir, 'dist'))) {
    throw new Error(`${repoDir}/dist does not exist: run \`npm run build\` before packing the package`);
  }
  const outDir = o.outDir || fs.mkdtempSync(path.join(os.tmpdir(), 'circularo-pack-'));
  fs.mkdirSync(outDir, { recursive: true });
  const before = new Set(fs.readdirSync(outDir));
  const logFile = path.join(outDir, 'pack.log');
  await run(process.execPath, [npmCli(), 'pack', '--ignore-scripts', '--pack-destination', outDir], { cwd: repoDir, timeoutMs: 120_000, logFile });
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
    await run('tar', ['-xzf', path.resolve(tgz), '-C', unpack, '--strip-components=1'], { cwd: nodesDir, timeoutMs: 60_000, logFile });
    // eslint-disable-next-line no-unused-vars
    const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(fs.readFileSync(path.join(unpack, 'package.json'), 'utf8'));
    const name = String(pkg.name);
    if (!/^(@[a-z0-9._-]+\/)?n8n-nodes-[a-z0-9._-]+$/.test(name)) throw new Error(`${tgz} holds package "${name}", not an n8n-nodes-* package`);
    fs.writeFileSync(path.join(unpack, 'package.json'), JSON.stringify(pkg, null, 2));
    const packageDir = path.join(nodesDir, 'node_modules', name);
    fs.rmSync(packageDir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(packageDir), { recursive: true });
    fs.renameSync(unpack, packageDir);
    await run(process.execPath, [npmCli(), ...N8N_INSTALL_ARGS], {
      cwd: packageDir, timeoutMs: 180_000, logFile,
      env: { ...process.env, npm_config_update_notifier: 'false' },
    });
    const pj = path.join(nodesDir, 'package.json');
    const nodesPkg = fs.existsSync(pj) ? JSON.parse(fs.readFileSync(pj, 'utf8')) : { name: 'installed-nodes', private: true, dependencies: {} };
    nodesPkg.dependencies = { ...(nodesPkg.dependencies || {}), [name]: pkg.version };
    fs.writeFileSync(pj, JSON.stringify(nodesPkg, null, 2));
    return { nodesDir, packageDir, name, version: String(pkg.version) };
  } finally {
    fs.rmSync(unpack, { recursive: true, force: true });
  }
}

function npmCli() {
  const local = path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
  return fs.existsSync(local) ? path.resolve(local) : '/usr/lib/node_modules/npm/bin/npm-cli.js';
}

module.exports = { packPackage, installPackageInto, REPO_DIR };
