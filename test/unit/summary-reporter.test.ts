// The plain summary line is what CI reads: a file that fails before its tests (here in beforeAll)
// must make it say "failed", not "0 failed". Runs vitest itself on two fixture files.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VITEST = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));

it('counts a file that fails in beforeAll as failed, and vitest exits 1', () => {
  const run = spawnSync(process.execPath, [VITEST, 'run', '-c', 'test/fixtures/vitest-harness/vitest.config.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, CI: '1', NO_COLOR: '1' },
  });
  const lines = run.stdout.split('\n').filter((line) => line.startsWith('Tests: '));
  expect(lines).toEqual(['Tests: 2 passed, 1 failed, 2 skipped']);
  expect(run.status).toBe(1);
});
