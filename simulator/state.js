// @ts-check
'use strict';

/**
 * The simulator's data: tenants, users, keys, webhooks, documents and files, plus the logs of
 * requests and deliveries, and the access rules every API route applies.
 */

const crypto = require('node:crypto');

const { FaultTable } = require('./faults');
const { ApiError } = require('./http');
const {
	seededKey,
	seedTenants,
	seedUsers,
	seedDocuments,
	seedSignRequests,
	seedDefinitions,
} = require('./seed');
const { documentView, recordChange, userActor } = require('./documents');
const { FileStore } = require('./fileStore');
const { EVENT_EFFECTS } = require('./payloads');
const { openSignRequest } = require('./signing');
const { forgetSnapshots } = require('./readLag');
const { seedTemplates } = require('./templates');

const MAX_LOG_ENTRIES = 10_000;

/**
 * @typedef {import('./seed').User} User
 * @typedef {import('./seed').Tenant} Tenant
 * @typedef {import('./seed').DocumentRecord} DocumentRecord
 * @typedef {{ id: string, creator: string, createDate: string, type: 'tenant' | 'team', name: string | null,
 *   callbackUrl: string, hmacSecret: string | null, tenant: string, team: string | null }} WebhookRecord
 * @typedef {{ userId: string, kind: 'apiKey' | 'session', name: string | null, createDate: string,
 *   expiresAt: number }} TokenRecord
 * @typedef {{ webhookId: string, url: string, status: number | null, latencyMs: number, body: string,
 *   signature: string | null, error?: string, responseBody: string | null, event: string,
 *   documentId: string, shape: string, signatureMode: string, attempt: number, at: string }} Delivery
 * @typedef {{ method: string, path: string, query: Record<string, string>, headers: Record<string, string>,
 *   body?: unknown, multipart?: import('./multipart').MultipartSummary, status: number | null, at: string,
 *   durationMs?: number, fault?: string, dropped?: boolean }} RequestLogEntry
 * @typedef {{ id?: string | null, name?: string | null, username?: string | null, email?: string | null }} Actor
 * @typedef {{ fileIdKey: 'id' | 'fileId' | 'hash', searchTotal: 'total' | 'hitsTotal' | 'none',
 *   shareResponse: 'array' | 'results', readResponse: 'results' | 'bare',
 *   fileLength: 'declared' | 'chunked', readLagMs: number }} Variants
 *   Answer shapes a real tenant may use where Circularo's documentation is not explicit:
 *   where `POST /files/saveFile` puts the file hash (`file.id`, `file.fileId` or `file.hash`), how
 *   `POST /search` reports the total (`total`, `hits.total.value` or not at all), and whether
 *   `POST /share` and the cancel call answer with a bare array or `{ results: [...] }`, and whether
 *   `GET /documents/:id` and `GET /webhooks` wrap their records in `{ results: [...] }` (documented)
 *   or answer them bare (the document itself, an array of webhooks), and whether a downloaded file
 *   declares its size (Content-Length) or comes chunked without one, as through some proxies;
 *   `readLagMs`: how long reads lag writes (readLag.js; 0, the default, is none).
 * @typedef {{ port?: number, host?: string, log?: boolean | ((line: string) => void),
 *   deliveryTimeoutMs?: number, sessionTtlMs?: number, allowRemoteCallbacks?: boolean,
 *   variants?: Partial<Variants> }} SimulatorOptions
 */

/** @type {Variants} */
const DEFAULT_VARIANTS = Object.freeze({
	fileIdKey: 'id',
	searchTotal: 'total',
	shareResponse: 'array',
	readResponse: 'results',
	fileLength: 'declared',
	readLagMs: 0,
});
/** @type {{ [K in keyof Variants]: readonly Variants[K][] }} */
const VARIANT_CHOICES = Object.freeze({
	fileIdKey: ['id', 'fileId', 'hash'],
	searchTotal: ['total', 'hitsTotal', 'none'],
	shareResponse: ['array', 'results'],
	readResponse: ['results', 'bare'],
	fileLength: ['declared', 'chunked'],
	readLagMs: [],
});
/** The longest lag `readLagMs` takes (a minute). */
const MAX_READ_LAG_MS = 60_000;

/**
 * Checks variant names and values (throws a 400 naming the bad one).
 * @param {unknown} v
 * @returns {Partial<Variants>}
 */
function checkVariants(v) {
	if (v === undefined) return {};
	if (!v || typeof v !== 'object' || Array.isArray(v))
		throw new ApiError(400, 'INVALID_VARIANTS', 'variants must be an object');
	/** @type {Record<string, unknown>} */
	const checked = { ...v };
	for (const [k, value] of Object.entries(checked)) {
		if (k === 'readLagMs') {
			const ms = Number(value);
			if (!(Number.isInteger(ms) && ms >= 0 && ms <= MAX_READ_LAG_MS))
				throw new ApiError(
					400,
					'INVALID_VARIANTS',
					`variant readLagMs must be a whole number of milliseconds from 0 to ${MAX_READ_LAG_MS}`,
				);
			checked.readLagMs = ms;
			continue;
		}
		const known = /** @type {Record<string, readonly unknown[]>} */ (VARIANT_CHOICES)[k];
		if (!known)
			throw new ApiError(
				400,
				'INVALID_VARIANTS',
				`unknown variant "${k}" (known: ${Object.keys(VARIANT_CHOICES).join(', ')})`,
			);
		if (!known.includes(value))
			throw new ApiError(
				400,
				'INVALID_VARIANTS',
				`variant ${k} must be one of ${known.join(', ')}`,
			);
	}
	return /** @type {Partial<Variants>} */ (checked);
}

class SimulatorState {
	/** @param {SimulatorOptions} [options] */
	constructor(options = {}) {
		this.options = {
			port: options.port ?? 0,
			host: options.host ?? '127.0.0.1',
			deliveryTimeoutMs: options.deliveryTimeoutMs ?? 10_000,
			sessionTtlMs: options.sessionTtlMs ?? 60 * 60 * 1000,
			allowRemoteCallbacks: Boolean(options.allowRemoteCallbacks),
			variants: { ...DEFAULT_VARIANTS, ...checkVariants(options.variants) },
		};
		/** @type {Variants} */
		this.variants = { ...this.options.variants };
		/** @type {(line: string) => void} */
		this.logLine =
			typeof options.log === 'function'
				? options.log
				: options.log
					? (line) => console.log(line)
					: () => {};
		this.stopped = false;
		/** Outgoing delivery requests in flight (destroyed on stop). @type {Set<import('node:http').ClientRequest>} */
		this.inflight = new Set();
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
		/** Files by SHA-256 hash. @type {Map<string, import('./documents').FileRecord>} */
		this.files = new Map();
		/** Where uploads are kept (a temporary folder, removed by `stop()`). */
		this.fileStore = new FileStore();
		/** @type {Map<string, import('./signing').ShareRecord>} */
		this.shares = new Map();
		/** Manual reminders sent, by share id (ISO dates). @type {Map<string, string[]>} */
		this.reminders = new Map();
		/** Signature templates by id (templates.js). @type {Map<string, import('./templates').TemplateRecord>} */
		this.templates = new Map();
		/** Makes the shareToken of `GET /share/:id/validate` (routes/signingLinks.js). */
		this.shareTokenSecret = crypto.randomBytes(16).toString('hex');
		/** Document types of every tenant. */
		this.definitions = seedDefinitions();
		/** Set by `failNextDelete`: the next `DELETE /documents` answers 200 with `errors: true`. @type {string | null} */
		this.nextDeleteError = null;
		/**
		 * Set by `actOnNextShare`: right after the next `POST /share`, its first recipient signs or
		 * rejects, as a signer who acts within moments would. @type {{ action: 'sign' | 'reject', reason?: string } | null}
		 */
		this.nextShareAction = null;
		/** Deliveries of events the API emitted, in order (see `emit`). @type {Promise<unknown>} */
		this.emitting = Promise.resolve();
		/** Counts resets; events emitted before a reset are not delivered after it. */
		this.generation = 0;
		this.reset();
	}

	/** Back to the seeded state: seeded users, keys and documents; no webhooks, faults or logs. */
	reset() {
		this.generation++;
		this.tenants = new Map(seedTenants().map((t) => [t.id, t]));
		this.users = new Map(seedUsers().map((u) => [u.id, u]));
		this.tokens = new Map();
		this.keys = {};
		for (const u of this.users.values()) {
			const key = seededKey(u.keyName);
			this.keys[u.keyName] = key;
			this.tokens.set(key, {
				userId: u.id,
				kind: 'apiKey',
				name: 'Seeded simulator key',
				createDate: '2026-01-15T09:00:00.000Z',
				expiresAt: Date.parse('2036-01-15T09:00:00.000Z'),
			});
		}
		this.webhooks = [];
		this.documents = new Map(seedDocuments().map((d) => [d.documentId, d]));
		this.files = new Map();
		this.shares = new Map();
		this.reminders = new Map();
		this.templates = seedTemplates(this);
		for (const r of seedSignRequests()) {
			const doc = /** @type {DocumentRecord} */ (this.documents.get(r.documentId));
			openSignRequest(this, doc, /** @type {User} */ (this.findUser(r.sharedBy)), {
				data: [{ sharePurpose: 'sign', shareTo: r.shareTo }],
			});
			doc.version = 1;
			doc.history = [];
		}
		this.variants = { ...this.options.variants };
		this.nextDeleteError = null;
		this.nextShareAction = null;
		this.faultTable.clear();
		this.deliveries.length = 0;
		this.requests.length = 0;
		forgetSnapshots(this);
	}

	/** Team names of the main tenant (`acme`): teamAdmin administers the first, otherTeamAdmin the second. */
	get teams() {
		return [...(this.tenants.get('acme')?.teams ?? [])];
	}

	/** All webhooks of all tenants (copies, including the secret). */
	listWebhooks() {
		return this.webhooks.map((w) => ({ ...this.publicWebhook(w), tenant: w.tenant }));
	}

	/** @param {WebhookRecord} w */
	publicWebhook(w) {
		return {
			id: w.id,
			creator: w.creator,
			createDate: w.createDate,
			type: w.type,
			name: w.name,
			callbackUrl: w.callbackUrl,
			hmacSecret: w.hmacSecret,
		};
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

	/**
	 * A document for tests and `GET /_sim/state`: the API's view plus where it lives.
	 * @param {DocumentRecord} d
	 */
	publicDocument(d) {
		const view = documentView(this, d);
		return {
			...view,
			tenant: d.tenant,
			team: d.team,
			creator: d.creator,
			shareStateName: d.shareStateName,
			deleted: d.deleted,
			pdfHash: view.pdfFile.content,
			history: view.workflow.history,
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
	 * A seeded user by username, e-mail or id.
	 * @param {string} who
	 */
	findUser(who) {
		return [...this.users.values()].find(
			(x) => x.username === who || x.email === who || x.id === who,
		);
	}

	/**
	 * An actor for an event: a seeded user by username, e-mail or id; any other string as an
	 * external person; by default the document's creator.
	 * @param {Actor | string | undefined} actor
	 * @param {DocumentRecord} doc
	 * @returns {Actor}
	 */
	resolveActor(actor, doc) {
		if (actor && typeof actor === 'object')
			return { id: actor.id, name: actor.name, username: actor.username, email: actor.email };
		if (typeof actor === 'string' && actor !== '') {
			const u = this.findUser(actor);
			if (u) return userActor(u);
			return {
				id: 'ext-' + crypto.createHash('sha256').update(actor).digest('hex').slice(0, 8),
				name: actor,
				username: actor,
				email: actor.includes('@') ? actor : null,
			};
		}
		const u = this.users.get(doc.creator);
		return u ? userActor(u) : { id: doc.creator };
	}

	/**
	 * What a fired event does to the document (state, deletion, history, version).
	 * @param {DocumentRecord} doc
	 * @param {string} event
	 * @param {Actor} actor
	 * @param {Date} at
	 */
	applyEvent(doc, event, actor, at) {
		if (Object.hasOwn(EVENT_EFFECTS, event)) Object.assign(doc, EVENT_EFFECTS[event]);
		recordChange(doc, event, actor, { date: at });
	}

	/**
	 * Appends to a log, keeping the newest MAX_LOG_ENTRIES.
	 * @template T
	 * @param {T[]} list
	 * @param {T} entry
	 */
	pushLog(list, entry) {
		list.push(entry);
		if (list.length > MAX_LOG_ENTRIES) list.splice(0, list.length - MAX_LOG_ENTRIES);
	}

	// ------------------------------------------------------------------ access rules

	/**
	 * The user of the `token` query parameter (401 when missing, unknown or expired).
	 * @param {URL} url
	 * @returns {User}
	 */
	authenticate(url) {
		const token = url.searchParams.get('token');
		if (token === null || token === '') {
			throw new ApiError(
				401,
				'MISSING_TOKEN',
				'Authentication required: pass a session token or API key in the "token" query parameter',
			);
		}
		const rec = this.tokens.get(token);
		if (!rec || rec.expiresAt <= Date.now())
			throw new ApiError(401, 'INVALID_TOKEN', 'Invalid or expired token');
		const user = this.users.get(rec.userId);
		if (!user) throw new ApiError(401, 'INVALID_TOKEN', 'Invalid or expired token');
		return user;
	}

	/** @param {User} user */
	requireWebhookManager(user) {
		const tenant = this.tenants.get(user.tenant);
		if (!tenant || !tenant.webhooksEnabled) {
			throw new ApiError(
				403,
				'WEBHOOKS_DISABLED',
				'Webhooks are not enabled for this tenant. Contact Circularo support to enable them',
			);
		}
		if (user.role !== 'globalAdmin' && user.role !== 'teamAdmin') {
			throw new ApiError(
				403,
				'ADMIN_REQUIRED',
				'Managing webhooks requires a team admin or global admin account',
			);
		}
		if (!user.rights.includes('use_webhooks'))
			throw new ApiError(403, 'RIGHT_MISSING', 'User lacks the use_webhooks right');
	}

	/**
	 * The document if the user may see it: 404 unknown, trashed (unless `includeTrash`) or another
	 * tenant's; 403 another team's (global admins see every team).
	 * @param {User} user
	 * @param {DocumentRecord | undefined} doc
	 * @param {{ includeTrash?: boolean }} [o]
	 * @returns {DocumentRecord}
	 */
	requireDocumentAccess(user, doc, o = {}) {
		if (!doc || (doc.deleted && !o.includeTrash) || doc.tenant !== user.tenant)
			throw new ApiError(404, 'DOCUMENT_NOT_FOUND', 'Document not found');
		if (user.role !== 'globalAdmin' && doc.team !== user.team) {
			throw new ApiError(403, 'DOCUMENT_FORBIDDEN', 'You do not have access to this document');
		}
		return doc;
	}

	/**
	 * A stored file the user may read: through a document they can see, or their tenant's upload
	 * not yet used by any document.
	 * @param {User} user
	 * @param {string} hash
	 */
	requireFileAccess(user, hash) {
		const file = this.files.get(hash);
		if (!file) throw new ApiError(404, 'FILE_NOT_FOUND', 'File not found');
		if (file.documentIds.size === 0 && file.tenants.has(user.tenant)) return file;
		/** @type {unknown[]} */
		const refusals = [];
		for (const id of file.documentIds) {
			try {
				this.requireDocumentAccess(user, this.documents.get(id));
				return file;
			} catch (err) {
				refusals.push(err);
			}
		}
		throw refusals[0] ?? new ApiError(404, 'FILE_NOT_FOUND', 'File not found');
	}
}

module.exports = { SimulatorState, checkVariants };
