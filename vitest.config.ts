import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // Integration tests start real servers and child processes: give them room, but bounded.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: files in parallel, but not so many that loopback servers starve each other.
    maxWorkers: 2,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
