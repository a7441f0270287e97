/** How Circularo's answers wrap their records, and where their ids and fields are. */
import type { IDataObject } from 'n8n-workflow';

/** The answer as an object, or undefined when it is none (an array, text, nothing). */
export function asObject(value: unknown): IDataObject | undefined {
	return value && typeof value === 'object' && !Array.isArray(value)
		? (value as IDataObject)
		: undefined;
}

/**
 * The records of an answer: Circularo wraps most in `results[]`; some versions answer a bare
 * array, and a search may answer Elasticsearch's `hits.hits[]._source`.
 */
export function resultsOf(answer: unknown): IDataObject[] {
	if (Array.isArray(answer)) return answer.filter((r) => asObject(r)) as IDataObject[];
	const body = asObject(answer);
	if (!body) return [];
	if (Array.isArray(body.results)) return resultsOf(body.results);
	const hits = asObject(body.hits)?.hits;
	if (Array.isArray(hits)) {
		return hits
			.map((hit) => asObject(asObject(hit)?._source) ?? asObject(hit))
			.filter(Boolean) as IDataObject[];
	}
	return [];
}

/** The one record of an answer: `results[0]`, or the answer itself when it is not wrapped. */
export function firstResultOf(answer: unknown): IDataObject | undefined {
	const results = resultsOf(answer);
	if (results.length > 0) return results[0];
	const body = asObject(answer);
	return body && !('results' in body) && !('hits' in body) ? body : undefined;
}

/** A value read as text: a non-empty string, or a number written out (ids may come as either). */
export function textOf(value: unknown): string | undefined {
	if (typeof value === 'string' && value !== '') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

/** The first of the candidates that reads as text. */
export function firstString(...candidates: unknown[]): string | undefined {
	for (const candidate of candidates) {
		const text = textOf(candidate);
		if (text !== undefined) return text;
	}
	return undefined;
}

/**
 * The id of an uploaded file. Documented as `file.id`; clients read `file.fileId` or `file.hash`
 * too, and some answers may come unwrapped.
 */
export function uploadedFileId(answer: unknown): string | undefined {
	const body = asObject(answer) ?? {};
	const file = asObject(body.file) ?? firstResultOf(answer) ?? body;
	return firstString(file.id, file.fileId, file.hash, body.fileId, body.hash);
}

/** The id of a created document: documented at `results[0].documentId`. */
export function createdDocumentId(answer: unknown): string | undefined {
	const record = firstResultOf(answer) ?? {};
	return firstString(record.documentId, record.id, asObject(answer)?.documentId);
}

/** A document's version: documented as `_version`. */
export function documentVersion(document: IDataObject): number | undefined {
	const version = Number(document._version ?? document.version);
	return Number.isInteger(version) ? version : undefined;
}

/** Who a document still waits for: `waitingFor` entries are not typed in the docs. */
export function waitingForNames(document: IDataObject): string[] {
	const entries = Array.isArray(document.waitingFor) ? document.waitingFor : [];
	return entries
		.map((entry) => {
			const user = asObject(entry);
			return user ? firstString(user.email, user.username, user.name, user.id) : firstString(entry);
		})
		.filter((name): name is string => name !== undefined);
}
