// The rule sets n8n's verification applies to community packages:
// eslint-plugin-n8n-nodes-base (community, credentials, nodes) and @n8n/eslint-plugin-community-nodes (recommended).
import tsParser from '@typescript-eslint/parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import communityNodes from '@n8n/eslint-plugin-community-nodes';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const legacy = n8nNodesBase.configs;

// Both plugins' package.json rules read the JSON as the TypeScript parser presents it (an object
// expression statement), not as a JSON AST.
const packageJsonLanguage = { parser: tsParser, parserOptions: { extraFileExtensions: ['.json'] } };

// Two legacy rules contradict the newer @n8n/community-nodes rules that verification enforces:
// `inputs`/`outputs: ['main']` (node-connection-type-literal wants NodeConnectionTypes.Main) and a camelCase
// documentationUrl slug (credential-documentation-url accepts a full URL, which a community package needs).
const supersededLegacyRules = {
	'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
	'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
	'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
};

// Tooling (simulator, e2e, bench, tests) is code we maintain: the recommended JavaScript and
// TypeScript rules; `npm run lint` also type-checks their JavaScript (tsconfig.tooling.json, checkJs).
const toolingRules = {
	'@typescript-eslint/no-require-imports': 'off',
	'@typescript-eslint/no-explicit-any': 'off',
	'@typescript-eslint/no-unused-vars': [
		'error',
		{ argsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
	],
};

const tooling = tseslint.config({
	files: [
		'simulator/**/*.js',
		'e2e/**/*.js',
		'bench/**/*.js',
		'scripts/**/*.js',
		'test/**/*.{js,ts}',
		'*.js',
	],
	extends: [js.configs.recommended, ...tseslint.configs.recommended],
	languageOptions: { globals: { ...globals.node, ...globals.jest }, sourceType: 'commonjs' },
	rules: toolingRules,
});

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'e2e/n8n/**', 'e2e/n8n-1/**'] },
	...tooling,
	{
		files: ['package.json'],
		languageOptions: packageJsonLanguage,
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: legacy.community.rules,
	},
	{
		...communityNodes.configs.recommended,
		files: ['package.json'],
		languageOptions: packageJsonLanguage,
	},
	{
		files: ['credentials/**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: { ...legacy.credentials.rules, ...supersededLegacyRules },
	},
	{
		files: ['nodes/**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: { ...legacy.nodes.rules, ...supersededLegacyRules },
	},
	{
		...communityNodes.configs.recommended,
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
	},
];
