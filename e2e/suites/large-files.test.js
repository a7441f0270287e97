// @ts-check
'use strict';
/**
 * Files of 1 MB and 90 MB through the Circularo node in a real n8n 2.41.1 (its default binary
 * mode, binaries on disk) and the simulator over real HTTP: Read File -> Document > Create, then
 * Document > Download with the audit trail; the exact bytes (SHA-256) arrive at the simulator and
 * in n8n's output, also when Circularo's answer declares no size (chunked, the simulator's
 * `fileLength` variant). A download over "Max File Size (MB)" fails with the file's size (when
 * declared) and the option, and leaves no file in n8n's binary storage.
 *
 * Run: npm run build && node --test e2e/suites/large-files.test.js
 */

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { PublicApi } = require('../lib/api');
const { useStack } = require('../lib/circularo/stack');
const { actionNode } = require('../lib/circularo/action');
const { MANUAL_TRIGGER_NAME, manualWorkflow, readFileNode } = require('../lib/workflows');
const { writeLargePdf } = require('../lib/largePdf');

const MB = 1024 * 1024;
const RUN = { timeoutMs: 300_000 };
const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'circularo-e2e-files-'));
after(() => fs.rmSync(filesDir, { recursive: true, force: true }));

/** @param {Buffer} bytes */
const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');

describe('files of 1 MB and 90 MB through real n8n', () => {
	/** @type {any} */ let sim;
	/** @type {any} */ let n8n;
	/** @type {{ id: string, name: string }} */ let credential;
	useStack(
		(s) => {
			({ sim, n8n, credential } = s);
		},
		{ n8n: { env: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir } } },
	);

	/** Runs Manual Trigger -> nodes, asserting success; the execution. @param {string} name @param {any[]} nodes */
	async function run(name, nodes) {
		const stored = await n8n.api.createWorkflow(manualWorkflow({ name, nodes }));
		const execution = await n8n.api.runManually(String(stored.id), MANUAL_TRIGGER_NAME, RUN);
		return execution;
	}

	/**
	 * The binary files n8n keeps on disk (its filesystem mode) for the execution's workflow, with
	 * their sizes (n8n's metadata files left out). @param {any} execution
	 */
	function storedFiles(execution) {
		const dir = path.join(n8n.userFolder, '.n8n', 'storage', 'workflows', execution.workflowId);
		if (!fs.existsSync(dir)) return [];
		return fs
			.readdirSync(dir, { recursive: true, withFileTypes: true })
			.filter((entry) => entry.isFile() && !entry.name.endsWith('.metadata'))
			.map((entry) => ({
				name: entry.name,
				size: fs.statSync(path.join(entry.parentPath, entry.name)).size,
			}));
	}

	/** Document > Download of `documentId` with `options`. @param {string} documentId @param {object} options */
	function downloadNode(documentId, options) {
		return actionNode({
			name: 'Download',
			parameters: { resource: 'document', operation: 'download', documentId, options },
			credential,
		});
	}

	for (const megabytes of [1, 90]) {
		describe(`${megabytes} MB`, () => {
			/** @type {{ filePath: string, size: number, sha256: string }} */ let file;
			/** @type {string} */ let documentId;
			before(async () => {
				file = await writeLargePdf(path.join(filesDir, `scan-${megabytes}.pdf`), megabytes * MB);
			});

			test('Document > Create: the simulator receives the exact bytes', async () => {
				const create = actionNode({
					name: 'Create',
					parameters: { resource: 'document', operation: 'create', title: `Scan ${megabytes} MB` },
					credential,
				});
				const execution = await run(`create ${megabytes} MB`, [
					readFileNode({ filePath: file.filePath }),
					create,
				]);
				assert.equal(
					execution.status,
					'success',
					JSON.stringify(execution.data?.resultData?.error),
				);
				const upload = sim.requests.findLast(
					(/** @type {any} */ r) => r.path === '/api/v1/files/saveFile',
				);
				assert.deepEqual(upload.multipart.files[0], {
					name: 'file',
					filename: `scan-${megabytes}.pdf`,
					contentType: 'application/pdf',
					size: file.size,
					sha256: file.sha256,
				});
				const [item] = PublicApi.nodeOutput(execution, 'Create');
				assert.equal(item.json.fileHash, file.sha256);
				documentId = item.json.documentId;
			});

			/** Asserts that the download succeeded with the exact bytes; its item. @param {any} execution */
			async function exactDownload(execution) {
				assert.equal(
					execution.status,
					'success',
					JSON.stringify(execution.data?.resultData?.error),
				);
				const [item] = PublicApi.nodeOutput(execution, 'Download');
				const pdf = await n8n.api.binaryBytes(item.binary.data);
				assert.equal(pdf.length, file.size);
				assert.equal(sha256(pdf), file.sha256);
				return item;
			}

			/**
			 * Asserts that the download failed with `message` and the option, output nothing and left
			 * no file. @param {any} execution @param {string} message
			 */
			function refusedDownload(execution, message) {
				assert.equal(execution.status, 'error');
				const error = execution.data.resultData.error;
				assert.equal(error.message, message);
				assert.equal(error.description, 'Raise "Max File Size (MB)" in Options to download it.');
				assert.deepEqual(PublicApi.nodeOutput(execution, 'Download'), []);
				assert.deepEqual(storedFiles(execution), []);
			}

			test('Document > Download with the audit trail: n8n holds the exact bytes', async () => {
				assert.ok(documentId, 'the document of the previous test');
				const execution = await run(`download ${megabytes} MB`, [
					downloadNode(documentId, { includeAuditTrail: true }),
				]);
				const item = await exactDownload(execution);
				const audit = await n8n.api.binaryBytes(item.binary.auditTrail);
				assert.match(audit.subarray(0, 5).toString('latin1'), /^%PDF-/);
			});

			if (megabytes === 90) {
				test('a download over "Max File Size (MB)" fails with the size and the option', async () => {
					const execution = await run('download over the limit', [
						downloadNode(documentId, { maxFileSize: 50 }),
					]);
					refusedDownload(
						execution,
						'The file is 90 MB, larger than the 50 MB this node downloads',
					);
				});

				describe('with no declared size (chunked)', () => {
					before(() => sim.setVariants({ fileLength: 'chunked' }));
					after(() => sim.setVariants({ fileLength: 'declared' }));

					test("Document > Download streams the exact bytes into n8n's binary storage on disk", async () => {
						const execution = await run('chunked download', [downloadNode(documentId, {})]);
						await exactDownload(execution);
						assert.deepEqual(
							storedFiles(execution).map((f) => f.size),
							[file.size],
						);
					});

					test('a download over "Max File Size (MB)" fails with the option and leaves no file', async () => {
						const execution = await run('chunked download over the limit', [
							downloadNode(documentId, { maxFileSize: 50 }),
						]);
						refusedDownload(execution, 'The file is larger than the 50 MB this node downloads');
					});
				});
			}
		});
	}
});
