// @ts-check
'use strict';

/**
 * The control interface: what tests call on a simulator object (`sim.fire`, `sim.setFault`,
 * `sim.createDocument`, ...) and the same over HTTP under /_sim (loopback only) for the CLI.
 */

const crypto = require('node:crypto');

const { SimulatorState, checkVariants } = require('./state');
const { EVENTS, PAYLOAD_SHAPES } = require('./payloads');
const { SIGNATURE_MODES, fire, emit } = require('./deliveries');
const { ApiError, isLoopbackAddress, isObject, readJsonBody, sendJson } = require('./http');
const { newDocumentRecord } = require('./seed');
const { actOnSignRequest, shareView } = require('./signing');
const { AWAY_ROUTES, expire, undelivered } = require('./away');
const { forgetSnapshots } = require('./readLag');

/**
 * @typedef {import('./faults').FaultSpec} FaultSpec
 * @typedef {import('./deliveries').FireOptions} FireOptions
 * @typedef {import('./seed').DocumentRecord} DocumentRecord
 * @typedef {{ documentId: string, as?: string, reason?: string }} ActOptions
 */

class SimulatorControl extends SimulatorState {
	/**
	 * Fires an event: POSTs it to every webhook whose scope covers the document and returns the
	 * deliveries (also appended to `sim.deliveries`).
	 * @param {FireOptions} opts
	 */
	fire(opts) {
		return fire(this, opts);
	}

	/**
	 * Injects a fault into the API. Returns the fault (with its `id`).
	 * @param {FaultSpec} spec
	 */
	setFault(spec) {
		return { ...this.faultTable.add(spec) };
	}

	/** @param {string} [id] one fault, or all */
	clearFaults(id) {
		return this.faultTable.clear(id);
	}

	listFaults() {
		return this.faultTable.list();
	}

	/**
	 * Creates a document (in tenant `acme`, team `Sales` unless told otherwise), in progress unless
	 * `shareStateName` says otherwise: `null` is a document never shared.
	 * `createDate` (ISO 8601) backdates it, as documents of a tenant in use for years are.
	 * @param {{ title?: string, team?: string | null, tenant?: string, documentId?: string, shareStateName?: string | null, createDate?: string }} [opts]
	 */
	createDocument(opts = {}) {
		const tenant = this.tenants.get(opts.tenant ?? 'acme');
		if (!tenant) throw new ApiError(400, 'UNKNOWN_TENANT', `Unknown tenant "${opts.tenant}"`);
		const team = opts.team === undefined ? (tenant.teams[0] ?? null) : opts.team;
		if (team !== null && !tenant.teams.includes(team)) {
			throw new ApiError(
				400,
				'UNKNOWN_TEAM',
				`Team "${team}" does not exist in tenant "${tenant.id}"`,
			);
		}
		const documentId = opts.documentId ?? 'doc-' + crypto.randomBytes(6).toString('hex');
		if (this.documents.has(documentId))
			throw new ApiError(400, 'DOCUMENT_EXISTS', `Document "${documentId}" already exists`);
		const creator =
			[...this.users.values()].find((u) => u.tenant === tenant.id && u.team === team) ??
			[...this.users.values()].find((u) => u.tenant === tenant.id);
		const doc = newDocumentRecord({
			documentId,
			documentTitle: opts.title ?? `Simulated document ${documentId}`,
			tenant: tenant.id,
			team,
			creator: creator ? creator.id : 'unknown',
			shareStateName: opts.shareStateName === undefined ? 'inprogress' : opts.shareStateName,
		});
		if (opts.createDate !== undefined) {
			if (Number.isNaN(Date.parse(opts.createDate)))
				throw new ApiError(400, 'INVALID_DATE', `createDate "${opts.createDate}" is not a date`);
			doc.createDate = new Date(opts.createDate).toISOString();
		}
		this.documents.set(documentId, doc);
		return this.publicDocument(doc);
	}

	/**
	 * A recipient of the document's open sign request signs it (or approves, reviews, ... as its
	 * share asks): `documentSigned` (or `documentSimpleActionExecuted`), and `documentCompleted`
	 * after the last one. Without `as`, the first recipient whose turn it is. Resolves once the
	 * events are delivered.
	 * @param {ActOptions} opts
	 */
	sign(opts) {
		return this.act(opts, 'sign');
	}

	/**
	 * A recipient rejects the document's open sign request (`signRejected`, state `rejected`).
	 * @param {ActOptions} opts `reason` goes into the history
	 */
	reject(opts) {
		return this.act(opts, 'reject');
	}

	/**
	 * @param {ActOptions} opts
	 * @param {'sign' | 'reject'} action
	 */
	async act(opts, action) {
		if (this.stopped) throw new Error('simulator is stopped');
		const { doc, share, emitted } = actOnSignRequest(this, opts, action);
		const deliveries = await emit(this, doc, emitted);
		return {
			document: this.publicDocument(doc),
			share: shareView(this, share),
			events: emitted.map((e) => e.event),
			deliveries,
		};
	}

	/**
	 * The document's sign request expires (its deadline passed): `signExpired`, state `expired`.
	 * @param {{ documentId: string }} opts
	 */
	expire(opts) {
		return expire(/** @type {any} */ (this), opts);
	}

	/** Deliveries that did not reach their webhook; Circularo sends none of them again. */
	undelivered() {
		return undelivered(/** @type {any} */ (this));
	}

	/** Resolves once every event the API emitted so far (creation, sharing, ...) is delivered. */
	async settled() {
		/** @type {Promise<unknown>} */
		let tail;
		do {
			tail = this.emitting;
			await tail;
		} while (tail !== this.emitting);
	}

	/**
	 * Selects answer shapes a real tenant may use (see Variants in state.js); `reset` restores
	 * those given at start.
	 * @param {Partial<import('./state').Variants>} variants
	 */
	setVariants(variants) {
		const checked = checkVariants(variants);
		if (checked.readLagMs !== undefined && checked.readLagMs !== this.variants.readLagMs)
			forgetSnapshots(this);
		Object.assign(this.variants, checked);
		return { ...this.variants };
	}

	/**
	 * The next `DELETE /documents` deletes nothing and answers 200 `{ errors: true, count: 0,
	 * items: [ { id, status: 500, error: { code: 'DELETE_FAILED', message } } ] }`.
	 * @param {string} [message]
	 */
	failNextDelete(message = 'Simulated partial failure: the document could not be deleted') {
		this.nextDeleteError = message;
	}

	/**
	 * Right after the next successful `POST /share` (before its answer), the first recipient whose
	 * turn it is signs (`sign`) or rejects (`reject`, with `reason`): the document is completed or
	 * rejected before the caller can look at it, and the events follow the share's.
	 * @param {{ action: 'sign' | 'reject', reason?: string }} o
	 */
	actOnNextShare(o) {
		if (o?.action !== 'sign' && o?.action !== 'reject')
			throw new ApiError(
				400,
				'INVALID_BODY',
				'Expected { "action": "sign" | "reject", "reason"? }',
			);
		this.nextShareAction = { action: o.action, reason: o.reason };
	}

	/**
	 * Turns Circularo support's "webhooks enabled" switch of a tenant on or off.
	 * @param {string} tenantId
	 * @param {boolean} enabled
	 */
	setTenantWebhooksEnabled(tenantId, enabled) {
		const t = this.tenants.get(tenantId);
		if (!t) throw new ApiError(400, 'UNKNOWN_TENANT', `Unknown tenant "${tenantId}"`);
		t.webhooksEnabled = Boolean(enabled);
	}

	/**
	 * Polls `predicate` until it returns a truthy value (returned) or the time is up (throws).
	 * @template T
	 * @param {() => T} predicate
	 * @param {{ timeoutMs?: number, intervalMs?: number, what?: string }} [o]
	 * @returns {Promise<T>}
	 */
	async waitFor(predicate, o = {}) {
		const timeoutMs = Math.min(o.timeoutMs ?? 5000, 600_000);
		const intervalMs = Math.max(o.intervalMs ?? 25, 5);
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const v = predicate();
			if (v) return v;
			if (Date.now() >= deadline)
				throw new Error(`waitFor: ${o.what ?? 'condition'} not met within ${timeoutMs} ms`);
			await new Promise((r) => setTimeout(r, intervalMs));
		}
	}
}

/**
 * Everything at once, for `GET /_sim/state` and `npm run simulator -- state`.
 * @param {import('./index').CircularoSimulator} sim
 */
function controlState(sim) {
	return {
		baseUrl: sim.baseUrl,
		apiUrl: sim.apiUrl,
		keys: { ...sim.keys },
		teams: sim.teams,
		tenants: sim.listTenants(),
		users: sim.listUsers(),
		webhooks: sim.listWebhooks(),
		documents: sim.listDocuments(),
		shares: [...sim.shares.values()].map((s) => ({ ...shareView(sim, s), status: s.status })),
		variants: { ...sim.variants },
		faults: sim.listFaults(),
		deliveries: sim.deliveries,
		requests: sim.requests,
		events: EVENTS,
		shapes: PAYLOAD_SHAPES,
		signatureModes: SIGNATURE_MODES,
	};
}

/** @param {import('node:http').IncomingMessage} req */
async function readObject(req) {
	const body = await readJsonBody(req);
	return isObject(body) ? body : {};
}

/**
 * The control endpoints: [method, path regex, handler(sim, req, match) -> [status, json]].
 * @type {Array<[string, RegExp, (sim: import('./index').CircularoSimulator, req: import('node:http').IncomingMessage, m: RegExpMatchArray) => Promise<[number, unknown]>]>}
 */
const CONTROL_ROUTES = [
	['GET', /^\/_sim(\/state)?$/, async (sim) => [200, controlState(sim)]],
	['GET', /^\/_sim\/webhooks$/, async (sim) => [200, { results: sim.listWebhooks() }]],
	['GET', /^\/_sim\/deliveries$/, async (sim) => [200, { results: sim.deliveries }]],
	['GET', /^\/_sim\/requests$/, async (sim) => [200, { results: sim.requests }]],
	['GET', /^\/_sim\/faults$/, async (sim) => [200, { results: sim.listFaults() }]],
	[
		'POST',
		/^\/_sim\/fire$/,
		async (sim, req) => {
			const body = await readObject(req);
			if (typeof body.bodyBase64 === 'string') body.body = Buffer.from(body.bodyBase64, 'base64');
			delete body.bodyBase64;
			return [200, { deliveries: await sim.fire(/** @type {FireOptions} */ (body)) }];
		},
	],
	[
		'POST',
		/^\/_sim\/faults$/,
		async (sim, req) => {
			const body = await readObject(req);
			try {
				return [201, sim.setFault(/** @type {FaultSpec} */ (body))];
			} catch (err) {
				throw new ApiError(400, 'INVALID_FAULT', /** @type {Error} */ (err).message);
			}
		},
	],
	['DELETE', /^\/_sim\/faults$/, async (sim) => [200, { cleared: sim.clearFaults() }]],
	[
		'DELETE',
		/^\/_sim\/faults\/([^/]+)$/,
		async (sim, _req, m) => [200, { cleared: sim.clearFaults(decodeURIComponent(m[1])) }],
	],
	[
		'POST',
		/^\/_sim\/reset$/,
		async (sim) => {
			sim.reset();
			return [200, { ok: true }];
		},
	],
	[
		'POST',
		/^\/_sim\/documents$/,
		async (sim, req) => [201, sim.createDocument(await readObject(req))],
	],
	[
		'POST',
		/^\/_sim\/sign$/,
		async (sim, req) => [200, await sim.sign(/** @type {ActOptions} */ (await readObject(req)))],
	],
	[
		'POST',
		/^\/_sim\/reject$/,
		async (sim, req) => [200, await sim.reject(/** @type {ActOptions} */ (await readObject(req)))],
	],
	['GET', /^\/_sim\/variants$/, async (sim) => [200, { ...sim.variants }]],
	['POST', /^\/_sim\/variants$/, async (sim, req) => [200, sim.setVariants(await readObject(req))]],
	[
		'POST',
		/^\/_sim\/fail-next-delete$/,
		async (sim, req) => {
			const body = await readObject(req);
			sim.failNextDelete(typeof body.message === 'string' ? body.message : undefined);
			return [200, { ok: true }];
		},
	],
	[
		'POST',
		/^\/_sim\/act-on-next-share$/,
		async (sim, req) => {
			const body = await readObject(req);
			sim.actOnNextShare(/** @type {any} */ (body));
			return [200, { ok: true }];
		},
	],
	[
		'POST',
		/^\/_sim\/tenants\/([^/]+)$/,
		async (sim, req, m) => {
			const body = await readObject(req);
			if (typeof body.webhooksEnabled !== 'boolean')
				throw new ApiError(400, 'INVALID_BODY', 'Expected { "webhooksEnabled": true | false }');
			sim.setTenantWebhooksEnabled(decodeURIComponent(m[1]), body.webhooksEnabled);
			return [200, { ok: true }];
		},
	],
	...AWAY_ROUTES,
];

/**
 * @param {import('./index').CircularoSimulator} sim
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {URL} url
 */
async function handleControl(sim, req, res, url) {
	if (!isLoopbackAddress(req.socket.remoteAddress ?? '')) {
		return sendJson(res, 403, {
			error: { code: 'LOOPBACK_ONLY', message: 'The control API is available from loopback only' },
		});
	}
	const method = (req.method ?? 'GET').toUpperCase();
	const p = url.pathname.replace(/\/+$/, '');
	for (const [m, pattern, handler] of CONTROL_ROUTES) {
		const match = m === method ? p.match(pattern) : null;
		if (!match) continue;
		const [status, json] = await handler(sim, req, match);
		return sendJson(res, status, json);
	}
	return sendJson(res, 404, {
		error: { code: 'NOT_FOUND', message: `No such control endpoint: ${method} ${url.pathname}` },
	});
}

module.exports = { SimulatorControl, handleControl };
