/**
 * A Circularo document as an n8n item: the fields a user looks for first, under readable names,
 * followed by every other field Circularo sent.
 */
import type { IDataObject } from 'n8n-workflow';

import { documentVersion, waitingForNames } from '../assumptions';

export function readableDocument(record: IDataObject): IDataObject {
	const { documentId, documentTitle, documentType, _version, waitingFor, createDate, ...rest } =
		record;
	const workflow = (record.workflow ?? {}) as IDataObject;
	const pdfFile = (record.pdfFile ?? {}) as IDataObject;
	return {
		documentId,
		title: documentTitle ?? null,
		documentType: documentType ?? null,
		status: workflow.shareStateName ?? null,
		waitingFor: waitingForNames(record),
		version: documentVersion(record) ?? null,
		fileHash: pdfFile.content ?? null,
		createDate: createDate ?? null,
		...rest,
	};
}
