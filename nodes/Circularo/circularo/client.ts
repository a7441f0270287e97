/**
 * The one way either node talks to Circularo. A client is made per execution (action node), per
 * lifecycle call or per delivery (trigger); it loads the credential once, at its first use, and
 * hands it to n8n with every call, so n8n does not load it again. Every call refuses to send the
 * key over plain http to the internet and fails with the advice of its endpoint (errors.ts).
 *
 * Three ways to call: `request` (JSON), `upload` (one multipart file, streamed from where n8n
 * keeps it) and `download` (one PDF, checked and capped, handed to n8n's binary storage as it
 * arrives). The functions of endpoints/ are their only callers.
 */
import {
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IN8nHttpFullResponse,
	type INode,
	type IPollFunctions,
	type IWebhookFunctions,
} from 'n8n-workflow';

import {
	circularoApiError,
	describeApiFailure,
	readFailedRequest,
	redactSecrets,
	type EndpointAdvice,
	type FailedRequest,
} from './errors';
import { multipartBody, type MultipartFile } from './multipart';
import type { ByteStream } from './byteStreams';
import { checkedPdf, downloadFailure, type CheckedPdf, type DownloadLimit } from './pdfDownload';
import { apiRootUrl, plainHttpRefusal } from '../../../credentials/serverUrl';

export const CREDENTIAL_TYPE = 'circularoApi';

/** What a call with `absentOn404` answers when Circularo has nothing at the path. */
export const ABSENT = Symbol('absent');

/** What a call with `hiddenOn403` answers when the key may not see what is at the path. */
export const HIDDEN = Symbol('hidden');

/** The fields of the Circularo API credential. */
export interface CircularoCredentials {
	serverUrl: string;
	apiKey: string;
	webhookSecret?: string;
}

export type CircularoContext =
	IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions | IPollFunctions;

/** Management calls must answer quickly; Circularo also wants webhook deliveries answered within seconds. */
const API_TIMEOUT_MS = 10_000;
/** n8n's HTTP client gives an upload this long to be sent and answered: 2 minutes, and 1 more per 50 MB. */
const UPLOAD_TIMEOUT_MS = 120_000;
const UPLOAD_BYTES_PER_EXTRA_MINUTE = 50 * 1024 * 1024;
/** Until the answer's headers; the body then only has to keep arriving. */
const DOWNLOAD_TIMEOUT_MS = 30_000;
const MAX_ERROR_BODY_BYTES = 16 * 1024;

/** A call to one endpoint (its advice explains a failure) at a path below the API root. */
export interface EndpointCall {
	endpoint: EndpointAdvice;
	path: string;
}

export interface ApiCall extends EndpointCall {
	method: IHttpRequestMethods;
	body?: IDataObject;
	qs?: IDataObject;
	/** A 404 is an answer (ABSENT: what was asked for is not there), not a failure. */
	absentOn404?: boolean;
	/** A 403 is an answer (HIDDEN: the key may not see it), not a failure. */
	hiddenOn403?: boolean;
}

export interface UploadCall extends EndpointCall {
	fields: Record<string, string>;
	fileField: string;
	file: MultipartFile;
}

export interface CircularoClient {
	/** The node making the calls, for the errors the endpoint functions throw. */
	readonly node: INode;
	/** The credential, loaded at the first call and kept for the client's life. */
	credentials(): Promise<CircularoCredentials>;
	request<T = unknown>(call: ApiCall): Promise<T>;
	upload<T = unknown>(call: UploadCall): Promise<T>;
	/** A PDF: refused when over the limit (reading no further) or when it is not a PDF. */
	download(call: EndpointCall, limit: DownloadLimit): Promise<CheckedPdf>;
	/** Text copied from a Circularo answer, without the key or the signing secret. */
	redact(text: string): Promise<string>;
}

interface Server {
	apiRoot: string;
	credentials: CircularoCredentials;
	/** Values no error text may carry. */
	secrets: Array<string | undefined>;
}

export interface ClientOptions {
	/** Put the fix into the error's message, for where n8n shows only the message (activation). */
	fixInMessage?: boolean;
}

export function circularoClient(
	context: CircularoContext,
	options: ClientOptions = {},
): CircularoClient {
	let loading: Promise<Server> | undefined;
	const loaded = () => (loading ??= load());
	const fail = (server: Pick<Server, 'apiRoot'>, endpoint: EndpointAdvice, failed: FailedRequest) =>
		circularoApiError(
			context.getNode(),
			describeApiFailure(endpoint, failed, server.apiRoot),
			failed,
			options.fixInMessage,
		);

	async function load(): Promise<Server> {
		const credentials = await context.getCredentials<CircularoCredentials>(CREDENTIAL_TYPE);
		return {
			apiRoot: apiRootUrl(credentials.serverUrl ?? ''),
			credentials,
			secrets: [credentials.apiKey, credentials.webhookSecret],
		};
	}

	/** The credential's server, after refusing to send its key in clear text across the internet. */
	async function serverFor(endpoint: EndpointAdvice): Promise<Server> {
		const server = await loaded();
		const refusal = plainHttpRefusal(server.apiRoot);
		if (refusal) throw fail(server, endpoint, { refusal });
		return server;
	}

	async function send(
		endpoint: EndpointAdvice,
		request: IHttpRequestOptions,
		answers: Pick<ApiCall, 'absentOn404' | 'hiddenOn403'> = {},
	): Promise<unknown> {
		const server = await serverFor(endpoint);
		try {
			return await context.helpers.httpRequestWithAuthentication.call(
				context,
				CREDENTIAL_TYPE,
				{ ...request, url: `${server.apiRoot}${request.url}` },
				{
					credentialsDecrypted: {
						id: '',
						name: '',
						type: CREDENTIAL_TYPE,
						data: { ...server.credentials } as unknown as ICredentialDataDecryptedObject,
					},
				},
			);
		} catch (error) {
			const failed = readFailedRequest(error, server.secrets);
			if (answers.absentOn404 && failed.status === 404) return ABSENT;
			if (answers.hiddenOn403 && failed.status === 403) return HIDDEN;
			throw fail(server, endpoint, failed);
		}
	}

	return {
		node: context.getNode(),

		async credentials() {
			return (await loaded()).credentials;
		},

		async request<T>({ endpoint, method, path, body, qs, absentOn404, hiddenOn403 }: ApiCall) {
			const request: IHttpRequestOptions = {
				method,
				url: path,
				qs,
				json: true,
				timeout: API_TIMEOUT_MS,
			};
			if (body !== undefined) request.body = body;
			return (await send(endpoint, request, { absentOn404, hiddenOn403 })) as T;
		},

		async upload<T>({ endpoint, path, fields, fileField, file }: UploadCall) {
			const body = multipartBody(fields, fileField, file);
			return (await send(endpoint, {
				method: 'POST',
				url: path,
				// A Blob to n8n's HTTP client: it streams `body.stream()` with `body.size` as the length.
				body: body as unknown as IHttpRequestOptions['body'],
				headers: { 'Content-Type': body.type },
				json: true,
				// Following redirects would keep a copy of everything sent, to send it again.
				disableFollowRedirect: true,
				timeout: UPLOAD_TIMEOUT_MS + Math.floor(body.size / UPLOAD_BYTES_PER_EXTRA_MINUTE) * 60_000,
			})) as T;
		},

		async download({ endpoint, path }: EndpointCall, limit: DownloadLimit) {
			const response = (await send(endpoint, {
				method: 'GET',
				url: path,
				// The length a compressed answer declares is not the file's.
				headers: { 'Accept-Encoding': 'identity' },
				encoding: 'stream',
				json: false,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: DOWNLOAD_TIMEOUT_MS,
			})) as IN8nHttpFullResponse;
			const stream = response.body as unknown as ByteStream;
			if (response.statusCode >= 400) {
				const server = await serverFor(endpoint);
				const { bytes } = await readUpTo(stream, MAX_ERROR_BODY_BYTES);
				const failed = readFailedRequest(
					{ response: { status: response.statusCode, data: bytes } },
					server.secrets,
				);
				throw fail(server, endpoint, failed);
			}
			const length = Number(response.headers?.['content-length']);
			try {
				return await checkedPdf(
					stream,
					{
						size: Number.isSafeInteger(length) && length >= 0 ? length : undefined,
						contentType: String(response.headers?.['content-type'] ?? ''),
					},
					limit,
				);
			} catch (error) {
				throw downloadFailure(context.getNode(), error);
			}
		},

		async redact(text: string) {
			return redactSecrets(text, (await loaded()).secrets);
		},
	};
}

/** Reads at most `limit` bytes; `complete` is false when there was more (the rest is not read). */
async function readUpTo(
	stream: AsyncIterable<Buffer | string>,
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
