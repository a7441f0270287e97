// @ts-check
'use strict';

/**
 * The sign-request life cycle: sharing a document opens a sign request (one share per
 * recipient, all of one "sharing process"); recipients sign or reject, in order when sequential;
 * the owner or sharer cancels the whole process. Each step changes the document (state,
 * `waitingFor`, history, version) and names the events it causes; the caller delivers them.
 */

const crypto = require('node:crypto');
const { ApiError, isObject, nonEmpty } = require('./http');
const { actorName, currentShares, pendingShares, recordChange, userActor } = require('./documents');

const SHARE_PURPOSES = Object.freeze([
	'view',
	'edit',
	'sign',
	'execute',
	'approve',
	'review',
	'accept',
]);
const SIGN_TYPES = Object.freeze([
	'signature',
	'initials',
	'stamp',
	'wacom',
	'annotation',
	'image',
]);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()-]{5,20}$/;

/**
 * @typedef {import('./seed').DocumentRecord} DocumentRecord
 * @typedef {import('./seed').User} User
 * @typedef {import('./state').SimulatorState} State
 * @typedef {import('./state').Actor} Actor
 * @typedef {{ shareId: string, processId: string, documentId: string, tenant: string, sharePurpose: string,
 *   shareTo: string, sharedBy: string, shareDate: string, message: string | null, validUntil: string | null,
 *   otpEnabled: boolean, phone: string | null, mail: string | null, order: number, sequential: boolean,
 *   automaticReminder: { start: string, intervalDays: number } | null,
 *   isActive: boolean, status: 'pending' | 'done' | 'rejected' | 'cancelled' | 'expired', actedAt: string | null }} ShareRecord
 * @typedef {{ event: string, actor: Actor }} Emitted
 */

/**
 * @param {unknown} v
 * @param {string} field for the message
 */
function optionalString(v, field) {
	if (v === undefined || v === null) return null;
	if (typeof v !== 'string') throw new ApiError(400, 'INVALID_SHARE', `${field} must be a string`);
	return v;
}

/**
 * One recipient of `data[]`, checked. Internal recipients are the tenant's users by username or
 * e-mail; anyone else must be an e-mail address (an external recipient).
 * @param {State} sim
 * @param {User} sharer
 * @param {unknown} r
 * @param {number} i
 */
function checkRecipient(sim, sharer, r, i) {
	const at = `data[${i}]`;
	if (!isObject(r)) throw new ApiError(400, 'INVALID_SHARE', `${at} must be an object`);
	if (!SHARE_PURPOSES.includes(r.sharePurpose)) {
		throw new ApiError(
			400,
			'INVALID_SHARE_PURPOSE',
			`${at}.sharePurpose must be one of ${SHARE_PURPOSES.join(', ')}`,
		);
	}
	if (!nonEmpty(r.shareTo))
		throw new ApiError(
			400,
			'INVALID_RECIPIENT',
			`${at}.shareTo (a username or e-mail) is required`,
		);
	const internal = sim.findUser(r.shareTo);
	const external = !(internal && internal.tenant === sharer.tenant);
	if (external && !EMAIL.test(r.shareTo)) {
		throw new ApiError(
			400,
			'INVALID_RECIPIENT',
			`${at}.shareTo "${r.shareTo}" is neither a user of this tenant nor an e-mail address`,
		);
	}
	const mail = optionalString(r.mail, `${at}.mail`);
	if (mail !== null && !EMAIL.test(mail))
		throw new ApiError(400, 'INVALID_SHARE', `${at}.mail is not an e-mail address`);
	const phone = optionalString(r.phone, `${at}.phone`);
	if (phone !== null && !PHONE.test(phone))
		throw new ApiError(400, 'INVALID_SHARE', `${at}.phone is not a phone number`);
	if (r.otpEnabled !== undefined && typeof r.otpEnabled !== 'boolean')
		throw new ApiError(400, 'INVALID_SHARE', `${at}.otpEnabled must be a boolean`);
	if (r.otpEnabled && external && !phone && !mail) {
		throw new ApiError(
			400,
			'OTP_CONTACT_REQUIRED',
			`${at}: an external recipient with otpEnabled needs "phone" or "mail" for the one-time password`,
		);
	}
	const validUntil = optionalString(r.validUntil, `${at}.validUntil`);
	if (validUntil !== null && !(Date.parse(validUntil) > Date.now())) {
		throw new ApiError(
			400,
			'INVALID_VALID_UNTIL',
			`${at}.validUntil must be an ISO 8601 date in the future`,
		);
	}
	if (r.order !== undefined && !(Number.isInteger(r.order) && r.order >= 1)) {
		throw new ApiError(400, 'INVALID_SHARE', `${at}.order must be a positive integer`);
	}
	const automaticReminder = checkAutomaticReminder(r.automaticReminder, at);
	return {
		automaticReminder,
		sharePurpose: /** @type {string} */ (r.sharePurpose),
		shareTo: /** @type {string} */ (r.shareTo),
		message: optionalString(r.message, `${at}.message`),
		validUntil,
		otpEnabled: Boolean(r.otpEnabled),
		phone,
		mail,
		order: /** @type {number} */ (r.order ?? i + 1),
	};
}

/**
 * Assumed (from a public client; Circularo's page stops before it): a recipient's automatic
 * reminders as `automaticReminder: { start: <ISO date>, intervalDays: <whole days, at least 1> }`.
 * @param {unknown} v
 * @param {string} at
 */
function checkAutomaticReminder(v, at) {
	if (v === undefined || v === null) return null;
	if (
		!isObject(v) ||
		typeof v.start !== 'string' ||
		Number.isNaN(Date.parse(v.start)) ||
		!Number.isInteger(v.intervalDays) ||
		v.intervalDays < 1
	) {
		throw new ApiError(
			400,
			'INVALID_REMINDER',
			`${at}.automaticReminder needs start (an ISO 8601 date) and intervalDays (a whole number of at least 1)`,
		);
	}
	return {
		start: /** @type {string} */ (v.start),
		intervalDays: /** @type {number} */ (v.intervalDays),
	};
}

/**
 * `signatureFields[]`, checked against the recipients.
 * @param {unknown} fields
 * @param {string[]} recipients
 */
function checkSignatureFields(fields, recipients) {
	if (fields === undefined) return [];
	if (!Array.isArray(fields))
		throw new ApiError(400, 'INVALID_SIGNATURE_FIELDS', 'signatureFields must be an array');
	const known = new Set(recipients.map((r) => r.toLowerCase()));
	fields.forEach((f, i) => {
		const at = `signatureFields[${i}]`;
		if (!isObject(f))
			throw new ApiError(400, 'INVALID_SIGNATURE_FIELDS', `${at} must be an object`);
		if (
			!Array.isArray(f.user) ||
			f.user.length === 0 ||
			!f.user.every((u) => typeof u === 'string' && known.has(u.toLowerCase()))
		) {
			throw new ApiError(
				400,
				'UNKNOWN_SIGNER',
				`${at}.user must list recipients of data[] (shareTo values)`,
			);
		}
		if (f.type !== undefined && !SIGN_TYPES.includes(f.type))
			throw new ApiError(
				400,
				'INVALID_SIGNATURE_FIELDS',
				`${at}.type must be one of ${SIGN_TYPES.join(', ')}`,
			);
		const pages = f.pages ?? (f.page === undefined ? undefined : [f.page]);
		if (
			!Array.isArray(pages) ||
			pages.length === 0 ||
			!pages.every((p) => Number.isInteger(p) && p >= 1)
		) {
			throw new ApiError(
				400,
				'INVALID_SIGNATURE_FIELDS',
				`${at}.pages must be a list of page numbers (from 1)`,
			);
		}
		const pos = f.position;
		const keys = ['percentX', 'percentY', 'percentWidth', 'percentHeight'];
		if (
			!isObject(pos) ||
			!keys.every((k) => typeof pos[k] === 'number' && pos[k] >= 0 && pos[k] <= 1)
		) {
			throw new ApiError(
				400,
				'INVALID_POSITION',
				`${at}.position needs ${keys.join(', ')} as fractions of the page (0 to 1)`,
			);
		}
	});
	return fields;
}

/**
 * Opens a sign request on a document: checks `data[]`, `sequential` and `signatureFields`, and
 * creates one share per recipient. Returns the shares and the events it causes.
 * @param {State} sim
 * @param {DocumentRecord} doc
 * @param {User} sharer
 * @param {Record<string, any>} body
 * @returns {{ shares: ShareRecord[], emitted: Emitted[] }}
 */
function openSignRequest(sim, doc, sharer, body) {
	if (!Array.isArray(body.data) || body.data.length === 0) {
		throw new ApiError(400, 'NO_RECIPIENTS', 'data must list at least one recipient');
	}
	if (body.sequential !== undefined && typeof body.sequential !== 'boolean')
		throw new ApiError(400, 'INVALID_SHARE', 'sequential must be a boolean');
	const recipients = body.data.map((/** @type {unknown} */ r, /** @type {number} */ i) =>
		checkRecipient(sim, sharer, r, i),
	);
	const names = recipients.map((r) => r.shareTo.toLowerCase());
	if (new Set(names).size !== names.length)
		throw new ApiError(400, 'DUPLICATE_RECIPIENT', 'each recipient may appear once in data');
	const signatureFields = checkSignatureFields(
		body.signatureFields,
		recipients.map((r) => r.shareTo),
	);
	if (pendingShares(sim, doc).length > 0) {
		throw new ApiError(
			409,
			'SHARE_IN_PROGRESS',
			'The document already has an open sign request; cancel it first',
		);
	}
	const processId = crypto.randomUUID();
	const shareDate = new Date().toISOString();
	const shares = recipients.map((r) => {
		/** @type {ShareRecord} */
		const share = {
			...r,
			shareId: crypto.randomUUID(),
			processId,
			documentId: doc.documentId,
			tenant: doc.tenant,
			sharedBy: sharer.username,
			shareDate,
			sequential: Boolean(body.sequential),
			isActive: true,
			status: 'pending',
			actedAt: null,
		};
		sim.shares.set(share.shareId, share);
		return share;
	});
	doc.signatureFields = signatureFields;
	const actor = userActor(sharer);
	/** @type {Emitted[]} */
	const emitted = [];
	if (shares.some((s) => s.sharePurpose !== 'view')) {
		doc.shareStateName = 'inprogress';
		recordChange(doc, 'signRequest', actor, {
			message: `shared with ${recipients.map((r) => r.shareTo).join(', ')}`,
		});
		emitted.push({ event: 'signRequest', actor });
	} else {
		recordChange(doc, 'shared', actor, {
			message: `shared for viewing with ${recipients.map((r) => r.shareTo).join(', ')}`,
		});
	}
	return { shares, emitted };
}

/**
 * A share as the API returns it.
 * @param {State} sim
 * @param {ShareRecord} s
 */
function shareView(sim, s) {
	const doc = sim.documents.get(s.documentId);
	return {
		shareId: s.shareId,
		isActive: s.isActive,
		isPermanentViewToken: false,
		shareDate: s.shareDate,
		shareType: s.sharePurpose,
		sharedBy: s.sharedBy,
		sharedObjectEsId: s.documentId,
		sharedObjectEsType: doc ? doc.documentType : null,
		sharedObjectType: 'document',
		sharedWith: [s.shareTo],
		sharedUsername: s.shareTo,
		otpEnabled: s.otpEnabled,
		passwordRequired: false,
		privateMessage: s.message,
		validUntil: s.validUntil,
		order: s.order,
		...(s.automaticReminder ? { automaticReminder: s.automaticReminder } : {}),
	};
}

/**
 * Ends a sharing process: its shares become inactive; pending ones take `status`.
 * @param {State} sim
 * @param {string} processId
 * @param {ShareRecord['status']} status
 */
function closeProcess(sim, processId, status) {
	const closed = [];
	for (const s of sim.shares.values()) {
		if (s.processId !== processId || !s.isActive) continue;
		s.isActive = false;
		if (s.status === 'pending') s.status = status;
		closed.push(s);
	}
	return closed;
}

/**
 * A recipient signs (or, for approve/review/... shares, performs the action) or rejects.
 * Without `as`, the first recipient whose turn it is acts.
 * @param {State} sim
 * @param {{ documentId?: string, as?: string, reason?: string }} opts
 * @param {'sign' | 'reject'} action
 * @returns {{ doc: DocumentRecord, share: ShareRecord, emitted: Emitted[] }}
 */
function actOnSignRequest(sim, opts, action) {
	if (!isObject(opts) || !nonEmpty(opts.documentId))
		throw new ApiError(400, 'INVALID_BODY', `${action}: "documentId" is required`);
	const doc = sim.documents.get(/** @type {string} */ (opts.documentId));
	if (!doc || doc.deleted)
		throw new ApiError(
			404,
			'DOCUMENT_NOT_FOUND',
			`${action}: unknown document "${opts.documentId}"`,
		);
	const turn = currentShares(sim, doc);
	if (turn.length === 0) {
		throw new ApiError(
			409,
			'NO_OPEN_SIGN_REQUEST',
			`${action}: document "${doc.documentId}" waits for nobody (state ${doc.shareStateName ?? 'not shared'})`,
		);
	}
	let share = turn[0];
	if (opts.as !== undefined) {
		const who = String(opts.as).toLowerCase();
		const user = sim.findUser(String(opts.as));
		/** @param {ShareRecord} s */
		const isThem = (s) =>
			s.shareTo.toLowerCase() === who ||
			(user !== undefined && (s.shareTo === user.username || s.shareTo === user.email));
		const mine = pendingShares(sim, doc).find(isThem);
		if (!mine)
			throw new ApiError(
				400,
				'NOT_A_RECIPIENT',
				`${action}: "${opts.as}" has no pending share on document "${doc.documentId}"`,
			);
		if (!turn.includes(mine)) {
			throw new ApiError(
				409,
				'NOT_YOUR_TURN',
				`${action}: signing is sequential; waiting for ${turn.map((s) => s.shareTo).join(', ')} first`,
			);
		}
		share = mine;
	}
	const actor = sim.resolveActor(share.shareTo, doc);
	const now = new Date();
	share.actedAt = now.toISOString();
	/** @type {Emitted[]} */
	const emitted = [];
	if (action === 'reject') {
		share.status = 'rejected';
		closeProcess(sim, share.processId, 'cancelled');
		doc.shareStateName = 'rejected';
		recordChange(doc, 'signRejected', actor, { date: now, message: opts.reason });
		emitted.push({ event: 'signRejected', actor });
		return { doc, share, emitted };
	}
	share.status = 'done';
	const event = share.sharePurpose === 'sign' ? 'documentSigned' : 'documentSimpleActionExecuted';
	if (event === 'documentSigned')
		doc.signatures.push({
			name: actor.name ?? actorName(actor),
			email: actor.email ?? null,
			date: share.actedAt,
		});
	recordChange(doc, event, actor, {
		date: now,
		message: share.sharePurpose === 'sign' ? undefined : share.sharePurpose,
	});
	emitted.push({ event, actor });
	if (pendingShares(sim, doc).length === 0) {
		closeProcess(sim, share.processId, 'done');
		doc.shareStateName = 'completed';
		recordChange(doc, 'documentCompleted', actor, { date: now });
		emitted.push({ event: 'documentCompleted', actor });
	}
	return { doc, share, emitted };
}

/**
 * Cancels the sharing processes of the given active shares (all shares created together with
 * each). Only the document's owner, the original sharer or a global admin may cancel.
 * @param {State} sim
 * @param {User} user
 * @param {string[]} shareIds
 * @param {string | undefined} message
 * @returns {{ shares: ShareRecord[], changes: Array<{ doc: DocumentRecord, emitted: Emitted[] }> }}
 */
function cancelSignRequests(sim, user, shareIds, message) {
	const targets = shareIds.map((id) => {
		const s = sim.shares.get(id);
		if (!s || s.tenant !== user.tenant)
			throw new ApiError(404, 'SHARE_NOT_FOUND', `Share "${id}" not found`);
		const doc = sim.documents.get(s.documentId);
		if (!doc || doc.deleted) throw new ApiError(404, 'SHARE_NOT_FOUND', `Share "${id}" not found`);
		if (!s.isActive)
			throw new ApiError(409, 'SHARE_NOT_ACTIVE', `Share "${id}" is no longer active`);
		if (user.role !== 'globalAdmin' && user.id !== doc.creator && user.username !== s.sharedBy) {
			throw new ApiError(
				403,
				'SHARE_FORBIDDEN',
				'Only the document owner or the original sharer may cancel a share',
			);
		}
		return { s, doc };
	});
	const actor = userActor(user);
	/** @type {ShareRecord[]} */
	const shares = [];
	const changes = [];
	for (const { s, doc } of targets) {
		if (!s.isActive) continue; // cancelled with an earlier id of the same process
		shares.push(...closeProcess(sim, s.processId, 'cancelled'));
		doc.shareStateName = 'cancelled';
		recordChange(doc, 'signCancelled', actor, { message });
		changes.push({ doc, emitted: [{ event: 'signCancelled', actor }] });
	}
	return { shares, changes };
}

module.exports = { openSignRequest, shareView, actOnSignRequest, cancelSignRequests };
