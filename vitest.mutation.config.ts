// The tests StrykerJS runs against each mutant (`npm run mutation`, docs/mutation.md): the fast,
// in-process unit, host and Node-TLS integration tests that exercise src/core, src/probe,
// src/host and src/protocol. Left out: tests that run a child process (it would not load the
// mutated code), real browsers, openssl/nginx, and the bit-flip sweep (it covers every line of the
// verifier, so it would run for each of its mutants; `npm test` runs it).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/host/**/*.test.ts', 'test/integration/check-node-tls.test.ts'],
    exclude: [
      'test/unit/bit-flips.test.ts',
      'test/unit/summary-reporter.test.ts',
      'test/host/host-process.test.ts',
      'test/host/host-fuzz.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
  },
});
