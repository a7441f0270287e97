import { multipartBody } from '../../nodes/Circularo/circularo/multipart';

describe('multipartBody', () => {
	it("is read back exactly by an independent parser (the fetch standard's FormData)", async () => {
		// Bytes that look like a boundary line and CRLFs must survive untouched.
		const data = Buffer.concat([
			Buffer.from('%PDF-1.7\r\n--boundary\r\n'),
			Buffer.from([0, 255, 13, 10, 45, 45]),
		]);
		const { body, contentType } = multipartBody(
			{ fileName: 'Smlouva č. 7.pdf', note: 'two\r\nlines' },
			'file',
			{
				data,
				fileName: 'Smlouva č. 7.pdf',
				mimeType: 'application/pdf',
			},
		);
		const form = await new Response(new Uint8Array(body), {
			headers: { 'content-type': contentType },
		}).formData();
		expect(form.get('fileName')).toBe('Smlouva č. 7.pdf');
		expect(form.get('note')).toBe('two\r\nlines');
		const file = form.get('file') as File;
		expect(file.name).toBe('Smlouva č. 7.pdf');
		expect(file.type).toBe('application/pdf');
		expect(Buffer.from(await file.arrayBuffer()).equals(data)).toBe(true);
	});

	it('uses a new boundary every time', () => {
		const file = { data: Buffer.from('x'), fileName: 'x.pdf', mimeType: 'application/pdf' };
		expect(multipartBody({}, 'file', file).contentType).not.toBe(
			multipartBody({}, 'file', file).contentType,
		);
	});
});
