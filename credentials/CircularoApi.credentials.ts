import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

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
			description:
				'The address of your Circularo tenant. A trailing slash or /api/v1 is fine.',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'An API key of a team admin or global admin with the use_webhooks right. Create one in Circularo under Preferences > Manage API keys.',
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

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			qs: {
				token: '={{$credentials.apiKey}}',
			},
		},
	};

	// Listing webhooks needs the same role and right as registering one, so a key that could not
	// activate the trigger fails here rather than at the first activation.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.serverUrl.trim().replace(/\\/+$/, "").replace(/\\/api\\/v1$/i, "")}}/api/v1',
			url: '/webhooks',
			method: 'GET',
		},
	};
}
