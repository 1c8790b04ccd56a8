// The tests StrykerJS runs against each mutant (`npm run mutation`, docs/mutation.md): the fast,
// in-process unit and host tests. Left out: tests that run a child process (it would not load the
// mutated code: host-process, host-fuzz, summary-reporter), tests that wait on real time or real
// servers (warm-up's one-second retry, the integration suites with Node TLS, openssl, nginx and
// browsers), and the bit-flip sweep (it reaches every line of the verifier, so it would run for each
// of its mutants). `npm test` runs them all.
// MUTATION_TESTS=a.test.ts,b.test.ts narrows it further, for a run within a time box.
import { defineConfig } from 'vitest/config';

const narrowed = process.env.MUTATION_TESTS?.split(',').filter(Boolean);

export default defineConfig({
  test: {
    include: narrowed ?? ['test/unit/**/*.test.ts', 'test/host/**/*.test.ts'],
    exclude: [
      'test/unit/bit-flips.test.ts',
      'test/unit/summary-reporter.test.ts',
      'test/unit/warm-up.test.ts',
      'test/host/host-process.test.ts',
      'test/host/host-fuzz.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
  },
});
