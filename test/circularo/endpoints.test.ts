/**
 * The lenient readings of nodes/Circularo/circularo/endpoints/ and records.ts that the simulator's answers do
 * not reach: shapes a real tenant may send that the documentation does not show. Each endpoint is
 * handed the answer by a client that answers every call with it.
 */
import type { INode } from 'n8n-workflow';

import { firstResultOf, resultsOf } from '../../nodes/Circularo/circularo/answers';
import type { CircularoClient } from '../../nodes/Circularo/circularo/client';
import {
	deleteDocument,
	searchDocuments,
} from '../../nodes/Circularo/circularo/endpoints/documents';
import { uploadFile } from '../../nodes/Circularo/circularo/endpoints/files';
import { sendReminder, validateShare } from '../../nodes/Circularo/circularo/endpoints/shares';
import { getTemplate, listTemplates } from '../../nodes/Circularo/circularo/endpoints/templates';
import {
	documentVersion,
	sharedWithNames,
	templateSignField,
	waitingForNames,
} from '../../nodes/Circularo/circularo/records';

function answering(answer: unknown): CircularoClient {
	const reply = async () => answer as never;
	return {
		node: { name: 'Circularo' } as INode,
		credentials: async () => ({ serverUrl: 'http://127.0.0.1', apiKey: 'key' }),
		request: reply,
		upload: reply,
		download: reply,
		redact: async (text) => text,
	};
}

// A client that only answers never reads the file.
const file = { chunks: [] as never, size: 5, fileName: 'a.pdf', mimeType: 'application/pdf' };

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

	it('reads a search total from total, total.value or hits.total(.value)', async () => {
		const totalOf = async (answer: unknown) =>
			(await searchDocuments(answering(answer), {}, 0, 10)).total;
		expect(await totalOf({ total: 3 })).toBe(3);
		expect(await totalOf({ total: { value: 4 } })).toBe(4);
		expect(await totalOf({ hits: { total: { value: 5, relation: 'eq' } } })).toBe(5);
		expect(await totalOf({ results: [] })).toBeUndefined();
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

	it('reads ids and versions under the names clients have seen', async () => {
		expect(await uploadFile(answering({ fileId: 'f1' }), file)).toBe('f1');
		expect(await uploadFile(answering({ results: [{ hash: 'f2' }] }), file)).toBe('f2');
		expect(documentVersion({ version: '3' })).toBe(3);
		expect(documentVersion({})).toBeUndefined();
	});

	it('reads the failures of a delete answered with errors: true', async () => {
		const failuresOf = async (answer: unknown) =>
			(await deleteDocument(answering(answer), 'd1', { permanent: false })).failures;
		expect(await failuresOf({ errors: false, count: 1, items: [] })).toBeUndefined();
		expect(
			await failuresOf({
				errors: true,
				items: [{ error: { message: 'locked' } }, { reason: 'gone' }, { id: 'x' }],
			}),
		).toEqual(['locked', 'gone', '{"id":"x"}']);
	});

	it('reads a share token, a reminded share and whom a share names under each assumed name', async () => {
		expect(await validateShare(answering({ shareToken: 't1' }), 's1')).toBe('t1');
		expect(await validateShare(answering({ results: [{ shareToken: 't2' }] }), 's1')).toBe('t2');
		await expect(validateShare(answering({}), 's1')).rejects.toThrow(
			'Circularo validated share "s1" but its answer holds no shareToken',
		);
		const reminded = await sendReminder(answering([{ id: 's2' }, { shareId: 's3' }, {}]), {
			documentId: 'd1',
		});
		expect(reminded.remindedShareIds).toEqual(['s2', 's3']);
		expect(sharedWithNames({ sharedUsername: 'Jane@Example.com' })).toEqual(['jane@example.com']);
		expect(sharedWithNames({ sharedWith: ['A@example.com', 7] })).toEqual(['a@example.com']);
	});

	it('reads a template bare, inside data or wrapped, with its roles and signature fields', async () => {
		const data = {
			name: 'NDA',
			file: 'hash-1',
			fields: ['contract', { name: 'amount' }],
			signEntities: [
				{
					shareType: 'approve',
					order: 2,
					userRoleId: 'r1',
					shareData: [{ user: { email: 'a@x.io' } }],
				},
				{ sharePurpose: 'sign', shareData: [{ shareTo: 'b@x.io' }] },
			],
		};
		const [bare, inData] = await listTemplates(
			answering([{ id: 'tpl-1', ...data }, { templateId: 'tpl-2', data }, { name: 'no id' }]),
		);
		expect(bare).toMatchObject({ templateId: 'tpl-1', name: 'NDA', fileHash: 'hash-1' });
		expect(inData).toMatchObject({ templateId: 'tpl-2', fields: ['contract', 'amount'] });
		expect(inData.roles).toEqual([
			{ purpose: 'approve', order: 2, user: 'a@x.io', roleId: 'r1' },
			{ purpose: 'sign', order: undefined, user: 'b@x.io', roleId: undefined },
		]);
		expect(await getTemplate(answering({ results: [data] }), 'tpl-3')).toMatchObject({
			templateId: 'tpl-3',
			name: 'NDA',
		});
		expect(templateSignField({ user: 'r1', pages: [3], position: { percentX: 0.4 } })).toEqual({
			signer: 'r1',
			page: 3,
			position: { x: 0.4, y: 0.88, width: 0.2, height: 0.05 },
			type: undefined,
		});
		expect(templateSignField({ user: ['a@x.io'], page: 0, type: 'initials' })).toMatchObject({
			signer: 'a@x.io',
			page: 1,
			type: 'initials',
		});
	});
});
