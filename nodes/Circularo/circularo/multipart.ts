/**
 * A multipart/form-data body built from Node's Buffer, so an upload needs no run-time dependency
 * and goes through n8n's own authenticated request like every other call.
 */
import { randomBytes } from 'crypto';

export interface MultipartFile {
	data: Buffer;
	fileName: string;
	mimeType: string;
}

interface MultipartBody {
	body: Buffer;
	contentType: string;
}

// What browsers do with a name in a Content-Disposition header (WHATWG HTML, multipart/form-data).
function quoted(name: string): string {
	return `"${name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}"`;
}

/** Text fields first, then the file: the order the parts are read in on the other side. */
export function multipartBody(
	fields: Record<string, string>,
	fileField: string,
	file: MultipartFile,
): MultipartBody {
	const boundary = `----n8nCircularo${randomBytes(16).toString('hex')}`;
	const parts: Buffer[] = [];
	for (const [name, value] of Object.entries(fields)) {
		parts.push(
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name=${quoted(name)}\r\n\r\n${value}\r\n`,
				'utf8',
			),
		);
	}
	parts.push(
		Buffer.from(
			`--${boundary}\r\nContent-Disposition: form-data; name=${quoted(fileField)}; filename=${quoted(file.fileName)}\r\nContent-Type: ${file.mimeType}\r\n\r\n`,
			'utf8',
		),
		file.data,
		Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
	);
	return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
