// @ts-check
'use strict';

/**
 * Seeded accounts, documents, sign requests and document types of the Circularo simulator.
 *
 * Everything here is deterministic: the same API keys, user ids and document ids on every
 * start, so the README and demos can show them. These are dev credentials of a local
 * simulator, not secrets.
 */

const crypto = require('node:crypto');

/** Password of every seeded user (for `POST /login`). */
const SEED_PASSWORD = 'simulator';

/**
 * Deterministic API key for a seeded user.
 * @param {string} seed
 */
function seededKey(seed) {
	return (
		'sim_' +
		crypto
			.createHash('sha256')
			.update('circularo-simulator/api-key/' + seed)
			.digest('hex')
			.slice(0, 40)
	);
}

/**
 * @typedef {'globalAdmin' | 'teamAdmin' | 'user'} Role
 * @typedef {{ id: string, name: string, webhooksEnabled: boolean, teams: string[] }} Tenant
 * @typedef {{ id: string, name: string, username: string, email: string, tenant: string,
 *   role: Role, team: string | null, rights: string[], keyName: string }} User
 * @typedef {{ event: string, actor: string, date: string, message?: string }} HistoryEntry
 * @typedef {{ name: string, email: string | null, date: string }} Signature
 * @typedef {{ documentId: string, documentTitle: string, documentType: string, tenant: string,
 *   team: string | null, creator: string, shareStateName: string | null, createDate: string,
 *   deleted: boolean, version: number, workflowType: string, fileName: string | null,
 *   sourceHash: string | null, fields: Record<string, unknown>, history: HistoryEntry[],
 *   signatures: Signature[], signatureFields: unknown[] }} DocumentRecord
 * @typedef {{ name: string, required: boolean, type: string }} DefinitionField
 * @typedef {{ name: string, definitionType: string[], workflow: string, fields: DefinitionField[] }} Definition
 */

/** @returns {Tenant[]} */
function seedTenants() {
	return [
		{ id: 'acme', name: 'Acme Corporation', webhooksEnabled: true, teams: ['Sales', 'Legal'] },
		{
			id: 'globex',
			name: 'Globex (webhooks not enabled)',
			webhooksEnabled: false,
			teams: ['Operations'],
		},
		{ id: 'initech', name: 'Initech', webhooksEnabled: true, teams: ['Finance'] },
	];
}

/** @returns {User[]} */
function seedUsers() {
	return [
		{
			id: 'u-acme-admin',
			name: 'Alice Admin',
			username: 'admin@acme.test',
			email: 'admin@acme.test',
			tenant: 'acme',
			role: 'globalAdmin',
			team: null,
			rights: ['use_webhooks'],
			keyName: 'globalAdmin',
		},
		{
			id: 'u-acme-sales-admin',
			name: 'Sam Sales',
			username: 'sales.admin@acme.test',
			email: 'sales.admin@acme.test',
			tenant: 'acme',
			role: 'teamAdmin',
			team: 'Sales',
			rights: ['use_webhooks'],
			keyName: 'teamAdmin',
		},
		{
			id: 'u-acme-legal-admin',
			name: 'Lena Legal',
			username: 'legal.admin@acme.test',
			email: 'legal.admin@acme.test',
			tenant: 'acme',
			role: 'teamAdmin',
			team: 'Legal',
			rights: ['use_webhooks'],
			keyName: 'otherTeamAdmin',
		},
		{
			id: 'u-acme-sales-user',
			name: 'Pat Plain',
			username: 'sales.user@acme.test',
			email: 'sales.user@acme.test',
			tenant: 'acme',
			role: 'user',
			team: 'Sales',
			rights: ['use_webhooks'],
			keyName: 'plainUser',
		},
		{
			id: 'u-acme-sales-noright',
			name: 'Nora Noright',
			username: 'sales.noright@acme.test',
			email: 'sales.noright@acme.test',
			tenant: 'acme',
			role: 'teamAdmin',
			team: 'Sales',
			rights: [],
			keyName: 'teamAdminNoRight',
		},
		{
			id: 'u-globex-admin',
			name: 'Gary Globex',
			username: 'admin@globex.test',
			email: 'admin@globex.test',
			tenant: 'globex',
			role: 'globalAdmin',
			team: null,
			rights: ['use_webhooks'],
			keyName: 'disabledTenantAdmin',
		},
		{
			id: 'u-initech-admin',
			name: 'Ivy Initech',
			username: 'admin@initech.test',
			email: 'admin@initech.test',
			tenant: 'initech',
			role: 'globalAdmin',
			team: null,
			rights: ['use_webhooks'],
			keyName: 'otherTenantAdmin',
		},
	];
}

const SEED_DATE = '2026-01-15T09:00:00.000Z';

/**
 * A document record with everything a new document starts with.
 * @param {Pick<DocumentRecord, 'documentId' | 'documentTitle' | 'tenant' | 'team' | 'creator'> & Partial<DocumentRecord>} d
 * @returns {DocumentRecord}
 */
function newDocumentRecord(d) {
	return {
		documentType: 'd_default',
		shareStateName: null,
		createDate: new Date().toISOString(),
		deleted: false,
		version: 1,
		workflowType: 'wf_archive',
		fileName: null,
		sourceHash: null,
		fields: {},
		history: [],
		signatures: [],
		signatureFields: [],
		...d,
	};
}

/** @returns {DocumentRecord[]} */
function seedDocuments() {
	/** @param {string} documentId @param {string} documentTitle @param {string} tenant @param {string|null} team @param {string} creator @param {string} state */
	const doc = (documentId, documentTitle, tenant, team, creator, state) =>
		newDocumentRecord({
			documentId,
			documentTitle,
			tenant,
			team,
			creator,
			shareStateName: state,
			createDate: SEED_DATE,
		});
	return [
		doc(
			'doc-sales-1',
			'Sales contract 2026-001',
			'acme',
			'Sales',
			'u-acme-sales-user',
			'inprogress',
		),
		doc('doc-sales-2', 'NDA Globex – Acme', 'acme', 'Sales', 'u-acme-sales-admin', 'completed'),
		doc(
			'doc-legal-1',
			'Legal memo: supplier terms',
			'acme',
			'Legal',
			'u-acme-legal-admin',
			'inprogress',
		),
		doc(
			'doc-globex-1',
			'Globex purchase order',
			'globex',
			'Operations',
			'u-globex-admin',
			'inprogress',
		),
		doc(
			'doc-initech-1',
			'Initech invoice approval',
			'initech',
			'Finance',
			'u-initech-admin',
			'inprogress',
		),
	];
}

/**
 * The open sign requests of the seeded documents that are in progress in tenant acme, so that
 * `npm run simulator -- sign --document doc-sales-1` works right after start.
 * @returns {Array<{ documentId: string, sharedBy: string, shareTo: string }>}
 */
function seedSignRequests() {
	return [
		{ documentId: 'doc-sales-1', sharedBy: 'sales.user@acme.test', shareTo: 'signer@example.com' },
		{
			documentId: 'doc-legal-1',
			sharedBy: 'legal.admin@acme.test',
			shareTo: 'counsel@example.com',
		},
	];
}

/**
 * The document types of every tenant (`GET /definitions/documents`): Circularo's default type and
 * a custom one with a required metadata field.
 * @returns {Definition[]}
 */
function seedDefinitions() {
	const title = { name: 'documentTitle', required: true, type: 'text' };
	return [
		{ name: 'd_default', definitionType: ['ext'], workflow: 'wf_archive', fields: [title] },
		{
			name: 'd_contract',
			definitionType: ['ext'],
			workflow: 'wf_archive',
			fields: [
				title,
				{ name: 'contractNumber', required: true, type: 'text' },
				{ name: 'counterparty', required: false, type: 'text' },
			],
		},
	];
}

module.exports = {
	SEED_PASSWORD,
	seededKey,
	seedTenants,
	seedUsers,
	seedDocuments,
	seedSignRequests,
	seedDefinitions,
	newDocumentRecord,
};
