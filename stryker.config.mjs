// StrykerJS mutation testing (`npm run mutation`; what it measures and the survivors: docs/mutation.md).
// Per-test coverage runs only the tests that reach a mutant; incremental mode reuses the results in
// reports/stryker-incremental.json for code and tests that did not change.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  coverageAnalysis: 'perTest',
  mutate: ['src/core/**/*.ts', 'src/probe/**/*.ts', 'src/host/**/*.ts', 'src/protocol/**/*.ts', '!src/host/main.ts'],
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  // Two shared cores.
  concurrency: 2,
  // A mutant that loops for ever costs this much beyond the tests' own time.
  timeoutMS: 5_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
  // Inside .tmp/, which git, eslint and prettier already skip.
  tempDirName: '.tmp/stryker',
  cleanTempDir: 'always',
};
