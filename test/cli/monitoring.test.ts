// The CLI as a monitoring plugin and as a tool for pasted addresses (docs/contract.md §3), run as a
// process against loopback Node TLS servers: targets pasted from an address bar, `--nagios`,
// `--warn-left`/`--crit-left`, the summary after several targets, and files that cannot be read.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, HOUR, mintOcspResponse, mintScenario, shift, type Scenario } from '../support/mint.js';
import { startTlsServer, tempDir, type RunningServer } from '../support/servers.js';
import { requireBuiltCli, staplecheck } from './run-cli.js';

let scenario: Scenario;
let dir: { path: string; remove: () => void };
const servers: RunningServer[] = [];
/** Staples a good response with 4 days left. */
let goodPort: number;
/** Staples a good response with 20 hours left. */
let shortPort: number;
let revokedPort: number;
let noStaplePort: number;
const file = (name: string) => join(dir.path, name);
const trust = () => ['--servername', 'localhost', '--ca', file('root.pem')];

beforeAll(async () => {
  requireBuiltCli();
  const now = new Date();
  scenario = await mintScenario({ now });
  dir = tempDir('cli-monitoring');
  const respond = (status: 'good' | { revokedAt: Date; reason: 'superseded' }, leftMs: number) =>
    mintOcspResponse({
      responses: [
        {
          certificate: scenario.leaf,
          issuer: scenario.intermediate,
          certStatus: status,
          thisUpdate: shift(now, -3 * HOUR),
          nextUpdate: shift(now, leftMs),
        },
      ],
      producedAt: shift(now, -3 * HOUR),
      signer: scenario.intermediate,
    });
  writeFileSync(file('root.pem'), scenario.root.pem);
  writeFileSync(file('issuer.pem'), scenario.intermediate.pem);
  writeFileSync(file('good.der'), await respond('good', 4 * DAY));
  mkdirSync(file('a-directory'));
  const serve = async (staple: Uint8Array | null) => {
    const server = await startTlsServer({
      certChainPem: scenario.chainPem(scenario.leaf),
      keyPem: scenario.leaf.keys.privateKeyPem,
      staple,
    });
    servers.push(server);
    return server.port;
  };
  goodPort = await serve(await respond('good', 4 * DAY));
  shortPort = await serve(await respond('good', 20 * HOUR));
  revokedPort = await serve(await respond({ revokedAt: shift(now, -DAY), reason: 'superseded' }, 4 * DAY));
  noStaplePort = await serve(null);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  dir?.remove();
});

const verdictsOf = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { verdict: string; port: number | null; error: { message: string } | null });

describe('targets pasted from an address bar', () => {
  it('host:port/path?query#fragment, https:// with a path and a fragment: the server is checked', async () => {
    const run = await staplecheck([
      'check',
      `127.0.0.1:${goodPort}/some/page?x=1&y=2#top`,
      `https://127.0.0.1:${goodPort}/a/b#f`,
      `127.0.0.1:${goodPort}?q`,
      `127.0.0.1:${goodPort}#frag`,
      '--json',
    ]);
    expect(run.code).toBe(0);
    expect(verdictsOf(run.stdout).map((r) => [r.verdict, r.port])).toEqual([
      ['stapled-good', goodPort],
      ['stapled-good', goodPort],
      ['stapled-good', goodPort],
      ['stapled-good', goodPort],
    ]);
  });

  it('http:// is refused with the https:// form to try', async () => {
    const run = await staplecheck(['check', `http://127.0.0.1:${goodPort}/x`, '--json']);
    expect(run.code).toBe(3);
    const [result] = verdictsOf(run.stdout);
    expect(result?.verdict).toBe('error');
    expect(result?.error?.message).toBe(
      `Staple Check checks HTTPS sites, not http://; did you mean https://127.0.0.1:${goodPort}/x?`,
    );
  });

  it('port 0 is refused in a URL as in host:port', async () => {
    const run = await staplecheck(['check', 'https://127.0.0.1:0/', '127.0.0.1:0/x', '--json']);
    expect(run.code).toBe(3);
    expect(verdictsOf(run.stdout).map((r) => r.error?.message)).toEqual([
      '"0" is not a port (1-65535).',
      '"0" is not a port (1-65535).',
    ]);
  });
});

describe('--nagios', () => {
  it('one line: status word, target, verdict, time left; perfdata in seconds; exit 0', async () => {
    const run = await staplecheck(['check', `127.0.0.1:${goodPort}`, '--nagios', ...trust()]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(
      new RegExp(
        `^STAPLE OK - 127\\.0\\.0\\.1:${goodPort} stapled-good, staple valid 3 d 23 h more \\| time_left=345\\d{3}s staple_age=10[89]\\d\\ds\\n$`,
      ),
    );
  });

  it.each<[string[], number, string]>([
    [['--warn-left', '3d'], 0, 'OK'],
    [['--warn-left', '5d'], 1, 'WARNING'],
    [['--warn-left', '5d', '--crit-left', '4d'], 2, 'CRITICAL'],
    [['--crit-left', '96h'], 2, 'CRITICAL'],
  ])('%j with 4 days left: exit %d, %s, thresholds in the perfdata', async (flags, code, word) => {
    const run = await staplecheck(['check', `127.0.0.1:${goodPort}`, '--nagios', ...flags]);
    expect(run.code).toBe(code);
    expect(run.stdout.startsWith(`STAPLE ${word} - 127.0.0.1:${goodPort} stapled-good`)).toBe(true);
    const threshold = (flag: string) => {
      const text = flags[flags.indexOf(flag) + 1];
      const [n, unit] = [Number(text?.slice(0, -1)), text?.slice(-1)];
      return flags.includes(flag) ? `${n * (unit === 'd' ? 86400 : 3600)}:` : '';
    };
    const range = `${threshold('--warn-left')};${threshold('--crit-left')}`.replace(/;+$/, '');
    expect(run.stdout).toMatch(new RegExp(`\\| time_left=\\d+s${range ? `;${range}` : ''} staple_age=\\d+s\\n$`));
    if (code > 0) expect(run.stdout).toMatch(/, less than --(warn|crit)-left \dd \|/);
  });

  it('not stapled keeps its own WARNING under any threshold; time_left is U', async () => {
    const run = await staplecheck([
      'check',
      `127.0.0.1:${noStaplePort}`,
      '--nagios',
      '--crit-left',
      '10d',
      '--timeout',
      '1500',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      `STAPLE WARNING - 127.0.0.1:${noStaplePort} not-stapled | time_left=U;;864000: staple_age=U\n`,
    );
  });

  it('several targets: one line, worst first, perfdata per target; a hostile target cannot add a line or a "|"', async () => {
    const hostile = 'evil|x\nSTAPLE OK - fine | time_left=1s';
    const run = await staplecheck([
      'check',
      `127.0.0.1:${goodPort}`,
      `127.0.0.1:${revokedPort}`,
      hostile,
      '--nagios',
      '--concurrency',
      '3',
    ]);
    expect(run.code).toBe(3);
    const lines = run.stdout.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    const [text, perfdata, ...more] = (lines[0] ?? '').split(' | ');
    expect(more).toEqual([]);
    expect(text).toMatch(
      new RegExp(
        `^STAPLE UNKNOWN - 3 checked \\(1 UNKNOWN, 1 CRITICAL, 1 OK\\): evil\\\\x7cx\\\\x0aSTAPLE OK - fine \\\\x7c time_left=1s error: bad-request \\(.*\\); 127\\.0\\.0\\.1:${revokedPort} stapled-revoked, staple valid 3 d 23 h more; 127\\.0\\.0\\.1:${goodPort} stapled-good, staple valid 3 d 23 h more$`,
      ),
    );
    expect(perfdata?.split(/ (?=')/)).toEqual([
      expect.stringMatching(new RegExp(`^'127\\.0\\.0\\.1:${goodPort} time_left'=\\d+s$`)),
      expect.stringMatching(new RegExp(`^'127\\.0\\.0\\.1:${goodPort} staple_age'=\\d+s$`)),
      expect.stringMatching(new RegExp(`^'127\\.0\\.0\\.1:${revokedPort} time_left'=\\d+s$`)),
      expect.stringMatching(new RegExp(`^'127\\.0\\.0\\.1:${revokedPort} staple_age'=\\d+s$`)),
      "'evil\\x7cx\\x0aSTAPLE OK - fine \\x7c time_left\\x3d1s time_left'=U",
      "'evil\\x7cx\\x0aSTAPLE OK - fine \\x7c time_left\\x3d1s staple_age'=U",
    ]);
  });

  it('bad usage and an unreadable file say UNKNOWN on stdout, where monitoring looks; exit 3', async () => {
    const usage = await staplecheck(['check', 'x.example', '--nagios', '--warn-left', '1h', '--crit-left', '2h']);
    expect(usage.code).toBe(3);
    expect(usage.stdout).toBe(
      'STAPLE UNKNOWN - --crit-left 2h is more than --warn-left 1h: less time left is worse, so the critical threshold must be the smaller one.\n',
    );
    const missing = await staplecheck(['check', `127.0.0.1:${goodPort}`, '--nagios', '--ca', file('nope.pem')]);
    expect(missing.code).toBe(3);
    expect(missing.stdout).toBe(`STAPLE UNKNOWN - cannot read --ca "${file('nope.pem')}": no such file (ENOENT).\n`);
  });

  it('--json and --nagios together are bad usage', async () => {
    const run = await staplecheck(['check', 'x.example', '--nagios', '--json']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('--json and --nagios cannot be used together.');
  });
});

describe('--warn-left and --crit-left without --nagios', () => {
  it('text: the exit status rises and a line under the result says why', async () => {
    const run = await staplecheck(['check', `127.0.0.1:${shortPort}`, '--warn-left', '36h', '--crit-left', '1d']);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(`127.0.0.1:${shortPort}  ✔ stapled-good`);
    expect(run.stdout).toMatch(/\n {2}! exit 2: 19 h 5\d m left on the staple, less than --crit-left 1d\n\n$/);
  });

  it('text: a threshold not reached changes nothing', async () => {
    const run = await staplecheck(['check', `127.0.0.1:${shortPort}`, '--warn-left', '12h']);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('! exit');
  });

  it('--json: the same exit status, the result unchanged, nothing else on stdout', async () => {
    const run = await staplecheck(['check', `127.0.0.1:${shortPort}`, '--warn-left', '36h', '--json']);
    expect(run.code).toBe(1);
    expect(verdictsOf(run.stdout).map((r) => r.verdict)).toEqual(['stapled-good']);
  });

  it('revoked stays 2 and not stapled stays 1', async () => {
    const flags = ['--warn-left', '30d', '--crit-left', '30d', '--timeout', '1500', '--json'];
    expect((await staplecheck(['check', `127.0.0.1:${revokedPort}`, ...flags])).code).toBe(2);
    expect((await staplecheck(['check', `127.0.0.1:${noStaplePort}`, ...flags])).code).toBe(1);
  });
});

describe('several targets end with a summary', () => {
  it('text: one line counting the verdicts, naming the worst and the exit status', async () => {
    const run = await staplecheck([
      'check',
      `127.0.0.1:${goodPort}`,
      `127.0.0.1:${noStaplePort}`,
      'not a host',
      '--timeout',
      '1500',
    ]);
    expect(run.code).toBe(3);
    expect(run.stdout.endsWith('\n3 checked: 1 stapled-good, 1 not-stapled, 1 error — worst: error (exit 3)\n')).toBe(
      true,
    );
  });

  it('text: thresholds counted in the summary', async () => {
    const run = await staplecheck(['check', `127.0.0.1:${goodPort}`, `127.0.0.1:${shortPort}`, '--warn-left', '1d']);
    expect(run.code).toBe(1);
    expect(
      run.stdout.endsWith(
        '\n2 checked: 2 stapled-good; 1 below --warn-left — worst: stapled-good below --warn-left (exit 1)\n',
      ),
    ).toBe(true);
  });

  it('one target: no summary; --json: JSON Lines only', async () => {
    const one = await staplecheck(['check', `127.0.0.1:${goodPort}`]);
    expect(one.stdout).not.toContain('checked:');
    const json = await staplecheck(['check', `127.0.0.1:${goodPort}`, `127.0.0.1:${revokedPort}`, '--json']);
    expect(json.stdout.trim().split('\n')).toHaveLength(2);
    expect(verdictsOf(json.stdout).map((r) => r.verdict)).toEqual(['stapled-good', 'stapled-revoked']);
  });
});

describe('files that cannot be read are file errors, not usage', () => {
  it.each<[string, string[], RegExp]>([
    [
      '--ca missing',
      ['check', '127.0.0.1:1', '--ca', 'nope.pem'],
      /^cannot read --ca "nope\.pem": no such file \(ENOENT\)\.$/,
    ],
    [
      '--ca a directory',
      ['check', '127.0.0.1:1', '--ca', 'a-directory'],
      /^cannot read --ca "a-directory": it is a directory \(EISDIR\)\.$/,
    ],
    [
      '--response missing',
      ['inspect', '--response', 'nope.der', '--issuer', 'issuer.pem'],
      /^cannot read --response "nope\.der": no such file \(ENOENT\)\.$/,
    ],
    [
      '--issuer missing',
      ['inspect', '--response', 'good.der', '--issuer', 'nope.pem'],
      /^cannot read --issuer "nope\.pem": no such file \(ENOENT\)\.$/,
    ],
    [
      '--certificate under a file',
      ['inspect', '--response', 'good.der', '--issuer', 'issuer.pem', '--certificate', 'good.der/leaf.pem'],
      /^cannot read --certificate "good\.der\/leaf\.pem": a part of the path is not a directory \(ENOTDIR\)\.$/,
    ],
  ])('%s: the path and the reason on stderr, exit 3, no usage', async (_, args, message) => {
    const run = await staplecheck(args.map((a) => (/\.(pem|der)$|directory/.test(a) ? file(a) : a)));
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    const [first, ...rest] = run.stderr.split('\n');
    expect(first?.replace(`staplecheck: `, '').replaceAll(`${dir.path}/`, '')).toMatch(message);
    expect(rest).toEqual(['']);
  });

  it('a path with terminal controls is shown escaped', async () => {
    const run = await staplecheck(['check', '127.0.0.1:1', '--ca', file('x\u001b]0;pwned\u0007\u001b[2J.pem')]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('x\\x1b]0;pwned\\x07\\x1b[2J.pem": no such file (ENOENT).');
    expect(run.stderr).not.toContain('\u001b');
  });

  it('a --ca that holds no certificate is a file error too', async () => {
    writeFileSync(file('empty.pem'), 'hello\n');
    const run = await staplecheck(['check', '127.0.0.1:1', '--ca', file('empty.pem')]);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(`staplecheck: --ca "${file('empty.pem')}" holds no PEM certificate.\n`);
  });
});
