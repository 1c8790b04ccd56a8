// `staplecheck` argument parsing (docs/contract.md §3): argv read by node:util parseArgs, the check
// options read by the validator the host and checkSite share, one usage text per command.
import { describe, expect, it } from 'vitest';
import { CHECK_USAGE, HELP, INSPECT_USAGE, parseArgs } from '../../src/cli/args.js';
import { validateCheckOptions } from '../../src/core/check-options.js';
import { parseRequest } from '../../src/protocol/request.js';
import { INSTALLER_USAGE } from '../../src/installer/options.js';

function refusal(argv: string[]): string {
  const parsed = parseArgs(argv);
  return parsed.ok ? 'accepted' : parsed.message;
}

describe('parseArgs', () => {
  it('reads check with its defaults', () => {
    expect(parseArgs(['check', 'example.com'])).toEqual({
      ok: true,
      command: {
        kind: 'check',
        targets: ['example.com'],
        json: false,
        nagios: false,
        warnLeftMs: null,
        critLeftMs: null,
        timeoutMs: 10_000,
        servername: null,
        caFile: null,
        concurrency: 4,
        address: null,
        compareResponder: false,
      },
    });
  });

  it('reads every check option, both --name value and --name=value, and normalises names and addresses', () => {
    const parsed = parseArgs([
      'check',
      'a.example',
      '--json',
      '--timeout=2500',
      '--servername',
      'Bücher.example',
      '--ca',
      'ca.pem',
      '--concurrency',
      '8',
      '--address=[2001:DB8::1]',
      '--compare-responder',
      '--warn-left',
      '1d12h',
      '--crit-left=90m',
      'b.example:8443',
    ]);
    expect(parsed).toEqual({
      ok: true,
      command: {
        kind: 'check',
        targets: ['a.example', 'b.example:8443'],
        json: true,
        nagios: false,
        warnLeftMs: 36 * 3600_000,
        critLeftMs: 90 * 60_000,
        timeoutMs: 2500,
        servername: 'xn--bcher-kva.example',
        caFile: 'ca.pem',
        concurrency: 8,
        address: '2001:db8::1',
        compareResponder: true,
      },
    });
  });

  it('takes targets after -- even when they look like options', () => {
    const parsed = parseArgs(['check', '--', '--odd']);
    expect(parsed.ok && parsed.command.kind === 'check' && parsed.command.targets).toEqual(['--odd']);
  });

  it('reads --nagios and the thresholds, each alone', () => {
    const command = (argv: string[]) => {
      const parsed = parseArgs(['check', 'x.example', ...argv]);
      return parsed.ok && parsed.command.kind === 'check' ? parsed.command : null;
    };
    expect(command(['--nagios'])).toMatchObject({ nagios: true, json: false, warnLeftMs: null, critLeftMs: null });
    expect(command(['--crit-left', '2d'])).toMatchObject({ warnLeftMs: null, critLeftMs: 2 * 86_400_000 });
    expect(command(['--warn-left', '3600s'])).toMatchObject({ warnLeftMs: 3_600_000, critLeftMs: null });
    // Equal thresholds are allowed: critical wins below them.
    expect(command(['--warn-left', '1d', '--crit-left', '24h'])).toMatchObject({
      warnLeftMs: 86_400_000,
      critLeftMs: 86_400_000,
    });
  });

  it('reads inspect', () => {
    expect(parseArgs(['inspect', '--response', 'r.der', '--issuer', 'i.pem', '--at', '2026-01-02T03:04:05Z'])).toEqual({
      ok: true,
      command: {
        kind: 'inspect',
        responseFile: 'r.der',
        issuerFile: 'i.pem',
        certificateFile: null,
        at: new Date('2026-01-02T03:04:05Z'),
        json: false,
      },
    });
  });

  it.each([
    [['check', 'x', '--timeout', '99'], '--timeout must be an integer 100-120000 (milliseconds).'],
    [['check', 'x', '--timeout', '120001'], '--timeout must be an integer 100-120000 (milliseconds).'],
    [['check', 'x', '--timeout', 'soon'], '--timeout must be an integer 100-120000 (milliseconds).'],
    [['check', 'x', '--timeout', '1e4'], '--timeout must be an integer 100-120000 (milliseconds).'],
    [
      ['check', 'x', '--servername', '127.0.0.1'],
      '--servername must be a DNS host name (RFC 6066 §3: never an IP address).',
    ],
    [
      ['check', 'x', '--servername', '[::1]'],
      '--servername must be a DNS host name (RFC 6066 §3: never an IP address).',
    ],
    [['check', 'x', '--address', 'example.com'], '--address must be an IPv4 or IPv6 address.'],
    [['check', 'x', '--concurrency', '0'], '--concurrency must be an integer 1-64.'],
    [['check', 'x', '--bogus'], '--bogus is not an option of "check".'],
    [['check', 'x', '--response', 'r'], '--response is not an option of "check".'],
    [['inspect', '--response', 'r', '--issuer', 'i', '--timeout', '5'], '--timeout is not an option of "inspect".'],
    [['check', 'x', '--json=yes'], '--json takes no value.'],
    [['check', 'x', '--timeout'], '--timeout needs a value.'],
    [['check'], 'check needs at least one TARGET.'],
    [['inspect', '--response', 'r'], 'inspect needs --response FILE and --issuer FILE.'],
    [['inspect', 'x', '--response', 'r', '--issuer', 'i'], 'inspect takes no TARGET (got "x").'],
    [['frobnicate'], 'Unknown command "frobnicate".'],
    [['check', 'x', '--json', '--nagios'], '--json and --nagios cannot be used together.'],
    [
      ['check', 'x', '--warn-left', '36'],
      '--warn-left "36" is not a duration like 36h, 2d, 90m, 3600s or 1d12h (a unit is needed: 36s, 36m, 36h or 36d?).',
    ],
    [['check', 'x', '--crit-left', 'soon'], '--crit-left "soon" is not a duration like 36h, 2d, 90m, 3600s or 1d12h.'],
    [['check', 'x', '--warn-left', '0s'], '--warn-left must be between 1s and 365d.'],
    [['check', 'x', '--warn-left', '366d'], '--warn-left must be between 1s and 365d.'],
    [['check', 'x', '--warn-left'], '--warn-left needs a value.'],
    [
      ['check', 'x', '--warn-left', '1d', '--crit-left', '36h'],
      '--crit-left 1d12h is more than --warn-left 1d: less time left is worse, so the critical threshold must be the smaller one.',
    ],
    [['inspect', '--response', 'r', '--issuer', 'i', '--nagios'], '--nagios is not an option of "inspect".'],
  ])('refuses %j', (argv, message) => {
    expect(refusal(argv)).toBe(message);
  });

  it('says what the host says about the same value (one validator, the field named each side’s way)', () => {
    const host = (fields: Record<string, unknown>) => {
      const parsed = parseRequest({ id: 1, type: 'check', host: 'x.example', ...fields });
      return parsed.ok ? 'accepted' : parsed.message;
    };
    const library = (fields: Record<string, unknown>) => {
      const parsed = validateCheckOptions({ host: 'x.example', ...fields });
      return parsed.ok ? 'accepted' : parsed.message;
    };
    const rule = (message: string) => message.replace(/^\S+ /, '');
    for (const [flag, field, text, value] of [
      ['--timeout', 'timeoutMs', '120001', 120_001],
      ['--servername', 'servername', '127.0.0.1', '127.0.0.1'],
      ['--address', 'address', 'example.com', 'example.com'],
    ] as const) {
      const cli = refusal(['check', 'x.example', flag, text]);
      expect(rule(cli)).toBe(rule(host({ [field]: value })));
      expect(rule(cli)).toBe(rule(library({ [field]: value })));
    }
  });

  it('answers --help with the usage asked for', () => {
    expect(parseArgs([])).toEqual({ ok: true, command: { kind: 'help', text: HELP } });
    expect(parseArgs(['--help'])).toEqual({ ok: true, command: { kind: 'help', text: HELP } });
    expect(parseArgs(['check', '--help'])).toEqual({ ok: true, command: { kind: 'help', text: CHECK_USAGE } });
    expect(parseArgs(['inspect', '-h'])).toEqual({ ok: true, command: { kind: 'help', text: INSPECT_USAGE } });
    // The installer reads its own arguments, --help included.
    expect(parseArgs(['install', '--help'])).toEqual({ ok: true, command: { kind: 'install', args: ['--help'] } });
  });
});

describe('usage texts', () => {
  const synopses = (text: string) => text.split('\n').filter((line) => line.startsWith('  staplecheck '));

  it('--help lists each command exactly as the command’s own usage writes it', () => {
    for (const line of [...synopses(CHECK_USAGE), ...synopses(INSPECT_USAGE), ...synopses(INSTALLER_USAGE)]) {
      expect(HELP).toContain(line);
    }
    expect(synopses(HELP).filter((line) => /staplecheck (un)?install|doctor/.test(line))).toEqual(
      synopses(INSTALLER_USAGE),
    );
  });

  it('states the timeout range and default the validator enforces', () => {
    expect(HELP).toContain('100-120000 (default 10000)');
    expect(CHECK_USAGE).toContain('100-120000 (default 10000)');
  });
});
