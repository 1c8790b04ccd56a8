// The CLI as a process: `node bin/staplecheck.js` (built by `npm run build`, which npm test runs
// first), with a clean environment, for the CLI-process tests.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'staplecheck.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Throws unless the CLI was built: the tests run the bundle bin/staplecheck.js loads, not the sources. */
export function requireBuiltCli(): void {
  if (!existsSync(join(import.meta.dirname, '..', '..', 'build', 'node', 'staplecheck.js'))) {
    throw new Error('The CLI is not built: run `npm run build` (npm test does it first).');
  }
}

export function staplecheck(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
