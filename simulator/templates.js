// @ts-check
'use strict';

/**
 * The seeded signature templates of tenant acme, in the shape a public client reads from
 * `GET /templates/:id` (Circularo's own pages stop before it): a file, the metadata fields, the
 * roles (`signEntities`, each with its optional named user) and the signature fields, which name
 * their signer by e-mail or by role id. Assumed shape; see docs/assumptions.md.
 */

const { buildPdf } = require('./pdf');
const { storeFile } = require('./documents');

/**
 * @typedef {{ id: string, tenant: string, name: string, documentType: string, definitionType: string,
 *   fields: string[], file: string, signFields: Record<string, unknown>[],
 *   signEntities: Array<{ shareType: string, order: number, userRoleId: string,
 *   shareData: Array<{ user: { name: string | null }, message: string | null, mailProtection: boolean,
 *   remindersEnabled: boolean }> }>, createDate: string }} TemplateRecord
 */

const SEED_DATE = '2026-01-15T09:00:00.000Z';

/**
 * @param {string} user e-mail or role id
 * @param {number} x
 */
const field = (user, x) => ({
	user: [user],
	type: 'signature',
	page: 1,
	position: { percentX: x, percentY: 0.85, percentWidth: 0.2, percentHeight: 0.05 },
});

/**
 * @param {string} shareType @param {number} order @param {string} userRoleId @param {string | null} user
 */
const role = (shareType, order, userRoleId, user) => ({
	shareType,
	order,
	userRoleId,
	shareData: [
		{ user: { name: user }, message: null, mailProtection: false, remindersEnabled: true },
	],
});

/**
 * Stores each template's PDF (the simulator's files are reset with its state) and returns the
 * templates by id.
 * @param {import('./state').SimulatorState} sim
 * @returns {Map<string, TemplateRecord>}
 */
function seedTemplates(sim) {
	/** @param {string} title @param {string[]} lines */
	const pdf = (title, lines) =>
		storeFile(sim, buildPdf({ title, lines }), {
			mimetype: 'application/pdf',
			name: `${title}.pdf`,
			tenant: 'acme',
		});
	/** @type {TemplateRecord[]} */
	const templates = [
		{
			id: 'tpl-nda',
			tenant: 'acme',
			name: 'Mutual NDA',
			documentType: 'd_contract',
			definitionType: 'ext',
			fields: ['contractNumber', 'counterparty'],
			file: pdf('Mutual NDA', ['Template: the counterparty signs first, then Sales.']),
			signFields: [field('counterparty', 0.05), field('sales.admin@acme.test', 0.36)],
			signEntities: [
				role('sign', 1, 'counterparty', null),
				role('sign', 2, 'sales', 'sales.admin@acme.test'),
			],
			createDate: SEED_DATE,
		},
		{
			id: 'tpl-offer',
			tenant: 'acme',
			name: 'Offer letter',
			documentType: 'd_default',
			definitionType: 'ext',
			fields: [],
			file: pdf('Offer letter', ['Template: one signer, named in the template.']),
			signFields: [field('signer@example.com', 0.05)],
			signEntities: [role('sign', 1, 'candidate', 'signer@example.com')],
			createDate: SEED_DATE,
		},
	];
	return new Map(templates.map((t) => [t.id, t]));
}

module.exports = { seedTemplates };
