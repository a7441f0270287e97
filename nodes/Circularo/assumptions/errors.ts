/** Circularo's error answers. */
import type { IDataObject } from 'n8n-workflow';

import { asObject } from './answers';

/**
 * [assumed] Circularo's own words in an error answer, whose shape is not documented:
 * `error.message`, `message` or `error` (a text answer is read whole). Its statuses are assumed
 * too: 401 a bad token, 403 a missing role or right, 404 an unknown id, 409 also an open sign
 * request (documented only as a version mismatch); transport/errors.ts and actions/advice.ts word
 * their advice by them.
 */
export function errorMessageOf(body: IDataObject): string | undefined {
	const message = asObject(body.error)?.message ?? body.message ?? body.error;
	return typeof message === 'string' ? message : undefined;
}
