/**
 * One simulator per test file, reset before each test, and the node run against it as the Sales
 * team admin. Requests are read back from the simulator's own log.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { executeContext, actionNodeType, type ExecuteOptions } from '../helpers/n8nContext';

const { startSimulator } = require('../../simulator');

export interface LoggedRequest {
	method: string;
	/** Relative to /api/v1. */
	path: string;
	/** Without the token, which the log redacts. */
	query: Record<string, string>;
	body?: unknown;
	multipart?: { fields: Record<string, string>; files: Array<Record<string, unknown>> };
	status: number | null;
}

export interface RunOptions {
	items?: INodeExecutionData[];
	binaryStore?: ExecuteOptions['binaryStore'];
	binaryDir?: string;
	continueOnFail?: boolean;
	key?: string;
}

export function useSimulator() {
	const harness = {
		sim: undefined as any,
		/** Runs the node once over the items; resolves its only output. */
		async run(
			parameters: INodeParameters | ((itemIndex: number) => INodeParameters),
			options: RunOptions = {},
		) {
			const { context } = executeContext({
				credentials: {
					serverUrl: harness.sim.baseUrl,
					apiKey: harness.sim.keys[options.key ?? 'teamAdmin'],
					webhookSecret: 'credential-signing-secret',
				},
				parameters,
				items: options.items,
				binaryStore: options.binaryStore,
				binaryDir: options.binaryDir,
				continueOnFail: options.continueOnFail,
			});
			const [output] = await actionNodeType.execute.call(context);
			return output;
		},
		/** Runs the node and resolves what it threw. */
		async failure(
			parameters: INodeParameters | ((itemIndex: number) => INodeParameters),
			options: RunOptions = {},
		): Promise<any> {
			try {
				await harness.run(parameters, options);
			} catch (error) {
				return error;
			}
			throw new Error('expected the node to fail');
		},
		requests(): LoggedRequest[] {
			return harness.sim.requests.map((r: any) => {
				const { token, ...query } = r.query;
				expect(token).toBe('[redacted]');
				const logged: LoggedRequest = {
					method: r.method,
					path: r.path.replace(/^\/api\/v1/, ''),
					query,
					status: r.status,
				};
				if (r.body !== undefined) logged.body = r.body;
				if (r.multipart !== undefined) logged.multipart = r.multipart;
				return logged;
			});
		},
	};
	beforeAll(async () => {
		harness.sim = await startSimulator({ port: 0 });
	});
	afterAll(async () => {
		await harness.sim.stop();
	});
	beforeEach(() => harness.sim.reset());
	return harness;
}
