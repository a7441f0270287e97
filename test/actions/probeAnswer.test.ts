import { n8nSaysEnded } from '../../nodes/Circularo/actions/signRequest/waitForSignature/probeAnswer';

describe("the sweep believes only n8n's own answers", () => {
	test("n8n's answers for an execution that no longer waits there", () => {
		expect(
			n8nSaysEnded(404, { code: 404, message: 'The execution "12" does not exist.' }, '12'),
		).toBe(true);
		expect(
			n8nSaysEnded(
				404,
				JSON.stringify({
					code: 404,
					message:
						'The workflow for execution "12" does not contain a waiting webhook with a matching path/method.',
				}),
				'12',
			),
		).toBe(true);
		expect(n8nSaysEnded(409, { message: 'The execution "12 has finished already.' }, '12')).toBe(
			true,
		);
		expect(
			n8nSaysEnded(409, { message: 'The execution "12" has finished with error.' }, '12'),
		).toBe(true);
	});

	test('anything else keeps the registration', () => {
		// A proxy's 404, an empty body, HTML, another execution, the wrong status, "running".
		expect(n8nSaysEnded(404, '<html>Not Found</html>', '12')).toBe(false);
		expect(n8nSaysEnded(404, '', '12')).toBe(false);
		expect(n8nSaysEnded(404, { message: 'Not Found' }, '12')).toBe(false);
		expect(n8nSaysEnded(404, { message: 'The execution "13" does not exist.' }, '12')).toBe(false);
		expect(n8nSaysEnded(409, { message: 'The execution "12" does not exist.' }, '12')).toBe(false);
		expect(n8nSaysEnded(409, { message: 'The execution "12" is running already.' }, '12')).toBe(
			false,
		);
		expect(n8nSaysEnded(401, { message: 'The execution "12" does not exist.' }, '12')).toBe(false);
	});
});
