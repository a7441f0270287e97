const { src, dest } = require('gulp');

// tsc compiles only TypeScript; n8n loads icons (and codex files) from next to the compiled node.
function buildIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

function buildCodex() {
	return src('nodes/**/*.node.json', { base: '.' }).pipe(dest('dist'));
}

exports['build:icons'] = require('gulp').parallel(buildIcons, buildCodex);
