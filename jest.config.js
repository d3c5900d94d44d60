// Four suites: pure domain tests, construct tests on the synthesized template, tests of the
// local emulators, and end-to-end tests over HTTP against the local stack (started once, as a
// separate process, by globalSetup).
// ts-jest transpiles file by file (isolatedModules in tsconfig.json); `tsc --noEmit` type-checks.
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  '/node_modules/(hyparquet|hyparquet-writer)/.+\\.js$': '<rootDir>/test/support/esm-packages-transform.js',
};
// Packages that ship only ES modules, transformed to CommonJS (everything else in node_modules is not).
const transformIgnorePatterns = ['/node_modules/(?!(hyparquet|hyparquet-writer)/)'];
// The examples import the library by its package name, as an app that installed it does.
const moduleNameMapper = { '^cdk-export-jobs$': '<rootDir>/lib' };
// The AWS SDK's notice about Node.js 20 is stated once, in the README, not in every suite's output.
const setupFiles = ['<rootDir>/bin/quiet-sdk-warning.ts'];
const common = {
  transform,
  transformIgnorePatterns,
  moduleNameMapper,
  setupFiles,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  // One worker: the e2e suites share one local stack, and some inject faults into it. `npm test`
  // runs the other projects first, on two workers (they share nothing), then the e2e suites.
  maxWorkers: 1,
  // Synthesizing the service (construct and local tests) takes several seconds on a cold 2-core
  // machine — over Jest's 5 s default on a fresh clone; suites that run exports set their own.
  testTimeout: 30_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...common, displayName: 'construct', testMatch: ['<rootDir>/test/construct/**/*.test.ts'] },
    { ...common, displayName: 'local', testMatch: ['<rootDir>/test/local/**/*.test.ts'] },
    // Packs the library and installs it into a fresh `cdk init` app (slow: an npm install).
    { ...common, displayName: 'consumer', testMatch: ['<rootDir>/test/consumer/**/*.test.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/e2e/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/e2e/support/global-teardown.ts',
    },
  ],
};
