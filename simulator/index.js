// @ts-check
'use strict';

/**
 * Circularo simulator: a local, faithful stand-in for the documented Circularo REST API
 * (shared/reference/circularo-api.md), driven over real HTTP by tests and runnable by a person.
 *
 *   const { startSimulator } = require('./simulator');
 *   const sim = await startSimulator({ port: 0 });
 *   // ... register webhooks through sim.apiUrl with sim.keys.teamAdmin, then:
 *   await sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-1' });
 *   await sim.stop();
 */

const crypto = require('node:crypto');
const http = require('node:http');

const { EVENTS, PAYLOAD_SHAPES, buildPayload } = require('./payloads');
const { buildPdf } = require('./pdf');
const { FaultTable, API_PREFIX } = require('./faults');
const { SIGNATURE_HEADER, SIGNATURE_MODES, SIGNATURE_FORMATS, hmacHex, isLoopbackUrl, signatureFor, postBytes } = require('./deliver');
const { SEED_PASSWORD, seededKey, seedTenants, seedUsers, seedDocuments } = require('./seed');

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_REPEAT = 100;
const MAX_LOG_ENTRIES = 10_000;
const TEN_YEARS_MS = 10 * 365.25 * 24 * 3600 * 1000;

/**
 * @typedef {import('./seed').User} User
 * @typedef {import('./seed').Tenant} Tenant
 * @typedef {import('./seed').DocumentRecord} DocumentRecord
 * @typedef {import('./faults').FaultSpec} FaultSpec
 * @typedef {{ id: string, creator: string, createDate: string, type: 'tenant' | 'team', name: string | null,
 *   callbackUrl: string, hmacSecret: string | null, tenant: string, team: string | null }} WebhookRecord
 * @typedef {{ userId: string, kind: 'apiKey' | 'session', name: string | null, createDate: string,
 *   expiresAt: number }} TokenRecord
 * @typedef {{ webhookId: string, url: string, status: number | null, latencyMs: number, body: string,
 *   signature: string | null, error?: string, responseBody: string | null, event: string,
 *   documentId: string, shape: string, signatureMode: string, attempt: number, at: string }} Delivery
 * @typedef {{ method: string, path: string, query: Record<string, string>, body?: unknown,
 *   status: number | null, at: string, durationMs?: number, fault?: string, dropped?: boolean }} RequestLogEntry
 * @typedef {{ event: string, documentId?: string, shape?: string, signature?: string,
 *   signatureFormat?: string, actor?: string | { id?: string, name?: string, username?: string, email?: string },
 *   tenant?: string, team?: string, repeat?: number, parallel?: boolean, body?: Buffer | string | object,
 *   at?: Date | number | string, webhookId?: string, allowUnknownEvent?: boolean }} FireOptions
 * @typedef {{ port?: number, host?: string, log?: boolean | ((line: string) => void),
 *   deliveryTimeoutMs?: number, sessionTtlMs?: number, allowRemoteCallbacks?: boolean }} SimulatorOptions
 */

class ApiError extends Error {
	/**
	 * @param {number} status
	 * @param {string} code
	 * @param {string} message
	 */
	constructor(status, code, message) {
		super(message);
		this.status = status;
		this.code = code;
	}
}

/** @param {string} token */
function isLoopbackAddress(token) {
	const a = String(token || '');
	return a === '::1' || a.startsWith('127.') || a.startsWith('::ffff:127.');
}

/** @param {string | null | undefined} v */
const nonEmpty = (v) => typeof v === 'string' && v.trim() !== '';

/**
 * Matches `/webhooks/:id` against `/webhooks/abc`, returning the parameters.
 * @param {string} pattern
 * @param {string} path
 * @returns {Record<string, string> | null}
 */
function matchPattern(pattern, path) {
	const a = pattern.split('/');
	const b = path.split('/');
	if (a.length !== b.length) return null;
	/** @type {Record<string, string>} */
	const params = {};
	for (let i = 0; i < a.length; i++) {
		if (a[i].startsWith(':')) {
			if (b[i] === '') return null;
			try {
				params[a[i].slice(1)] = decodeURIComponent(b[i]);
			} catch {
				return null;
			}
		} else if (a[i] !== b[i]) return null;
	}
	return params;
}

/**
 * @param {unknown} body
 * @returns {unknown}
 */
function redactBody(body) {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
	/** @type {Record<string, unknown>} */
	const copy = { ...body };
	for (const k of ['password', 'hmacSecret', 'token']) if (copy[k] !== undefined && copy[k] !== null) copy[k] = '[redacted]';
	return copy;
}

class CircularoSimulator {
	/** @param {SimulatorOptions} [options] */
	constructor(options = {}) {
		this.options = {
			port: options.port ?? 0,
			host: options.host ?? '127.0.0.1',
			deliveryTimeoutMs: options.deliveryTimeoutMs ?? 10_000,
			sessionTtlMs: options.sessionTtlMs ?? 60 * 60 * 1000,
			allowRemoteCallbacks: Boolean(options.allowRemoteCallbacks),
		};
		/** @type {(line: string) => void} */
		this.logLine =
			typeof options.log === 'function' ? options.log : options.log ? (line) => console.log(line) : () => {};
		this.port = 0;
		this.baseUrl = '';
		this.apiUrl = '';
		/** @type {http.Server | null} */
		this.server = null;
		/** Outgoing delivery requests in flight (destroyed on stop). */
		/** @type {Set<http.ClientRequest>} */
		this.inflight = new Set();
		/** Pending fault delays (cleared on stop). */
		/** @type {Set<{ timer: NodeJS.Timeout, resolve: () => void }>} */
		this.sleeps = new Set();
		this.stopped = false;
		this.faultTable = new FaultTable();
		/** @type {Delivery[]} */
		this.deliveries = [];
		/** @type {RequestLogEntry[]} */
		this.requests = [];
		/** @type {Map<string, Tenant>} */
		this.tenants = new Map();
		/** @type {Map<string, User>} */
		this.users = new Map();
		/** @type {Map<string, TokenRecord>} */
		this.tokens = new Map();
		/** Ready API keys of the seeded users, by role name (see seed.js). @type {Record<string, string>} */
		this.keys = {};
		/** @type {WebhookRecord[]} */
		this.webhooks = [];
		/** @type {Map<string, DocumentRecord>} */
		this.documents = new Map();
		/** Files by SHA-256 hash. @type {Map<string, { documentId: string, bytes: Buffer }>} */
		this.files = new Map();
		this.reset();
	}

	// ------------------------------------------------------------------ state

	/** Back to the seeded state: seeded users, keys and documents; no webhooks, faults or logs. */
	reset() {
		this.tenants = new Map(seedTenants().map((t) => [t.id, t]));
		this.users = new Map(seedUsers().map((u) => [u.id, u]));
		this.tokens = new Map();
		this.keys = {};
		for (const u of this.users.values()) {
			const key = seededKey(u.keyName);
			this.keys[u.keyName] = key;
			this.tokens.set(key, {
				userId: u.id, kind: 'apiKey', name: 'Seeded simulator key', createDate: '2026-01-15T09:00:00.000Z',
				expiresAt: Date.parse('2036-01-15T09:00:00.000Z'),
			});
		}
		this.webhooks = [];
		this.documents = new Map(seedDocuments().map((d) => [d.documentId, d]));
		this.files = new Map();
		this.faultTable.clear();
		this.deliveries.length = 0;
		this.requests.length = 0;
	}

	/** Team names of the main tenant (`acme`): teamAdmin administers the first, otherTeamAdmin the second. */
	get teams() {
		return [...(this.tenants.get('acme')?.teams ?? [])];
	}

	/** All webhooks of all tenants (copies, including the secret). */
	listWebhooks() {
		return this.webhooks.map((w) => ({
			id: w.id, creator: w.creator, createDate: w.createDate, type: w.type, name: w.name,
			callbackUrl: w.callbackUrl, hmacSecret: w.hmacSecret, tenant: w.tenant,
		}));
	}

	/** Seeded and created documents (copies). */
	listDocuments() {
		return [...this.documents.values()].map((d) => this.publicDocument(d));
	}

	/** @param {string} documentId */
	getDocument(documentId) {
		const d = this.documents.get(documentId);
		return d ? this.publicDocument(d) : undefined;
	}

	/** @param {DocumentRecord} d */
	publicDocument(d) {
		return {
			documentId: d.documentId, documentTitle: d.documentTitle, documentType: d.documentType, tenant: d.tenant,
			team: d.team, creator: d.creator, shareStateName: d.shareStateName, createDate: d.createDate,
			deleted: d.deleted, pdfHash: this.currentPdf(d).hash, audit: d.audit.map((a) => ({ ...a })),
		};
	}

	/** Tenants with their webhook switch and teams. */
	listTenants() {
		return [...this.tenants.values()].map((t) => ({ ...t, teams: [...t.teams] }));
	}

	/** Seeded users without passwords, with the name of their ready key in `sim.keys`. */
	listUsers() {
		return [...this.users.values()].map((u) => ({ ...u, rights: [...u.rights] }));
	}

	/**
	 * Creates a document (in tenant `acme`, team `Sales` unless told otherwise).
	 * @param {{ title?: string, team?: string | null, tenant?: string, documentId?: string, shareStateName?: string }} [opts]
	 */
	createDocument(opts = {}) {
		const tenant = this.tenants.get(opts.tenant ?? 'acme');
		if (!tenant) throw new ApiError(400, 'UNKNOWN_TENANT', `Unknown tenant "${opts.tenant}"`);
		const team = opts.team === undefined ? tenant.teams[0] ?? null : opts.team;
		if (team !== null && !tenant.teams.includes(team)) {
			throw new ApiError(400, 'UNKNOWN_TEAM', `Team "${team}" does not exist in tenant "${tenant.id}"`);
		}
		const documentId = opts.documentId ?? 'doc-' + crypto.randomBytes(6).toString('hex');
		if (this.documents.has(documentId)) throw new ApiError(400, 'DOCUMENT_EXISTS', `Document "${documentId}" already exists`);
		const creator =
			[...this.users.values()].find((u) => u.tenant === tenant.id && u.team === team) ??
			[...this.users.values()].find((u) => u.tenant === tenant.id);
		/** @type {DocumentRecord} */
		const doc = {
			documentId,
			documentTitle: opts.title ?? `Simulated document ${documentId}`,
			documentType: 'd_default',
			tenant: tenant.id,
			team,
			creator: creator ? creator.id : 'unknown',
			shareStateName: opts.shareStateName ?? 'inprogress',
			createDate: new Date().toISOString(),
			deleted: false,
			audit: [],
		};
		this.documents.set(documentId, doc);
		return this.publicDocument(doc);
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
	 * The current PDF of a document (registered in the file store under its SHA-256 hash).
	 * @param {DocumentRecord} d
	 */
	currentPdf(d) {
		const bytes = buildPdf({
			title: d.documentTitle,
			lines: [
				'Circularo simulator - not a real signed document',
				`Document ID: ${d.documentId}`,
				`Team: ${d.team ?? '(none)'}`,
				`State: ${d.shareStateName}`,
				d.shareStateName === 'completed' ? 'All required signatures collected.' : 'Signatures pending.',
			],
		});
		const hash = crypto.createHash('sha256').update(bytes).digest('hex');
		if (!this.files.has(hash)) this.files.set(hash, { documentId: d.documentId, bytes });
		return { hash, bytes };
	}

	/** @param {DocumentRecord} d */
	auditPdf(d) {
		const lines = [`Audit trail of document ${d.documentId}`, `Created ${d.createDate}`];
		for (const a of d.audit.slice(-30)) lines.push(`${a.at}  ${a.event}  by ${a.actor}`);
		if (d.audit.length === 0) lines.push('No events yet.');
		return buildPdf({ title: `Audit trail: ${d.documentTitle}`, lines });
	}

	// ------------------------------------------------------------------ faults

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

	// ------------------------------------------------------------------ deliveries

	/**
	 * Fires an event: POSTs it to every webhook whose scope covers the document and returns the
	 * deliveries (also appended to `sim.deliveries`).
	 * @param {FireOptions} opts
	 * @returns {Promise<Delivery[]>}
	 */
	async fire(opts) {
		if (this.stopped) throw new Error('simulator is stopped');
		if (!opts || typeof opts !== 'object') throw new ApiError(400, 'INVALID_FIRE', 'fire: an options object is required');
		const { event } = opts;
		if (typeof event !== 'string' || event === '') throw new ApiError(400, 'INVALID_FIRE', 'fire: "event" is required');
		if (!EVENTS.includes(event) && !opts.allowUnknownEvent) {
			throw new ApiError(400, 'INVALID_FIRE', `fire: unknown event "${event}" (pass allowUnknownEvent: true to send it anyway)`);
		}
		const shape = opts.shape ?? 'default';
		if (!PAYLOAD_SHAPES.includes(shape)) {
			throw new ApiError(400, 'INVALID_FIRE', `fire: unknown shape "${shape}" (known: ${PAYLOAD_SHAPES.join(', ')})`);
		}
		const mode = opts.signature ?? 'valid';
		if (!SIGNATURE_MODES.includes(mode)) {
			throw new ApiError(400, 'INVALID_FIRE', `fire: unknown signature mode "${mode}" (known: ${SIGNATURE_MODES.join(', ')})`);
		}
		const format = opts.signatureFormat ?? 'hex';
		if (!SIGNATURE_FORMATS.includes(format)) {
			throw new ApiError(400, 'INVALID_FIRE', `fire: unknown signature format "${format}" (known: ${SIGNATURE_FORMATS.join(', ')})`);
		}
		const repeat = opts.repeat ?? 1;
		if (!Number.isInteger(repeat) || repeat < 1 || repeat > MAX_REPEAT) {
			throw new ApiError(400, 'INVALID_FIRE', `fire: "repeat" must be an integer from 1 to ${MAX_REPEAT}`);
		}
		const doc = this.resolveFireDocument(opts);
		const actor = this.resolveActor(opts.actor, doc);
		const at = opts.at === undefined ? new Date() : new Date(opts.at);
		if (Number.isNaN(at.getTime())) throw new ApiError(400, 'INVALID_FIRE', 'fire: invalid "at" timestamp');

		const input = { event, documentId: doc.documentId, documentTitle: doc.documentTitle, actor };
		/** @type {Buffer} */
		let body;
		if (opts.body === undefined) body = Buffer.from(JSON.stringify(buildPayload(shape, { ...input, at })), 'utf8');
		else if (Buffer.isBuffer(opts.body)) body = opts.body;
		else if (typeof opts.body === 'string') body = Buffer.from(opts.body, 'utf8');
		else body = Buffer.from(JSON.stringify(opts.body), 'utf8');
		let staleBody = Buffer.from(JSON.stringify(buildPayload(shape, { ...input, at: at.getTime() - 60_000 })), 'utf8');
		if (staleBody.equals(body)) staleBody = Buffer.concat([staleBody, Buffer.from(' ')]);

		this.applyEvent(doc, event, actor, at);

		const targets = this.webhooks.filter(
			(w) =>
				w.tenant === doc.tenant &&
				(w.type === 'tenant' || (doc.team !== null && w.team === doc.team)) &&
				(opts.webhookId === undefined || w.id === opts.webhookId),
		);
		const bodyText = body.toString('utf8');
		const perWebhook = await Promise.all(
			targets.map(async (w) => {
				// Computed once per webhook, so a repeat really is the identical request.
				const signature = signatureFor({ mode, format, secret: w.hmacSecret, body, staleBody });
				/** @type {Record<string, string>} */
				const headers = { 'content-type': 'application/json', 'user-agent': 'Circularo-Simulator/1.0' };
				if (signature !== null) headers[SIGNATURE_HEADER] = signature;
				/** @param {number} attempt @returns {Promise<Delivery>} */
				const deliverOnce = async (attempt) => {
					const started = new Date().toISOString();
					let url;
					try {
						url = new URL(w.callbackUrl);
					} catch {
						url = null;
					}
					const result =
						this.stopped
							? { status: null, latencyMs: 0, responseBody: null, error: 'simulator stopped' }
							: url && !isLoopbackUrl(url) && !this.options.allowRemoteCallbacks
								? {
									status: null, latencyMs: 0, responseBody: null,
									error: 'not delivered: the simulator only delivers to loopback callback URLs (start it with allowRemoteCallbacks / --allow-remote-callbacks)',
								}
								: await postBytes({ url: w.callbackUrl, body, headers, timeoutMs: this.options.deliveryTimeoutMs, track: this.inflight });
					/** @type {Delivery} */
					const d = {
						webhookId: w.id, url: w.callbackUrl, status: result.status, latencyMs: result.latencyMs, body: bodyText,
						signature, responseBody: result.responseBody, event, documentId: doc.documentId, shape,
						signatureMode: mode, attempt, at: started,
					};
					if (result.error) d.error = result.error;
					this.pushLog(this.deliveries, d);
					this.logLine(
						`[sim] delivery ${event} (${doc.documentId}) -> ${w.callbackUrl}: ${d.status ?? d.error} (${d.latencyMs} ms)`,
					);
					return d;
				};
				const attempts = Array.from({ length: repeat }, (_, i) => i + 1);
				if (opts.parallel) return Promise.all(attempts.map(deliverOnce));
				/** @type {Delivery[]} */
				const out = [];
				for (const a of attempts) out.push(await deliverOnce(a));
				return out;
			}),
		);
		if (targets.length === 0) this.logLine(`[sim] ${event} (${doc.documentId}): no webhook covers this document`);
		return perWebhook.flat();
	}

	/** @param {FireOptions} opts */
	resolveFireDocument(opts) {
		if (opts.documentId !== undefined) {
			const doc = this.documents.get(opts.documentId);
			if (!doc) throw new ApiError(404, 'DOCUMENT_NOT_FOUND', `fire: unknown document "${opts.documentId}"`);
			if (opts.tenant !== undefined && opts.tenant !== doc.tenant) {
				throw new ApiError(400, 'INVALID_FIRE', `fire: document "${doc.documentId}" belongs to tenant "${doc.tenant}"`);
			}
			return doc;
		}
		const tenant = opts.tenant ?? 'acme';
		if (!this.tenants.has(tenant)) throw new ApiError(400, 'INVALID_FIRE', `fire: unknown tenant "${tenant}"`);
		const doc = [...this.documents.values()].find(
			(d) => d.tenant === tenant && !d.deleted && (opts.team === undefined || d.team === opts.team),
		);
		if (!doc) throw new ApiError(404, 'DOCUMENT_NOT_FOUND', `fire: no document in tenant "${tenant}"${opts.team ? ` team "${opts.team}"` : ''}`);
		return doc;
	}

	/**
	 * @param {FireOptions['actor']} actor
	 * @param {DocumentRecord} doc
	 */
	resolveActor(actor, doc) {
		if (actor && typeof actor === 'object') return { id: actor.id, name: actor.name, username: actor.username, email: actor.email };
		if (typeof actor === 'string' && actor !== '') {
			const u = [...this.users.values()].find((x) => x.username === actor || x.email === actor || x.id === actor);
			if (u) return { id: u.id, name: u.name, username: u.username, email: u.email };
			return { id: 'ext-' + crypto.createHash('sha256').update(actor).digest('hex').slice(0, 8), name: actor, username: actor, email: actor.includes('@') ? actor : null };
		}
		const u = this.users.get(doc.creator);
		return u ? { id: u.id, name: u.name, username: u.username, email: u.email } : { id: doc.creator };
	}

	/**
	 * What an event does to the document (state, deletion, audit trail).
	 * @param {DocumentRecord} doc
	 * @param {string} event
	 * @param {{ username?: string | null, name?: string | null, id?: string | null }} actor
	 * @param {Date} at
	 */
	applyEvent(doc, event, actor, at) {
		/** @type {Record<string, string>} */
		const states = {
			signRequest: 'inprogress', signRejected: 'rejected', signExpired: 'expired',
			signCancelled: 'cancelled', documentCompleted: 'completed',
		};
		if (states[event]) doc.shareStateName = states[event];
		if (event === 'documentDeleted') doc.deleted = true;
		if (event === 'documentCreated') doc.deleted = false;
		doc.audit.push({ event, actor: String(actor.username ?? actor.name ?? actor.id ?? 'unknown'), at: at.toISOString() });
	}

	/**
	 * @template T
	 * @param {T[]} list
	 * @param {T} entry
	 */
	pushLog(list, entry) {
		list.push(entry);
		if (list.length > MAX_LOG_ENTRIES) list.splice(0, list.length - MAX_LOG_ENTRIES);
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
			if (Date.now() >= deadline) throw new Error(`waitFor: ${o.what ?? 'condition'} not met within ${timeoutMs} ms`);
			await new Promise((r) => setTimeout(r, intervalMs));
		}
	}

	// ------------------------------------------------------------------ HTTP

	/** @param {number} ms */
	sleep(ms) {
		return /** @type {Promise<void>} */ (new Promise((resolve) => {
			const entry = {
				timer: setTimeout(() => {
					this.sleeps.delete(entry);
					resolve();
				}, ms),
				resolve: () => resolve(),
			};
			this.sleeps.add(entry);
		}));
	}

	/**
	 * @param {http.ServerResponse} res
	 * @param {number} status
	 * @param {unknown} json
	 * @param {Record<string, string>} [headers]
	 */
	sendJson(res, status, json, headers = {}) {
		if (res.headersSent || res.destroyed) return;
		const body = Buffer.from(JSON.stringify(json), 'utf8');
		res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length, ...headers });
		res.end(body);
	}

	/**
	 * @param {http.IncomingMessage} req
	 * @returns {Promise<unknown>}
	 */
	readJsonBody(req) {
		return new Promise((resolve, reject) => {
			/** @type {Buffer[]} */
			const chunks = [];
			let size = 0;
			let failed = false;
			req.on('data', (c) => {
				size += c.length;
				if (size > MAX_BODY_BYTES) {
					if (!failed) reject(new ApiError(413, 'BODY_TOO_LARGE', `Request body larger than ${MAX_BODY_BYTES} bytes`));
					failed = true;
					return;
				}
				chunks.push(c);
			});
			req.on('end', () => {
				if (failed) return;
				const text = Buffer.concat(chunks).toString('utf8');
				if (text.trim() === '') return resolve(undefined);
				try {
					resolve(JSON.parse(text));
				} catch {
					reject(new ApiError(400, 'INVALID_JSON', 'Request body is not valid JSON'));
				}
			});
			req.on('error', reject);
		});
	}

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 */
	async handle(req, res) {
		const url = new URL(req.url ?? '/', 'http://simulator.invalid');
		const path = url.pathname;
		try {
			if (path === '/_sim' || path.startsWith('/_sim/')) return await this.handleControl(req, res, url);
			if (path === API_PREFIX || path.startsWith(API_PREFIX + '/')) return await this.handleApi(req, res, url);
			if (path === '/' && req.method === 'GET') {
				return this.sendJson(res, 200, {
					name: 'Circularo simulator', apiUrl: this.apiUrl,
					note: 'API under /api/v1 (token query parameter); control API under /_sim (loopback only).',
				});
			}
			return this.sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `No such endpoint: ${req.method} ${path}` } });
		} catch (err) {
			const e = /** @type {any} */ (err);
			if (e instanceof ApiError) return this.sendJson(res, e.status, { error: { code: e.code, message: e.message } });
			this.logLine(`[sim] internal error: ${e && e.stack ? e.stack : e}`);
			return this.sendJson(res, 500, { error: { code: 'INTERNAL', message: 'Simulator internal error' } });
		}
	}

	/** @type {Array<[string, string, string]>} method, pattern (relative to /api/v1), handler name */
	static get ROUTES() {
		return [
			['POST', '/login', 'apiLogin'],
			['POST', '/api/key', 'apiCreateKey'],
			['GET', '/api/key', 'apiListKeys'],
			['DELETE', '/api/key/:key', 'apiDeleteKey'],
			['POST', '/webhooks', 'apiCreateWebhook'],
			['GET', '/webhooks', 'apiListWebhooks'],
			['DELETE', '/webhooks/:id', 'apiDeleteWebhook'],
			['GET', '/documents/:id', 'apiGetDocument'],
			['GET', '/documents/:id/audit', 'apiGetAudit'],
			['GET', '/files/loadFile/hash/:hash', 'apiLoadFile'],
		];
	}

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 * @param {URL} url
	 */
	async handleApi(req, res, url) {
		const method = (req.method ?? 'GET').toUpperCase();
		let apiPath = url.pathname.slice(API_PREFIX.length) || '/';
		if (apiPath.length > 1 && apiPath.endsWith('/')) apiPath = apiPath.slice(0, -1);
		const started = performance.now();
		/** @type {Record<string, string>} */
		const query = {};
		for (const [k, v] of url.searchParams) query[k] = k === 'token' ? '[redacted]' : v;
		/** @type {RequestLogEntry} */
		const entry = { method, path: url.pathname, query, status: null, at: new Date().toISOString() };
		this.pushLog(this.requests, entry);

		/** @param {number | null} status */
		const done = (status) => {
			entry.status = status;
			entry.durationMs = Math.round((performance.now() - started) * 10) / 10;
			this.logLine(`[sim] ${method} ${url.pathname} -> ${status ?? 'dropped'} (${entry.durationMs} ms)${entry.fault ? ' [fault]' : ''}`);
		};
		/** @param {number} status @param {unknown} json @param {Record<string, string>} [headers] */
		const respondJson = (status, json, headers) => {
			done(status);
			this.sendJson(res, status, json, headers);
		};
		const drop = () => {
			entry.dropped = true;
			done(null);
			req.socket.destroy();
		};

		const fault = this.faultTable.take(method, apiPath);
		if (fault) entry.fault = fault.id;
		/** Applies a fault's outcome; returns true when it answered (or dropped). */
		const applyFault = async () => {
			if (!fault) return false;
			if (fault.delayMs) await this.sleep(fault.delayMs);
			if (this.stopped) {
				drop();
				return true;
			}
			if (fault.drop) {
				drop();
				return true;
			}
			if (fault.status !== undefined) {
				/** @type {Record<string, string>} */
				const headers = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
				respondJson(
					fault.status,
					{ error: { code: 'SIMULATED_FAULT', message: fault.message ?? `Simulated fault: HTTP ${fault.status} ${http.STATUS_CODES[fault.status] ?? ''}`.trim() } },
					headers,
				);
				return true;
			}
			return false;
		};

		if (fault && !fault.afterHandling && (await applyFault())) return;

		/** @type {{ status: number, json?: unknown, bytes?: Buffer, contentType?: string, filename?: string }} */
		let result;
		try {
			const routes = CircularoSimulator.ROUTES;
			const matches = routes.map(([m, p, h]) => ({ m, h, params: matchPattern(p, apiPath) })).filter((r) => r.params);
			const route = matches.find((r) => r.m === method);
			if (!route) {
				throw matches.length
					? new ApiError(405, 'METHOD_NOT_ALLOWED', `Method ${method} is not allowed on ${url.pathname}`)
					: new ApiError(404, 'NOT_FOUND', `No such endpoint: ${method} ${url.pathname}`);
			}
			const body = method === 'GET' || method === 'DELETE' ? await this.readJsonBody(req).catch(() => undefined) : await this.readJsonBody(req);
			if (body !== undefined) entry.body = redactBody(body);
			/** @type {any} */
			const self = this;
			result = await self[route.h]({ url, params: route.params, body, method });
		} catch (err) {
			if (err instanceof ApiError) result = { status: err.status, json: { error: { code: err.code, message: err.message } } };
			else {
				const e = /** @type {any} */ (err);
				this.logLine(`[sim] internal error: ${e && e.stack ? e.stack : e}`);
				result = { status: 500, json: { error: { code: 'INTERNAL', message: 'Simulator internal error' } } };
			}
		}

		if (fault && fault.afterHandling && (await applyFault())) return;
		if (this.stopped) return drop();

		if (result.bytes) {
			done(result.status);
			if (res.headersSent || res.destroyed) return;
			/** @type {Record<string, string | number>} */
			const headers = { 'content-type': result.contentType ?? 'application/octet-stream', 'content-length': result.bytes.length };
			if (result.filename) headers['content-disposition'] = `inline; filename="${result.filename}"`;
			res.writeHead(result.status, headers);
			res.end(result.bytes);
			return;
		}
		respondJson(result.status, result.json ?? {});
	}

	/**
	 * @param {URL} url
	 * @returns {User}
	 */
	authenticate(url) {
		const token = url.searchParams.get('token');
		if (token === null || token === '') {
			throw new ApiError(401, 'MISSING_TOKEN', 'Authentication required: pass a session token or API key in the "token" query parameter');
		}
		const rec = this.tokens.get(token);
		if (!rec || rec.expiresAt <= Date.now()) throw new ApiError(401, 'INVALID_TOKEN', 'Invalid or expired token');
		const user = this.users.get(rec.userId);
		if (!user) throw new ApiError(401, 'INVALID_TOKEN', 'Invalid or expired token');
		return user;
	}

	/** @param {User} user */
	requireWebhookManager(user) {
		const tenant = this.tenants.get(user.tenant);
		if (!tenant || !tenant.webhooksEnabled) {
			throw new ApiError(403, 'WEBHOOKS_DISABLED', 'Webhooks are not enabled for this tenant. Contact Circularo support to enable them');
		}
		if (user.role !== 'globalAdmin' && user.role !== 'teamAdmin') {
			throw new ApiError(403, 'ADMIN_REQUIRED', 'Managing webhooks requires a team admin or global admin account');
		}
		if (!user.rights.includes('use_webhooks')) throw new ApiError(403, 'RIGHT_MISSING', 'User lacks the use_webhooks right');
	}

	/** @param {WebhookRecord} w */
	publicWebhook(w) {
		return {
			id: w.id, creator: w.creator, createDate: w.createDate, type: w.type, name: w.name,
			callbackUrl: w.callbackUrl, hmacSecret: w.hmacSecret,
		};
	}

	// ---- /login and API keys

	/** @param {{ body: any }} ctx */
	apiLogin({ body }) {
		if (!body || typeof body !== 'object' || Array.isArray(body)) {
			throw new ApiError(400, 'INVALID_BODY', 'Expected a JSON object { name, password, returnToken: true }');
		}
		if (typeof body.name !== 'string' || typeof body.password !== 'string') {
			throw new ApiError(400, 'INVALID_BODY', '"name" and "password" are required strings');
		}
		const user = [...this.users.values()].find(
			(u) => (u.username === body.name || u.email === body.name) && (body.tenant === undefined || body.tenant === u.tenant),
		);
		const ok = user && crypto.timingSafeEqual(
			crypto.createHash('sha256').update(body.password).digest(),
			crypto.createHash('sha256').update(SEED_PASSWORD).digest(),
		);
		if (!user || !ok) throw new ApiError(401, 'LOGIN_FAILED', 'Invalid name or password');
		if (body.returnToken !== true) {
			throw new ApiError(400, 'RETURN_TOKEN_REQUIRED', 'Set "returnToken": true (cookie sessions are not simulated)');
		}
		const token = 'sess_' + crypto.randomBytes(24).toString('hex');
		const createDate = new Date();
		const expiresAt = createDate.getTime() + this.options.sessionTtlMs;
		this.tokens.set(token, { userId: user.id, kind: 'session', name: null, createDate: createDate.toISOString(), expiresAt });
		return {
			status: 200,
			json: {
				token,
				expirationDate: new Date(expiresAt).toISOString(),
				tenant: user.tenant,
				user: { id: user.id, name: user.name, username: user.username, email: user.email },
			},
		};
	}

	/** @param {{ url: URL, body: any }} ctx */
	apiCreateKey({ url, body }) {
		const user = this.authenticate(url);
		const name = body && typeof body === 'object' && typeof body.name === 'string' ? body.name : null;
		const id = 'key_' + crypto.randomBytes(20).toString('hex');
		const createDate = new Date();
		const expiresAt = createDate.getTime() + TEN_YEARS_MS;
		this.tokens.set(id, { userId: user.id, kind: 'apiKey', name, createDate: createDate.toISOString(), expiresAt });
		return { status: 200, json: { id, name, createDate: createDate.toISOString(), expirationDate: new Date(expiresAt).toISOString() } };
	}

	/** @param {{ url: URL }} ctx */
	apiListKeys({ url }) {
		const user = this.authenticate(url);
		const results = [...this.tokens.entries()]
			.filter(([, t]) => t.userId === user.id && t.kind === 'apiKey')
			.map(([id, t]) => ({ id, name: t.name, createDate: t.createDate, expirationDate: new Date(t.expiresAt).toISOString() }));
		return { status: 200, json: { results } };
	}

	/** @param {{ url: URL, params: Record<string, string> }} ctx */
	apiDeleteKey({ url, params }) {
		const user = this.authenticate(url);
		const rec = this.tokens.get(params.key);
		if (!rec || rec.kind !== 'apiKey' || rec.userId !== user.id) throw new ApiError(404, 'KEY_NOT_FOUND', 'API key not found');
		this.tokens.delete(params.key);
		return { status: 200, json: {} };
	}

	// ---- webhooks

	/** @param {{ url: URL, body: any }} ctx */
	apiCreateWebhook({ url, body }) {
		const user = this.authenticate(url);
		this.requireWebhookManager(user);
		if (!body || typeof body !== 'object' || Array.isArray(body)) {
			throw new ApiError(400, 'INVALID_BODY', 'Expected a JSON object { type, name?, callbackUrl, hmacSecret? }');
		}
		const { type, name, callbackUrl, hmacSecret } = body;
		if (type !== 'tenant' && type !== 'team') throw new ApiError(400, 'INVALID_TYPE', '"type" must be "tenant" or "team"');
		if (typeof callbackUrl !== 'string' || callbackUrl.trim() === '') {
			throw new ApiError(400, 'INVALID_CALLBACK_URL', '"callbackUrl" is required');
		}
		/** @type {URL | null} */
		let parsed = null;
		try {
			parsed = new URL(callbackUrl);
		} catch {
			parsed = null;
		}
		if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.hostname || callbackUrl.length > 2048) {
			throw new ApiError(400, 'INVALID_CALLBACK_URL', '"callbackUrl" must be an absolute http(s) URL');
		}
		if (hmacSecret !== undefined && hmacSecret !== null && typeof hmacSecret !== 'string') {
			throw new ApiError(400, 'INVALID_HMAC_SECRET', '"hmacSecret" must be a string');
		}
		if (name !== undefined && name !== null && typeof name !== 'string') throw new ApiError(400, 'INVALID_NAME', '"name" must be a string');
		const tenant = /** @type {Tenant} */ (this.tenants.get(user.tenant));
		/** @type {string | null} */
		let team = null;
		if (type === 'tenant') {
			if (user.role !== 'globalAdmin') throw new ApiError(403, 'TENANT_SCOPE_FORBIDDEN', 'Only global admins can create tenant webhooks');
			if (nonEmpty(name)) throw new ApiError(400, 'INVALID_NAME', '"name" (a team name) is only used for team webhooks');
		} else if (nonEmpty(name)) {
			if (user.role !== 'globalAdmin') {
				throw new ApiError(403, 'NAME_FORBIDDEN', 'Only global admins can name the team of a webhook; team admins create webhooks for their own team');
			}
			if (!tenant.teams.includes(name)) throw new ApiError(400, 'UNKNOWN_TEAM', `Team "${name}" does not exist`);
			team = name;
		} else {
			if (user.role === 'globalAdmin') throw new ApiError(400, 'NAME_REQUIRED', 'A global admin must give the team name ("name") for a team webhook');
			if (!user.team) throw new ApiError(400, 'NO_TEAM', 'User is not a member of a team');
			team = user.team;
		}
		/** @type {WebhookRecord} */
		const w = {
			id: crypto.randomBytes(12).toString('hex'),
			creator: user.username,
			createDate: new Date().toISOString(),
			type,
			name: team,
			callbackUrl,
			hmacSecret: nonEmpty(hmacSecret) ? hmacSecret : null,
			tenant: tenant.id,
			team,
		};
		this.webhooks.push(w);
		return { status: 200, json: this.publicWebhook(w) };
	}

	/** @param {{ url: URL }} ctx */
	apiListWebhooks({ url }) {
		const user = this.authenticate(url);
		this.requireWebhookManager(user);
		const results = this.webhooks
			.filter((w) => w.tenant === user.tenant && (user.role === 'globalAdmin' || (w.type === 'team' && w.team === user.team)))
			.map((w) => this.publicWebhook(w));
		return { status: 200, json: { results } };
	}

	/** @param {{ url: URL, params: Record<string, string> }} ctx */
	apiDeleteWebhook({ url, params }) {
		const user = this.authenticate(url);
		this.requireWebhookManager(user);
		const w = this.webhooks.find((x) => x.id === params.id && x.tenant === user.tenant);
		if (!w) throw new ApiError(404, 'WEBHOOK_NOT_FOUND', 'Webhook not found');
		if (user.role !== 'globalAdmin' && !(w.type === 'team' && w.team === user.team)) {
			throw new ApiError(403, 'WEBHOOK_FORBIDDEN', "Team admins can delete only their own team's webhooks");
		}
		this.webhooks = this.webhooks.filter((x) => x !== w);
		return { status: 200, json: {} };
	}

	// ---- documents and files

	/**
	 * @param {User} user
	 * @param {DocumentRecord | undefined} doc
	 * @returns {DocumentRecord}
	 */
	requireDocumentAccess(user, doc) {
		if (!doc || doc.deleted || doc.tenant !== user.tenant) throw new ApiError(404, 'DOCUMENT_NOT_FOUND', 'Document not found');
		if (user.role !== 'globalAdmin' && doc.team !== user.team) {
			throw new ApiError(403, 'DOCUMENT_FORBIDDEN', 'You do not have access to this document');
		}
		return doc;
	}

	/** @param {{ url: URL, params: Record<string, string> }} ctx */
	apiGetDocument({ url, params }) {
		const user = this.authenticate(url);
		const doc = this.requireDocumentAccess(user, this.documents.get(params.id));
		const { hash } = this.currentPdf(doc);
		return {
			status: 200,
			json: {
				results: [
					{
						documentId: doc.documentId,
						documentTitle: doc.documentTitle,
						documentType: doc.documentType,
						createDate: doc.createDate,
						pdfFile: { content: hash },
						workflow: { shareStateName: doc.shareStateName },
					},
				],
			},
		};
	}

	/** @param {{ url: URL, params: Record<string, string> }} ctx */
	apiGetAudit({ url, params }) {
		const user = this.authenticate(url);
		const doc = this.requireDocumentAccess(user, this.documents.get(params.id));
		return { status: 200, bytes: this.auditPdf(doc), contentType: 'application/pdf', filename: `${doc.documentId}-audit.pdf` };
	}

	/** @param {{ url: URL, params: Record<string, string> }} ctx */
	apiLoadFile({ url, params }) {
		const user = this.authenticate(url);
		const file = this.files.get(params.hash);
		if (!file) throw new ApiError(404, 'FILE_NOT_FOUND', 'File not found');
		this.requireDocumentAccess(user, this.documents.get(file.documentId));
		return { status: 200, bytes: file.bytes, contentType: 'application/pdf', filename: `${file.documentId}.pdf` };
	}

	// ------------------------------------------------------------------ control API (/_sim)

	state() {
		return {
			baseUrl: this.baseUrl, apiUrl: this.apiUrl, keys: { ...this.keys }, teams: this.teams,
			tenants: this.listTenants(), users: this.listUsers(), webhooks: this.listWebhooks(),
			documents: this.listDocuments(), faults: this.listFaults(), deliveries: this.deliveries, requests: this.requests,
			events: EVENTS, shapes: PAYLOAD_SHAPES, signatureModes: SIGNATURE_MODES,
		};
	}

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 * @param {URL} url
	 */
	async handleControl(req, res, url) {
		if (!isLoopbackAddress(req.socket.remoteAddress ?? '')) {
			return this.sendJson(res, 403, { error: { code: 'LOOPBACK_ONLY', message: 'The control API is available from loopback only' } });
		}
		const method = (req.method ?? 'GET').toUpperCase();
		const p = url.pathname.replace(/\/+$/, '');
		/** @param {any} body */
		const obj = (body) => (body && typeof body === 'object' && !Array.isArray(body) ? body : {});
		if (method === 'GET' && (p === '/_sim' || p === '/_sim/state')) return this.sendJson(res, 200, this.state());
		if (method === 'GET' && p === '/_sim/webhooks') return this.sendJson(res, 200, { results: this.listWebhooks() });
		if (method === 'GET' && p === '/_sim/deliveries') return this.sendJson(res, 200, { results: this.deliveries });
		if (method === 'GET' && p === '/_sim/requests') return this.sendJson(res, 200, { results: this.requests });
		if (method === 'GET' && p === '/_sim/faults') return this.sendJson(res, 200, { results: this.listFaults() });
		if (method === 'POST' && p === '/_sim/fire') {
			const body = obj(await this.readJsonBody(req));
			if (typeof body.bodyBase64 === 'string') body.body = Buffer.from(body.bodyBase64, 'base64');
			delete body.bodyBase64;
			const deliveries = await this.fire(body);
			return this.sendJson(res, 200, { deliveries });
		}
		if (method === 'POST' && p === '/_sim/faults') {
			const body = obj(await this.readJsonBody(req));
			try {
				return this.sendJson(res, 201, this.setFault(body));
			} catch (err) {
				throw new ApiError(400, 'INVALID_FAULT', /** @type {Error} */ (err).message);
			}
		}
		if (method === 'DELETE' && p === '/_sim/faults') return this.sendJson(res, 200, { cleared: this.clearFaults() });
		const oneFault = p.match(/^\/_sim\/faults\/([^/]+)$/);
		if (method === 'DELETE' && oneFault) return this.sendJson(res, 200, { cleared: this.clearFaults(decodeURIComponent(oneFault[1])) });
		if (method === 'POST' && p === '/_sim/reset') {
			this.reset();
			return this.sendJson(res, 200, { ok: true });
		}
		if (method === 'POST' && p === '/_sim/documents') {
			return this.sendJson(res, 201, this.createDocument(obj(await this.readJsonBody(req))));
		}
		const tenantMatch = p.match(/^\/_sim\/tenants\/([^/]+)$/);
		if (method === 'POST' && tenantMatch) {
			const body = obj(await this.readJsonBody(req));
			if (typeof body.webhooksEnabled !== 'boolean') throw new ApiError(400, 'INVALID_BODY', 'Expected { "webhooksEnabled": true | false }');
			this.setTenantWebhooksEnabled(decodeURIComponent(tenantMatch[1]), body.webhooksEnabled);
			return this.sendJson(res, 200, { ok: true });
		}
		return this.sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `No such control endpoint: ${method} ${url.pathname}` } });
	}

	// ------------------------------------------------------------------ lifecycle

	/** @returns {Promise<this>} */
	listen() {
		return new Promise((resolve, reject) => {
			const server = http.createServer((req, res) => {
				this.handle(req, res).catch((err) => {
					this.logLine(`[sim] unhandled: ${err && err.stack ? err.stack : err}`);
					if (!res.headersSent) this.sendJson(res, 500, { error: { code: 'INTERNAL', message: 'Simulator internal error' } });
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
		if (!server) return;
		await new Promise((resolve) => {
			server.close(() => resolve(undefined));
			server.closeAllConnections();
		});
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
};
