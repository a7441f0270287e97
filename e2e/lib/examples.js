// @ts-check
'use strict';
/**
 * The example workflows of examples/, as the examples suite and `npm start` use them: read from
 * their files, and with a Circularo API credential chosen in every Circularo node (as the sticky
 * note in each tells the user to do).
 */

const fs = require('node:fs');
const path = require('node:path');
const { CREDENTIAL_TYPE } = require('./circularo/stack');
const { TRIGGER_NODE_TYPE } = require('./circularo/trigger');
const { ACTION_NODE_TYPE } = require('./circularo/action');

const EXAMPLES_DIR = path.resolve(__dirname, '..', '..', 'examples');

/** @param {string} file a file name in examples/ @returns {any} */
function readExample(file) {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
}

/**
 * The example with `credential` in every Circularo Trigger and Circularo node.
 * @param {string} file @param {{ id: string, name: string }} credential
 */
function exampleWithCredential(file, credential) {
	const example = readExample(file);
	for (const node of example.nodes)
		if (node.type === TRIGGER_NODE_TYPE || node.type === ACTION_NODE_TYPE)
			node.credentials = { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } };
	return example;
}

/** The example's n8n Form Trigger node, if it has one. @param {any} example */
function formNode(example) {
	return example.nodes.find((/** @type {any} */ n) => n.type === 'n8n-nodes-base.formTrigger');
}

module.exports = { EXAMPLES_DIR, readExample, exampleWithCredential, formNode };
