import js from '@eslint/js'
import tseslint from 'typescript-eslint'

// Dependencies point inward: each third-party client library is imported behind exactly one folder.
const clientHomes = { kafkajs: 'src/kafka/', '@platformatic/kafka': 'src/kafka/', fastify: 'src/rest/', mqtt: 'connectors/mqtt/', 'prom-client': 'src/metrics/' }
const restrictionsFor = (folder) =>
  Object.entries(clientHomes)
    .filter(([, home]) => home !== folder)
    .map(([name, home]) => ({ name, message: `${name} is only imported under ${home}` }))
// The runtime never reaches for the shipped plugins (app/ assembles them), and the plugin API loads nothing but the
// data model, so that a plugin author importing it pulls in neither mqtt nor avsc.
const layerPatterns = (files) => {
  if (!files.startsWith('src/')) return []
  const patterns = [{ group: ['**/connectors/**', '**/transforms/**', '**/app/**'], message: 'src/ never imports connectors/, transforms/ or app/: app/builtin-plugins.ts assembles them' }]
  if (files === 'src/plugin/**/*.ts') patterns.push({ group: ['../*', '!../data', '!../data/*'], message: 'the plugin API imports only src/plugin and src/data' })
  return patterns
}
// Flat config replaces a rule's options rather than merging them, so each file group gets its whole list at once.
const boundaries = [
  { files: 'connectors/**/*.ts', ignores: ['connectors/mqtt/**'], folder: null },
  { files: 'transforms/**/*.ts', ignores: [], folder: null },
  { files: 'src/**/*.ts', ignores: ['src/kafka/**', 'src/rest/**', 'src/plugin/**'], folder: null },
  { files: 'src/plugin/**/*.ts', ignores: [], folder: null },
  ...Object.values(clientHomes).map((home) => ({ files: `${home}**/*.ts`, ignores: [], folder: home })),
].map(({ files, ignores, folder }) => ({
  files: [files],
  ignores,
  rules: { 'no-restricted-imports': ['error', { paths: restrictionsFor(folder), patterns: layerPatterns(files) }] },
}))

export default tseslint.config(
  { ignores: ['node_modules/', '.cache/', 'bench/results/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // node:test's describe/it return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
    },
  },
  ...boundaries,
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
)
