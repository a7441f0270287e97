/**
 * Stands in for n8n's HTTP layer in node tests: an HTTP server that keeps the exact bytes and
 * headers the Circularo simulator sent, by path, and answers 200.
 */
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';

import type { Delivery } from './n8nContext';

export interface Receiver {
	/** `<base>/webhook/<id>/webhook`, as n8n builds a production URL. */
	productionUrl: string;
	/** `<base>/webhook-test/<id>/webhook`, as n8n builds a test URL. */
	testUrl: string;
	received: Array<Delivery & { url: string }>;
	close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
	const received: Receiver['received'] = [];
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			received.push({
				url: `${base}${req.url}`,
				rawBody: Buffer.concat(chunks),
				headers: req.headers,
			});
			res.writeHead(200).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		productionUrl: `${base}/webhook/abc/webhook`,
		testUrl: `${base}/webhook-test/abc/webhook`,
		received,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
