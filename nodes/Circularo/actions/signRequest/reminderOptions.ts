/**
 * The "Automatic Reminders" option of Sign Request > Create, Send and Wait for Signature and
 * Template > Send for Signature: when Circularo starts reminding the recipients who still have to
 * act and how often, for everyone or for named recipients. Circularo then sends them by itself.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Recipient } from '../../circularo/endpoints/shares';
import { badInput } from '../common/inputChecks';

export const reminderProperties: INodeProperties[] = [
	{
		displayName: 'Automatic Reminders',
		name: 'automaticReminders',
		type: 'fixedCollection',
		placeholder: 'Add reminders',
		default: {},
		description:
			'Whether Circularo reminds recipients who have not acted yet, by e-mail, starting after some days and repeating. Recipients who only view are never reminded.',
		options: [
			{
				displayName: 'Reminders',
				name: 'settings',
				values: [
					{
						displayName: 'First Reminder After (Days)',
						name: 'firstAfterDays',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 3,
						description: 'Days after sending until the first reminder (0: from today)',
					},
					{
						displayName: 'Repeat Every (Days)',
						name: 'intervalDays',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 2,
						description: 'Days between reminders, a whole number of at least 1',
					},
					{
						displayName: 'Only For',
						name: 'onlyFor',
						type: 'string',
						default: '',
						placeholder: 'name@email.com, other@email.com',
						description:
							'Recipients (their E-Mail or Username) to remind, separated by commas. Empty: every recipient who has to act.',
					},
				],
			},
		],
	},
];

interface ReminderSettings {
	firstAfterDays?: number;
	intervalDays?: number;
	onlyFor?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The recipients with their automatic reminders as the option says, refused before any call when
 * a number is not whole or "Only For" names someone who is not a recipient who acts.
 */
export function withAutomaticReminders(
	context: IExecuteFunctions,
	itemIndex: number,
	recipients: Recipient[],
	now = new Date(),
): Recipient[] {
	const option = context.getNodeParameter('automaticReminders', itemIndex, {}) as {
		settings?: ReminderSettings;
	};
	const settings = option.settings;
	if (!settings) return recipients;
	const fail = (message: string, description?: string) =>
		badInput(context, itemIndex, message, description);
	const firstAfterDays = settings.firstAfterDays ?? 3;
	const intervalDays = settings.intervalDays ?? 2;
	if (!Number.isInteger(firstAfterDays) || firstAfterDays < 0)
		throw fail('"First Reminder After (Days)" must be a whole number of at least 0');
	if (!Number.isInteger(intervalDays) || intervalDays < 1)
		throw fail('"Repeat Every (Days)" must be a whole number of at least 1');
	const acting = recipients.filter((recipient) => recipient.purpose !== 'view');
	const named = (settings.onlyFor ?? '')
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
	for (const name of named) {
		if (!acting.some((recipient) => recipient.shareTo.toLowerCase() === name.toLowerCase()))
			throw fail(
				`"Only For" of "Automatic Reminders" names "${name}", who is not a recipient with something to do`,
				'Name recipients as in their E-Mail or Username; recipients who only view are never reminded.',
			);
	}
	const wanted = new Set(named.map((name) => name.toLowerCase()));
	const start = new Date(now.getTime() + firstAfterDays * DAY_MS).toISOString();
	return recipients.map((recipient) =>
		recipient.purpose !== 'view' &&
		(wanted.size === 0 || wanted.has(recipient.shareTo.toLowerCase()))
			? { ...recipient, automaticReminder: { start, intervalDays } }
			: recipient,
	);
}
