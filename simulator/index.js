// @ts-check
'use strict';

/**
 * Circularo simulator: a local stand-in for the Circularo REST API, driven over real HTTP by
 * tests and runnable by a person (`npm run simulator`).
 *
 *   const { startSimulator } = require('./simulator');
 *   const sim = await startSimulator({ port: 0 });
 *   // ... register webhooks through sim.apiUrl with sim.keys.teamAdmin, then:
 *   await sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-1' });
 *   await sim.stop();
 *
 * Layout: state.js (data and access rules), routes/ (the API, one module per area) dispatched by
 * api.js, control.js (test and CLI control calls), deliveries.js (signing and POSTing events).
 */

const http = require('node:http');

const { EVENTS, PAYLOAD_SHAPES, buildPayload } = require('./payloads');
const { buildPdf } = require('./pdf');
const { API_PREFIX } = require('./faults');
const { SIGNATURE_HEADER, SIGNATURE_MODES, SIGNATURE_FORMATS, hmacHex } = require('./deliveries');
const { SEED_PASSWORD } = require('./seed');
const { ApiError, describeError, isLoopbackAddress, sendJson } = require('./http');
const { SimulatorControl, handleControl } = require('./control');
const { handleApi } = require('./api');
const { CANCEL_SHARE } = require('./routes/share');

/** @typedef {import('./state').SimulatorOptions} SimulatorOptions */

class CircularoSimulator extends SimulatorControl {
	/** @param {SimulatorOptions} [options] */
	constructor(options = {}) {
		super(options);
		this.port = 0;
		this.baseUrl = '';
		this.apiUrl = '';
		/** @type {http.Server | null} */
		this.server = null;
		/** Pending fault delays (cleared on stop). @type {Set<{ timer: NodeJS.Timeout, resolve: () => void }>} */
		this.sleeps = new Set();
	}

	/** @param {number} ms */
	sleep(ms) {
		return /** @type {Promise<void>} */ (
			new Promise((resolve) => {
				const entry = {
					timer: setTimeout(() => {
						this.sleeps.delete(entry);
						resolve();
					}, ms),
					resolve: () => resolve(),
				};
				this.sleeps.add(entry);
			})
		);
	}

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 */
	async handle(req, res) {
		const url = new URL(req.url ?? '/', 'http://simulator.invalid');
		const path = url.pathname;
		try {
			if (path === '/_sim' || path.startsWith('/_sim/'))
				return await handleControl(this, req, res, url);
			if (path === API_PREFIX || path.startsWith(API_PREFIX + '/'))
				return await handleApi(this, req, res, url);
			if (path === '/' && req.method === 'GET') {
				return sendJson(res, 200, {
					name: 'Circularo simulator',
					apiUrl: this.apiUrl,
					note: 'API under /api/v1 (token query parameter); control API under /_sim (loopback only).',
				});
			}
			return sendJson(res, 404, {
				error: { code: 'NOT_FOUND', message: `No such endpoint: ${req.method} ${path}` },
			});
		} catch (err) {
			if (err instanceof ApiError) return sendJson(res, err.status, err.toJson());
			this.logLine(`[sim] internal error: ${describeError(err)}`);
			return sendJson(res, 500, {
				error: { code: 'INTERNAL', message: 'Simulator internal error' },
			});
		}
	}

	/** @returns {Promise<this>} */
	listen() {
		return new Promise((resolve, reject) => {
			const server = http.createServer((req, res) => {
				this.handle(req, res).catch((err) => {
					this.logLine(`[sim] unhandled: ${describeError(err)}`);
					if (!res.headersSent)
						sendJson(res, 500, {
							error: { code: 'INTERNAL', message: 'Simulator internal error' },
						});
				});
			});
			server.keepAliveTimeout = 2000;
			server.once('error', reject);
			server.listen(this.options.port, this.options.host, () => {
				server.off('error', reject);
				const addr = /** @type {import('node:net').AddressInfo} */ (server.address());
				this.server = server;
				this.port = addr.port;
				const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
				this.baseUrl = `http://${host}:${addr.port}`;
				this.apiUrl = `${this.baseUrl}${API_PREFIX}`;
				resolve(this);
			});
		});
	}

	/** Stops the server, aborts deliveries in flight and pending fault delays. Idempotent. */
	async stop() {
		if (this.stopped) return;
		this.stopped = true;
		for (const s of this.sleeps) {
			clearTimeout(s.timer);
			s.resolve();
		}
		this.sleeps.clear();
		for (const r of this.inflight) r.destroy(new Error('simulator stopped'));
		this.inflight.clear();
		const server = this.server;
		if (server) {
			await new Promise((resolve) => {
				server.close(() => resolve(undefined));
				server.closeAllConnections();
			});
		}
		this.fileStore.remove();
	}
}

/**
 * Starts a simulator and resolves once it is listening.
 * @param {SimulatorOptions} [options] port (0 = any free port), host (default 127.0.0.1), log, ...
 */
async function startSimulator(options = {}) {
	const sim = new CircularoSimulator(options);
	return sim.listen();
}

module.exports = {
	startSimulator,
	CircularoSimulator,
	ApiError,
	EVENTS,
	PAYLOAD_SHAPES,
	SIGNATURE_MODES,
	SIGNATURE_FORMATS,
	SIGNATURE_HEADER,
	SEED_PASSWORD,
	buildPayload,
	buildPdf,
	hmacHex,
	isLoopbackAddress,
	CANCEL_SHARE,
};
