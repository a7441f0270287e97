// @ts-check
'use strict';

const path = require('node:path');
const net = require('node:net');
const { spawn, execFile } = require('node:child_process');
const { startSimulator, isLoopbackAddress } = require('../../simulator');
const { api, request, startReceiver, createWebhook, useSimulator } = require('./helpers');

const CLI = path.join(__dirname, '..', '..', 'simulator', 'cli.js');

describe('control API /_sim', () => {
	/** @type {import('./helpers').Simulator} */
	let sim;
	/** @type {import('./helpers').Receiver} */
	let rx;
	useSimulator((s, r) => ((sim = s), (rx = r)), { receiver: true });

	test('GET /_sim/state mirrors the library', async () => {
		await createWebhook(sim, sim.keys.teamAdmin, {
			type: 'team',
			callbackUrl: rx.url,
			hmacSecret: 'x',
		});
		const r = await request(`${sim.baseUrl}/_sim/state`);
		expect(r.status).toBe(200);
		expect(r.json).toMatchObject({
			baseUrl: sim.baseUrl,
			apiUrl: sim.apiUrl,
			keys: sim.keys,
			teams: ['Sales', 'Legal'],
		});
		expect(r.json.webhooks).toEqual(sim.listWebhooks());
		expect(r.json.requests).toHaveLength(1);
		expect(r.json.documents.map((/** @type {any} */ d) => d.documentId)).toContain('doc-sales-1');
	});

	test('POST /_sim/documents and /_sim/fire deliver like sim.fire', async () => {
		await createWebhook(sim, sim.keys.teamAdmin, {
			type: 'team',
			callbackUrl: rx.url,
			hmacSecret: 'x',
		});
		const doc = await request(`${sim.baseUrl}/_sim/documents`, {
			method: 'POST',
			body: { title: 'Via control' },
		});
		expect(doc.status).toBe(201);
		const r = await request(`${sim.baseUrl}/_sim/fire`, {
			method: 'POST',
			body: { event: 'documentSigned', documentId: doc.json.documentId, shape: 'type', repeat: 2 },
		});
		expect(r.status).toBe(200);
		expect(r.json.deliveries).toHaveLength(2);
		expect(r.json.deliveries[0]).toMatchObject({
			status: 200,
			event: 'documentSigned',
			shape: 'type',
		});
		expect(JSON.parse(rx.requests[0].body.toString())).toMatchObject({
			type: 'documentSigned',
			document: { title: 'Via control' },
		});
		expect(sim.deliveries).toHaveLength(2);
	});

	test('raw body via bodyBase64', async () => {
		await createWebhook(sim, sim.keys.teamAdmin, { type: 'team', callbackUrl: rx.url });
		const raw = Buffer.from('not json at all');
		await request(`${sim.baseUrl}/_sim/fire`, {
			method: 'POST',
			body: { event: 'documentSigned', bodyBase64: raw.toString('base64') },
		});
		expect(rx.requests[0].body.equals(raw)).toBe(true);
	});

	test('fire errors come back as 400 / 404 JSON', async () => {
		const a = await request(`${sim.baseUrl}/_sim/fire`, {
			method: 'POST',
			body: { event: 'nope' },
		});
		expect(a.status).toBe(400);
		expect(a.json.error.message).toMatch(/unknown event/);
		const b = await request(`${sim.baseUrl}/_sim/fire`, {
			method: 'POST',
			body: { event: 'documentSigned', documentId: 'doc-x' },
		});
		expect(b.status).toBe(404);
	});

	test('faults, tenant switch and reset over HTTP', async () => {
		const f = await request(`${sim.baseUrl}/_sim/faults`, {
			method: 'POST',
			body: { method: 'GET', path: '/webhooks', status: 503 },
		});
		expect(f.status).toBe(201);
		expect((await api(sim, 'GET', '/webhooks', sim.keys.globalAdmin)).status).toBe(503);
		const bad = await request(`${sim.baseUrl}/_sim/faults`, {
			method: 'POST',
			body: { path: '/webhooks' },
		});
		expect(bad.status).toBe(400);
		expect((await request(`${sim.baseUrl}/_sim/faults`, { method: 'DELETE' })).json).toEqual({
			cleared: 1,
		});
		expect((await api(sim, 'GET', '/webhooks', sim.keys.globalAdmin)).status).toBe(200);

		const t = await request(`${sim.baseUrl}/_sim/tenants/globex`, {
			method: 'POST',
			body: { webhooksEnabled: true },
		});
		expect(t.status).toBe(200);
		await createWebhook(sim, sim.keys.disabledTenantAdmin, { type: 'tenant', callbackUrl: rx.url });
		expect(sim.listWebhooks()).toHaveLength(1);

		expect((await request(`${sim.baseUrl}/_sim/reset`, { method: 'POST' })).status).toBe(200);
		expect(sim.listWebhooks()).toEqual([]);
		expect(sim.requests).toEqual([]);
		expect((await api(sim, 'GET', '/webhooks', sim.keys.disabledTenantAdmin)).status).toBe(403);
	});

	test('the control API only answers loopback peers', () => {
		expect(isLoopbackAddress('127.0.0.1')).toBe(true);
		expect(isLoopbackAddress('::1')).toBe(true);
		expect(isLoopbackAddress('::ffff:127.0.0.1')).toBe(true);
		expect(isLoopbackAddress('10.0.0.5')).toBe(false);
		expect(isLoopbackAddress('::ffff:192.168.1.2')).toBe(false);
		expect(isLoopbackAddress('')).toBe(false);
	});
});

describe('stop', () => {
	test('stop closes the port, is idempotent, and fire afterwards rejects', async () => {
		const sim = await startSimulator({ port: 0 });
		const url = `${sim.apiUrl}/webhooks?token=${sim.keys.globalAdmin}`;
		expect((await request(url)).status).toBe(200);
		await sim.stop();
		await sim.stop();
		await expect(request(url)).rejects.toThrow(/ECONNREFUSED/);
		await expect(sim.fire({ event: 'documentSigned' })).rejects.toThrow(/stopped/);
	});

	test('stop aborts a delivery to a hanging receiver and a pending fault delay promptly', async () => {
		const rx = await startReceiver({ hang: true });
		const sim = await startSimulator({ port: 0, deliveryTimeoutMs: 20_000 });
		try {
			await createWebhook(sim, sim.keys.teamAdmin, { type: 'team', callbackUrl: rx.url });
			sim.setFault({ path: '/webhooks', delayMs: 20_000 });
			const firing = sim.fire({ event: 'documentCompleted', documentId: 'doc-sales-1' });
			const slow = api(sim, 'GET', '/webhooks', sim.keys.teamAdmin).catch((e) => e);
			await sim.waitFor(() => rx.requests.length === 1 && sim.requests.length === 2, {
				timeoutMs: 3000,
			});
			const t0 = Date.now();
			await sim.stop();
			const [d] = await firing;
			expect(d.status).toBeNull();
			expect(String((await slow)?.message)).toMatch(/socket hang up|ECONNRESET/);
			expect(Date.now() - t0).toBeLessThan(2000);
		} finally {
			await sim.stop();
			await rx.close();
		}
	});
});

/** @returns {Promise<number>} */
function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = /** @type {net.AddressInfo} */ (s.address());
			s.close(() => resolve(port));
		});
	});
}

/**
 * Spawns the CLI server and waits (bounded) for its URL line.
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} [env]
 */
function spawnCli(args, env = {}) {
	const child = spawn(process.execPath, [CLI, ...args], {
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	let err = '';
	child.stdout.on('data', (c) => (out += c));
	child.stderr.on('data', (c) => (err += c));
	const ready = new Promise((resolve, reject) => {
		const timer = setTimeout(
			() =>
				reject(new Error(`CLI did not print its URL within 10 s. stdout: ${out} stderr: ${err}`)),
			10_000,
		);
		const check = () => {
			const m = /listening on (http:\/\/\S+)/.exec(out);
			if (m) {
				clearTimeout(timer);
				resolve(m[1]);
			}
		};
		child.stdout.on('data', check);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`CLI exited early with ${code}. stderr: ${err}`));
		});
	});
	const exited = () =>
		new Promise((resolve, reject) => {
			if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
			const timer = setTimeout(() => reject(new Error('CLI did not exit within 5 s')), 5000);
			child.once('exit', (code) => {
				clearTimeout(timer);
				resolve(code);
			});
		});
	return { child, ready: /** @type {Promise<string>} */ (ready), exited, output: () => out };
}

/**
 * @param {string[]} args
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
function runCli(args) {
	return new Promise((resolve) => {
		execFile(process.execPath, [CLI, ...args], { timeout: 15_000 }, (error, stdout, stderr) => {
			resolve({
				code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
				stdout,
				stderr,
			});
		});
	});
}

describe('CLI', () => {
	test('npm run simulator: port from CIRCULARO_SIM_PORT, prints URL and both keys, fire subcommand delivers, SIGTERM exits 0', async () => {
		const port = await freePort();
		const rx = await startReceiver();
		const proc = spawnCli(['--quiet'], { CIRCULARO_SIM_PORT: String(port) });
		try {
			const baseUrl = await proc.ready;
			expect(baseUrl).toBe(`http://127.0.0.1:${port}`);
			const state = (await request(`${baseUrl}/_sim/state`)).json;
			await new Promise((r) => setTimeout(r, 50)); // the banner is printed in one write, but be safe
			expect(proc.output()).toContain(state.keys.teamAdmin);
			expect(proc.output()).toContain(state.keys.globalAdmin);
			expect(proc.output()).toContain('fire');

			const sim = { apiUrl: `${baseUrl}/api/v1` };
			await createWebhook(sim, state.keys.teamAdmin, {
				type: 'team',
				callbackUrl: rx.url,
				hmacSecret: 'x',
			});
			const fired = await runCli([
				'fire',
				'--url',
				baseUrl,
				'--event',
				'documentCompleted',
				'--document',
				'doc-sales-1',
			]);
			expect(fired.code).toBe(0);
			expect(fired.stdout).toMatch(/documentCompleted doc-sales-1 -> .* HTTP 200/);
			expect(rx.requests).toHaveLength(1);

			const bad = await runCli(['fire', '--url', baseUrl]);
			expect(bad.code).toBe(2);
			expect(bad.stderr).toMatch(/--event/);

			proc.child.kill('SIGTERM');
			expect(await proc.exited()).toBe(0);
			await expect(request(`${baseUrl}/`)).rejects.toThrow(/ECONNREFUSED/);
		} finally {
			if (proc.child.exitCode === null && proc.child.signalCode === null)
				proc.child.kill('SIGKILL');
			await rx.close();
		}
	});

	test('--port 0 picks a free port; SIGINT stops it cleanly', async () => {
		const proc = spawnCli(['--port', '0', '--quiet']);
		try {
			const baseUrl = await proc.ready;
			expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			expect((await request(`${baseUrl}/`)).json.apiUrl).toBe(`${baseUrl}/api/v1`);
			proc.child.kill('SIGINT');
			expect(await proc.exited()).toBe(0);
		} finally {
			if (proc.child.exitCode === null && proc.child.signalCode === null)
				proc.child.kill('SIGKILL');
		}
	});

	test('sign and reject let a recipient act on a running simulator; usage errors exit 2', async () => {
		const sim = await startSimulator({ port: 0 });
		try {
			const signed = await runCli([
				'sign',
				'--url',
				sim.baseUrl,
				'--document',
				'doc-sales-1',
				'--as',
				'signer@example.com',
			]);
			expect(signed.code).toBe(0);
			expect(signed.stdout).toMatch(
				/signer@example\.com acted on doc-sales-1: events documentSigned, documentCompleted; state completed; waiting for nobody/,
			);
			expect(sim.getDocument('doc-sales-1')).toMatchObject({
				shareStateName: 'completed',
				waitingFor: [],
			});
			const rejected = await runCli([
				'reject',
				'--url',
				sim.baseUrl,
				'--document',
				'doc-legal-1',
				'--reason',
				'Not with these terms',
				'--json',
			]);
			expect(rejected.code).toBe(0);
			expect(JSON.parse(rejected.stdout)).toMatchObject({
				events: ['signRejected'],
				document: { shareStateName: 'rejected' },
			});
			expect(sim.getDocument('doc-legal-1')?.history.at(-1)).toMatchObject({
				event: 'signRejected',
				message: 'Not with these terms',
			});
			const again = await runCli(['sign', '--url', sim.baseUrl, '--document', 'doc-sales-1']);
			expect(again.code).toBe(1);
			expect(again.stderr).toMatch(/409: sign: document "doc-sales-1" waits for nobody/);
			const noDoc = await runCli(['sign', '--url', sim.baseUrl]);
			expect(noDoc.code).toBe(2);
			expect(noDoc.stderr).toMatch(/--document/);
		} finally {
			await sim.stop();
		}
	});

	test('sign --latest acts on the newest document with an open sign request', async () => {
		const sim = await startSimulator({ port: 0 });
		try {
			const older = sim.createDocument({ title: 'Older' }).documentId;
			const newest = sim.createDocument({ title: 'Newest' }).documentId;
			const unshared = sim.createDocument({ title: 'Never shared' }).documentId;
			for (const [id, shareTo] of [
				[older, 'first@example.com'],
				[newest, 'second@example.com'],
			]) {
				const shared = await api(sim, 'POST', '/share', sim.keys.teamAdmin, {
					id,
					type: 'd_default',
					objectType: 'document',
					data: [{ sharePurpose: 'sign', shareTo }],
				});
				expect(shared.status).toBe(200);
			}
			const signed = await runCli(['sign', '--url', sim.baseUrl, '--latest']);
			expect(signed.code).toBe(0);
			expect(signed.stdout).toMatch(
				new RegExp(`second@example\\.com acted on ${newest}: .*state completed`),
			);
			expect(sim.getDocument(newest)).toMatchObject({ shareStateName: 'completed' });
			expect(sim.getDocument(older)).toMatchObject({ waitingFor: ['first@example.com'] });
			expect(sim.getDocument(unshared)?.waitingFor).toEqual([]);

			// the next newest open one is now the older document
			const rejected = await runCli(['reject', '--url', sim.baseUrl, '--latest', '--json']);
			expect(rejected.code).toBe(0);
			expect(JSON.parse(rejected.stdout).document.documentId).toBe(older);

			const both = await runCli(['sign', '--url', sim.baseUrl, '--latest', '--document', older]);
			expect(both.code).toBe(2);
			expect(both.stderr).toMatch(/--document <id> or --latest, not both/);
		} finally {
			await sim.stop();
		}
	});

	test('sign --latest with no open sign request says so, exit code 1', async () => {
		const sim = await startSimulator({ port: 0 });
		try {
			for (const documentId of ['doc-sales-1', 'doc-legal-1']) await sim.sign({ documentId });
			const r = await runCli(['sign', '--url', sim.baseUrl, '--latest']);
			expect(r.code).toBe(1);
			expect(r.stderr).toMatch(/no document waits for a recipient/);
		} finally {
			await sim.stop();
		}
	});

	test('client commands report an unreachable simulator with exit code 1', async () => {
		const r = await runCli(['state', '--url', `http://127.0.0.1:${await freePort()}`]);
		expect(r.code).toBe(1);
		expect(r.stderr).toMatch(/cannot reach the simulator/);
	});
});
