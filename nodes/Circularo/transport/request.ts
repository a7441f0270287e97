import type {
	IDataObject,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IWebhookFunctions,
} from 'n8n-workflow';

export const CREDENTIAL_TYPE = 'circularoApi';

/** Management calls must answer quickly; Circularo also wants webhook deliveries answered within seconds. */
const API_TIMEOUT_MS = 10_000;
const DOWNLOAD_TIMEOUT_MS = 30_000;

/**
 * The API root for a server URL as users paste it: `https://acme.circularo.com`, with or without a
 * trailing slash or `/api/v1`.
 */
export function apiRootUrl(serverUrl: string): string {
	const base = serverUrl
		.trim()
		.replace(/\/+$/, '')
		.replace(/\/api\/v1$/i, '');
	return `${base}/api/v1`;
}

type CircularoContext = IHookFunctions | IWebhookFunctions;

/** The one authenticated call to Circularo; the credential adds the `token` query parameter. */
export async function circularoApiRequest<T = IDataObject>(
	this: CircularoContext,
	method: IHttpRequestMethods,
	path: string,
	body?: IDataObject,
): Promise<T> {
	const credentials = await this.getCredentials<{ serverUrl: string }>(CREDENTIAL_TYPE);
	const options: IHttpRequestOptions = {
		method,
		url: `${apiRootUrl(credentials.serverUrl)}${path}`,
		json: true,
		timeout: API_TIMEOUT_MS,
	};
	if (body !== undefined) options.body = body;
	return (await this.helpers.httpRequestWithAuthentication.call(
		this,
		CREDENTIAL_TYPE,
		options,
	)) as T;
}

/** Downloads a file (PDF) from Circularo as raw bytes. */
export async function circularoDownload(this: CircularoContext, path: string): Promise<Buffer> {
	const credentials = await this.getCredentials<{ serverUrl: string }>(CREDENTIAL_TYPE);
	const data = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, {
		method: 'GET',
		url: `${apiRootUrl(credentials.serverUrl)}${path}`,
		encoding: 'arraybuffer',
		json: false,
		timeout: DOWNLOAD_TIMEOUT_MS,
	})) as ArrayBuffer | Buffer;
	return Buffer.isBuffer(data) ? data : Buffer.from(data);
}
