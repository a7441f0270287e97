/**
 * The lenient readings of nodes/Circularo/assumptions/ that the simulator's answers do not reach:
 * shapes a real tenant may send that the documentation does not show.
 */
import {
	deleteFailures,
	documentVersion,
	firstResultOf,
	resultsOf,
	searchTotal,
	uploadedFileId,
	waitingForNames,
} from '../../nodes/Circularo/assumptions';

describe('answers read leniently', () => {
	it('finds records in results[], a bare array or Elasticsearch hits.hits[]._source', () => {
		const record = { documentId: 'd1' };
		expect(resultsOf({ results: [record] })).toEqual([record]);
		expect(resultsOf([record, 'not a record'])).toEqual([record]);
		expect(
			resultsOf({ hits: { total: { value: 1 }, hits: [{ _id: 'd1', _source: record }] } }),
		).toEqual([record]);
		expect(firstResultOf(record)).toEqual(record);
		expect(firstResultOf({ results: [] })).toBeUndefined();
	});

	it('reads a search total from total, total.value or hits.total(.value)', () => {
		expect(searchTotal({ total: 3 })).toBe(3);
		expect(searchTotal({ total: { value: 4 } })).toBe(4);
		expect(searchTotal({ hits: { total: { value: 5, relation: 'eq' } } })).toBe(5);
		expect(searchTotal({ results: [] })).toBeUndefined();
	});

	it('reads who a document waits for from strings or user objects', () => {
		expect(
			waitingForNames({
				waitingFor: [
					'a@example.com',
					{ email: 'b@example.com' },
					{ username: 'carol' },
					{ id: 7 },
					{},
				],
			}),
		).toEqual(['a@example.com', 'b@example.com', 'carol', '7']);
		expect(waitingForNames({})).toEqual([]);
	});

	it('reads ids and versions under the names clients have seen', () => {
		expect(uploadedFileId({ fileId: 'f1' })).toBe('f1');
		expect(uploadedFileId({ results: [{ hash: 'f2' }] })).toBe('f2');
		expect(documentVersion({ version: '3' })).toBe(3);
		expect(documentVersion({})).toBeUndefined();
	});

	it('reads the failures of a delete answered with errors: true', () => {
		expect(deleteFailures({ errors: false, count: 1, items: [] })).toBeUndefined();
		expect(
			deleteFailures({
				errors: true,
				items: [{ error: { message: 'locked' } }, { reason: 'gone' }, { id: 'x' }],
			}),
		).toEqual(['locked', 'gone', '{"id":"x"}']);
	});
});
