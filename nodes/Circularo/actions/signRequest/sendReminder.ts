import { updateDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { getDocument } from '../../circularo/endpoints/documents';
import {
	REMINDER_RULES,
	sendReminder,
	type ReminderTarget,
} from '../../circularo/endpoints/shares';
import { documentStatus, waitingForNames } from '../../circularo/records';
import type { OperationRun } from '../router';
import { badInput, requiredText } from '../common/inputChecks';
import { documentIdProperty } from '../common/parameters';

const properties: INodeProperties[] = [
	{
		displayName: 'Remind',
		name: 'remindTarget',
		type: 'options',
		default: 'document',
		description: 'Whom to remind',
		options: [
			{
				name: 'Everyone Who Still Has to Act',
				value: 'document',
				description: 'Every recipient of the document whose action it waits for',
			},
			{
				name: 'Given Shares',
				value: 'shares',
				description: 'The recipients of the given share IDs',
			},
		],
	},
	{
		...documentIdProperty,
		displayOptions: { show: { remindTarget: ['document'] } },
	},
	{
		displayName: 'Share IDs',
		name: 'shareIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'eNkm-YkBaRhWjrzWZ0-W, fP2x-ZlCbShXksaXA1-X',
		description:
			'IDs of the shares to remind (values of shareIds from Create), separated by commas',
		displayOptions: { show: { remindTarget: ['shares'] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['signRequest'], operation: ['sendReminder'] } },
	properties,
);

const ONCE_A_DAY = `${REMINDER_RULES.oncePerDay}; this execution already reminded it.`;

/** What each execution reminded already: a second reminder the same run is refused before the call. */
const remindedInExecution = new WeakMap<IExecuteFunctions, Set<string>>();

function remindedBy(context: IExecuteFunctions): Set<string> {
	let reminded = remindedInExecution.get(context);
	if (!reminded) remindedInExecution.set(context, (reminded = new Set()));
	return reminded;
}

/** The target, refused before any call when it is empty or reminded earlier in this execution. */
function readTarget(context: IExecuteFunctions, itemIndex: number): ReminderTarget {
	const reminded = remindedBy(context);
	if (context.getNodeParameter('remindTarget', itemIndex, 'document') === 'shares') {
		const shareIds = [
			...new Set(
				requiredText(context, itemIndex, 'shareIds', 'Share IDs')
					.split(',')
					.map((shareId) => shareId.trim())
					.filter((shareId) => shareId !== ''),
			),
		];
		const again = shareIds.find((shareId) => reminded.has(`share:${shareId}`));
		if (again)
			throw badInput(
				context,
				itemIndex,
				`"Share IDs": share "${again}" was reminded already`,
				ONCE_A_DAY,
			);
		return { shareIds };
	}
	const documentId = requiredText(context, itemIndex, 'documentId', 'Document ID');
	if (reminded.has(`document:${documentId}`))
		throw badInput(
			context,
			itemIndex,
			`"Document ID": document "${documentId}" was reminded already`,
			ONCE_A_DAY,
		);
	return { documentId };
}

/**
 * For a document: GET /documents/:id first (a document that waits for nobody is refused without
 * a reminder call), then the reminder. For shares: the reminder.
 */
export const execute: OperationRun = async function (itemIndex, client) {
	const target = readTarget(this, itemIndex);
	if ('documentId' in target) {
		const document = await getDocument(client, target.documentId);
		const status = documentStatus(document);
		if (status !== 'inprogress' || waitingForNames(document).length === 0)
			throw badInput(
				this,
				itemIndex,
				`Document "${target.documentId}" waits for nobody (status: ${String(status ?? 'not shared')}), so there is nobody to remind`,
				`${REMINDER_RULES.onlyWhoMustAct}. Nothing was sent.`,
			);
	}
	const { answer, remindedShareIds } = await sendReminder(client, target);
	const reminded = remindedBy(this);
	if ('documentId' in target) reminded.add(`document:${target.documentId}`);
	for (const shareId of 'shareIds' in target ? target.shareIds : remindedShareIds)
		reminded.add(`share:${shareId}`);
	return [{ json: { ...target, reminded: true, remindedShareIds, ...answer } }];
};
