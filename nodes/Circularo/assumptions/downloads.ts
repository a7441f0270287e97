/** Downloaded files. */
/** A file name for a downloaded PDF from a document title. */
function pdfFileName(title: string): string {
	const safe = title.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').trim() || 'document';
	return safe.toLowerCase().endsWith('.pdf') ? safe : `${safe}.pdf`;
}

/**
 * [assumed] Circularo's downloads carry no file name (none is documented), so the files are named
 * after their document's title: `<title>.pdf` and `<title> audit trail.pdf`.
 */
export const DOWNLOAD_FILE_NAMES = {
	document: (title: string): string => pdfFileName(title),
	auditTrail: (title: string): string => pdfFileName(`${title} audit trail`),
} as const;
