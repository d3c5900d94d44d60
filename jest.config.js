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
// Apps synthesized without an outdir write into one folder per test file, removed after it.
const setupFilesAfterEnv = ['<rootDir>/test/support/cdk-outdir.ts'];
const common = {
  transform,
  transformIgnorePatterns,
  moduleNameMapper,
  setupFiles,
  setupFilesAfterEnv,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
};

/** The end-to-end suites with local stacks of their own (see the e2e-own-stack project). */
const OWN_STACK_SUITES = [
  '/test/e2e/local-stack-crash.test.ts',
  '/test/e2e/local-stack-restart.test.ts',
  '/test/e2e/iam-simulation.test.ts',
  '/test/e2e/base-path.test.ts',
];

module.exports = {
  // One worker: the e2e suites share one local stack, and some inject faults into it. `npm test`
  // runs the other projects first, on two workers (they share nothing), then the e2e suites of
  // the shared stack beside those with stacks of their own.
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
      testPathIgnorePatterns: OWN_STACK_SUITES,
      globalSetup: '<rootDir>/test/e2e/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/e2e/support/global-teardown.ts',
    },
    // The end-to-end suites that start (and kill) local stacks of their own, on their own data
    // folders: they share nothing with the suites above, so `npm test` runs the two projects
    // side by side (in two Jest processes, each one suite at a time).
    {
      ...common,
      displayName: 'e2e-own-stack',
      testMatch: OWN_STACK_SUITES.map((suite) => `<rootDir>${suite}`),
      globalSetup: '<rootDir>/test/e2e/support/bundle-setup.ts',
    },
  ],
};
