/**
 * What to tell the user when Circularo refuses an operation of the action node, per kind of thing
 * it works on (the trigger's webhook advice is the default in transport/errors.ts).
 */
import type { FailureFixes } from '../transport/errors';

export const DOCUMENT_ADVICE: FailureFixes = {
	400: 'Check the parameters of this operation.',
	403: 'The user behind the API key may not do this with this document: it needs the use_document_management right and access to the document (its owner, its team or an admin).',
	404: 'Check the Document ID: no document with this ID is visible to the user behind the API key.',
	409: 'The document changed while the node worked on it (its version moved on). Run the node again.',
};

export const FILE_ADVICE: FailureFixes = {
	400: 'Check the file and its name.',
	403: 'The user behind the API key needs the use_file_management right to upload files.',
	404: 'Check the Document ID, and that the document has a PDF.',
};

export const SHARE_ADVICE: FailureFixes = {
	400: 'Check the recipients (e-mail addresses or usernames, purposes, dates) and the signature fields.',
	403: 'Only the owner of the document or the user who shared it may share it or cancel the sign request.',
	404: 'Check the Document ID or Share ID: nothing with this ID is visible to the user behind the API key.',
	409: 'The document already has an open sign request (cancel it first), or the sign request is no longer active (completed or cancelled).',
};

export const DEFINITION_ADVICE: FailureFixes = {
	400: 'Check the parameters of this operation.',
	403: 'The user behind the API key may not read the document types of this tenant.',
};

export const WEBHOOK_ADVICE: FailureFixes = {
	400: 'Check the Webhook ID.',
	404: 'Check the Webhook ID: the webhook may have been deleted already, or belong to another team.',
};
