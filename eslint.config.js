import js from '@eslint/js'
import tseslint from 'typescript-eslint'

// Dependencies point inward: each third-party client library is imported behind exactly one folder.
const clientHomes = { kafkajs: 'src/kafka/', fastify: 'src/rest/', mqtt: 'connectors/mqtt/' }
const restrictionsFor = (folder) =>
  Object.entries(clientHomes)
    .filter(([, home]) => home !== folder)
    .map(([name, home]) => ({ name, message: `${name} is only imported under ${home}` }))
const boundaries = [
  { files: ['src/**/*.ts', 'connectors/**/*.ts', 'transforms/**/*.ts'], ignores: Object.values(clientHomes).map((home) => `${home}**`), folder: null },
  ...Object.values(clientHomes).map((home) => ({ files: [`${home}**/*.ts`], ignores: [], folder: home })),
].map(({ files, ignores, folder }) => ({
  files,
  ignores,
  rules: { 'no-restricted-imports': ['error', { paths: restrictionsFor(folder) }] },
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
