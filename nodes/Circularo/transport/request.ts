/**
 * Every call either node makes to Circularo: one authenticated JSON request, one multipart upload
 * and one capped PDF download, all refusing to send the key over plain http to the internet and all
 * failing with one error mapping.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IN8nHttpFullResponse,
	type IWebhookFunctions,
} from 'n8n-workflow';

import {
	circularoApiError,
	describeApiFailure,
	readFailedRequest,
	redactSecrets,
	type FailedRequest,
	type FailureFixes,
} from './errors';
import { multipartBody, type MultipartFile } from './multipart';
import { apiRootUrl, plainHttpRefusal } from './serverUrl';

export { apiRootUrl } from './serverUrl';

export const CREDENTIAL_TYPE = 'circularoApi';

/** Management calls must answer quickly; Circularo also wants webhook deliveries answered within seconds. */
const API_TIMEOUT_MS = 10_000;
const UPLOAD_TIMEOUT_MS = 120_000;
const DOWNLOAD_TIMEOUT_MS = 30_000;
/** The largest file either node downloads; a bigger answer is refused before it fills memory. */
const MAX_DOWNLOAD_BYTES = 100 * 1024 * 1024;
const MAX_ERROR_BODY_BYTES = 16 * 1024;

type CircularoContext =
	IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions;

interface CallOptions {
	qs?: IDataObject;
	/** Reads like "get the document": names the call in error messages. */
	action?: string;
	fixes?: FailureFixes;
}

interface Server {
	apiRoot: string;
	/** Values no error text may carry. */
	secrets: Array<string | undefined>;
}

/** The credential's server, after refusing to send its key in clear text across the internet. */
async function serverOf(context: CircularoContext, options: CallOptions = {}): Promise<Server> {
	const credentials = await context.getCredentials<{
		serverUrl: string;
		apiKey?: string;
		webhookSecret?: string;
	}>(CREDENTIAL_TYPE);
	const server = {
		apiRoot: apiRootUrl(credentials.serverUrl ?? ''),
		secrets: [credentials.apiKey, credentials.webhookSecret],
	};
	const refusal = plainHttpRefusal(server.apiRoot);
	if (refusal) throw failure(context, server, options, { refusal });
	return server;
}

/** Text copied from a Circularo answer, without the key or the signing secret of the credential. */
export async function redactedCircularoText(this: CircularoContext, text: string): Promise<string> {
	return redactSecrets(text, (await serverOf(this)).secrets);
}

function failure(
	context: CircularoContext,
	server: Server,
	options: CallOptions,
	failed: FailedRequest,
) {
	const described = describeApiFailure(
		options.action ?? 'complete the request',
		failed,
		server.apiRoot,
		options.fixes,
	);
	return circularoApiError(context.getNode(), described, failed);
}

async function send(
	context: CircularoContext,
	server: Server,
	options: CallOptions,
	request: IHttpRequestOptions,
): Promise<unknown> {
	try {
		return await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, {
			...request,
			url: `${server.apiRoot}${request.url}`,
			qs: options.qs,
		});
	} catch (error) {
		throw failure(context, server, options, readFailedRequest(error, server.secrets));
	}
}

/** The one authenticated call to Circularo; the credential adds the `token` query parameter. */
export async function circularoApiRequest<T = IDataObject>(
	this: CircularoContext,
	method: IHttpRequestMethods,
	path: string,
	body?: IDataObject,
	options: CallOptions = {},
): Promise<T> {
	const server = await serverOf(this, options);
	const request: IHttpRequestOptions = { method, url: path, json: true, timeout: API_TIMEOUT_MS };
	if (body !== undefined) request.body = body;
	return (await send(this, server, options, request)) as T;
}

/** Uploads one file as multipart/form-data: the text fields, then the file under `fileField`. */
export async function circularoUpload<T = IDataObject>(
	this: CircularoContext,
	path: string,
	fields: Record<string, string>,
	fileField: string,
	file: MultipartFile,
	options: CallOptions = {},
): Promise<T> {
	const server = await serverOf(this, options);
	const { body, contentType } = multipartBody(fields, fileField, file);
	const request: IHttpRequestOptions = {
		method: 'POST',
		url: path,
		body,
		headers: { 'Content-Type': contentType },
		json: true,
		timeout: UPLOAD_TIMEOUT_MS,
	};
	return (await send(this, server, options, request)) as T;
}

type ByteStream = AsyncIterable<Buffer | string>;

/** Reads at most `limit` bytes; `complete` is false when there was more (the rest is not read). */
async function readUpTo(
	stream: ByteStream,
	limit: number,
): Promise<{ bytes: Buffer; complete: boolean }> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream) {
		const piece = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
		chunks.push(piece);
		size += piece.length;
		// Leaving the loop destroys the stream, so an oversized answer is not downloaded to the end.
		if (size > limit) return { bytes: Buffer.concat(chunks).subarray(0, limit), complete: false };
	}
	return { bytes: Buffer.concat(chunks), complete: true };
}

export function isPdf(bytes: Buffer): boolean {
	return bytes.subarray(0, 5).toString('latin1') === '%PDF-';
}

function sizeText(bytes: number): string {
	const megabytes = bytes / (1024 * 1024);
	return megabytes >= 1 ? `${Math.round(megabytes * 10) / 10} MB` : `${bytes} bytes`;
}

export interface DownloadOptions extends CallOptions {
	maxBytes?: number;
}

/**
 * Downloads a PDF. Refuses an answer over `maxBytes` (reading no further) and anything that
 * does not start with `%PDF-` (an error page of a proxy, say), so what callers attach as
 * application/pdf is one.
 */
export async function circularoDownload(
	this: CircularoContext,
	path: string,
	options: DownloadOptions = {},
): Promise<Buffer> {
	const server = await serverOf(this, options);
	const maxBytes = options.maxBytes ?? MAX_DOWNLOAD_BYTES;
	const response = (await send(this, server, options, {
		method: 'GET',
		url: path,
		encoding: 'stream',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: DOWNLOAD_TIMEOUT_MS,
	})) as IN8nHttpFullResponse;
	const stream = response.body as unknown as ByteStream;
	if (response.statusCode >= 400) {
		const { bytes } = await readUpTo(stream, MAX_ERROR_BODY_BYTES);
		const failed = readFailedRequest(
			{ response: { status: response.statusCode, data: bytes } },
			server.secrets,
		);
		throw failure(this, server, options, failed);
	}
	const { bytes, complete } = await readUpTo(stream, maxBytes);
	if (!complete) {
		throw new NodeOperationError(
			this.getNode(),
			`The file is larger than ${sizeText(maxBytes)}, the most this node downloads`,
		);
	}
	if (!isPdf(bytes)) {
		const type = String(response.headers?.['content-type'] ?? 'no content type');
		throw new NodeOperationError(this.getNode(), "Circularo's answer is not a PDF", {
			description: `Expected a PDF file but got ${bytes.length} bytes (${type}). A proxy or login page between n8n and Circularo may have answered instead.`,
		});
	}
	return bytes;
}
