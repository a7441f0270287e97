/**
 * Reading Circularo's answers leniently: how they wrap their records, and where ids and words are.
 * Both nodes read every answer through these, so a shape learned from a real tenant changes one line.
 */
import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import type { CircularoClient } from './client';

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
 * [assumed] Circularo's own words in an error answer, whose shape is not documented:
 * `error.message`, `message` or `error` (a text answer is read whole by errors.ts).
 */
export function errorMessageOf(body: IDataObject): string | undefined {
	const message = asObject(body.error)?.message ?? body.message ?? body.error;
	return typeof message === 'string' ? message : undefined;
}

/** Fails a call whose answer lacks what it must hold (Circularo answered, so no status advice). */
export function answerLacks(client: CircularoClient, message: string, description: string): never {
	throw new NodeOperationError(client.node, message, { description });
}
