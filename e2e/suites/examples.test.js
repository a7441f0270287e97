// @ts-check
'use strict';
/**
 * The example workflows in examples/ are imported into a real n8n 2.41.1 (with the packed
 * package installed) and checked the way the editor checks them: every node type and version is
 * known, no node has a parameter issue (n8n's own NodeHelpers.getNodeParametersIssues), every
 * credential type they ask for exists, and with a Circularo credential chosen the example's
 * trigger publishes and registers its webhook with the Circularo simulator (the example without
 * a Circularo Trigger publishes and registers nothing until an execution waits). The example of
 * the whole loop (form -> create -> send for signature; completed -> download -> save) also runs:
 * a form submission, the simulator's signer, and the files it saves; so does the example that
 * waits (form -> create -> Send and Wait for Signature -> Signed PDF / Not signed), signed once
 * and rejected once.
 *
 * Run: npm run build && node --test e2e/suites/examples.test.js
 */

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');
const crypto = require('node:crypto');
const { workflowNodeIssues } = require('../lib/issues');
const { PublicApi } = require('../lib/api');
const { waitFor } = require('../lib/http');
const { EXAMPLES_DIR, readExample, exampleWithCredential, formNode } = require('../lib/examples');
const {
	CREDENTIAL_TYPE,
	startStack,
	createCircularoCredential,
} = require('../lib/circularo/stack');
const { TRIGGER_NODE_TYPE, webhooksFor, WEBHOOK_PATH } = require('../lib/circularo/trigger');
const { ACTION_NODE_TYPE, contractPdf } = require('../lib/circularo/action');
const { waitRegistrationsOf } = require('../lib/circularo/sendAndWait');

const EXAMPLES = fs
	.readdirSync(EXAMPLES_DIR)
	.filter((f) => f.endsWith('.json'))
	.sort();
const LOOP_EXAMPLE = 'send-for-signature-and-file-signed-pdf.json';
const WAIT_EXAMPLE = 'send-for-signature-and-wait.json';
/** Where the examples' Read/Write File nodes write (they say /home/node/.n8n-files, n8n's Docker default). */
const EXAMPLE_FILES_DIR = '/home/node/.n8n-files/';

/** @param {any} t @param {number} v */
const hasVersion = (t, v) => (Array.isArray(t.version) ? t.version.includes(v) : t.version === v);

/**
 * Credential types a node asks for with its current parameters (a credential entry whose
 * displayOptions.show matches the node's parameters, e.g. authentication).
 * @param {any} description @param {any} node @returns {string[]}
 */
function credentialTypesFor(description, node) {
	return (description.credentials || [])
		.filter((/** @type {any} */ c) => {
			const show = c.displayOptions && c.displayOptions.show;
			if (!show) return true;
			return Object.entries(show).every(
				([k, values]) =>
					k.startsWith('@') || /** @type {any[]} */ (values).includes((node.parameters || {})[k]),
			);
		})
		.map((/** @type {any} */ c) => c.name);
}

describe('example workflows in real n8n', { timeout: 15 * 60_000 }, () => {
	/** @type {any} */ let stack;
	/** @type {any} */ let n8n;
	/** Stores an example workflow as it is (the public API takes these four fields). @param {any} example */
	const createFromExample = ({ name, nodes, connections, settings }) =>
		n8n.api.createWorkflow({ name, nodes, connections, settings });
	/** @type {any} */ let sim;
	/** @type {any[]} */ let nodeTypes;
	/** @type {Set<string>} */ let credentialTypes;
	/** @type {{ id: string, name: string }} */ let credential;

	/** The folder n8n may write to in this run (N8N_RESTRICT_FILE_ACCESS_TO), standing in for EXAMPLE_FILES_DIR. */
	const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'circularo-example-files-'));

	before(async () => {
		stack = await startStack({ n8n: { env: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir } } });
		({ n8n, sim } = stack);
		nodeTypes = await n8n.api.nodeTypes();
		credentialTypes = new Set(
			(await n8n.api.credentialTypes()).map((/** @type {any} */ c) => c.name),
		);
		credential = await createCircularoCredential(n8n, sim, { apiKey: sim.keys.teamAdmin });
	});

	after(async () => {
		if (stack) await stack.stop();
		fs.rmSync(filesDir, { recursive: true, force: true });
	});

	/**
	 * Submits an example's contract form (a PDF, the signer, an empty Title) as a browser would.
	 * @param {any} form the Form Trigger node @param {{ title: string, fileName: string, signer: string }} o
	 */
	async function submitContractForm(form, o) {
		const submission = new FormData();
		submission.append(
			'field-0',
			new Blob([new Uint8Array(contractPdf(o.title))], { type: 'application/pdf' }),
			o.fileName,
		);
		submission.append('field-1', o.signer);
		submission.append('field-2', '');
		const answer = await fetch(`${n8n.baseUrl}/form/${form.webhookId}`, {
			method: 'POST',
			body: submission,
		});
		assert.equal(answer.status, 200, await answer.text());
	}

	/** @type {Map<string, { id: string, name: string }>} */
	const placeholders = new Map();
	/**
	 * A stored credential of `type` with made-up values (never used: nothing is sent), so that
	 * n8n's publish check sees every node's credential chosen.
	 * @param {string} type
	 */
	async function placeholderCredential(type) {
		const known = placeholders.get(type);
		if (known) return known;
		const schema = await n8n.api.credentialSchema(type);
		const props = schema.properties || {};
		/** @type {Record<string, any>} */
		const data = {};
		for (const name of new Set([
			...(schema.required || []),
			'clientId',
			'clientSecret',
			'host',
			'user',
			'password',
		])) {
			const p = props[name];
			if (!p) continue;
			data[name] = p.type === 'number' ? 1 : p.type === 'boolean' ? false : `example-${name}`;
		}
		const created = await n8n.api.createCredential({ name: `Example ${type}`, type, data });
		const c = { id: String(created.id), name: created.name };
		placeholders.set(type, c);
		return c;
	}

	test('there are the five examples: four with a Circularo Trigger, one that waits for the signature', () => {
		assert.deepEqual(EXAMPLES, [
			'notify-chat-on-rejected-or-expired.json',
			LOOP_EXAMPLE,
			WAIT_EXAMPLE,
			'signed-pdf-save-and-email.json',
			'spreadsheet-of-document-status.json',
		]);
		for (const file of EXAMPLES) {
			const { nodes } = readExample(file);
			const triggers = nodes.filter((/** @type {any} */ n) => n.type === TRIGGER_NODE_TYPE);
			const waits = nodes.filter(
				(/** @type {any} */ n) =>
					n.type === ACTION_NODE_TYPE && n.parameters.operation === 'sendAndWaitForSignature',
			);
			if (file === WAIT_EXAMPLE) {
				assert.equal(triggers.length, 0, `${file} needs no Circularo Trigger`);
				assert.equal(waits.length, 1, `${file} has one Send and Wait for Signature`);
			} else assert.equal(triggers.length, 1, `${file} has one Circularo Trigger`);
		}
	});

	test('the check finds what the editor would flag: unknown types and versions, missing required parameters', async () => {
		const wf = readExample('signed-pdf-save-and-email.json');
		const trigger = wf.nodes.find((/** @type {any} */ n) => n.type === TRIGGER_NODE_TYPE);
		trigger.parameters.events = [];
		const email = wf.nodes.find((/** @type {any} */ n) => n.type === 'n8n-nodes-base.emailSend');
		delete email.parameters.toEmail;
		const file = wf.nodes.find((/** @type {any} */ n) => n.type === 'n8n-nodes-base.readWriteFile');
		file.typeVersion = 99;
		wf.nodes.push({
			id: crypto.randomUUID(),
			name: 'Ghost',
			type: 'n8n-nodes-base.doesNotExist',
			typeVersion: 1,
			position: [0, 400],
			parameters: {},
		});
		const issues = await workflowNodeIssues(n8n, wf.nodes, nodeTypes);
		const byName = Object.fromEntries(issues.map((i) => [i.node, i]));
		assert.equal(byName[trigger.name].typeUnknown, false);
		assert.ok(byName[trigger.name].parameters?.events, JSON.stringify(byName[trigger.name]));
		assert.ok(byName[email.name].parameters?.toEmail, JSON.stringify(byName[email.name]));
		assert.equal(byName[file.name].typeUnknown, true);
		assert.equal(byName.Ghost.typeUnknown, true);

		// n8n's own publish check refuses the same mistake.
		const broken = readExample('signed-pdf-save-and-email.json');
		for (const node of broken.nodes) {
			if (node.type === TRIGGER_NODE_TYPE)
				node.credentials = { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } };
			if (node.type === 'n8n-nodes-base.emailSend') {
				delete node.parameters.toEmail;
				const smtp = await placeholderCredential('smtp');
				node.credentials = { smtp: { id: smtp.id, name: smtp.name } };
			}
		}
		const created = await n8n.api.createWorkflow({
			name: 'broken example',
			nodes: broken.nodes,
			connections: broken.connections,
			settings: broken.settings,
		});
		try {
			const r = await n8n.api.call(
				'POST',
				`/workflows/${created.id}/publish`,
				{},
				{ allowStatus: [400] },
			);
			assert.equal(r.status, 400, JSON.stringify(r.json));
			assert.match(JSON.stringify(r.json), /configuration issues[\s\S]*toEmail/);
		} finally {
			await n8n.api.deleteWorkflow(String(created.id)).catch(() => undefined);
		}
	});

	for (const file of EXAMPLES) {
		test(`${file}: imports, every node type is known, no parameter issues, credential types exist, it publishes (its Circularo Trigger registers its webhook)`, async () => {
			const example = readExample(file);
			assert.equal(typeof example.name, 'string');
			const created = await createFromExample(example);
			const id = String(created.id);
			try {
				const stored = await n8n.api.getWorkflow(id);
				assert.deepEqual(
					stored.nodes.map((/** @type {any} */ n) => n.name).sort(),
					example.nodes.map((/** @type {any} */ n) => n.name).sort(),
				);
				for (const [from, out] of Object.entries(example.connections)) {
					for (const c of /** @type {any} */ (out).main.flat()) {
						assert.ok(
							stored.nodes.some((/** @type {any} */ n) => n.name === c.node),
							`${from} connects to ${c.node}, which exists`,
						);
					}
				}

				const issues = await workflowNodeIssues(n8n, stored.nodes, nodeTypes);
				assert.equal(issues.length, stored.nodes.length);
				for (const i of issues) {
					assert.equal(
						i.typeUnknown,
						false,
						`${file}: node "${i.node}" type ${i.type} v${i.typeVersion} is known to n8n`,
					);
					assert.equal(
						i.parameters,
						null,
						`${file}: node "${i.node}" has parameter issues ${JSON.stringify(i.parameters)}`,
					);
				}
				for (const node of stored.nodes) {
					const description = nodeTypes.find(
						(t) => t.name === node.type && hasVersion(t, node.typeVersion),
					);
					for (const type of credentialTypesFor(description, node)) {
						assert.ok(
							credentialTypes.has(type),
							`${file}: credential type ${type} of "${node.name}" exists`,
						);
					}
				}

				// With credentials chosen, as the sticky note tells the user, n8n's own publish check
				// ("Cannot publish workflow: ... configuration issues") passes and the trigger registers.
				const trigger = stored.nodes.find((/** @type {any} */ n) => n.type === TRIGGER_NODE_TYPE);
				for (const node of stored.nodes) {
					if (node.type === TRIGGER_NODE_TYPE || node.type === ACTION_NODE_TYPE) {
						node.credentials = { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } };
						continue;
					}
					const description = nodeTypes.find(
						(t) => t.name === node.type && hasVersion(t, node.typeVersion),
					);
					for (const type of credentialTypesFor(description, node)) {
						const c = await placeholderCredential(type);
						node.credentials = { ...(node.credentials || {}), [type]: { id: c.id, name: c.name } };
					}
				}
				await n8n.api.updateWorkflow(id, {
					name: stored.name,
					nodes: stored.nodes,
					connections: stored.connections,
					settings: stored.settings,
				});
				const registeredBefore = sim.listWebhooks().length;
				await n8n.api.publish(id);
				if (!trigger) {
					// Send and Wait for Signature registers only while an execution waits.
					assert.equal(sim.listWebhooks().length, registeredBefore, `${file}: nothing registered`);
					const page = await fetch(`${n8n.baseUrl}/form/${formNode(stored).webhookId}`);
					assert.equal(page.status, 200, `${file}: the published form answers`);
					await n8n.api.unpublish(id);
					return;
				}
				const url = n8n.webhookUrl(`${trigger.webhookId}/${WEBHOOK_PATH}`);
				assert.equal(
					webhooksFor(sim, url).length,
					1,
					`${file}: the trigger registered one webhook for ${url}`,
				);
				await n8n.api.unpublish(id);
				assert.equal(webhooksFor(sim, url).length, 0, `${file}: unpublishing removed it`);
			} finally {
				await n8n.api.deleteWorkflow(id).catch(() => undefined);
			}
		});
	}

	test(`${LOOP_EXAMPLE} runs: a form submission sends the PDF for signature; once signed, the signed PDF and audit trail are saved`, async () => {
		const example = exampleWithCredential(LOOP_EXAMPLE, credential);
		for (const node of example.nodes) {
			if (node.type === 'n8n-nodes-base.readWriteFile')
				node.parameters.fileName = node.parameters.fileName.replace(
					EXAMPLE_FILES_DIR,
					`${filesDir}/`,
				);
		}
		fs.mkdirSync(path.join(filesDir, 'signed-documents'), { recursive: true });
		const created = await createFromExample(example);
		const id = String(created.id);
		try {
			await n8n.api.publish(id);
			await submitContractForm(formNode(example), {
				title: 'Lease contract',
				fileName: 'lease-contract.pdf',
				signer: 'lena.signer@example.com',
			});

			const [sent] = await n8n.api.waitForExecutions(id, 1, { timeoutMs: 60_000 });
			const sending = await n8n.api.getExecution(sent.id);
			assert.equal(sending.status, 'success', JSON.stringify(sending.data?.resultData?.error));
			const documentId =
				sending.data.resultData.runData['Create the document'][0].data.main[0][0].json.documentId;
			const doc = sim.getDocument(documentId);
			assert.equal(
				doc.documentTitle,
				'lease-contract',
				'an empty Title falls back to the file name',
			);
			assert.deepEqual(doc.waitingFor, ['lena.signer@example.com']);

			const signed = await sim.sign({ documentId });
			assert.ok(signed.events.includes('documentCompleted'));
			const executions = await n8n.api.waitForExecutions(id, 2, {
				timeoutMs: 60_000,
				settleMs: 2000,
			});
			assert.equal(
				executions.length,
				2,
				'the form run and one run for documentCompleted (the other events are not selected)',
			);
			const filing = await n8n.api.getExecution(
				executions.find((/** @type {any} */ e) => String(e.id) !== String(sent.id)).id,
			);
			assert.equal(filing.status, 'success', JSON.stringify(filing.data?.resultData?.error));
			const saved = path.join(filesDir, 'signed-documents', 'lease-contract.pdf');
			const signedPdf = fs.readFileSync(saved);
			assert.equal(signedPdf.subarray(0, 5).toString(), '%PDF-');
			assert.match(signedPdf.toString('latin1'), /Signed by [^)]*lena\.signer@example\.com/);
			const audits = fs
				.readdirSync(path.join(filesDir, 'signed-documents'))
				.filter((f) => /audit/i.test(f));
			assert.equal(
				audits.length,
				1,
				JSON.stringify(fs.readdirSync(path.join(filesDir, 'signed-documents'))),
			);
			const audit = fs.readFileSync(path.join(filesDir, 'signed-documents', audits[0]));
			assert.match(audit.toString('latin1'), new RegExp(`Audit trail of document ${documentId}`));
		} finally {
			await n8n.api.unpublish(id).catch(() => undefined);
			await n8n.api.deleteWorkflow(id).catch(() => undefined);
		}
	});
	test(`${WAIT_EXAMPLE} runs: the form's execution waits at the signature, goes on with the signed PDF when signed, and by "Not signed" when rejected`, async () => {
		const example = exampleWithCredential(WAIT_EXAMPLE, credential);
		const form = formNode(example);
		const created = await createFromExample(example);
		const id = String(created.id);
		/**
		 * Submits the form and returns the execution, once it waits, and its document.
		 * @param {string} signer @param {number} started executions of the workflow so far
		 */
		const sendAndWait = async (signer, started) => {
			await submitContractForm(form, { title: 'Lease', fileName: 'lease.pdf', signer });
			await waitFor(async () => (await n8n.api.countExecutions(id, ['waiting'])) === 1, {
				timeoutMs: 60_000,
				what: 'the execution waits',
			});
			const [waiting] = await n8n.api.listExecutions(id, { status: 'waiting' });
			const data = await n8n.api.getExecution(waiting.id);
			const [doc] = PublicApi.nodeOutput(data, 'Create the document');
			assert.ok(doc, `execution ${waiting.id} created the document`);
			assert.equal((await n8n.api.listExecutions(id)).length, started + 1);
			return { executionId: String(waiting.id), documentId: String(doc.json.documentId) };
		};
		try {
			await n8n.api.publish(id);

			const first = await sendAndWait('lena.signer@example.com', 0);
			assert.deepEqual(sim.getDocument(first.documentId).waitingFor, ['lena.signer@example.com']);
			assert.equal(
				waitRegistrationsOf(sim, first.executionId).length,
				1,
				'one registration while it waits',
			);
			await sim.sign({ documentId: first.documentId });
			const [signedRun] = (await n8n.api.waitForExecutions(id, 1, { timeoutMs: 60_000 })).filter(
				(/** @type {any} */ e) => String(e.id) === first.executionId,
			);
			const signed = await n8n.api.getExecution(signedRun.id);
			assert.equal(signed.status, 'success', JSON.stringify(signed.data?.resultData?.error));
			const [item] = PublicApi.nodeOutput(signed, 'Signed PDF');
			assert.equal(item?.json.outcome, 'completed', JSON.stringify(item?.json));
			assert.equal(item.json.documentId, first.documentId);
			const pdf = await n8n.api.binaryBytes(item.binary.data);
			assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
			assert.match(pdf.toString('latin1'), /Signed by [^)]*lena\.signer@example\.com/);
			assert.equal(PublicApi.nodeOutput(signed, 'Not signed').length, 0);
			assert.deepEqual(
				waitRegistrationsOf(sim, first.executionId),
				[],
				'its registration is removed',
			);

			const second = await sendAndWait('otto.signer@example.com', 1);
			await sim.reject({ documentId: second.documentId, reason: 'Wrong rent' });
			await n8n.api.waitForExecutions(id, 2, { timeoutMs: 60_000 });
			const rejected = await n8n.api.getExecution(second.executionId);
			assert.equal(rejected.status, 'success', JSON.stringify(rejected.data?.resultData?.error));
			const [said] = PublicApi.nodeOutput(rejected, 'Not signed');
			assert.equal(said?.json.message, 'Not signed: the sign request was rejected (Wrong rent)');
			assert.equal(PublicApi.nodeOutput(rejected, 'Signed PDF').length, 0);
			assert.deepEqual(waitRegistrationsOf(sim, second.executionId), []);
		} finally {
			await n8n.api.unpublish(id).catch(() => undefined);
			await n8n.api.deleteWorkflow(id).catch(() => undefined);
		}
	});
});
