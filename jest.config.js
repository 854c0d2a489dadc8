/** jest runs the TypeScript sources directly (ts-jest, ESM); `npm test` builds dist/ first for the
 *  end-to-end tests that spawn the real binaries. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // Its ES build is ESM in .js files without "type": "module", which jest 29 loads as CommonJS.
    '^aws-sdk-client-mock-jest$': '<rootDir>/node_modules/aws-sdk-client-mock-jest/dist/cjs/jest.js',
  },
  transform: {'^.+\\.ts$': ['ts-jest', {useESM: true, tsconfig: 'tsconfig.json'}]},
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 30000,
  // Three workers on two cores: the slow suites mostly wait on child processes (terraform, aws-cli, chromium).
  maxWorkers: 3,
  testSequencer: '<rootDir>/test/slow-first-sequencer.cjs',
}
