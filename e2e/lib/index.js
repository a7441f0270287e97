// @ts-check
'use strict';
/** The real-n8n end-to-end harness: one require for suites, load tests, benchmarks. */
module.exports = {
	...require('./install'),
	...require('./package'),
	...require('./http'),
	...require('./api'),
	...require('./n8n'),
	...require('./services'),
	...require('./queue'),
	...require('./proctree'),
	...require('./load'),
	...require('./report'),
};
