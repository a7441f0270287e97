/**
 * Loads the built package through n8n-core's PackageDirectoryLoader, the code path n8n uses for
 * installed community packages. Needs `npm run build` (npm test runs it first).
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { basename, join } from 'path';

import { PackageDirectoryLoader } from 'n8n-core';

const root = join(__dirname, '..', '..');
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function iconPaths(icon: unknown): string[] {
	if (typeof icon === 'string') return [icon];
	if (icon && typeof icon === 'object') return Object.values(icon as Record<string, string>);
	return [];
}

describe('the built package, as n8n loads it', () => {
	let loader: PackageDirectoryLoader;

	beforeAll(async () => {
		expect(existsSync(join(root, 'dist'))).toBe(true);
		loader = new PackageDirectoryLoader(root);
		await loader.loadAll();
	});

	it('loads every node and credential listed in package.json, with matching class and file names', () => {
		const listed = [...packageJson.n8n.nodes, ...packageJson.n8n.credentials] as string[];
		const known = { ...loader.known.nodes, ...loader.known.credentials };
		expect(Object.keys(known)).toHaveLength(listed.length);
		for (const path of listed) {
			expect(path.startsWith('dist/')).toBe(true);
			const entry = Object.values(known).find((k) => k.sourcePath === path);
			expect(entry).toBeDefined();
			expect(basename(path).split('.')[0]).toBe(entry!.className);
		}
		expect(Object.keys(loader.nodeTypes).sort()).toEqual([
			'circularo',
			'circularoPollingTrigger',
			'circularoTrigger',
		]);
		expect(Object.keys(loader.credentialTypes)).toEqual(['circularoApi']);
	});

	it('has every icon it names, light and dark', () => {
		const described = [
			...loader.types.nodes.map((n) => ({ icon: n.iconUrl ?? n.icon })),
			...loader.types.credentials.map((c) => ({ icon: c.iconUrl ?? c.icon })),
		];
		expect(described).toHaveLength(4);
		for (const { icon } of described) {
			const paths = iconPaths(icon);
			expect(paths).toHaveLength(2);
			for (const path of paths) {
				// n8n serves icons/<package>/<path in package>
				const file = join(root, path.replace(`icons/${packageJson.name}/`, ''));
				expect(existsSync(file)).toBe(true);
				expect(readFileSync(file, 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
			}
		}
	});

	const described = (name: string) => loader.types.nodes.find((node) => node.name === name)!;

	it('describes a trigger with a codex file and the credential it uses', () => {
		const node = described('circularoTrigger');
		expect(node.group).toEqual(['trigger']);
		expect(node.inputs).toEqual([]);
		expect(node.credentials).toEqual([{ name: 'circularoApi', required: true }]);
		expect(node.codex?.alias).toEqual(
			expect.arrayContaining(['e-signature', 'signing', 'contract']),
		);
		expect([...loader.known.credentials.circularoApi.supportedNodes!].sort()).toEqual([
			'circularo',
			'circularoPollingTrigger',
			'circularoTrigger',
		]);
	});

	it('describes a polling trigger with a codex file and the same credential', () => {
		const node = described('circularoPollingTrigger');
		expect(node.polling).toBe(true);
		expect(node.group).toEqual(['trigger']);
		expect(node.inputs).toEqual([]);
		expect(node.credentials).toEqual([{ name: 'circularoApi', required: true }]);
		expect(node.codex?.alias).toEqual(expect.arrayContaining(['e-signature', 'polling']));
		expect(node.iconUrl).toEqual({
			light: 'icons/n8n-nodes-circularo/dist/nodes/Circularo/circularo.svg',
			dark: 'icons/n8n-nodes-circularo/dist/nodes/Circularo/circularo.dark.svg',
		});
	});

	it('describes an action node usable as an AI tool, with a codex file and the same credential', () => {
		const node = described('circularo');
		expect(node.group).toEqual(['transform']);
		expect(node.inputs).toEqual(['main']);
		expect(node.usableAsTool).toBe(true);
		expect(node.credentials).toEqual([{ name: 'circularoApi', required: true }]);
		expect(node.codex?.alias).toEqual(
			expect.arrayContaining(['e-signature', 'sign request', 'audit trail']),
		);
	});
});

describe('package.json follows community-node conventions', () => {
	it('is publishable as a community package', () => {
		expect(packageJson.name).toBe('n8n-nodes-circularo');
		expect(packageJson.keywords).toContain('n8n-community-node-package');
		expect(packageJson.license).toBe('MIT');
		expect(packageJson.files).toEqual(['dist']);
		expect(packageJson.n8n).toMatchObject({ n8nNodesApiVersion: 1, strict: true });
		expect(packageJson.dependencies).toBeUndefined();
		expect(packageJson.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		for (const script of ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish']) {
			expect(packageJson.scripts[script]).toBeUndefined();
		}
	});
});

describe('source rules n8n verification relies on', () => {
	function sourceFiles(dir: string): string[] {
		return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
			entry.isDirectory()
				? sourceFiles(join(dir, entry.name))
				: entry.name.endsWith('.ts')
					? [join(dir, entry.name)]
					: [],
		);
	}

	it('has no eslint-disable comments under nodes/ and credentials/ (the scanner ignores them)', () => {
		const files = [...sourceFiles(join(root, 'nodes')), ...sourceFiles(join(root, 'credentials'))];
		expect(files.length).toBeGreaterThan(3);
		const offenders = files.filter((file) => /eslint-disable/.test(readFileSync(file, 'utf8')));
		expect(offenders).toEqual([]);
	});
});
