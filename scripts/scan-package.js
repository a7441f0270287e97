/**
 * The static analysis n8n runs before it verifies a community package (@n8n/scan-community-package),
 * run offline: its own ESLint config (buildScanConfig) over the sources it lints (package.json,
 * nodes/, credentials/) and over the files of the packed tarball (`npm pack`). Its provenance and
 * download steps need the registry and are left out. Needs dist/ (npm run build).
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');

/**
 * @param {string} what
 * @param {{ passed: boolean, message?: string, details?: string }} result
 */
function report(what, result) {
	if (result.passed) {
		console.log(`scan-community-package: ${what} passed`);
		return true;
	}
	console.error(`scan-community-package: ${what} failed: ${result.message}`);
	if (result.details) console.error(result.details);
	return false;
}

async function main() {
	// A variable specifier: the scanner ships no types.
	const scannerPath = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs');
	const scanner = await import(scannerPath);
	const sources = await scanner.analyzePackage(root, scanner.SOURCE_FILE_PATTERNS);

	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'circularo-scan-'));
	try {
		const packed = JSON.parse(
			execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
				cwd: root,
				encoding: 'utf8',
				stdio: ['ignore', 'pipe', 'pipe'],
			}),
		);
		const unpacked = path.join(work, 'package');
		execFileSync('tar', ['-xzf', path.join(work, packed[0].filename), '-C', work]);
		const tarball = await scanner.analyzePackage(unpacked);
		const passed = [report('sources', sources), report('packed tarball', tarball)].every(Boolean);
		process.exitCode = passed ? 0 : 1;
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
