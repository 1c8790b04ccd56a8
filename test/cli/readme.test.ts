// The README quotes `staplecheck --help` verbatim and opens with the two set-up commands: keep both true.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HELP } from '../../src/cli/args.js';
import { INSTALL_GUIDE_URL } from '../../src/extension/shared/install-command.js';
import { INSTALLER_USAGE } from '../../src/installer/command.js';

const README = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
const ENGINES = (
  JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {
    engines: { node: string };
  }
).engines.node;

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

  it('has the Install section the popup links to right after them, with the Node version package.json requires', () => {
    const afterCommands = README.slice(README.indexOf('```', README.indexOf('```sh') + 5) + 3);
    expect(afterCommands.trimStart().startsWith('## Install\n')).toBe(true);
    const section = afterCommands.slice(0, afterCommands.indexOf('\n## ', 5));
    expect(ENGINES).toMatch(/^>=\d+\.\d+$/);
    expect(section).toContain(`Node.js ${ENGINES.slice(2)} or newer`);
    for (const step of ['npm install -g staplecheck', 'staplecheck install', 'Load unpacked', 'about:debugging'])
      expect(section).toContain(step);
    // The popup's host-missing page names the same Node version.
    const catalogue = readFileSync(
      join(import.meta.dirname, '..', '..', 'public', '_locales', 'en', 'messages.json'),
      'utf8',
    );
    const lead = (JSON.parse(catalogue) as Record<string, { message: string }>).popup_host_missing_lead?.message;
    expect(lead).toContain(`Node.js ${ENGINES.slice(2)} or newer`);
    // GitHub and npm both turn the heading "Install" into the anchor #install.
    expect(INSTALL_GUIDE_URL).toMatch(/#install$/);
  });
});
