// The program the host manifest points at. Browsers start native hosts with whatever PATH they
// were started with (from a desktop launcher: often without nvm/volta/Homebrew's node), and a
// `#!/usr/bin/env node` script then fails with "Native host has exited". The launcher names the
// Node that ran the installer and the host entry by absolute path, so PATH never matters. It passes
// Node no flags: the host sets its V8 flags itself once Node's built-in modules are loaded
// (HOST_V8_FLAGS in bin/staplecheck-host.js), since any flag on the command line makes Node compile
// those modules from source on every start. Pure.
import { ALLOW_ID_FLAG } from '../protocol/extension-ids.js';
import type { Platform } from './layout.js';

export interface LauncherSpec {
  /** Absolute path of the Node binary (process.execPath of the installer). */
  nodePath: string;
  /** Absolute path of bin/staplecheck-host.js. */
  hostScript: string;
  /** Store-assigned Chromium IDs the host should accept besides its own. */
  extraIds: readonly string[];
}

/** POSIX sh single quotes: nothing inside is special except the quote itself. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** cmd.exe: double quotes for spaces; `%` would expand a variable even inside them. */
function cmdQuote(text: string): string {
  return `"${text.replace(/%/g, '%%')}"`;
}

/** Every launcher we write carries this line; `uninstall` removes only a launcher that does. */
const LAUNCHER_MARK = 'Written by `staplecheck install`. Starts the Staple Check native-messaging host';

export function isOurLauncher(text: string): boolean {
  return (text.startsWith('#!/bin/sh\n') || text.startsWith('@echo off\r\n')) && text.includes(LAUNCHER_MARK);
}

/** PowerShell single quotes: nothing inside is special except the quote itself, written twice. */
export function powershellQuote(text: string): string {
  return `'${text.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}

/**
 * A path as the user's shell must see it in a command we print for pasting: POSIX sh single quotes,
 * PowerShell single quotes on Windows (the default terminal there; cmd.exe cannot quote `%`).
 */
export function quoteForShell(platform: Platform, text: string): string {
  return platform === 'win32' ? powershellQuote(text) : shellQuote(text);
}

export function renderLauncher(platform: Platform, spec: LauncherSpec): string {
  const flags = spec.extraIds.map((id) => `${ALLOW_ID_FLAG}${id}`);
  if (platform === 'win32') {
    // Chrome and Firefox on Windows run a .cmd host through cmd.exe; %* passes the browser's arguments.
    return [
      '@echo off',
      `rem ${LAUNCHER_MARK} with the`,
      'rem Node that ran the installer. Run `staplecheck install` again after moving Node or Staple Check.',
      [cmdQuote(spec.nodePath), cmdQuote(spec.hostScript), ...flags, '%*'].join(' '),
      '',
    ].join('\r\n');
  }
  return [
    '#!/bin/sh',
    `# ${LAUNCHER_MARK} with the`,
    '# Node that ran the installer. Run `staplecheck install` again after moving Node or Staple Check.',
    ['exec', shellQuote(spec.nodePath), shellQuote(spec.hostScript), ...flags.map(shellQuote), '"$@"'].join(' '),
    '',
  ].join('\n');
}
