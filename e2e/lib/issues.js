// @ts-check
'use strict';
/**
 * What the n8n editor would flag on a workflow's nodes, computed with the running n8n's own
 * `n8n-workflow` (the editor's `getNodeIssues` calls `NodeHelpers.getNodeParametersIssues` with
 * the node type description from `/types/nodes.json`, after filling in defaults with
 * `NodeHelpers.getNodeParameters`). Runs in a child process on the Node that runs n8n (n8n 2.x's
 * n8n-workflow is built for Node 24), fed over stdin.
 *
 *   const issues = await workflowNodeIssues(n8n, workflow.nodes, await n8n.api.nodeTypes());
 *   // [{ node, type, typeVersion, typeUnknown, parameters: { name: [messages] } | null }]
 */

const path = require('node:path');
const { spawn } = require('node:child_process');
const { ensureN8n } = require('./install');

/**
 * @typedef {{ node: string, type: string, typeVersion: number, typeUnknown: boolean,
 *   parameters: Record<string, string[]> | null }} NodeIssues
 */

/**
 * @param {{ version: string }} n8n  a running instance (its version picks the install)
 * @param {any[]} nodes              workflow nodes as stored
 * @param {any[]} nodeTypes          the array from GET /types/nodes.json
 * @param {{ timeoutMs?: number }} [o]
 * @returns {Promise<NodeIssues[]>}
 */
async function workflowNodeIssues(n8n, nodes, nodeTypes, o = {}) {
	const inst = await ensureN8n({ version: n8n.version });
	const wanted = new Set(nodes.map((n) => n.type));
	const input = JSON.stringify({
		workflowModule: path.join(inst.dir, 'node_modules', 'n8n-workflow'),
		nodes,
		nodeTypes: nodeTypes.filter((t) => wanted.has(t.name)),
	});
	return new Promise((resolve, reject) => {
		const child = spawn(inst.nodeBin, [__filename, '--child'], { stdio: ['pipe', 'pipe', 'pipe'] });
		/** @type {Buffer[]} */ const out = [];
		/** @type {Buffer[]} */ const err = [];
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error('node issue check timed out'));
		}, o.timeoutMs ?? 60_000);
		child.stdout.on('data', (c) => out.push(c));
		child.stderr.on('data', (c) => err.push(c));
		child.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
		child.on('exit', (code) => {
			clearTimeout(timer);
			if (code !== 0)
				return reject(
					new Error(
						`node issue check exited ${code}: ${Buffer.concat(err).toString().slice(-2000)}`,
					),
				);
			try {
				resolve(JSON.parse(Buffer.concat(out).toString()));
			} catch (e) {
				reject(e);
			}
		});
		child.stdin.end(input);
	});
}

/** Child side: reads { workflowModule, nodes, nodeTypes } from stdin, prints NodeIssues[]. */
function child() {
	/** @type {Buffer[]} */ const chunks = [];
	process.stdin.on('data', (c) => chunks.push(c));
	process.stdin.on('end', () => {
		const { workflowModule, nodes, nodeTypes } = JSON.parse(Buffer.concat(chunks).toString());
		const { NodeHelpers } = require(workflowModule);
		/** @param {any} t @param {number} v */
		const hasVersion = (t, v) =>
			Array.isArray(t.version) ? t.version.includes(v) : t.version === v;
		const result = nodes.map((/** @type {any} */ node) => {
			const description = nodeTypes.find(
				(/** @type {any} */ t) => t.name === node.type && hasVersion(t, node.typeVersion),
			);
			if (!description)
				return {
					node: node.name,
					type: node.type,
					typeVersion: node.typeVersion,
					typeUnknown: true,
					parameters: null,
				};
			const parameters = NodeHelpers.getNodeParameters(
				description.properties,
				node.parameters || {},
				true,
				false,
				node,
				description,
			);
			const issues = NodeHelpers.getNodeParametersIssues(
				description.properties,
				{ ...node, parameters },
				description,
			);
			return {
				node: node.name,
				type: node.type,
				typeVersion: node.typeVersion,
				typeUnknown: false,
				parameters: (issues && issues.parameters) || null,
			};
		});
		process.stdout.write(JSON.stringify(result));
	});
}

if (require.main === module && process.argv[2] === '--child') child();

module.exports = { workflowNodeIssues };
