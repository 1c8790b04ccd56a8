// The README quotes `staplecheck --help` verbatim and opens with the two set-up commands: keep both true.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HELP } from '../../src/cli/args.js';
import { INSTALLER_USAGE } from '../../src/installer/command.js';

const README = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

describe('README', () => {
  it('quotes staplecheck --help verbatim', () => {
    expect(README).toContain(HELP.trimEnd());
  });

  it('quotes the installer usage verbatim', () => {
    expect(README).toContain(INSTALLER_USAGE.trimEnd());
  });

  it('opens with the two set-up commands', () => {
    const firstBlock = README.split('```sh')[1] ?? '';
    expect(firstBlock).toContain('npm install && npm start');
    expect(firstBlock).toContain('npm test');
  });
});
