// @ts-check
'use strict';
/**
 * The Circularo action node in a workflow: the node or its tool variant, a Code node that makes
 * the PDF it uploads, and the tool run by n8n's Tool Executor as a model would call it.
 */

const crypto = require('node:crypto');
const { buildPdf } = require('../../../simulator/pdf');
const { manualTriggerNode } = require('../workflows');
const { CREDENTIAL_TYPE } = require('./stack');

/** The action node, and the tool variant n8n derives from it (`usableAsTool`). */
const ACTION_NODE_TYPE = 'n8n-nodes-circularo.circularo';
const TOOL_NODE_TYPE = 'n8n-nodes-circularo.circularoTool';
/** n8n's hidden node that runs a connected tool without an AI Agent (the editor tests tools with it). */
const TOOL_EXECUTOR_TYPE = '@n8n/n8n-nodes-langchain.toolExecutor';

/**
 * A Circularo action node (or, with `tool: true`, its tool variant) for a workflow JSON.
 * @param {{ name: string, parameters: Record<string, any>, credential: { id: string, name: string },
 *   tool?: boolean, typeVersion?: number, position?: [number, number] }} o
 */
function actionNode(o) {
	return {
		id: crypto.randomUUID(),
		name: o.name,
		type: o.tool ? TOOL_NODE_TYPE : ACTION_NODE_TYPE,
		typeVersion: o.typeVersion ?? 1,
		position: o.position || [0, 0],
		parameters: o.parameters,
		credentials: { [CREDENTIAL_TYPE]: { id: o.credential.id, name: o.credential.name } },
	};
}

/**
 * A Code node whose one item carries a one-page PDF (made by the simulator's PDF writer) in the
 * binary field `binaryPropertyName` (default `data`), as a Read File or Form node would.
 * @param {{ name?: string, title: string, fileName?: string, binaryPropertyName?: string }} o
 */
function pdfCodeNode(o) {
	const fileName = o.fileName || `${o.title}.pdf`;
	const base64 = contractPdf(o.title).toString('base64');
	const binary = {
		[o.binaryPropertyName || 'data']: { data: base64, mimeType: 'application/pdf', fileName },
	};
	return {
		id: crypto.randomUUID(),
		name: o.name || 'Make a PDF',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: /** @type {[number, number]} */ ([0, 0]),
		parameters: { jsCode: `return [${JSON.stringify({ json: { fileName }, binary })}];` },
	};
}

/** The bytes of the PDF `pdfCodeNode` makes for `title` (the same every time). @param {string} title */
function contractPdf(title) {
	return buildPdf({ title, lines: ['A contract for the end-to-end tests.'] });
}

/**
 * A workflow JSON: Manual Trigger -> Tool Executor, with `tool` (a tool node, e.g.
 * `actionNode({ tool: true, ... })` with `$fromAI()` parameters) on the executor's ai_tool input.
 * `query` holds the tool's arguments (`{ <$fromAI key>: value }`), as a model would send them.
 * n8n 2 reads the executor's `query` keyed by tool name, `{ "<tool name>": { ...arguments } }`,
 * where the tool name is the node name with every run of characters outside [A-Za-z0-9_-]
 * replaced by `_` (n8n-workflow's nodeNameToToolName); n8n 1 reads the arguments themselves.
 * The executor outputs one item per tool call whose `json` is the tool's answer: the JSON text
 * of the tool node's output items' `json`.
 * @param {{ name: string, tool: any, query: Record<string, any>, major: number }} o `major`: n8n's major version
 */
function toolExecutorWorkflow(o) {
	const trigger = manualTriggerNode();
	const query = o.major >= 2 ? { [toolName(o.tool.name)]: o.query } : o.query;
	const executor = {
		id: crypto.randomUUID(),
		name: 'Tool Executor',
		type: TOOL_EXECUTOR_TYPE,
		typeVersion: 1,
		position: [260, 0],
		parameters: { query: JSON.stringify(query), toolName: '' },
	};
	return {
		name: o.name,
		nodes: [trigger, executor, { ...o.tool, position: [260, 220] }],
		connections: {
			[trigger.name]: { main: [[{ node: executor.name, type: 'main', index: 0 }]] },
			[o.tool.name]: { ai_tool: [[{ node: executor.name, type: 'ai_tool', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** The tool name n8n gives a tool node (n8n-workflow's nodeNameToToolName). @param {string} nodeName */
function toolName(nodeName) {
	return nodeName.replace(/[^a-zA-Z0-9_-]+/g, '_');
}

module.exports = {
	ACTION_NODE_TYPE,
	TOOL_NODE_TYPE,
	TOOL_EXECUTOR_TYPE,
	actionNode,
	pdfCodeNode,
	contractPdf,
	toolExecutorWorkflow,
	toolName,
};
