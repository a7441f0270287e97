/**
 * Stands in for n8n's waiting-webhook route in unit tests: an HTTP server at
 * `/webhook-waiting/<executionId>/<nodeId>` that answers as n8n 2.41 does (read in its
 * waiting-webhooks.ts): 401 for a wrong resume token, 404 for an unknown (deleted) execution, 409
 * for a cancelled or finished one, and for a waiting one it runs the Circularo node's webhook()
 * with the request as received. An execution resumes when webhook() returns workflowData.
 * The real route is exercised by the e2e suite e2e/suites/send-and-wait.test.js.
 */
import { createServer, type IncomingMessage, type Server } from 'http';
import type { AddressInfo } from 'net';
import type { INodeExecutionData, INodeParameters, IWebhookResponseData } from 'n8n-workflow';

import {
	actionNode,
	actionNodeType,
	waitingWebhookContext,
	type CircularoTestCredentials,
} from './n8nContext';

export interface WaitingExecution {
	id: string;
	token: string;
	status: 'waiting' | 'resumed' | 'canceled';
	parameters: INodeParameters;
	credentials: CircularoTestCredentials;
	/** What the node resumed with (webhook()'s workflowData). */
	outputs?: INodeExecutionData[][];
}

export interface WaitingN8n {
	baseUrl: string;
	/** The resume URL n8n 2.x gives an execution (`$execution.resumeUrl`). */
	resumeUrl(execution: WaitingExecution): string;
	executions: Map<string, WaitingExecution>;
	/** Every request answered: path, status, whether it carried a Circularo signature. */
	answers: Array<{ path: string; status: number; signed: boolean }>;
	/** How many times each run of webhook() loaded the credential, by path. */
	credentialLoads: Array<{ path: string; loads: number }>;
	close(): Promise<void>;
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

/** Runs webhook() as n8n does for a waiting execution; resolves the status n8n answers with. */
async function runWebhook(
	execution: WaitingExecution,
	req: IncomingMessage,
	url: URL,
	rawBody: Buffer,
	resumeUrl: string,
): Promise<{ status: number; body: unknown; credentialLoads: number }> {
	const { context, response, log } = waitingWebhookContext({
		credentials: execution.credentials,
		parameters: execution.parameters,
		executionId: execution.id,
		headers: req.headers,
		rawBody,
		query: Object.fromEntries(url.searchParams),
		resumeUrl,
	});
	let result: IWebhookResponseData;
	try {
		result = await actionNodeType.webhook!.call(context);
	} catch (error) {
		// n8n resumes the execution as an error: the wait is spent.
		execution.status = 'resumed';
		return { status: 500, body: { error: (error as Error).message }, ...log };
	}
	if (result.workflowData) {
		execution.status = 'resumed';
		execution.outputs = result.workflowData;
		return { status: 200, body: { message: 'Workflow was started' }, ...log };
	}
	if (result.noWebhookResponse)
		return { status: response.status ?? 200, body: response.body, ...log };
	return { status: 200, body: { message: 'Webhook call received' }, ...log };
}

export async function startWaitingN8n(): Promise<WaitingN8n> {
	let baseUrl = '';
	const resumeUrlOf = (execution: WaitingExecution) =>
		`${baseUrl}/webhook-waiting/${execution.id}?signature=${execution.token}`;
	const executions = new Map<string, WaitingExecution>();
	const answers: WaitingN8n['answers'] = [];
	const credentialLoads: WaitingN8n['credentialLoads'] = [];
	const server: Server = createServer((req, res) => {
		void (async () => {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			const rawBody = await bodyOf(req);
			const [, route, executionId, nodeId] = url.pathname.split('/');
			const execution = executions.get(executionId ?? '');
			let answer: { status: number; body: unknown; credentialLoads?: number };
			// n8n's own words (its NotFoundError / ConflictError as `{ code, message }`).
			const n8nSays = (code: number, message: string) => ({
				status: code,
				body: { code, message },
			});
			if (route !== 'webhook-waiting') {
				answer = n8nSays(404, 'Not Found');
			} else if (!execution) {
				answer = n8nSays(404, `The execution "${executionId}" does not exist.`);
			} else if (url.searchParams.get('signature') !== execution.token) {
				answer = { status: 401, body: { error: 'Invalid token' } };
			} else if (execution.status !== 'waiting') {
				// sic: n8n 2.41 leaves out the closing quote in this one.
				answer = n8nSays(409, `The execution "${executionId} has finished already.`);
			} else if (nodeId !== actionNode.id) {
				answer = n8nSays(
					404,
					`The workflow for execution "${executionId}" does not contain a waiting webhook with a matching path/method.`,
				);
			} else {
				answer = await runWebhook(execution, req, url, rawBody, resumeUrlOf(execution));
			}
			const signed = req.headers['x-circularo-signature'] !== undefined;
			answers.push({ path: url.pathname, status: answer.status, signed });
			if (answer.credentialLoads !== undefined)
				credentialLoads.push({ path: url.pathname, loads: answer.credentialLoads });
			res.writeHead(answer.status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(answer.body ?? {}));
		})();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		baseUrl,
		resumeUrl: resumeUrlOf,
		executions,
		answers,
		credentialLoads,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
