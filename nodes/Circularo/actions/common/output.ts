/**
 * A Circularo document as an n8n item: Circularo's own field names (documentId, documentTitle, as
 * the trigger's items), the fields a user looks for first lifted to the top once each (status from
 * workflow.shareStateName, fileHash from pdfFile.content, version from _version, waitingFor as
 * names), then every other field Circularo sent.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	documentStatus,
	documentVersion,
	fileHashOf,
	waitingForNames,
} from '../../circularo/records';

/** An object without one key; undefined when nothing else is left. */
function without(value: unknown, key: string): IDataObject | undefined {
	if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
	const { [key]: _lifted, ...rest } = value as IDataObject;
	return Object.keys(rest).length > 0 ? rest : undefined;
}

export function documentItem(record: IDataObject): IDataObject {
	const {
		documentId,
		documentTitle,
		documentType,
		_version,
		waitingFor,
		createDate,
		workflow,
		pdfFile,
		...rest
	} = record;
	const item: IDataObject = {
		documentId,
		documentTitle: documentTitle ?? null,
		documentType: documentType ?? null,
		status: documentStatus(record) ?? null,
		waitingFor: waitingForNames(record),
		version: documentVersion(record) ?? null,
		fileHash: fileHashOf(record) ?? null,
		createDate: createDate ?? null,
		...rest,
	};
	const otherWorkflow = without(workflow, 'shareStateName');
	const otherPdfFile = without(pdfFile, 'content');
	if (otherWorkflow) item.workflow = otherWorkflow;
	if (otherPdfFile) item.pdfFile = otherPdfFile;
	return item;
}
