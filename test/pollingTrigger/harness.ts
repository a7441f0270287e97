/**
 * The polling trigger against the simulator over HTTP: documents sent for signing through
 * Circularo's own API, polls run as n8n runs them (the node's poll() with the node's static data,
 * kept between polls as n8n keeps it).
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { CircularoPollingTrigger } from '../../nodes/Circularo/CircularoPollingTrigger.node';
import { pollContext } from '../helpers/n8nContext';

const { startSimulator } = require('../../simulator');
const { api } = require('../simulator/helpers');

export const trigger = new CircularoPollingTrigger();

export interface PollRun {
	items: IDataObject[];
	output: INodeExecutionData[] | null;
	warnings: string[];
}

export function usePollingSimulator() {
	const harness = {
		sim: undefined as any,
		staticData: {} as IDataObject,
		key: 'teamAdmin',
		/** One poll as n8n runs it for a published workflow; static data carries over. */
		async poll(o: { parameters?: IDataObject; mode?: string; staticData?: IDataObject } = {}) {
			const { context, log } = pollContext({
				credentials: { serverUrl: harness.sim.baseUrl, apiKey: harness.sim.keys[harness.key] },
				parameters: o.parameters,
				staticData: o.staticData ?? harness.staticData,
				mode: o.mode,
			});
			const result = await trigger.poll!.call(context);
			const output = result ? result[0] : null;
			return {
				items: (output ?? []).map((item) => item.json),
				output,
				warnings: log.warnings,
			} as PollRun;
		},
		/** `[event, documentId]` of each item, in order. */
		events(run: PollRun): Array<[unknown, unknown]> {
			return run.items.map((item) => [item.event, item.documentId]);
		},
		/** A new document of team Sales, sent for signing to the given recipients (one sign request). */
		async sendForSigning(title: string, signers = ['signer@example.com']): Promise<string> {
			const document = harness.sim.createDocument({ title, team: 'Sales', shareStateName: null });
			const shared = await api(harness.sim, 'POST', '/share', harness.sim.keys.teamAdmin, {
				id: document.documentId,
				type: 'd_default',
				objectType: 'document',
				sequential: false,
				data: signers.map((shareTo) => ({ sharePurpose: 'sign', shareTo })),
			});
			if (shared.status !== 200) throw new Error(`share: ${shared.status} ${shared.text}`);
			await harness.sim.settled();
			return document.documentId;
		},
		async call(method: string, path: string, body?: unknown) {
			const answer = await api(harness.sim, method, path, harness.sim.keys.teamAdmin, body);
			if (answer.status !== 200)
				throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
			await harness.sim.settled();
			return answer.json;
		},
		/** The API calls since the last reset, as `METHOD /path`. */
		calls(): string[] {
			return harness.sim.requests
				.filter((r: any) => r.path.startsWith('/api/v1/'))
				.map((r: any) => `${r.method} ${r.path.replace(/^\/api\/v1/, '')}`);
		},
	};
	beforeAll(async () => {
		harness.sim = await startSimulator({ port: 0 });
	});
	afterAll(async () => {
		await harness.sim.stop();
	});
	beforeEach(() => {
		harness.sim.reset();
		harness.staticData = {};
		harness.key = 'teamAdmin';
	});
	return harness;
}
