import type { INodeProperties } from 'n8n-workflow';

import * as create from './create';
import * as deleteDocument from './delete';
import * as download from './download';
import * as get from './get';
import * as getHistory from './getHistory';
import * as getMany from './getMany';

export const operations = {
	create: create.execute,
	delete: deleteDocument.execute,
	download: download.execute,
	get: get.execute,
	getHistory: getHistory.execute,
	getAll: getMany.execute,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['document'] } },
		default: 'get',
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a document from a file',
				description:
					'Upload a file (PDF) from a binary field and create a document from it. Returns the new document ID, title, type and file hash.',
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a document',
				description:
					'Move a document to the trash, or delete it permanently. Returns the document ID and deleted: true.',
			},
			{
				name: 'Download',
				value: 'download',
				action: 'Download a document',
				description:
					'Download the current (signed, once completed) PDF of a document, optionally with its audit trail, as binary data. Returns the document details with the files attached.',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a document',
				description:
					'Get one document by ID. Returns its title, status (inprogress, completed, rejected, expired, cancelled), who it is waiting for, version and file hash.',
			},
			{
				name: 'Get History',
				value: 'getHistory',
				action: 'Get the history of a document',
				description:
					'Get what happened to a document. Returns one item per history entry (created, shared, signed, rejected, ...), oldest first, each with the document ID.',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many documents',
				description:
					'Search documents by status, title and creation date. Returns one item per document with its title, status and who it is waiting for.',
			},
		],
	},
	...create.description,
	...deleteDocument.description,
	...download.description,
	...get.description,
	...getHistory.description,
	...getMany.description,
];
