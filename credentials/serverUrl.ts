/**
 * Where the API key may go: the API root for a server URL as users paste it, and the refusal to
 * send the key in clear text across the internet. Shared by both nodes and the credential.
 */

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

export type HostClass = 'loopback' | 'private' | 'public';

function ipv4Class(host: string): HostClass | undefined {
	const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
	if (!match) return undefined;
	const [a, b] = [Number(match[1]), Number(match[2])];
	if (a === 127 || a === 0) return 'loopback';
	if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
	if (a === 169 && b === 254) return 'private'; // link-local
	if (a === 100 && b >= 64 && b <= 127) return 'private'; // carrier-grade NAT
	return 'public';
}

function ipv6Class(host: string): HostClass {
	if (host === '::1' || host === '::') return 'loopback';
	// IPv4-mapped; URL writes ::ffff:127.0.0.1 as ::ffff:7f00:1
	const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
	if (dotted) return ipv4Class(dotted[1]) ?? 'public';
	const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
	if (hex) {
		const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
		return ipv4Class(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`) ?? 'public';
	}
	if (/^f[cd]/.test(host) || /^fe[89ab]/.test(host)) return 'private'; // unique local, link-local
	return 'public';
}

/**
 * Who can reach a host: this machine only, a private network, or everyone. Names reserved for
 * private use (.local, .internal, .home.arpa) and single-label names (a Docker service, an intranet
 * host) do not resolve on the internet, so they count as private.
 */
export function hostClass(hostname: string): HostClass {
	const host = hostname
		.toLowerCase()
		.replace(/^\[|\]$/g, '')
		.replace(/\.$/, '');
	if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
	const v4 = ipv4Class(host);
	if (v4) return v4;
	if (host.includes(':')) return ipv6Class(host);
	if (
		['.local', '.internal', '.home.arpa'].some((suffix) => host.endsWith(suffix)) ||
		!host.includes('.')
	) {
		return 'private';
	}
	return 'public';
}

/** Why the API key must not be sent to a URL, and what to change. */
export interface ServerUrlProblem {
	problem: string;
	fix: string;
}

const CHANGE_THE_URL =
	'Change the Server URL in the Circularo API credential to the https:// address of your Circularo tenant, for example https://yourcompany.circularo.com.';

/**
 * Why the API key must not be sent to this URL, or undefined when it may. Plain http is accepted
 * only towards this machine or a private network (the local simulator, a test server), because the
 * key travels in the query string. Says nothing of the URL but its host.
 */
export function plainHttpRefusal(url: string): ServerUrlProblem | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url.trim());
	} catch {
		return {
			problem: 'the Server URL in the Circularo API credential is not a valid URL',
			fix: CHANGE_THE_URL,
		};
	}
	if (parsed.protocol === 'https:') return undefined;
	if (parsed.protocol !== 'http:') {
		return {
			problem: `the Server URL in the Circularo API credential starts with ${parsed.protocol}// instead of https://`,
			fix: CHANGE_THE_URL,
		};
	}
	if (hostClass(parsed.hostname) !== 'public') return undefined;
	return {
		problem: `the API key would travel unencrypted, over plain http:// to ${parsed.host}, where anyone on the way could read it`,
		fix: `${CHANGE_THE_URL} Plain http is accepted only for this machine or a private network (the local simulator, a test server).`,
	};
}
