/**
 * What n8n's poll() does: read the parameters, run one poll (poll.ts) from the state n8n keeps,
 * store the next state and return the selected events as items.
 *
 * n8n 2.41 (read in its code) saves a poll node's static data when poll() returns items, at the
 * same time as it starts the execution (`__emit`), and after the first poll of an activation; a
 * poll returning null keeps its changes in memory until one of those. The state is therefore
 * written only at the end, after every request succeeded: a poll that fails leaves it untouched.
 */
import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { circularoClient } from '../circularo/client';
import { ALL_EVENTS } from '../events';
import { withAttachments, type PollOptions } from './attachments';
import { polledItem, POLLED_EVENTS, type PolledEvent, type PolledItem } from './items';
import { pollDocuments, type PollOutcome } from './poll';
import { readState, writeState } from './state';
import { testEvent } from './testEvent';

/**
 * Polls running in this process, by workflow and node. n8n starts a poll at every tick even while
 * the last one runs (it only counts the overlap); two polls from the same state would report the
 * same changes twice, so the later one does nothing and the next tick catches up.
 */
const running = new Set<string>();

function selectedEvents(context: IPollFunctions): PolledEvent[] {
	const events = context.getNodeParameter('events', []) as string[];
	if (events.includes(ALL_EVENTS)) return [...POLLED_EVENTS];
	return POLLED_EVENTS.filter((event) => events.includes(event));
}

function itemsOf(outcome: PollOutcome, selected: PolledEvent[], now: Date): PolledItem[] {
	const items: PolledItem[] = [];
	for (const { documentId, document, events } of outcome.reports)
		for (const event of events)
			if (selected.includes(event.event)) items.push(polledItem(document, documentId, event, now));
	return items;
}

export async function runPoll(context: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const selected = selectedEvents(context);
	const options = context.getNodeParameter('options', {}) as PollOptions;
	const client = circularoClient(context);
	const now = new Date();
	if (context.getMode() === 'manual') {
		const item = await testEvent(context, client, selected, now);
		return [await withAttachments(context, client, [item], options)];
	}
	const key = `${context.getWorkflow().id}:${context.getNode().id}`;
	if (running.has(key)) {
		context.logger.info('Circularo poll skipped: the previous poll of this trigger still runs');
		return null;
	}
	running.add(key);
	try {
		const staticData = context.getWorkflowStaticData('node');
		const outcome = await pollDocuments(client, readState(staticData), now);
		if (outcome.outOfSight.length > 0)
			context.logger.warn(
				`Circularo polling trigger: ${outcome.outOfSight.length} document(s) in progress can no longer be seen with this API key and are no longer watched`,
			);
		const items = itemsOf(outcome, selected, now);
		// Downloads first: a failed one goes into its item, so the state is written only once
		// the items are ready to be returned.
		const data = await withAttachments(context, client, items, options);
		writeState(staticData, outcome.state);
		return data.length > 0 ? [data] : null;
	} finally {
		running.delete(key);
	}
}
