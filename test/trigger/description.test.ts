import { Workflow, type INode } from 'n8n-workflow';

import { CircularoTrigger } from '../../nodes/Circularo/CircularoTrigger.node';

const trigger = new CircularoTrigger();

/** The node's subtitle as n8n's expression engine renders it for the given events. */
function subtitleFor(events: string[]): unknown {
	const node: INode = {
		id: '1',
		name: 'Circularo Trigger',
		type: 'n8n-nodes-circularo.circularoTrigger',
		typeVersion: 1.1,
		position: [0, 0],
		parameters: { events },
	};
	const nodeTypes = {
		getByName: () => trigger,
		getByNameAndVersion: () => trigger,
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
		trigger.description.subtitle as string,
		'internal',
		{},
	);
}

describe('subtitle', () => {
	it('names the selected events by their display names', () => {
		expect(subtitleFor(['documentCompleted', 'signRejected'])).toBe(
			'Document Completed, Sign Request Rejected',
		);
		expect(subtitleFor(['documentSimpleActionExecuted'])).toBe('Simple Action Executed');
	});

	it('says "All events" for All Events, and shows an unknown value as it is', () => {
		expect(subtitleFor(['*', 'documentCompleted'])).toBe('All events');
		expect(subtitleFor(['somethingElse'])).toBe('somethingElse');
	});
});
