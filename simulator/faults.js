// @ts-check
'use strict';

/**
 * Fault injection for the simulated API: a forced status, added latency, or a dropped
 * connection, per method and path, optionally only after the real operation was performed.
 */

/**
 * @typedef {{ method?: string, path: string, status?: number, delayMs?: number, drop?: boolean,
 *   times?: number, afterHandling?: boolean, retryAfter?: number, message?: string }} FaultSpec
 * @typedef {FaultSpec & { id: string, method: string, remaining: number | null, hits: number }} Fault
 */

const API_PREFIX = '/api/v1';
const MAX_DELAY_MS = 120_000;

/** @param {string} p */
function normalisePath(p) {
	let s = String(p).trim();
	if (s === '*' || s === '/*') return '*';
	if (s.startsWith(API_PREFIX + '/') || s === API_PREFIX) s = s.slice(API_PREFIX.length) || '/';
	if (!s.startsWith('/')) s = '/' + s;
	if (s.length > 1 && s.endsWith('/')) s = s.slice(0, -1);
	return s;
}

/**
 * Does a fault path pattern (`/webhooks/:id`, `/webhooks/abc`, `*`) match a request path
 * relative to /api/v1?
 * @param {string} pattern normalised
 * @param {string} path normalised
 */
function pathMatches(pattern, path) {
	if (pattern === '*') return true;
	const a = pattern.split('/');
	const b = path.split('/');
	if (a.length !== b.length) return false;
	return a.every((seg, i) => seg === b[i] || (seg.startsWith(':') && b[i] !== ''));
}

class FaultTable {
	constructor() {
		/** @type {Fault[]} */
		this.faults = [];
		this.seq = 0;
	}

	/**
	 * @param {FaultSpec} spec
	 * @returns {Fault}
	 */
	add(spec) {
		if (!spec || typeof spec !== 'object') throw new TypeError('setFault: an object is required');
		if (typeof spec.path !== 'string' || spec.path.trim() === '')
			throw new TypeError('setFault: "path" is required');
		const method = (spec.method ?? '*').toUpperCase();
		if (!/^(\*|GET|POST|PUT|PATCH|DELETE)$/.test(method))
			throw new TypeError(`setFault: unsupported method "${spec.method}"`);
		if (
			spec.status !== undefined &&
			!(Number.isInteger(spec.status) && spec.status >= 100 && spec.status <= 599)
		) {
			throw new TypeError('setFault: "status" must be an HTTP status code');
		}
		if (
			spec.delayMs !== undefined &&
			!(Number.isFinite(spec.delayMs) && spec.delayMs >= 0 && spec.delayMs <= MAX_DELAY_MS)
		) {
			throw new TypeError(`setFault: "delayMs" must be between 0 and ${MAX_DELAY_MS}`);
		}
		if (spec.times !== undefined && !(Number.isInteger(spec.times) && spec.times > 0)) {
			throw new TypeError('setFault: "times" must be a positive integer');
		}
		if (spec.status === undefined && !spec.drop && !spec.delayMs) {
			throw new TypeError('setFault: give at least one of "status", "delayMs" or "drop"');
		}
		if (spec.status !== undefined && spec.drop)
			throw new TypeError('setFault: "status" and "drop" exclude each other');
		/** @type {Fault} */
		const fault = {
			id: 'fault-' + ++this.seq,
			method,
			path: normalisePath(spec.path),
			status: spec.status,
			delayMs: spec.delayMs ?? 0,
			drop: Boolean(spec.drop),
			afterHandling: Boolean(spec.afterHandling),
			retryAfter: spec.retryAfter,
			message: spec.message,
			times: spec.times,
			remaining: spec.times ?? null,
			hits: 0,
		};
		this.faults.push(fault);
		return fault;
	}

	/**
	 * Finds the first fault for this request and consumes one use of it.
	 * @param {string} method
	 * @param {string} apiPath path relative to /api/v1
	 * @returns {Fault | undefined}
	 */
	take(method, apiPath) {
		const path = normalisePath(apiPath);
		const m = method.toUpperCase();
		const fault = this.faults.find(
			(f) => (f.method === '*' || f.method === m) && pathMatches(f.path, path),
		);
		if (!fault) return undefined;
		fault.hits++;
		if (fault.remaining !== null) {
			fault.remaining--;
			if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
		}
		return fault;
	}

	/** @param {string} [id] clear one fault, or all */
	clear(id) {
		if (id === undefined) {
			const n = this.faults.length;
			this.faults = [];
			return n;
		}
		const before = this.faults.length;
		this.faults = this.faults.filter((f) => f.id !== id);
		return before - this.faults.length;
	}

	list() {
		return this.faults.map((f) => ({ ...f }));
	}
}

module.exports = { FaultTable, normalisePath, pathMatches, API_PREFIX };
