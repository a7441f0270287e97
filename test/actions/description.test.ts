/**
 * The node's description as the editor and an AI agent read it: stable resource, operation and
 * parameter names (workflows and tests depend on them), and text a model can act on.
 */
import { Workflow, type INodeProperties, type INodePropertyOptions } from 'n8n-workflow';

import { actionNodeType } from '../helpers/n8nContext';

const { description } = actionNodeType;
const operations = description.properties.filter((p) => p.name === 'operation');
const resourceOf = (p: INodeProperties) => p.displayOptions?.show?.resource?.[0] as string;
const optionsOf = (p: INodeProperties) => (p.options ?? []) as INodePropertyOptions[];

/** Parameter names by resource.operation, as workflows store them. */
const PARAMETERS: Record<string, string[]> = {
	'document.create': ['binaryPropertyName', 'title', 'documentType', 'options'],
	'document.delete': ['documentId', 'options'],
	'document.download': ['documentId', 'binaryPropertyName', 'options'],
	'document.get': ['documentId'],
	'document.getHistory': ['documentId'],
	'document.getAll': ['returnAll', 'limit', 'filters'],
	'documentType.getAll': ['returnAll', 'limit', 'fileBasedOnly'],
	'signRequest.cancel': ['shareId', 'message'],
	'signRequest.create': [
		'documentId',
		'recipients',
		'sequential',
		'automaticReminders',
		'signingLinks',
		'circularoUsers',
	],
	'signRequest.getSigningLink': ['recipientKind', 'shareId', 'documentId'],
	'signRequest.sendAndWaitForSignature': [
		'sendAndWaitNotice',
		'documentId',
		'recipients',
		'sequential',
		'automaticReminders',
		'options',
	],
	'signRequest.sendReminder': ['remindTarget', 'documentId', 'shareIds'],
	'template.get': ['template'],
	'template.getAll': ['returnAll', 'limit', 'nameContains'],
	'template.send': [
		'template',
		'title',
		'fields',
		'recipients',
		'automaticReminders',
		'signingLinks',
		'circularoUsers',
	],
	'webhook.delete': ['webhookId'],
	'webhook.getAll': ['returnAll', 'limit'],
};

/** The node's subtitle as n8n's expression engine renders it for one resource and operation. */
function subtitleFor(resourceAndOperation: string): unknown {
	const [resource, operation] = resourceAndOperation.split('.');
	const node = {
		id: '1',
		name: 'Circularo',
		type: 'n8n-nodes-circularo.circularo',
		typeVersion: 1,
		position: [0, 0] as [number, number],
		parameters: { resource, operation },
	};
	const nodeTypes = {
		getByName: () => actionNodeType,
		getByNameAndVersion: () => actionNodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({
		id: '1',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: nodeTypes as never,
	});
	return workflow.expression.getSimpleParameterValue(
		node,
		description.subtitle as string,
		'internal',
		{},
	);
}

describe('the Circularo node description', () => {
	it("is a regular node usable as an AI tool with the trigger's credential", () => {
		expect(description).toMatchObject({
			name: 'circularo',
			usableAsTool: true,
			credentials: [{ name: 'circularoApi', required: true }],
		});
		expect(description.icon).toEqual({
			light: 'file:circularoAction.svg',
			dark: 'file:circularoAction.dark.svg',
		});
	});

	it('keeps its resources, operations and parameter names', () => {
		const found: Record<string, string[]> = {};
		for (const operation of operations) {
			for (const option of optionsOf(operation)) {
				const show = { resource: resourceOf(operation), operation: option.value };
				found[`${show.resource}.${String(option.value)}`] = description.properties
					.filter(
						(p) =>
							p.displayOptions?.show?.resource?.[0] === show.resource &&
							p.displayOptions?.show?.operation?.includes(show.operation),
					)
					.map((p) => p.name);
			}
		}
		expect(found).toEqual(PARAMETERS);
	});

	it('gives every operation an action and a description that says what it returns', () => {
		for (const option of operations.flatMap(optionsOf)) {
			expect(option.action).toMatch(/^[A-Z][a-z]/);
			expect(option.description).toMatch(/Returns /);
		}
	});

	it('describes every parameter a model may fill, at every depth', () => {
		const undescribed: string[] = [];
		const visit = (properties: INodeProperties[], path: string) => {
			for (const property of properties) {
				const name = `${path}${property.name}`;
				const filled =
					!['resource', 'operation'].includes(property.name) && property.type !== 'notice';
				if (filled && !property.description) undescribed.push(name);
				for (const option of property.options ?? []) {
					if ('values' in option) visit(option.values, `${name}.`);
					else if ('displayName' in option) visit([option as INodeProperties], `${name}.`);
				}
			}
		};
		visit(description.properties, '');
		expect(undescribed).toEqual([]);
	});

	it('shows the operation and resource by their display names in the subtitle', () => {
		const rendered = Object.keys(PARAMETERS).map((key) => [key, subtitleFor(key)]);
		expect(rendered.find(([key]) => key === 'signRequest.create')?.[1]).toBe(
			'Create: Sign Request',
		);
		expect(rendered.find(([key]) => key === 'document.getAll')?.[1]).toBe('Get Many: Document');
		expect(rendered.filter(([, subtitle]) => typeof subtitle !== 'string')).toEqual([]);
	});
});
