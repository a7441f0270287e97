import {
	UserError,
	type ICredentialDataDecryptedObject,
	type ICredentialTestRequest,
	type ICredentialType,
	type IHttpRequestOptions,
	type INodeProperties,
} from 'n8n-workflow';

import { plainHttpRefusal } from './serverUrl';

export class CircularoApi implements ICredentialType {
	name = 'circularoApi';

	displayName = 'Circularo API';

	icon = { light: 'file:circularo.svg', dark: 'file:circularo.dark.svg' } as const;

	documentationUrl = 'https://github.com/circularo-community/n8n-nodes-circularo#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Server URL',
			name: 'serverUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://yourcompany.circularo.com',
			description: 'The address of your Circularo tenant. A trailing slash or /api/v1 is fine.',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The API key of the Circularo user the nodes act as. The Circularo Trigger needs a team admin or global admin with the use_webhooks right. Create one in Circularo under Preferences > Manage API keys.',
		},
		{
			displayName: 'Webhook Signing Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			hint: 'Leave empty to derive the signing secrets from the API key',
			description:
				'The key each webhook registration derives its own signing secret from (with a random nonce). Every delivery is verified either way. After changing it or the API key, publish the workflow again.',
		},
	];

	// The key goes in the `token` query parameter, as Circularo documents. A function rather than a
	// generic block so that no request, the credential test included, sends it over plain http to a
	// host on the internet.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		let target = requestOptions.url;
		try {
			target = new URL(requestOptions.url, requestOptions.baseURL).href;
		} catch {
			// plainHttpRefusal explains an unreadable URL
		}
		const refusal = plainHttpRefusal(target);
		if (refusal)
			throw new UserError(
				`Refused to send the Circularo API key: ${refusal.problem}. ${refusal.fix}`,
			);
		return { ...requestOptions, qs: { ...requestOptions.qs, token: credentials.apiKey } };
	}

	// Any valid key may read the document types, so the test checks the server and the key without
	// asking for more than the Circularo node needs; the trigger's extra role and right are checked,
	// with Circularo's reason, when it is published.
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.serverUrl.trim().replace(/\\/+$/, "").replace(/\\/api\\/v1$/i, "")}}/api/v1',
			url: '/definitions/documents',
			method: 'GET',
		},
	};
}
