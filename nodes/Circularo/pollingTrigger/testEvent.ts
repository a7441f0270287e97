/**
 * "Fetch Test Event": n8n runs poll() once in manual mode and keeps nothing it changes, so the
 * test event is not a comparison with the last poll but the latest selected event of the newest
 * documents the key can see, built as a poll would report it.
 */
import { NodeOperationError, type IDataObject, type IPollFunctions } from 'n8n-workflow';

import type { CircularoClient } from '../circularo/client';
import { searchDocuments } from '../circularo/endpoints/documents';
import { documentIdOf } from '../circularo/records';
import {
	ENDING_EVENTS,
	eventsSince,
	IN_PROGRESS,
	polledItem,
	type PolledEvent,
	type PolledItem,
} from './items';

/** How many of the newest documents a test event is looked for in. */
const TEST_EVENT_DOCUMENTS = 20;

/** The documented states in which a document can show each selected event. */
function statesFor(events: readonly PolledEvent[]): string[] {
	const states = new Set<string>();
	for (const event of events) {
		if (event === 'signRequest' || event === 'documentSigned') states.add(IN_PROGRESS);
		for (const [state, ending] of Object.entries(ENDING_EVENTS))
			if (event === ending || event === 'signRequest' || event === 'documentSigned')
				states.add(state);
	}
	return [...states];
}

export async function testEvent(
	context: IPollFunctions,
	client: CircularoClient,
	selected: readonly PolledEvent[],
	now: Date,
): Promise<PolledItem> {
	const states = statesFor(selected);
	const { documents } =
		states.length > 0
			? await searchDocuments(client, { states }, 0, TEST_EVENT_DOCUMENTS)
			: { documents: [] as IDataObject[] };
	for (const document of documents) {
		const documentId = documentIdOf(document);
		const latest = eventsSince(document, 'new')
			.filter(({ event }) => selected.includes(event))
			.at(-1);
		if (documentId && latest) return polledItem(document, documentId, latest, now);
	}
	throw new NodeOperationError(
		context.getNode(),
		'No Circularo document the API key can see has one of the selected events yet',
		{
			description:
				'Send a document for signature in Circularo (or complete, reject or cancel one), then fetch the test event again. Deleted documents cannot be shown here: Circularo no longer returns them.',
		},
	);
}
