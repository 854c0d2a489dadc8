/** jest runs the TypeScript sources directly (ts-jest, ESM); `npm test` builds dist/ first for the
 *  end-to-end tests that spawn the real binaries. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {'^(\\.{1,2}/.*)\\.js$': '$1'},
  transform: {'^.+\\.ts$': ['ts-jest', {useESM: true, isolatedModules: true, tsconfig: 'tsconfig.json'}]},
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 30000,
  maxWorkers: 2,
}
