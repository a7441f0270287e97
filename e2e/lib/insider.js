// @ts-check
'use strict';
/**
 * What an insider of a Circularo team can do to a workflow, for the tests that prove it harmless
 * (issue #25): someone with `use_webhooks` on the team lists its webhooks, so reads every
 * registration's `hmacSecret` in clear, and registers callback URLs of their choosing.
 *
 * - `insiderDelivery(sim, callbackUrl, body)`: a delivery signed with the secret Circularo echoes
 *   for the registration at `callbackUrl`, read through the API with the team admin's key as the
 *   insider would (signed by `signedDelivery`, the one signing function of tests and tools).
 * - `plantRegistration(sim, callbackUrl)`: a team registration at any URL, through the API.
 * - `waitQuery({ documentId?, until, since? })`: the query a wait's callback URL carries.
 * - `startRecordingTarget()`: a loopback HTTP server standing for an internal host: it records
 *   every request and answers 404 (what makes today's sweep delete), or under `/redirect` a 307
 *   to `/landed`. `fromN8n()` lists the requests that did not come from the simulator's
 *   deliveries: what n8n itself requested.
 */

const http = require('node:http');
const { request } = require('./http');
const { signedDelivery } = require('./circularo/trigger');

/** The user agent of the simulator's deliveries (simulator/deliveries.js). */
const SIMULATOR_AGENT = 'Circularo-Simulator/1.0';

/**
 * The team's registrations as the insider lists them (GET /webhooks with their own key).
 * @param {any} sim @param {string} [key] default the team admin of Sales
 * @returns {Promise<any[]>}
 */
async function listedRegistrations(sim, key = sim.keys.teamAdmin) {
	const answer = await request('GET', `${sim.apiUrl}/webhooks?token=${key}`);
	if (answer.status !== 200) throw new Error(`GET /webhooks: ${answer.status} ${answer.text}`);
	return Array.isArray(answer.json) ? answer.json : answer.json.results;
}

/**
 * A delivery to `callbackUrl` signed with the secret Circularo shows for its registration.
 * @param {any} sim @param {string} callbackUrl @param {object} body
 * @param {{ key?: string }} [o]
 */
async function insiderDelivery(sim, callbackUrl, body, o = {}) {
	const listed = await listedRegistrations(sim, o.key);
	const registration = listed.find((w) => w.callbackUrl === callbackUrl);
	if (!registration?.hmacSecret)
		throw new Error(`the insider sees no registration with a secret at ${callbackUrl}`);
	return signedDelivery(registration.hmacSecret, body);
}

/**
 * Registers a team webhook at `callbackUrl` with the insider's key (no secret unless given).
 * @param {any} sim @param {string} callbackUrl @param {{ key?: string, hmacSecret?: string }} [o]
 * @returns {Promise<{ id: string, callbackUrl: string }>}
 */
async function plantRegistration(sim, callbackUrl, o = {}) {
	const answer = await request(
		'POST',
		`${sim.apiUrl}/webhooks?token=${o.key ?? sim.keys.teamAdmin}`,
		{
			body: { type: 'team', callbackUrl, hmacSecret: o.hmacSecret },
		},
	);
	if (answer.status !== 200) throw new Error(`POST /webhooks: ${answer.status} ${answer.text}`);
	return answer.json;
}

/**
 * The query string of a wait's callback URL (the names the node uses, docs/action-node.md).
 * @param {{ documentId?: string, until: number, since?: number }} o epoch milliseconds
 */
function waitQuery(o) {
	const query = new URLSearchParams();
	if (o.documentId) query.set('circularoDocumentId', o.documentId);
	query.set('circularoWaitUntil', String(o.until));
	if (o.since !== undefined) query.set('circularoWaitSince', String(o.since));
	return query.toString();
}

/**
 * @typedef {{ method: string, url: string, headers: http.IncomingHttpHeaders, at: number }} RecordedRequest
 * @typedef {{ url: string, requests: RecordedRequest[], fromN8n: () => RecordedRequest[],
 *   close: () => Promise<void> }} RecordingTarget
 */

/** @returns {Promise<RecordingTarget>} */
async function startRecordingTarget() {
	/** @type {RecordedRequest[]} */
	const requests = [];
	const server = http.createServer((req, res) => {
		requests.push({
			method: String(req.method),
			url: String(req.url),
			headers: req.headers,
			at: Date.now(),
		});
		req.resume();
		req.on('end', () => {
			if (String(req.url).startsWith('/redirect')) {
				res.writeHead(307, { location: '/landed' }).end();
				return;
			}
			res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not here"}');
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		fromN8n: () => requests.filter((r) => r.headers['user-agent'] !== SIMULATOR_AGENT),
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve(undefined));
			}),
	};
}

module.exports = {
	SIMULATOR_AGENT,
	insiderDelivery,
	listedRegistrations,
	plantRegistration,
	startRecordingTarget,
	waitQuery,
};
