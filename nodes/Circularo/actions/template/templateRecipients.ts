/**
 * A template's roles and signature fields turned into a sign request: each role gets the user the
 * template names or the recipient given in its place (in the template's order), and each signature
 * field goes to the recipient of the role it names.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import type { Recipient, SignatureField } from '../../circularo/endpoints/shares';
import type { Template, TemplateRole } from '../../circularo/endpoints/templates';
import { templateSignField } from '../../circularo/records';
import { badInput } from '../common/inputChecks';
import { checkedRecipients, type RecipientParameters } from '../signRequest/recipients';

/** One entry of the template's Recipients parameter. */
export interface RoleRecipientParameters {
	shareTo?: string;
	message?: string;
	otp?: 'none' | 'email' | 'phone';
	otpEmail?: string;
	otpPhone?: string;
}

export interface TemplateShare {
	recipients: Recipient[];
	signatureFields: SignatureField[];
	sequential: boolean;
}

const FIELD = 'Recipients';

/**
 * The recipients of every role and the template's signature fields, refused (naming the field)
 * when a role has nobody or more recipients than roles are given.
 */
export function templateShare(
	context: IExecuteFunctions,
	itemIndex: number,
	template: Template,
	given: RoleRecipientParameters[],
): TemplateShare {
	const roles: TemplateRole[] = template.roles.length
		? template.roles
		: given.map(() => ({ purpose: 'sign' }));
	if (roles.length === 0)
		throw badInput(
			context,
			itemIndex,
			`"${FIELD}" is empty and template "${template.name}" names no recipients`,
			'Add the recipients, one per role.',
		);
	if (given.length > roles.length)
		throw badInput(
			context,
			itemIndex,
			`"${FIELD}" lists ${given.length} recipients but template "${template.name}" has ${roles.length} role(s)`,
			'Give one recipient per role of the template, in its order (Template > Get lists the roles).',
		);
	const entries: RecipientParameters[] = roles.map((role, index) => {
		const override = given[index] ?? {};
		const shareTo = (override.shareTo ?? '').trim() || role.user;
		if (!shareTo)
			throw badInput(
				context,
				itemIndex,
				`"${FIELD}": role ${index + 1}${role.roleId ? ` (${role.roleId})` : ''} of template "${template.name}" names nobody`,
				`Add recipient ${index + 1} to "${FIELD}": the template leaves this role open.`,
			);
		return {
			shareTo,
			purpose: role.purpose,
			order: role.order ?? 0,
			message: override.message,
			otp: override.otp,
			otpEmail: override.otpEmail,
			otpPhone: override.otpPhone,
		};
	});
	const checked = checkedRecipients(context, itemIndex, entries);
	const orders = new Set(roles.map((role) => role.order ?? 0));
	return {
		recipients: checked.recipients,
		signatureFields: template.signFields.length
			? template.signFields.map((field, index) =>
					signatureFieldOf(context, field, index, roles, checked.recipients),
				)
			: checked.signatureFields,
		// [assumed] A template whose roles have different orders is signed in that order.
		sequential: orders.size > 1,
	};
}

/**
 * One of the template's signature fields (read by records.ts) for the recipient of the role it
 * names: by the role's user or [assumed] its role id.
 */
function signatureFieldOf(
	context: IExecuteFunctions,
	field: IDataObject,
	index: number,
	roles: TemplateRole[],
	recipients: Recipient[],
): SignatureField {
	const { signer: named, ...placement } = templateSignField(field);
	const roleIndex = roles.findIndex(
		(role) =>
			(role.user !== undefined && role.user.toLowerCase() === named.toLowerCase()) ||
			role.roleId === named,
	);
	if (roleIndex < 0 || !recipients[roleIndex])
		throw new NodeOperationError(
			context.getNode(),
			`Signature field ${index + 1} of the template names "${named}", who is none of its roles`,
			{
				description:
					'Fix the template in Circularo: each signature field belongs to one of its recipients.',
			},
		);
	return { shareTo: recipients[roleIndex].shareTo, ...placement };
}
