// @ts-check
'use strict';
/**
 * Circularo-specific fixtures on top of the n8n harness: the simulator + packed package + n8n
 * stack, the Circularo API credential, a Circularo Trigger workflow, and signed deliveries.
 * Every e2e suite, the reliability and queue-mode suites, the bench and `npm start` use these.
 */

const crypto = require('node:crypto');
const { startSimulator } = require('../../simulator');
const { packPackage } = require('./package');
const { startN8n, setupOwner } = require('./n8n');

const NODE_TYPE = 'n8n-nodes-circularo.circularoTrigger';
const CREDENTIAL_TYPE = 'circularoApi';
const TRIGGER_NAME = 'Circularo Trigger';
const NEXT_NODE_NAME = 'After Trigger';
/** The webhook path the node declares (`webhooks[0].path`). */
const WEBHOOK_PATH = 'webhook';

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
 * @param {{ n8n?: import('./n8n').StartOptions, simulator?: object, owner?: object, packageTgz?: string }} [o]
 */
async function startStack(o = {}) {
  const sim = await startSimulator({ port: 0, ...(o.simulator || {}) });
  try {
    const packageTgz = o.packageTgz || await packedPackage();
    // CIRCULARO_E2E_N8N_VERSION runs the same suites against another pinned n8n (e.g. 1.123.81).
    const n8n = await startN8n({ packageTgz, version: process.env.CIRCULARO_E2E_N8N_VERSION || undefined, ...(o.n8n || {}) });
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
 * Stores a Circularo API credential in n8n through the public API.
 * @param {any} n8n @param {any} sim
 * @param {{ apiKey?: string, webhookSecret?: string, name?: string, serverUrl?: string }} [o]
 * @returns {Promise<{ id: string, name: string }>}
 */
async function createCircularoCredential(n8n, sim, o = {}) {
  const name = o.name || `Circularo ${crypto.randomBytes(3).toString('hex')}`;
  /** @type {Record<string, string>} */
  const data = { serverUrl: o.serverUrl || sim.baseUrl, apiKey: o.apiKey || sim.keys.teamAdmin, webhookSecret: o.webhookSecret || '' };
  // n8n 1.x adds a domain restriction to every credential's schema whose `if` also matches when the
  // field is absent, so the public API then demands `allowedDomains`; naming the default avoids it.
  const schema = await n8n.api.credentialSchema(CREDENTIAL_TYPE);
  if (schema?.properties?.allowedHttpRequestDomains) data.allowedHttpRequestDomains = 'all';
  const created = await n8n.api.createCredential({ name, type: CREDENTIAL_TYPE, data });
  return { id: created.id, name: created.name };
}

/**
 * A workflow JSON: Circularo Trigger -> a NoOp node ("After Trigger").
 * `typeVersion` is the Circularo Trigger's node version (default 1).
 * @param {{ credential: { id: string, name: string }, events?: string[], scope?: string, teamName?: string,
 *   options?: Record<string, any>, name?: string, webhookId?: string, typeVersion?: number }} o
 */
function triggerWorkflow(o) {
  const webhookId = o.webhookId || crypto.randomUUID();
  const parameters = { events: o.events || ['*'], scope: o.scope || 'myTeam', options: o.options || {} };
  if (o.teamName !== undefined) Object.assign(parameters, { teamName: o.teamName });
  return {
    webhookId,
    workflow: {
      name: o.name || `Circularo e2e ${webhookId.slice(0, 8)}`,
      nodes: [
        {
          id: crypto.randomUUID(),
          name: TRIGGER_NAME,
          type: NODE_TYPE,
          typeVersion: o.typeVersion ?? 1,
          position: [0, 0],
          webhookId,
          parameters,
          credentials: { [CREDENTIAL_TYPE]: { id: o.credential.id, name: o.credential.name } },
        },
        { id: crypto.randomUUID(), name: NEXT_NODE_NAME, type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [260, 0], parameters: {} },
      ],
      connections: { [TRIGGER_NAME]: { main: [[{ node: NEXT_NODE_NAME, type: 'main', index: 0 }]] } },
      settings: { executionOrder: 'v1' },
    },
  };
}

/**
 * Creates (not publishes) a Circularo Trigger workflow; returns its id and webhook URLs.
 * @param {any} n8n @param {Parameters<typeof triggerWorkflow>[0]} o
 */
async function createTriggerWorkflow(n8n, o) {
  const { webhookId, workflow } = triggerWorkflow(o);
  const stored = await n8n.api.createWorkflow(workflow);
  return {
    id: String(stored.id),
    webhookId,
    productionUrl: n8n.webhookUrl(`${webhookId}/${WEBHOOK_PATH}`),
    testUrl: n8n.testWebhookUrl(`${webhookId}/${WEBHOOK_PATH}`),
  };
}

/** The simulator's webhooks whose callback URL is `url`. @param {any} sim @param {string} url */
function webhooksFor(sim, url) {
  return sim.listWebhooks().filter((/** @type {any} */ w) => w.callbackUrl === url);
}

/**
 * A delivery signed as Circularo signs it (our own HMAC, independent of the node's verifier).
 * @param {string} secret @param {Buffer | string | object} body
 * @returns {{ body: Buffer, headers: Record<string, string> }}
 */
function signedDelivery(secret, body) {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return {
    body: bytes,
    headers: {
      'content-type': 'application/json',
      'x-circularo-signature': crypto.createHmac('sha256', secret).update(bytes).digest('hex'),
    },
  };
}

module.exports = {
  NODE_TYPE,
  CREDENTIAL_TYPE,
  TRIGGER_NAME,
  NEXT_NODE_NAME,
  WEBHOOK_PATH,
  packedPackage,
  startStack,
  createCircularoCredential,
  triggerWorkflow,
  createTriggerWorkflow,
  webhooksFor,
  signedDelivery,
};
