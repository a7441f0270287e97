// @ts-check
'use strict';
/**
 * `npm start`: the Circularo simulator and a real n8n with this package installed the way users
 * get it, a ready credential and example workflow, and everything a person needs printed.
 * Runs until Ctrl-C, then stops both.
 *
 * Ports: CIRCULARO_SIM_PORT (default 8787) and N8N_PORT (default 5678); a busy port falls back to a free one.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { freePort } = require('./lib/http');
const { startStack, createCircularoCredential, createTriggerWorkflow } = require('./lib/circularo');

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
	const simPort = await portOr(Number(process.env.CIRCULARO_SIM_PORT || 8787));
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

	console.log(`
n8n with the Circularo Trigger is running.

  Editor:     ${n8n.baseUrl}/workflow/${workflow.id}
  Login:      ${OWNER.email} / ${OWNER.password}
  Simulator:  ${sim.baseUrl}  (Server URL of the "Circularo (local simulator)" credential)
  API keys:   team admin ${sim.keys.teamAdmin}
              global admin ${sim.keys.globalAdmin}

The example workflow is published and registered one webhook with the simulator.
Fire an event from a second terminal, then open the workflow's Executions tab:

  npm run simulator -- fire --url ${sim.baseUrl} --event documentCompleted --document doc-sales-1

Other events: documentSigned, signRejected (selected), or any of the 11 (acknowledged, not run).
n8n's log: ${n8n.logFile}
Press Ctrl-C to stop.`);
	await new Promise(() => undefined);
}

main().catch((error) => {
	console.error(`npm start failed: ${error.message}`);
	process.exit(1);
});
