/** Small real files for tests: a PDF built by the simulator's own PDF writer, and a non-PDF. */
const { buildPdf } = require('../../simulator');

export function samplePdf(title = 'Sample contract'): Buffer {
	return buildPdf({ title, lines: ['A sample document for the Circularo node tests.'] });
}

export const sampleText = Buffer.from('{\\rtf1\\ansi A contract in RTF}', 'utf8');
