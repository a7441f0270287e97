// @ts-check
'use strict';
/**
 * The stack every Circularo suite runs on: the Circularo simulator, this repo's package packed and
 * installed into one real n8n (owner and API key set up), and a Circularo API credential in it.
 */

const crypto = require('node:crypto');
const { startSimulator } = require('../../../simulator');
const { packPackage } = require('../package');
const { startN8n, setupOwner } = require('../n8n');

const CREDENTIAL_TYPE = 'circularoApi';

/** @type {Promise<string> | undefined} */
let packed;
/** One `npm pack` per test process (the package does not change during a run). */
function packedPackage() {
	packed ??= packPackage();
	return packed;
}

/**
 * Starts the Circularo simulator and one n8n (role 'start') with the packed package installed,
 * owner and API key set up. `stop()` stops both. `packageTgz`: another build of the package
 * (default: this repo packed).
 * @param {{ n8n?: import('../n8n').StartOptions, simulator?: object, owner?: object, packageTgz?: string }} [o]
 */
async function startStack(o = {}) {
	const sim = await startSimulator({ port: 0, ...(o.simulator || {}) });
	try {
		const packageTgz = o.packageTgz || (await packedPackage());
		// CIRCULARO_E2E_N8N_VERSION runs the same suites against another pinned n8n (e.g. 1.123.81).
		const n8n = await startN8n({
			packageTgz,
			version: process.env.CIRCULARO_E2E_N8N_VERSION || undefined,
			...(o.n8n || {}),
		});
		await setupOwner(n8n, o.owner);
		return {
			sim,
			n8n,
			packageTgz,
			async stop() {
				await n8n.stop().catch(() => undefined);
				await sim.stop();
			},
		};
	} catch (error) {
		await sim.stop();
		throw error;
	}
}

/**
 * node:test hooks for a suite: before its tests, the stack (startStack) and a Circularo API
 * credential for the simulator's team admin, handed to `ready`; after them, the stack stops.
 * @param {(s: { sim: any, n8n: any, credential: { id: string, name: string } }) => void | Promise<void>} ready
 * @param {Parameters<typeof startStack>[0]} [o]
 */
function useStack(ready, o) {
	const { before, after } = require('node:test');
	/** @type {Awaited<ReturnType<typeof startStack>> | undefined} */
	let stack;
	before(async () => {
		stack = await startStack(o);
		const { sim, n8n } = stack;
		const credential = await createCircularoCredential(n8n, sim, { apiKey: sim.keys.teamAdmin });
		await ready({ sim, n8n, credential });
	});
	after(async () => {
		await stack?.stop();
	});
}

/**
 * Stores a Circularo API credential in n8n through the public API.
 * @param {any} n8n @param {any} sim
 * @param {{ apiKey?: string, webhookSecret?: string, name?: string, serverUrl?: string }} [o]
 * @returns {Promise<{ id: string, name: string }>}
 */
async function createCircularoCredential(n8n, sim, o = {}) {
	const name = o.name || `Circularo ${crypto.randomBytes(3).toString('hex')}`;
	/** @type {Record<string, string>} */
	const data = {
		serverUrl: o.serverUrl || sim.baseUrl,
		apiKey: o.apiKey || sim.keys.teamAdmin,
		webhookSecret: o.webhookSecret || '',
	};
	// n8n 1.x adds a domain restriction to every credential's schema whose `if` also matches when the
	// field is absent, so the public API then demands `allowedDomains`; naming the default avoids it.
	const schema = await n8n.api.credentialSchema(CREDENTIAL_TYPE);
	if (schema?.properties?.allowedHttpRequestDomains) data.allowedHttpRequestDomains = 'all';
	const created = await n8n.api.createCredential({ name, type: CREDENTIAL_TYPE, data });
	return { id: created.id, name: created.name };
}

module.exports = {
	CREDENTIAL_TYPE,
	packedPackage,
	startStack,
	useStack,
	createCircularoCredential,
};
