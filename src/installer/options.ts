// `install` / `uninstall` / `doctor` arguments. Pure: argv in, options or a usage message out.
import { isChromiumExtensionId } from '../protocol/extension-ids.js';
import { BROWSERS, isBrowserName, type BrowserName } from './layout.js';

export interface InstallerOptions {
  /** Browsers named with --browser (`all` expands to every known one); empty: the ones found. */
  browsers: BrowserName[];
  /** As given; resolved against the working directory by the caller. */
  userDataDir: string | null;
  extensionIds: string[];
  help: boolean;
}

export type OptionsParse = { ok: true; options: InstallerOptions } | { ok: false; message: string };

export function parseInstallerArgs(args: readonly string[]): OptionsParse {
  const options: InstallerOptions = { browsers: [], userDataDir: null, extensionIds: [], help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      options.help = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (name !== '--browser' && name !== '--user-data-dir' && name !== '--extension-id') {
      return { ok: false, message: `Unknown argument ${JSON.stringify(arg)}.` };
    }
    let value: string | undefined;
    if (name !== arg) value = arg.slice(eq + 1);
    else value = args[++i];
    if (value === undefined || value === '') return { ok: false, message: `${name} needs a value.` };
    switch (name) {
      case '--browser':
        for (const part of value.split(',').map((s) => s.trim().toLowerCase())) {
          if (part === 'all') options.browsers.push(...BROWSERS);
          else if (isBrowserName(part)) options.browsers.push(part);
          else
            return {
              ok: false,
              message: `Unknown browser ${JSON.stringify(part)}: use one of ${BROWSERS.join(', ')} or all.`,
            };
        }
        break;
      case '--user-data-dir':
        if (options.userDataDir !== null) return { ok: false, message: '--user-data-dir may be given once.' };
        options.userDataDir = value;
        break;
      case '--extension-id':
        if (!isChromiumExtensionId(value)) {
          return { ok: false, message: `${JSON.stringify(value)} is not a Chromium extension ID (32 letters a-p).` };
        }
        options.extensionIds.push(value);
        break;
    }
  }
  options.browsers = [...new Set(options.browsers)];
  options.extensionIds = [...new Set(options.extensionIds)];
  return { ok: true, options };
}

export const INSTALLER_USAGE = `Usage:
  staplecheck install [--browser NAME|all] [--user-data-dir DIR] [--extension-id ID]
  staplecheck uninstall [--browser NAME|all] [--user-data-dir DIR]
  staplecheck doctor [--browser NAME|all] [--user-data-dir DIR]

Registers the native-messaging host that the Staple Check extension talks to, per user.
  --browser NAME       ${BROWSERS.join(', ')}, or all (repeatable, or comma-separated).
                       Default: every browser this user has run.
  --user-data-dir DIR  For a browser started with --user-data-dir DIR (Chromium family,
                       Linux and macOS): writes DIR/NativeMessagingHosts/.
  --extension-id ID    Also allow this Chromium extension ID (e.g. the one a store assigned).
`;
