/**
 * How a sign request ended, as the one item Send and Wait for Signature goes on with, and which of
 * its two outputs takes it. Used for an ending seen in a delivery (resume.ts) and for a document
 * that had ended before the node waited (../sendAndWaitForSignature.ts).
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
} from 'n8n-workflow';

import type { CircularoClient } from '../../../circularo/client';
import { documentFiles, wantedFiles, type DownloadOptions } from '../../../circularo/documentFiles';
import { getDocument } from '../../../circularo/endpoints/documents';
import { lastHistoryEntry } from '../../../circularo/records';
import { ENDING_OF_EVENT, type EndingState } from '../../../events';
import { endingOfDocument, endingOfEvent } from '../../../webhooks/stateCheck';
import { actorFrom, type CircularoActor } from '../../../webhooks/deliveryItem';
import { documentItem } from '../../common/output';

/** The events that end a sign request, and the outcome each means (the state it claims). */
export const OUTCOME_OF_EVENT = ENDING_OF_EVENT;

export type SignatureOutcome = EndingState;

const EVENT_OF_OUTCOME = Object.fromEntries(
	Object.entries(OUTCOME_OF_EVENT).map(([event, outcome]) => [outcome, event]),
) as Record<SignatureOutcome, keyof typeof OUTCOME_OF_EVENT>;

export const outcomeOfEvent = endingOfEvent;

/** A document's `workflow.shareStateName` when it has ended (the states are named like the outcomes). */
export const outcomeOfState = endingOfDocument;

/** Output 0 "Not Completed" (also where n8n puts the input at the wait limit), output 1 "Completed". */
export const OUTPUT_NAMES = ['Not Completed', 'Completed'] as const;

export function endingOutputs(item: INodeExecutionData): INodeExecutionData[][] {
	return item.json.outcome === 'completed' ? [[], [item]] : [[item], []];
}

export interface Ending {
	documentId: string;
	outcome: SignatureOutcome;
	/** Who signed last or rejected, as the delivery named them; read from the history when null. */
	actor: CircularoActor | null;
	/** When, as the delivery said; read from the history when null. */
	at: string | null;
	/** The document as Circularo answered GET /documents/:id, when the caller already has it. */
	record?: IDataObject;
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * The item: document ID, outcome, actor, when, reason, the document as Document > Get returns it
 * and, for a completed document, the PDFs asked for. A failed read or download never loses the
 * ending: the reason goes into `documentError` or `downloadError`. A deleted document is not read
 * (it is gone): `document` is null, actor and time are the delivery's.
 */
export async function endingItem(
	context: IExecuteFunctions | IWebhookFunctions,
	client: CircularoClient,
	ending: Ending,
	options: DownloadOptions,
): Promise<INodeExecutionData> {
	const { documentId, outcome } = ending;
	const json: IDataObject = { documentId, outcome, actor: ending.actor, at: ending.at };
	let record = ending.record;
	if (!record && outcome !== 'deleted') {
		try {
			record = await getDocument(client, documentId);
		} catch (error) {
			json.documentError = messageOf(error);
		}
	}
	const wanted = wantedFiles(outcome === 'completed' ? options : {});
	const files = await documentFiles(
		context,
		client,
		documentId,
		{ ...wanted, failures: 'record' },
		{ document: record },
	);
	record = files.document;
	const entry = record ? lastHistoryEntry(record, EVENT_OF_OUTCOME[outcome]) : undefined;
	json.actor ??= actorFrom(entry?.actor);
	json.at ??= entry?.date ?? null;
	json.reason = outcome === 'completed' ? null : (entry?.message ?? null);
	json.document = record ? documentItem(record) : null;
	if (files.downloadError) json.downloadError = files.downloadError;
	const { binary } = files;
	return Object.keys(binary).length > 0 ? { json, binary } : { json };
}
