// @ts-check
'use strict';
/**
 * Clients for a running n8n: `RestClient` (the editor's /rest API, cookie + browser-id) and
 * `PublicApi` (the public /api/v1 API with an API key, plus the few editor calls the public
 * API lacks: credential test and "Listen for test event").
 * Error messages carry the method, path, status and response body; never a key or password.
 */

const crypto = require('node:crypto');
const { request, waitFor } = require('./http');

class HttpError extends Error {
	/** @param {string} message @param {number} status @param {any} body */
	constructor(message, status, body) {
		super(message);
		this.status = status;
		this.body = body;
	}
}

/** @param {string} method @param {string} path @param {import('./http').HttpResult} r */
function httpError(method, path, r) {
	const body = r.json !== undefined ? JSON.stringify(r.json) : r.text;
	return new HttpError(
		`${method} ${path} -> ${r.status} ${body.slice(0, 800)}`,
		r.status,
		r.json ?? r.text,
	);
}

class RestClient {
	/** @param {() => string} baseUrl @param {number} major n8n major version */
	constructor(baseUrl, major) {
		this.baseUrl = baseUrl;
		this.major = major;
		this.browserId = crypto.randomUUID();
		/** @type {string | undefined} */
		this.cookie = undefined;
		/** @type {{ email: string, password: string } | undefined} */
		this.credentials = undefined;
	}

	/**
	 * @param {string} method @param {string} path @param {any} [body]
	 * @param {{ allowStatus?: number[], timeoutMs?: number, retryLogin?: boolean }} [o]
	 * @returns {Promise<{ status: number, data: any, json: any, text: string }>}
	 */
	async call(method, path, body, o = {}) {
		/** @type {Record<string, string>} */
		const headers = { 'browser-id': this.browserId, accept: 'application/json' };
		if (this.cookie) headers.cookie = this.cookie;
		const r = await request(method, this.baseUrl() + path, {
			headers,
			body,
			timeoutMs: o.timeoutMs ?? 60_000,
		});
		const setCookie = r.headers['set-cookie'];
		for (const c of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
			const m = /^n8n-auth=([^;]*)/.exec(c);
			if (m) this.cookie = m[1] ? `n8n-auth=${m[1]}` : undefined;
		}
		if (
			r.status === 401 &&
			this.credentials &&
			o.retryLogin !== false &&
			!path.startsWith('/rest/login')
		) {
			await this.login(this.credentials.email, this.credentials.password);
			return this.call(method, path, body, { ...o, retryLogin: false });
		}
		if ((r.status < 200 || r.status >= 300) && !(o.allowStatus || []).includes(r.status))
			throw httpError(method, path, r);
		const data = r.json && typeof r.json === 'object' && 'data' in r.json ? r.json.data : r.json;
		return { status: r.status, data, json: r.json, text: r.text };
	}

	/** @param {string} email @param {string} password */
	async login(email, password) {
		await this.call(
			'POST',
			'/rest/login',
			{ emailOrLdapLoginId: email, email, password },
			{ retryLogin: false },
		);
		this.credentials = { email, password };
	}

	/** @param {string} path */
	async get(path) {
		return (await this.call('GET', path)).data;
	}
	/** @param {string} path @param {any} [body] */
	async post(path, body) {
		return (await this.call('POST', path, body ?? {})).data;
	}
	/** @param {string} path @param {any} [body] */
	async patch(path, body) {
		return (await this.call('PATCH', path, body ?? {})).data;
	}
	/** @param {string} path @param {any} [body] */
	async put(path, body) {
		return (await this.call('PUT', path, body ?? {})).data;
	}
	/** @param {string} path */
	async delete(path) {
		return (await this.call('DELETE', path)).data;
	}
}

/** Execution states that will not change any more, and those that will. */
const FINISHED = ['success', 'error', 'crashed', 'canceled'];
const PENDING = ['new', 'running', 'waiting'];

class PublicApi {
	/**
	 * @param {() => string} baseUrl @param {string} apiKey @param {RestClient} rest
	 * @param {number} major n8n major version (1 uses activate/deactivate, 2 publish/unpublish)
	 */
	constructor(baseUrl, apiKey, rest, major) {
		this.baseUrl = baseUrl;
		this.rest = rest;
		this.major = major;
		// not enumerable, so that printing the client never shows the key
		Object.defineProperty(this, 'apiKey', { value: apiKey, enumerable: false });
	}

	/**
	 * @param {string} method @param {string} path (after /api/v1) @param {any} [body]
	 * @param {{ allowStatus?: number[], timeoutMs?: number }} [o]
	 * @returns {Promise<{ status: number, json: any }>}
	 */
	async call(method, path, body, o = {}) {
		const headers = {
			'X-N8N-API-KEY': /** @type {any} */ (this).apiKey,
			accept: 'application/json',
		};
		const r = await request(method, `${this.baseUrl()}/api/v1${path}`, {
			headers,
			body,
			timeoutMs: o.timeoutMs ?? 60_000,
		});
		if ((r.status < 200 || r.status >= 300) && !(o.allowStatus || []).includes(r.status))
			throw httpError(method, `/api/v1${path}`, r);
		return { status: r.status, json: r.json };
	}

	// ---- credentials

	/** @param {{ name: string, type: string, data: Record<string, any> }} c @returns {Promise<{ id: string, name: string, type: string }>} */
	async createCredential(c) {
		return (await this.call('POST', '/credentials', c)).json;
	}
	/** @param {string} id */
	async deleteCredential(id) {
		return (await this.call('DELETE', `/credentials/${id}`)).json;
	}
	/** @param {string} type @returns {Promise<any>} JSON schema of the credential type's data */
	async credentialSchema(type) {
		return (await this.call('GET', `/credentials/schema/${encodeURIComponent(type)}`)).json;
	}

	/**
	 * Tests a credential. Given a stored credential's id (a string): the public API's
	 * POST /api/v1/credentials/:id/test (stored data). Given `{ type, data, id?, name? }`: the
	 * editor's POST /rest/credentials/test with `{ credentials: { id, name, type, data } }`; with
	 * `id` '' the data is tested as given (the owner may do this; 2.x only), with a stored id
	 * redacted values are filled in from the stored credential. n8n 1.x needs a stored id.
	 * @param {string | { id?: string, name?: string, type: string, data: Record<string, any> }} c
	 * @returns {Promise<{ status: 'OK' | 'Error', message?: string }>}
	 */
	async testCredential(c) {
		if (typeof c === 'string' && this.major >= 2)
			return (await this.call('POST', `/credentials/${encodeURIComponent(c)}/test`, {})).json;
		if (typeof c === 'string') {
			// 1.x has no public test route: test the stored data through the editor's route
			const stored = await this.rest.get(
				`/rest/credentials/${encodeURIComponent(c)}?includeData=true`,
			);
			c = { id: stored.id, name: stored.name, type: stored.type, data: stored.data };
		}
		return this.rest.post('/rest/credentials/test', {
			credentials: { id: c.id ?? '', name: c.name ?? 'test', type: c.type, data: c.data },
		});
	}

	// ---- workflows

	/**
	 * @param {{ name: string, nodes: any[], connections?: any, settings?: any, staticData?: any }} wf
	 * @returns {Promise<any>} the stored workflow (with `id`)
	 */
	async createWorkflow(wf) {
		const body = {
			name: wf.name,
			nodes: wf.nodes,
			connections: wf.connections || {},
			settings: wf.settings || { executionOrder: 'v1' },
		};
		if (wf.staticData !== undefined) Object.assign(body, { staticData: wf.staticData });
		return (await this.call('POST', '/workflows', body)).json;
	}
	/** @param {string} id */
	async getWorkflow(id) {
		return (await this.call('GET', `/workflows/${id}`)).json;
	}
	/** @param {string} id @param {{ name: string, nodes: any[], connections: any, settings?: any }} wf */
	async updateWorkflow(id, wf) {
		return (
			await this.call('PUT', `/workflows/${id}`, {
				name: wf.name,
				nodes: wf.nodes,
				connections: wf.connections,
				settings: wf.settings || { executionOrder: 'v1' },
			})
		).json;
	}
	/** @param {string} id */
	async deleteWorkflow(id) {
		return (await this.call('DELETE', `/workflows/${id}`)).json;
	}
	/** Publishes (activates) a workflow; trigger `create` has run when this returns. @param {string} id */
	async publish(id) {
		return (
			await this.call('POST', `/workflows/${id}/${this.major >= 2 ? 'publish' : 'activate'}`, {})
		).json;
	}
	/** Unpublishes (deactivates) a workflow; trigger `delete` has run when this returns. @param {string} id */
	async unpublish(id) {
		return (
			await this.call(
				'POST',
				`/workflows/${id}/${this.major >= 2 ? 'unpublish' : 'deactivate'}`,
				{},
			)
		).json;
	}

	// ---- editor-only calls (through the logged-in RestClient)

	/**
	 * "Listen for test event" as the editor does it: POST /rest/workflows/:id/run with
	 * `{ triggerToStartFrom: { name } }` for a trigger without pinned data. n8n registers the
	 * test webhook (the trigger's checkExists/create run against the /webhook-test/ URL) and
	 * answers `{ waitingForWebhook: true }`; it waits up to 2 minutes for one delivery, then
	 * removes it (delete). The workflow must be saved (2.41 runs the stored version; for 1.x the
	 * stored version is sent as `workflowData`, as the editor does).
	 * @param {string} workflowId @param {string} triggerNodeName
	 * @returns {Promise<{ waitingForWebhook?: boolean, executionId?: string }>}
	 */
	async listenForTestEvent(workflowId, triggerNodeName) {
		/** @type {Record<string, any>} */
		const body = { triggerToStartFrom: { name: triggerNodeName } };
		// 1.x takes the workflow from the request body (as the editor sends it)
		if (this.major < 2) body.workflowData = await this.rest.get(`/rest/workflows/${workflowId}`);
		return this.rest.post(`/rest/workflows/${workflowId}/run`, body);
	}

	/**
	 * Runs a saved workflow from its Manual Trigger as the editor's "Execute workflow" does (the
	 * same editor call as `listenForTestEvent`: a Manual Trigger needs no webhook, so n8n starts
	 * an execution at once) and returns the finished execution with its data.
	 * @param {string} workflowId @param {string} triggerNodeName @param {{ timeoutMs?: number }} [o]
	 * @returns {Promise<any>}
	 */
	async runManually(workflowId, triggerNodeName, o = {}) {
		const started = await this.listenForTestEvent(workflowId, triggerNodeName);
		if (!started.executionId)
			throw new Error(
				`running workflow ${workflowId} from "${triggerNodeName}" started no execution: ${JSON.stringify(started)}`,
			);
		return this.waitForStatus(started.executionId, FINISHED, {
			timeoutMs: o.timeoutMs,
			what: `execution ${started.executionId} of workflow ${workflowId} to finish`,
		});
	}

	/**
	 * Waits (bounded) until execution `id` has one of `statuses` (e.g. `['waiting']`, or FINISHED)
	 * and its data is stored; resolves the execution with its data (editor route).
	 * @param {string | number} id @param {string[]} statuses
	 * @param {{ timeoutMs?: number, what?: string }} [o]
	 */
	async waitForStatus(id, statuses, o = {}) {
		return waitFor(
			async () => {
				const execution = await this.call('GET', `/executions/${id}?includeData=true`, undefined, {
					allowStatus: [404],
				});
				// n8n 1.x may mark the execution finished a moment before its data is stored
				return execution.status === 200 &&
					statuses.includes(execution.json.status) &&
					execution.json.data
					? execution.json
					: undefined;
			},
			{
				timeoutMs: o.timeoutMs ?? 60_000,
				intervalMs: 300,
				what: o.what ?? `execution ${id} to be ${statuses.join(' or ')}`,
			},
		);
	}

	/**
	 * The bytes of a binary in an execution's data: inline base64, or fetched from n8n's binary
	 * data store (the editor's download route) when n8n keeps it on disk.
	 * @param {{ id?: string, data?: string }} binary @returns {Promise<Buffer>}
	 */
	async binaryBytes(binary) {
		if (!binary.id) return Buffer.from(binary.data || '', 'base64');
		const headers = { 'browser-id': this.rest.browserId, cookie: this.rest.cookie || '' };
		const r = await request(
			'GET',
			`${this.baseUrl()}/rest/binary-data?id=${encodeURIComponent(binary.id)}&action=download`,
			{ headers, timeoutMs: 15_000 },
		);
		if (r.status !== 200) throw httpError('GET', '/rest/binary-data', r);
		return r.body;
	}

	/**
	 * Stops listening (the editor's "Stop listening"): DELETE /rest/test-webhook/:workflowId.
	 * n8n runs the trigger's `delete` for the test registration asynchronously after answering,
	 * so poll for its effect.
	 * @param {string} workflowId
	 */
	async stopListening(workflowId) {
		return this.rest.delete(`/rest/test-webhook/${workflowId}`);
	}

	/** All loaded node types (GET /types/nodes.json, needs the login cookie). @returns {Promise<any[]>} */
	async nodeTypes() {
		return (await this.rest.call('GET', '/types/nodes.json')).json;
	}
	/** All loaded credential types (GET /types/credentials.json). @returns {Promise<any[]>} */
	async credentialTypes() {
		return (await this.rest.call('GET', '/types/credentials.json')).json;
	}

	// ---- executions

	/**
	 * All executions of a workflow (follows `nextCursor`; at most 100 pages).
	 * @param {string} workflowId
	 * @param {{ status?: string, includeData?: boolean }} [o]
	 * @returns {Promise<any[]>}
	 */
	async listExecutions(workflowId, o = {}) {
		const out = [];
		let cursor;
		for (let page = 0; page < 100; page++) {
			const q = new URLSearchParams({ workflowId: String(workflowId), limit: '250' });
			if (o.status) q.set('status', o.status);
			if (o.includeData) q.set('includeData', 'true');
			if (cursor) q.set('cursor', cursor);
			const { json } = await this.call('GET', `/executions?${q}`);
			out.push(...(json.data || []));
			cursor = json.nextCursor;
			if (!cursor) return out;
		}
		throw new Error(`listExecutions(${workflowId}): more than 100 pages`);
	}

	/** @param {string | number} id @param {{ includeData?: boolean }} [o] */
	async getExecution(id, o = {}) {
		return (
			await this.call(
				'GET',
				`/executions/${id}?includeData=${o.includeData === false ? 'false' : 'true'}`,
			)
		).json;
	}

	/**
	 * How many of the workflow's executions are in one of `statuses`: the editor's count
	 * (GET /rest/executions with a filter), so waiting for thousands of executions does not list
	 * them over and over. Needs the logged-in RestClient (setupOwner).
	 * @param {string} workflowId @param {string[]} statuses
	 * @returns {Promise<number>}
	 */
	async countExecutions(workflowId, statuses) {
		const filter = encodeURIComponent(
			JSON.stringify({ workflowId: String(workflowId), status: statuses }),
		);
		const r = await this.rest.call('GET', `/rest/executions?filter=${filter}&limit=1`);
		const count = Number((r.data || r.json).count);
		if (!Number.isInteger(count) || count < 0)
			throw new Error(
				`countExecutions(${workflowId}): n8n answered no count: ${r.text.slice(0, 200)}`,
			);
		return count;
	}

	/**
	 * Waits (bounded) until the workflow has at least `n` finished executions and none still
	 * new, running or waiting; then, if `settleMs` is given, waits that long so that extra
	 * executions show up. Returns the workflow's executions (callers assert the exact count; with
	 * their data when `includeData`), or nothing with `list: false` (a load of thousands need not
	 * be listed).
	 * @param {string} workflowId @param {number} n
	 * @param {{ timeoutMs?: number, settleMs?: number, intervalMs?: number, list?: boolean,
	 *   includeData?: boolean }} [o]
	 * @returns {Promise<any[]>}
	 */
	async waitForExecutions(workflowId, n, o = {}) {
		let last = 'nothing counted yet';
		await waitFor(
			async () => {
				const finished = await this.countExecutions(workflowId, FINISHED);
				const pending = finished >= n ? await this.countExecutions(workflowId, PENDING) : NaN;
				last = `${finished} finished${Number.isNaN(pending) ? '' : `, ${pending} pending`}`;
				return finished >= n && pending === 0;
			},
			{
				timeoutMs: o.timeoutMs ?? 30_000,
				intervalMs: o.intervalMs ?? 300,
				what: `${n} finished executions of workflow ${workflowId}`,
			},
		).catch((error) => {
			throw new Error(`${error.message}; last seen: ${last}`);
		});
		if (o.settleMs) await new Promise((r) => setTimeout(r, o.settleMs));
		return o.list === false
			? []
			: this.listExecutions(workflowId, { includeData: o.includeData === true });
	}

	/**
	 * When the workflow's last execution stopped, as n8n recorded it (ms since the epoch; 0 when
	 * none has): the newest 250 hold it, since executions are numbered as they start.
	 * @param {string} workflowId
	 */
	async lastStoppedAt(workflowId) {
		const { json } = await this.call(
			'GET',
			`/executions?workflowId=${encodeURIComponent(workflowId)}&limit=250`,
		);
		let last = 0;
		for (const e of json.data || [])
			last = Math.max(last, e.stoppedAt ? Date.parse(e.stoppedAt) : 0);
		return last;
	}

	/**
	 * Output items of one node in an execution (run 0, output 0), from `includeData`.
	 * @param {any} execution @param {string} nodeName @returns {any[]}
	 */
	static nodeOutput(execution, nodeName) {
		const runs = execution?.data?.resultData?.runData?.[nodeName];
		return (runs && runs[0] && runs[0].data && runs[0].data.main && runs[0].data.main[0]) || [];
	}
}

module.exports = { RestClient, PublicApi, HttpError, FINISHED, PENDING };
