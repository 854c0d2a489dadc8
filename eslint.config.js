import eslint from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {ignores: ['dist/**', 'dist-check/**', 'node_modules/**', 'coverage/**', 'bin/**', 'bench/**', '*.config.js', 'test/*.cjs']},
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {parserOptions: {projectService: true, tsconfigRootDir: import.meta.dirname}},
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', {allowNumber: true}],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
    },
  },
  {
    // One connector opens every socket to an instance (docs/architecture.md, "Where a new feature goes").
    files: ['src/engine/dataplane/**/*.ts', 'src/engine/health/**/*.ts'],
    ignores: ['src/engine/dataplane/upstream/connector.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: ['net', 'node:net', 'tls', 'node:tls'].map(name => ({
          name,
          importNames: ['connect', 'createConnection', 'Socket'],
          allowTypeImports: true,
          message: 'open sockets to instances only through dataplane/upstream/connector.ts (connectToInstance)',
        })).concat(['http', 'node:http', 'https', 'node:https', 'http2', 'node:http2', 'undici'].map(name => ({
          name,
          allowTypeImports: true,
          message: 'open sockets to instances only through dataplane/upstream/connector.ts (connectToInstance)',
        }))),
      }],
    },
  },
)
