import { NodeApiError } from 'n8n-workflow';

import { binaryItem } from '../helpers/n8nContext';
import { samplePdf } from '../circularo/samples';
import { useSimulator } from './harness';

const t = useSimulator();
const ids = ['doc-sales-1', 'no-such-doc', 'doc-sales-2'];
const getEach = (itemIndex: number) => ({
	resource: 'document',
	operation: 'get',
	documentId: ids[itemIndex],
});
const threeItems = ids.map(() => ({ json: {} }));

describe('one run over many items', () => {
	it('gives one output item per input item, paired with it', async () => {
		const pdfs = [samplePdf('One'), samplePdf('Two')];
		const output = await t.run(
			{ resource: 'document', operation: 'create' },
			{
				items: [
					binaryItem('data', pdfs[0], 'one.pdf', 'application/pdf'),
					binaryItem('data', pdfs[1], 'two.pdf', 'application/pdf'),
				],
			},
		);
		expect(output.map((o) => [o.json.documentTitle, o.pairedItem])).toEqual([
			['one', { item: 0 }],
			['two', { item: 1 }],
		]);
	});

	it('with Continue On Fail, turns a failure into an error item and goes on', async () => {
		const output = await t.run(getEach, { items: threeItems, continueOnFail: true });
		expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json.documentId).toBe('doc-sales-1');
		expect(output[1].json).toEqual({
			error: 'Circularo could not find what it needed to get the document (404)',
			description: expect.stringMatching(/^Check the Document ID/),
		});
		expect(output[2].json.documentId).toBe('doc-sales-2');
		expect(t.requests().map((r) => r.path)).toEqual(ids.map((id) => `/documents/${id}`));
	});

	it('without it, stops at the failing item and says which one', async () => {
		const error = await t.failure(getEach, { items: threeItems });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.context.itemIndex).toBe(1);
		expect(t.requests()).toHaveLength(2);
	});

	it('refuses bad input of one item as an error item too', async () => {
		const output = await t.run((i) => ({ ...getEach(i), documentId: i === 1 ? '' : ids[i] }), {
			items: threeItems,
			continueOnFail: true,
		});
		expect(output[1].json).toEqual({
			error: '"Document ID" is empty',
			description: 'Enter the Document ID to use.',
		});
		expect(t.requests().map((r) => r.path)).toEqual([
			'/documents/doc-sales-1',
			'/documents/doc-sales-2',
		]);
	});
});
