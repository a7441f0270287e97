/**
 * A template's roles and signature fields turned into a sign request: each role gets the user the
 * template names or the recipient given in its place (in the template's order), and each signature
 * field goes to the recipient of the role it names.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import type { Recipient, SignatureField } from '../../circularo/endpoints';
import type { Template, TemplateRole } from '../../circularo/endpoints/templates';
import { firstString } from '../../circularo/answers';
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
 * One of the template's signature fields for the recipient of the role it names: by the role's
 * user or [assumed] its role id. Documented keys: `user`, `type`, `page` (or `pages`), `position`.
 */
function signatureFieldOf(
	context: IExecuteFunctions,
	field: IDataObject,
	index: number,
	roles: TemplateRole[],
	recipients: Recipient[],
): SignatureField {
	const named = firstString(Array.isArray(field.user) ? field.user[0] : field.user) ?? '';
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
	const pages = Array.isArray(field.pages) ? field.pages : [field.page];
	const page = Number(pages[0] ?? 1);
	const position = (field.position ?? {}) as IDataObject;
	return {
		shareTo: recipients[roleIndex].shareTo,
		page: Number.isInteger(page) && page > 0 ? page : 1,
		position: {
			x: Number(position.percentX ?? 0.05),
			y: Number(position.percentY ?? 0.88),
			width: Number(position.percentWidth ?? 0.2),
			height: Number(position.percentHeight ?? 0.05),
		},
		type: firstString(field.type),
	};
}
