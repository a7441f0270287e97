// @ts-check
'use strict';
/**
 * `npm start`: the Circularo simulator and a real n8n with this package installed the way users
 * get it, ready credentials and three published workflows: a Circularo Trigger workflow, a
 * Circularo Polling Trigger workflow (a plain user's key), and the
 * example that sends a PDF from a form for signature and waits (examples/send-for-signature-and-wait.json),
 * with everything a person needs printed. Runs until Ctrl-C, then stops both.
 *
 * Ports: CIRCULARO_SIM_PORT (default 8787) and N8N_PORT (default 5678); a busy port falls back to a free one.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { freePort } = require('./lib/http');
const { startStack, createCircularoCredential } = require('./lib/circularo/stack');
const { createTriggerWorkflow } = require('./lib/circularo/trigger');
const { exampleWithCredential, formNode } = require('./lib/examples');
const { pollingWorkflow } = require('./lib/circularo/pollingTrigger');

const WAIT_EXAMPLE = 'send-for-signature-and-wait.json';
const DEFAULT_SIM_PORT = 8787;

const OWNER = {
	email: 'demo@circularo.local',
	password: 'Circularo-demo-1',
	firstName: 'Demo',
	lastName: 'User',
};

/** @param {number} wanted */
async function portOr(wanted) {
	const net = require('node:net');
	const free = await new Promise((resolve) => {
		const probe = net
			.createServer()
			.once('error', () => resolve(false))
			.listen(wanted, '127.0.0.1', () => probe.close(() => resolve(true)));
	});
	return free ? wanted : freePort();
}

async function main() {
	const simPort = await portOr(Number(process.env.CIRCULARO_SIM_PORT || DEFAULT_SIM_PORT));
	const n8nPort = await portOr(Number(process.env.N8N_PORT || 5678));
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'circularo-demo-'));
	console.log(
		'Starting the Circularo simulator and n8n (the first run installs n8n, about 3 minutes)...',
	);
	const stack = await startStack({
		simulator: { port: simPort },
		n8n: { port: n8nPort, userFolder },
		owner: OWNER,
	});
	const { sim, n8n } = stack;
	const stop = async () => {
		console.log('\nStopping n8n and the simulator...');
		await stack.stop();
		process.exit(0);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);

	const credential = await createCircularoCredential(n8n, sim, {
		name: 'Circularo (local simulator)',
		apiKey: sim.keys.teamAdmin,
	});
	const workflow = await createTriggerWorkflow(n8n, {
		name: 'Circularo: completed and signed documents (demo)',
		credential,
		events: ['documentCompleted', 'documentSigned', 'signRejected'],
		options: { downloadSignedDocument: true },
	});
	if (!n8n.api) throw new Error('setupOwner gave n8n no public API client');
	await n8n.api.publish(workflow.id);
	const example = exampleWithCredential(WAIT_EXAMPLE, credential);
	const waiting = await n8n.api.createWorkflow({
		name: 'Circularo: send for signature and wait (demo)',
		nodes: example.nodes,
		connections: example.connections,
		settings: example.settings,
	});
	await n8n.api.publish(String(waiting.id));
	const polling = await n8n.api.createWorkflow(
		pollingWorkflow({
			name: 'Circularo: every ending, even while n8n was down (polling demo)',
			credential: await createCircularoCredential(n8n, sim, {
				name: 'Circularo (local simulator, plain user)',
				apiKey: sim.keys.plainUser,
			}),
			events: ['*'],
		}),
	);
	await n8n.api.publish(String(polling.id));
	// The simulator CLI talks to the default port unless told otherwise.
	const simArg = sim.port === DEFAULT_SIM_PORT ? '' : ` --url ${sim.baseUrl}`;

	console.log(`
n8n with the Circularo nodes is running.

  Editor:     ${n8n.baseUrl}/home/workflows
  Login:      ${OWNER.email} / ${OWNER.password}
  Simulator:  ${sim.baseUrl}  (Server URL of the "Circularo (local simulator)" credential)
  API keys:   team admin ${sim.keys.teamAdmin}
              global admin ${sim.keys.globalAdmin}

Three workflows are published.

1. Send for signature and wait: ${n8n.baseUrl}/workflow/${waiting.id}
   Open the form, upload a PDF and name a signer (any e-mail address):

     ${n8n.baseUrl}/form/${formNode(example).webhookId}

   The execution waits at "Send and wait for signature". Sign as the signer, from a second terminal:

     npm run simulator -- sign${simArg} --latest

   (--latest: the newest document with an open sign request; \`npm run simulator -- state${simArg}\`
   lists them, \`sign${simArg} --document <id>\` signs one, \`reject\` instead of \`sign\` takes the
   other path.) The execution goes on with the signed PDF: open the workflow's Executions tab.

2. Circularo Trigger: ${n8n.baseUrl}/workflow/${workflow.id}
   It registered one webhook with the simulator. Fire an event, then open its Executions tab:

     npm run simulator -- fire${simArg} --event documentCompleted --document doc-sales-1

   Other events: documentSigned, signRejected (selected), or any of the 11 (acknowledged, not run).
   Signing in step 1 fires them too.

3. Circularo Polling Trigger: ${n8n.baseUrl}/workflow/${polling.id}
   With a plain user's key (no webhook), it checks the simulator every minute and reports each
   sign request's events once: step 1's document shows up there too, within a minute. Expire
   one (or reject one, as above) and it arrives with the next check:

     npm run simulator -- expire${simArg} --document doc-sales-1

To send from a template, add a Circularo node: Template > Send for Signature, Template "Mutual NDA"
(fields contractNumber and counterparty; one recipient for its open first role) or "Offer letter".

n8n's log: ${n8n.logFile}
Press Ctrl-C to stop.`);
	await new Promise(() => undefined);
}

main().catch((error) => {
	console.error(`npm start failed: ${error.message}`);
	process.exit(1);
});
