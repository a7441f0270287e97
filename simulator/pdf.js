// @ts-check
'use strict';

/**
 * A minimal, valid PDF 1.4 writer (one A4 page of Helvetica text), with a correct
 * cross-reference table. Enough for "download the signed PDF" to return real PDF bytes.
 */

/**
 * Text for a PDF literal string in WinAnsi/Latin-1: characters outside Latin-1 become '?',
 * and ( ) \ are escaped.
 * @param {string} s
 */
function pdfLiteral(s) {
	let out = '';
	for (const ch of String(s)) {
		const code = ch.codePointAt(0) ?? 63;
		let c = code <= 0xff && code >= 0x20 ? ch : code === 0x2013 || code === 0x2014 ? '-' : '?';
		if (c === '(' || c === ')' || c === '\\') c = '\\' + c;
		out += c;
	}
	return '(' + out + ')';
}

/**
 * Full Unicode text string (UTF-16BE with BOM, hex) for the document information dictionary.
 * @param {string} s
 */
function pdfUnicodeHex(s) {
	const le = Buffer.from(String(s), 'utf16le');
	const be = Buffer.alloc(le.length);
	for (let i = 0; i + 1 < le.length; i += 2) {
		be[i] = le[i + 1];
		be[i + 1] = le[i];
	}
	return '<FEFF' + be.toString('hex').toUpperCase() + '>';
}

/**
 * Builds a one-page PDF.
 * @param {{ title: string, lines?: string[] }} opts `title` is printed in large type and set as /Title.
 * @returns {Buffer}
 */
function buildPdf(opts) {
	const title = String(opts.title);
	const lines = (opts.lines ?? []).slice(0, 40);
	let content = 'BT\n/F1 18 Tf\n50 780 Td\n' + pdfLiteral(title) + ' Tj\n/F1 11 Tf\n16 TL\nT*\n';
	for (const line of lines) content += pdfLiteral(line) + ' Tj\nT*\n';
	content += 'ET\n';
	const contentBytes = Buffer.from(content, 'latin1');

	/** @type {Buffer[]} */
	const objects = [
		Buffer.from('<< /Type /Catalog /Pages 2 0 R >>', 'latin1'),
		Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>', 'latin1'),
		Buffer.from(
			'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
			'latin1',
		),
		Buffer.from(
			'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
			'latin1',
		),
		Buffer.concat([
			Buffer.from(`<< /Length ${contentBytes.length} >>\nstream\n`, 'latin1'),
			contentBytes,
			Buffer.from('endstream', 'latin1'),
		]),
		Buffer.from(`<< /Title ${pdfUnicodeHex(title)} /Producer (Circularo simulator) >>`, 'latin1'),
	];

	/** @type {Buffer[]} */
	const parts = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
	let offset = parts[0].length;
	/** @type {number[]} */
	const offsets = [];
	objects.forEach((body, i) => {
		offsets.push(offset);
		const chunk = Buffer.concat([
			Buffer.from(`${i + 1} 0 obj\n`, 'latin1'),
			body,
			Buffer.from('\nendobj\n', 'latin1'),
		]);
		parts.push(chunk);
		offset += chunk.length;
	});
	const xrefOffset = offset;
	let xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const o of offsets) xref += String(o).padStart(10, '0') + ' 00000 n \n';
	xref += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
	parts.push(Buffer.from(xref, 'latin1'));
	return Buffer.concat(parts);
}

module.exports = { buildPdf, pdfLiteral };
