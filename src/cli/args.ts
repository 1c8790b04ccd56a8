// Command-line parsing for `staplecheck` (docs/contract.md §3). Pure apart from reading argv with
// `node:util` parseArgs: argv in, a command or a usage error out. Each command's usage is written
// once, here (install/uninstall/doctor: src/installer/options.ts), and `--help` is built from them.
// The check options (`--timeout`, `--servername`, `--address`) are read by core/check-options.ts,
// the same validator the host and `checkSite` use: the same ranges, defaults and messages.
import { parseArgs as readArgv, type ParseArgsConfig } from 'node:util';
import {
  DEFAULT_TIMEOUT_MS,
  MAX_TIMEOUT_MS,
  MIN_TIMEOUT_MS,
  readAddress,
  readServername,
  readTimeoutMs,
} from '../core/check-options.js';
import { formatDurationFlag, parseDuration } from '../core/duration.js';
import { INSTALLER_USAGE } from '../installer/options.js';

const DEFAULT_CONCURRENCY = 4;
const MAX_CONCURRENCY = 64;

/** One option in a usage text: how it is written, and what it does (continuation lines allowed). */
type OptionHelp = readonly [flag: string, ...lines: string[]];

interface CommandHelp {
  synopsis: string;
  /** What the command does, for its own usage and for the command list of `--help`. */
  description: readonly string[];
  options: readonly OptionHelp[];
}

const CHECK_HELP: CommandHelp = {
  synopsis: `staplecheck check TARGET... [--json | --nagios] [--warn-left DURATION] [--crit-left DURATION]
                              [--timeout MS] [--servername NAME] [--ca FILE] [--concurrency N]
                              [--address IP] [--compare-responder]`,
  description: [
    'Connect to each TARGET (host, host:port, [v6]:port, or an https:// URL or any of',
    'these pasted from the address bar: the path is ignored; port 443 by default), ask',
    'for a stapled OCSP response and judge it. Every address a name resolves to is',
    'checked; lazy staplers (nginx) get a few warm-up handshakes. Several targets end',
    'with a one-line summary.',
  ],
  options: [
    ['--json', 'One JSON result per line (JSON Lines), nothing else on stdout.'],
    [
      '--nagios',
      'One line for Nagios, Icinga and other Monitoring Plugins hosts:',
      'STAPLE OK|WARNING|CRITICAL|UNKNOWN - … | time_left=…s;…;… staple_age=…s',
    ],
    [
      '--warn-left DURATION',
      'Exit status at least 1 when the staple has less time left than this',
      '(nextUpdate - now), e.g. 36h, 2d, 90m, 3600s, 1d12h.',
    ],
    ['--crit-left DURATION', 'Exit status 2 when less is left; at most --warn-left.'],
    [
      '--timeout MS',
      'Budget per target for DNS, connect, handshakes and retries,',
      `${MIN_TIMEOUT_MS}-${MAX_TIMEOUT_MS} (default ${DEFAULT_TIMEOUT_MS}).`,
    ],
    ['--servername NAME', "SNI to send, a DNS name (default: the target's host name)."],
    ['--ca FILE', "Extra trust anchors (PEM) for the chain's trust; never changes the verdict."],
    ['--concurrency N', `Targets checked at once, 1-${MAX_CONCURRENCY} (default ${DEFAULT_CONCURRENCY}).`],
    ['--address IP', 'Check this address only instead of every address the name resolves to.'],
    ['--compare-responder', "Also ask the CA's OCSP responder (tells the CA which site you check)."],
  ],
};

const INSPECT_HELP: CommandHelp = {
  synopsis: 'staplecheck inspect --response FILE --issuer FILE [--certificate FILE] [--at ISO-TIME] [--json]',
  description: ['Verify a saved OCSP response (DER, PEM or base64) offline against its issuer.'],
  options: [
    ['--response FILE', 'The OCSP response to inspect.'],
    ['--issuer FILE', "The issuer's certificate (trusted as given)."],
    ['--certificate FILE', 'The certificate the response should be about (checks the serial).'],
    ['--at ISO-TIME', 'Judge as of this time (default: now).'],
    ['--json', 'The result as one JSON object, nothing else on stdout.'],
  ],
};

/** What install, uninstall and doctor do, for the command list; their usage is the installer's own. */
const INSTALLER_DESCRIPTIONS: readonly (readonly [string, string[]])[] = [
  [
    'install',
    [
      'Register the native-messaging host for the browsers found (Chrome, Chromium,',
      'Edge, Brave, Vivaldi, Firefox), so the extension can reach it.',
    ],
  ],
  ['uninstall', ['Remove those registrations.']],
  ['doctor', ['Show, per browser, whether the host is registered right, and ping it.']],
];

const EXIT_STATUS = `Verdicts: stapled-good, stapled-revoked, stapled-unknown, stapled-invalid, not-stapled,
          no-ocsp, must-staple-violation, error.
Exit status: 0 stapled-good or no-ocsp; 1 not-stapled or stapled-unknown; 2 stapled-revoked,
          stapled-invalid or must-staple-violation; 3 error, bad usage or a file that cannot be
          read. --warn-left/--crit-left raise it to 1/2. Several targets: the worst.`;

const OPTION_COLUMN = 21;

function renderOptions(options: readonly OptionHelp[]): string {
  return options
    .map(([flag, first, ...rest]) =>
      [
        `  ${flag.padEnd(OPTION_COLUMN)}${first ?? ''}`,
        ...rest.map((line) => `${' '.repeat(OPTION_COLUMN + 2)}${line}`),
      ].join('\n'),
    )
    .join('\n');
}

function commandUsage(help: CommandHelp): string {
  return `Usage:
  ${help.synopsis}

${help.description.join('\n')}

Options:
${renderOptions(help.options)}

${EXIT_STATUS}
`;
}

/** `staplecheck check --help`. */
export const CHECK_USAGE = commandUsage(CHECK_HELP);
/** `staplecheck inspect --help`. */
export const INSPECT_USAGE = commandUsage(INSPECT_HELP);

/** The installer's synopsis lines, taken from its own usage so the two cannot disagree. */
const INSTALLER_SYNOPSES = INSTALLER_USAGE.split('\n').filter((line) => line.startsWith('  staplecheck '));

function describeCommand(name: string, lines: readonly string[]): string {
  const [first, ...rest] = lines;
  return [`${name.padEnd(10)}${first ?? ''}`, ...rest.map((line) => `${' '.repeat(10)}${line}`)].join('\n');
}

/** `staplecheck --help`: every command's synopsis, what each does, and the check and inspect options. */
export const HELP = `staplecheck - does a website staple a valid OCSP response?

Usage:
  ${CHECK_HELP.synopsis}
  ${INSPECT_HELP.synopsis}
${INSTALLER_SYNOPSES.join('\n')}
  staplecheck --help | --version
  staplecheck COMMAND --help

${[
  describeCommand('check', CHECK_HELP.description),
  describeCommand('inspect', INSPECT_HELP.description),
  ...INSTALLER_DESCRIPTIONS.map(([name, lines]) => describeCommand(name, lines)),
].join('\n')}

Options of check:
${renderOptions(CHECK_HELP.options)}

Options of inspect:
${renderOptions(INSPECT_HELP.options.filter(([flag]) => flag !== '--json'))}

${EXIT_STATUS}
Colour on a terminal; NO_COLOR turns it off.
`;

export interface CheckCommand {
  kind: 'check';
  targets: string[];
  json: boolean;
  /** One Monitoring Plugins line instead of text (docs/contract.md §3). */
  nagios: boolean;
  /** `--warn-left`, `--crit-left` in milliseconds, or null: not set. */
  warnLeftMs: number | null;
  critLeftMs: number | null;
  timeoutMs: number;
  /** A DNS name (punycode), or null: the target's host name. */
  servername: string | null;
  caFile: string | null;
  concurrency: number;
  /** An IP literal, or null: every address the name resolves to. */
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

export type Command =
  | CheckCommand
  | InspectCommand
  | InstallerCommand
  /** Print `text` (the usage asked for) and exit 0. */
  | { kind: 'help'; text: string }
  | { kind: 'version' };

export type ParsedArgs = { ok: true; command: Command } | { ok: false; message: string };

const CHECK_OPTIONS = {
  json: { type: 'boolean' },
  nagios: { type: 'boolean' },
  'warn-left': { type: 'string' },
  'crit-left': { type: 'string' },
  timeout: { type: 'string' },
  servername: { type: 'string' },
  ca: { type: 'string' },
  concurrency: { type: 'string' },
  address: { type: 'string' },
  'compare-responder': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

const INSPECT_OPTIONS = {
  json: { type: 'boolean' },
  response: { type: 'string' },
  issuer: { type: 'string' },
  certificate: { type: 'string' },
  at: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

type Argv<T extends ParseArgsConfig['options']> =
  | {
      ok: true;
      values: ReturnType<typeof readArgv<{ options: T; strict: true; allowPositionals: true }>>['values'];
      positionals: string[];
    }
  | { ok: false; message: string };

/** parseArgs in strict mode; its errors become one short sentence naming the command. */
function readCommandArgv<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  args: readonly string[],
  options: T,
): Argv<T> {
  try {
    const { values, positionals } = readArgv({ args: [...args], options, strict: true, allowPositionals: true });
    return { ok: true, values, positionals };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const named = /'(--?[^' ]+)/.exec((err as Error).message)?.[1] ?? 'an option';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      return { ok: false, message: `${named} is not an option of "${command}".` };
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const flag = (options as Record<string, { type: string }>)[named.replace(/^--?/, '')];
      return { ok: false, message: flag?.type === 'boolean' ? `${named} takes no value.` : `${named} needs a value.` };
    }
    return { ok: false, message: (err as Error).message.split('\n')[0] ?? 'Bad arguments.' };
  }
}

/** A decimal integer as written, or NaN: "1e3", "0x10", " 5" are not. The range is the validator's. */
function wholeNumber(text: string): number {
  return /^\d{1,15}$/.test(text) ? Number(text) : NaN;
}

type ThresholdsRead =
  { ok: true; warnLeftMs: number | null; critLeftMs: number | null } | { ok: false; message: string };

/** `--warn-left`, `--crit-left`: durations, and a critical threshold never above the warning one. */
function readThresholds(warnText: string | undefined, critText: string | undefined): ThresholdsRead {
  let warnLeftMs: number | null = null;
  let critLeftMs: number | null = null;
  if (warnText !== undefined) {
    const read = parseDuration(warnText, '--warn-left');
    if (!read.ok) return read;
    warnLeftMs = read.ms;
  }
  if (critText !== undefined) {
    const read = parseDuration(critText, '--crit-left');
    if (!read.ok) return read;
    critLeftMs = read.ms;
  }
  if (warnLeftMs !== null && critLeftMs !== null && critLeftMs > warnLeftMs) {
    return {
      ok: false,
      message: `--crit-left ${formatDurationFlag(critLeftMs)} is more than --warn-left ${formatDurationFlag(warnLeftMs)}: less time left is worse, so the critical threshold must be the smaller one.`,
    };
  }
  return { ok: true, warnLeftMs, critLeftMs };
}

function parseCheck(args: readonly string[]): ParsedArgs {
  const argv = readCommandArgv('check', args, CHECK_OPTIONS);
  if (!argv.ok) return argv;
  const { values, positionals } = argv;
  if (values.help) return { ok: true, command: { kind: 'help', text: CHECK_USAGE } };
  if (positionals.length === 0) return { ok: false, message: 'check needs at least one TARGET.' };

  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (values.timeout !== undefined) {
    const read = readTimeoutMs(wholeNumber(values.timeout), '--timeout');
    if (!read.ok) return read;
    timeoutMs = read.value;
  }
  let servername: string | null = null;
  if (values.servername !== undefined) {
    const read = readServername(values.servername, '--servername');
    if (!read.ok) return read;
    servername = read.value;
  }
  let address: string | null = null;
  if (values.address !== undefined) {
    const read = readAddress(values.address, '--address');
    if (!read.ok) return read;
    address = read.value;
  }
  let concurrency = DEFAULT_CONCURRENCY;
  if (values.concurrency !== undefined) {
    concurrency = wholeNumber(values.concurrency);
    if (!(concurrency >= 1 && concurrency <= MAX_CONCURRENCY)) {
      return { ok: false, message: `--concurrency must be an integer 1-${MAX_CONCURRENCY}.` };
    }
  }
  if (values.ca === '') return { ok: false, message: '--ca needs a value.' };
  if (values.json && values.nagios) return { ok: false, message: '--json and --nagios cannot be used together.' };
  const thresholds = readThresholds(values['warn-left'], values['crit-left']);
  if (!thresholds.ok) return thresholds;
  return {
    ok: true,
    command: {
      kind: 'check',
      targets: positionals,
      json: values.json === true,
      nagios: values.nagios === true,
      warnLeftMs: thresholds.warnLeftMs,
      critLeftMs: thresholds.critLeftMs,
      timeoutMs,
      servername,
      caFile: values.ca ?? null,
      concurrency,
      address,
      compareResponder: values['compare-responder'] === true,
    },
  };
}

function parseInspect(args: readonly string[]): ParsedArgs {
  const argv = readCommandArgv('inspect', args, INSPECT_OPTIONS);
  if (!argv.ok) return argv;
  const { values, positionals } = argv;
  if (values.help) return { ok: true, command: { kind: 'help', text: INSPECT_USAGE } };
  if (positionals.length > 0) return { ok: false, message: `inspect takes no TARGET (got "${positionals[0]}").` };
  const { response: responseFile, issuer: issuerFile } = values;
  if (!responseFile || !issuerFile) return { ok: false, message: 'inspect needs --response FILE and --issuer FILE.' };
  let at: Date | null = null;
  if (values.at !== undefined) {
    at = new Date(values.at);
    if (!/^\d{4}-\d{2}-\d{2}/.test(values.at) || Number.isNaN(at.getTime())) {
      return { ok: false, message: `--at "${values.at}" is not an ISO-8601 time (e.g. 2026-11-24T10:00:00Z).` };
    }
  }
  return {
    ok: true,
    command: {
      kind: 'inspect',
      responseFile,
      issuerFile,
      certificateFile: values.certificate || null,
      at,
      json: values.json === true,
    },
  };
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help')
    return { ok: true, command: { kind: 'help', text: HELP } };
  if (first === '--version' || first === '-V') return { ok: true, command: { kind: 'version' } };
  switch (first) {
    case 'install':
    case 'uninstall':
    case 'doctor':
      // The installer reads its own arguments (and answers its own --help).
      return { ok: true, command: { kind: first, args: rest } };
    case 'check':
      return parseCheck(rest);
    case 'inspect':
      return parseInspect(rest);
    default:
      return { ok: false, message: `Unknown command "${first}".` };
  }
}
