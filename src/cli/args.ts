// Command-line parsing for `staplecheck` (docs/contract.md §3). Pure: argv in, a command or a usage error out.

export const HELP = `staplecheck - does a website staple a valid OCSP response?

Usage:
  staplecheck check TARGET... [--json] [--timeout MS] [--servername NAME] [--ca FILE]
                              [--concurrency N] [--address IP] [--compare-responder]
  staplecheck inspect --response FILE --issuer FILE [--certificate FILE] [--at ISO-TIME] [--json]
  staplecheck install [--browser NAME|all] [--user-data-dir DIR] [--extension-id ID]
  staplecheck uninstall [--browser NAME|all] [--user-data-dir DIR] [--extension-id ID]
  staplecheck doctor
  staplecheck --help | --version

check     Connect to each TARGET (host, host:port, [v6]:port or https:// URL; port 443 by
          default), ask for a stapled OCSP response and judge it. Every address a name
          resolves to is checked; lazy staplers (nginx) get a few warm-up handshakes.
inspect   Verify a saved OCSP response (DER, PEM or base64) offline against its issuer.
install   Register the native-messaging host for the browsers found (Chrome, Chromium,
          Edge, Brave, Vivaldi, Firefox), so the extension can reach it.
uninstall Remove those registrations.
doctor    Show, per browser, whether the host is registered right, and ping it.

Options:
  --json               One JSON result per line (JSON Lines), nothing else on stdout.
  --timeout MS         Budget per target for DNS, connect, handshakes and retries (default 10000).
  --servername NAME    SNI to send (default: the target's host name).
  --ca FILE            Extra trust anchors (PEM) for the chain's trust; never changes the verdict.
  --concurrency N      Targets checked at once (default 4).
  --address IP         Check this address only instead of every address the name resolves to.
  --compare-responder  Also ask the CA's OCSP responder (tells the CA which site you check).
  --response FILE      The OCSP response to inspect.
  --issuer FILE        The issuer's certificate (trusted as given).
  --certificate FILE   The certificate the response should be about (checks the serial).
  --at ISO-TIME        Judge as of this time (default: now).

Verdicts: stapled-good, stapled-revoked, stapled-unknown, stapled-invalid, not-stapled,
          no-ocsp, must-staple-violation, error.
Exit status: 0 stapled-good or no-ocsp; 1 not-stapled or stapled-unknown; 2 stapled-revoked,
          stapled-invalid or must-staple-violation; 3 error or bad usage. Several targets: the worst.
Colour on a terminal; NO_COLOR turns it off.
`;

export interface CheckCommand {
  kind: 'check';
  targets: string[];
  json: boolean;
  timeoutMs: number;
  servername: string | null;
  caFile: string | null;
  concurrency: number;
  address: string | null;
  compareResponder: boolean;
}

export interface InspectCommand {
  kind: 'inspect';
  responseFile: string;
  issuerFile: string;
  certificateFile: string | null;
  at: Date | null;
  json: boolean;
}

export interface InstallerCommand {
  kind: 'install' | 'uninstall' | 'doctor';
  args: string[];
}

export type Command = CheckCommand | InspectCommand | InstallerCommand | { kind: 'help' } | { kind: 'version' };

export type ParsedArgs = { ok: true; command: Command } | { ok: false; message: string };

const VALUE_OPTIONS = new Set([
  '--timeout',
  '--servername',
  '--ca',
  '--concurrency',
  '--address',
  '--response',
  '--issuer',
  '--certificate',
  '--at',
]);
const FLAG_OPTIONS = new Set(['--json', '--compare-responder']);
const CHECK_OPTIONS = new Set([
  '--json',
  '--timeout',
  '--servername',
  '--ca',
  '--concurrency',
  '--address',
  '--compare-responder',
]);
const INSPECT_OPTIONS = new Set(['--json', '--response', '--issuer', '--certificate', '--at']);

interface Split {
  positional: string[];
  options: Map<string, string>;
}

function split(argv: readonly string[]): Split | string {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (FLAG_OPTIONS.has(name)) {
      if (eq !== -1) return `${name} takes no value.`;
      options.set(name, 'true');
    } else if (VALUE_OPTIONS.has(name)) {
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined || value === '') return `${name} needs a value.`;
      options.set(name, value);
    } else {
      return `Unknown option ${name}.`;
    }
  }
  return { positional, options };
}

function integerOption(
  options: Map<string, string>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number | string {
  const text = options.get(name);
  if (text === undefined) return fallback;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value < min || value > max)
    return `${name} must be a whole number from ${min} to ${max}.`;
  return value;
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help')
    return { ok: true, command: { kind: 'help' } };
  if (first === '--version' || first === '-V') return { ok: true, command: { kind: 'version' } };
  if (first === 'install' || first === 'uninstall' || first === 'doctor') {
    return { ok: true, command: { kind: first, args: rest } };
  }
  if (first !== 'check' && first !== 'inspect') return { ok: false, message: `Unknown command "${first}".` };
  if (rest.includes('--help') || rest.includes('-h')) return { ok: true, command: { kind: 'help' } };
  const parts = split(rest);
  if (typeof parts === 'string') return { ok: false, message: parts };
  const { positional, options } = parts;
  const allowed = first === 'check' ? CHECK_OPTIONS : INSPECT_OPTIONS;
  for (const name of options.keys()) {
    if (!allowed.has(name)) return { ok: false, message: `${name} is not an option of "${first}".` };
  }
  const json = options.has('--json');

  if (first === 'check') {
    if (positional.length === 0) return { ok: false, message: 'check needs at least one TARGET.' };
    const timeoutMs = integerOption(options, '--timeout', 10_000, 100, 600_000);
    if (typeof timeoutMs === 'string') return { ok: false, message: timeoutMs };
    const concurrency = integerOption(options, '--concurrency', 4, 1, 64);
    if (typeof concurrency === 'string') return { ok: false, message: concurrency };
    return {
      ok: true,
      command: {
        kind: 'check',
        targets: positional,
        json,
        timeoutMs,
        servername: options.get('--servername') ?? null,
        caFile: options.get('--ca') ?? null,
        concurrency,
        address: options.get('--address') ?? null,
        compareResponder: options.has('--compare-responder'),
      },
    };
  }

  if (positional.length > 0) return { ok: false, message: `inspect takes no TARGET (got "${positional[0]}").` };
  const responseFile = options.get('--response');
  const issuerFile = options.get('--issuer');
  if (!responseFile || !issuerFile) return { ok: false, message: 'inspect needs --response FILE and --issuer FILE.' };
  let at: Date | null = null;
  const atText = options.get('--at');
  if (atText !== undefined) {
    at = new Date(atText);
    if (!/^\d{4}-\d{2}-\d{2}/.test(atText) || Number.isNaN(at.getTime())) {
      return { ok: false, message: `--at "${atText}" is not an ISO-8601 time (e.g. 2026-11-24T10:00:00Z).` };
    }
  }
  return {
    ok: true,
    command: {
      kind: 'inspect',
      responseFile,
      issuerFile,
      certificateFile: options.get('--certificate') ?? null,
      at,
      json,
    },
  };
}
