// The program the host manifest points at. Browsers start native hosts with whatever PATH they
// were started with (from a desktop launcher: often without nvm/volta/Homebrew's node), and a
// `#!/usr/bin/env node` script then fails with "Native host has exited". The launcher names the
// Node that ran the installer and the host entry by absolute path, so PATH never matters. Pure.
import { ALLOW_ID_FLAG } from '../protocol/extension-ids.js';
import type { Platform } from './layout.js';

/**
 * V8 flags the host runs with. The host answers small checks one after another for as long as the
 * browser keeps it, and its JavaScript is a thin layer over TLS and OpenSSL; what V8 does by default
 * for a long-running server costs it RSS and buys it nothing (`npm run bench`, 2,000 mixed checks):
 * - `--max-semi-space-size=1`: the young generation otherwise grows to 16 MB per semi-space under
 *   this load (121 MB after 2,000 checks without it, 98–101 MB with it).
 * - `--no-turbofan`, `--no-maglev`: no optimizing compiler. TurboFan's code and compile zones were
 *   ~10 MB of RSS, and its compiles cost more CPU than they saved: CPU per check 3.18 → 2.90 ms
 *   (badge's check, known sites), 11.8 → 8.0 ms (first-seen sites). The interpreter and Sparkplug
 *   still run. Maglev is off by default in Node 20 and on from Node 22.
 * - `--optimize-for-size`: old space grows by a smaller factor, so garbage promoted by the checks
 *   in flight is collected every few hundred checks instead of piling up to ~40 MB of heap before
 *   the first full GC (what made RSS climb from check 500 to 2,000).
 * - `--no-regexp-tier-up`: a regular expression is compiled to machine code on its first use, not
 *   first to bytecode that is interpreted and recompiled on the second. A cold start pays for the
 *   first use of each: Node's IPv6 pattern alone, which `tls.connect` runs on every host-name SNI
 *   and `tls.checkServerIdentity` on every trusted chain, took ~13 ms then ~3 ms, and takes ~3 ms
 *   once with it (cold start, spawn + badge's check + exit, 227.7 → 218.7 ms, median of 30). A
 *   warm host runs machine code either way (CPU per check and RSS unchanged).
 * Together: 101 → 61 MB after 2,000 checks, CPU per check 3.18 → 2.83 ms. Command-line flags: the
 * heap is sized and the compilers chosen when Node starts, so the host cannot set these on itself;
 * a flag this Node does not know stops it at once (`bad option`), which test/installer checks.
 */
export const HOST_NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=1',
  '--no-turbofan',
  '--no-maglev',
  '--optimize-for-size',
  '--no-regexp-tier-up',
];

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
      [cmdQuote(spec.nodePath), ...HOST_NODE_FLAGS, cmdQuote(spec.hostScript), ...flags, '%*'].join(' '),
      '',
    ].join('\r\n');
  }
  return [
    '#!/bin/sh',
    `# ${LAUNCHER_MARK} with the`,
    '# Node that ran the installer. Run `staplecheck install` again after moving Node or Staple Check.',
    [
      'exec',
      shellQuote(spec.nodePath),
      ...HOST_NODE_FLAGS.map(shellQuote),
      shellQuote(spec.hostScript),
      ...flags.map(shellQuote),
      '"$@"',
    ].join(' '),
    '',
  ].join('\n');
}
