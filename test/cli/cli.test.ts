// The CLI as a process: `node bin/staplecheck.js` (built by `npm run build`, which npm test runs first).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DAY,
  HOUR,
  garbage,
  mintOcspResponse,
  mintScenario,
  ocspResponsePem,
  shift,
  type Scenario,
} from '../support/mint.js';
import { closedPort, startTlsServer, tempDir, type RunningServer } from '../support/servers.js';
import { requireBuiltCli, staplecheck } from './run-cli.js';

let scenario: Scenario;
let dir: { path: string; remove: () => void };
const servers: RunningServer[] = [];
let goodPort: number;
let revokedPort: number;
let noStaplePort: number;
const file = (name: string) => join(dir.path, name);

beforeAll(async () => {
  requireBuiltCli();
  const now = new Date();
  scenario = await mintScenario({ now });
  dir = tempDir('cli');
  const respond = (status: 'good' | { revokedAt: Date; reason: 'superseded' }) =>
    mintOcspResponse({
      responses: [
        {
          certificate: scenario.leaf,
          issuer: scenario.intermediate,
          certStatus: status,
          thisUpdate: shift(now, -3 * HOUR),
          nextUpdate: shift(now, 4 * DAY),
        },
      ],
      producedAt: shift(now, -3 * HOUR),
      signer: scenario.intermediate,
    });
  const good = await respond('good');
  const revoked = await respond({ revokedAt: shift(now, -DAY), reason: 'superseded' });
  writeFileSync(file('good.der'), good);
  writeFileSync(file('good.pem'), ocspResponsePem(good));
  writeFileSync(file('good.b64'), Buffer.from(good).toString('base64'));
  writeFileSync(file('revoked.der'), revoked);
  writeFileSync(file('garbage.der'), garbage(200));
  writeFileSync(file('issuer.pem'), scenario.intermediate.pem);
  writeFileSync(file('leaf.pem'), scenario.leaf.pem);
  writeFileSync(file('other.pem'), scenario.noOcspLeaf.pem);
  writeFileSync(file('root.pem'), scenario.root.pem);
  writeFileSync(file('not-a-cert.pem'), 'hello\n');
  const serve = async (staple: Uint8Array | null) => {
    const server = await startTlsServer({
      certChainPem: scenario.chainPem(scenario.leaf),
      keyPem: scenario.leaf.keys.privateKeyPem,
      staple,
    });
    servers.push(server);
    return server.port;
  };
  goodPort = await serve(good);
  revokedPort = await serve(revoked);
  noStaplePort = await serve(null);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  dir?.remove();
});

describe('staplecheck --help and bad usage', () => {
  it('--help prints the usage and exits 0', async () => {
    const run = await staplecheck(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('staplecheck check TARGET...');
    expect(run.stdout).toContain('Exit status');
  });

  it('check --help prints the usage of check only', async () => {
    const run = await staplecheck(['check', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('staplecheck check TARGET...');
    expect(run.stdout).not.toContain('staplecheck inspect');
  });

  it('--version prints the package version', async () => {
    const run = await staplecheck(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    [['frobnicate']],
    [['check']],
    [['check', 'localhost', '--timeout', 'soon']],
    [['check', 'localhost', '--timeout', '120001']],
    [['check', 'localhost', '--servername', '127.0.0.1']],
    [['check', 'localhost', '--address', 'localhost']],
    [['check', 'localhost', '--bogus']],
    [['inspect', '--response', 'x']],
    [['inspect', '--response', 'x', '--issuer', 'y', '--at', 'yesterday']],
  ])('%j is bad usage: exit 3, a message on stderr, nothing on stdout', async (args) => {
    const run = await staplecheck(args);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^staplecheck: /);
  });
});

describe('staplecheck check', () => {
  it('--json prints one JSON object per line and exits by the verdict', async () => {
    const run = await staplecheck([
      'check',
      `127.0.0.1:${goodPort}`,
      '--servername',
      'localhost',
      '--ca',
      file('root.pem'),
      '--json',
    ]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0] ?? '');
    expect(result).toMatchObject({ verdict: 'stapled-good', host: '127.0.0.1', port: goodPort, error: null });
    expect(result.chain.trusted).toBe(true);
  });

  it('several targets: results in the given order, exit status of the worst', async () => {
    const refused = await closedPort();
    const run = await staplecheck([
      'check',
      `https://127.0.0.1:${goodPort}/some/path`,
      `127.0.0.1:${revokedPort}`,
      `127.0.0.1:${refused}`,
      '--json',
      '--concurrency',
      '3',
    ]);
    const verdicts = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).verdict);
    expect(verdicts).toEqual(['stapled-good', 'stapled-revoked', 'error']);
    expect(run.code).toBe(3);
  });

  it('revoked: exit 2; not stapled: exit 1', async () => {
    expect((await staplecheck(['check', `127.0.0.1:${revokedPort}`, '--json'])).code).toBe(2);
    expect((await staplecheck(['check', `127.0.0.1:${noStaplePort}`, '--json', '--timeout', '1500'])).code).toBe(1);
  });

  it('text for people: the verdict, the facts, no colour without a TTY', async () => {
    const run = await staplecheck(['check', `127.0.0.1:${revokedPort}`, '--servername', 'localhost']);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(`127.0.0.1:${revokedPort}  ✖ stapled-revoked — The certificate is revoked`);
    expect(run.stdout).toMatch(
      /Revoked +\d{4}-\d\d-\d\d \d\d:\d\d UTC \(1 day ago\) · reason: replaced by a new certificate/,
    );
    expect(run.stdout).toMatch(/Staple +revoked · made 3 h ago · \d+ bytes/);
    expect(run.stdout).toMatch(/Time left +3 days \(until \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('colour when forced, none with NO_COLOR', async () => {
    const args = ['check', `127.0.0.1:${goodPort}`];
    expect((await staplecheck(args, { FORCE_COLOR: '1' })).stdout).toContain('\u001b[32m');
    expect((await staplecheck(args, { FORCE_COLOR: '1', NO_COLOR: '1' })).stdout).not.toContain('\u001b[');
  });

  it('a bad target among good ones is an error result, not a crash', async () => {
    const run = await staplecheck(['check', 'not a host', `127.0.0.1:${goodPort}`, '--json']);
    const results = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(results.map((r) => r.verdict)).toEqual(['error', 'stapled-good']);
    expect(results[0].error.code).toBe('bad-request');
    expect(run.code).toBe(3);
  });

  it('an unreadable --ca is a file error naming the path and the reason, not usage', async () => {
    const run = await staplecheck(['check', `127.0.0.1:${goodPort}`, '--ca', file('missing.pem')]);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`staplecheck: cannot read --ca "${file('missing.pem')}": no such file (ENOENT).\n`);
  });
});

describe('staplecheck inspect', () => {
  it.each(['good.der', 'good.pem', 'good.b64'])('reads %s: stapled-good, exit 0', async (name) => {
    const run = await staplecheck([
      'inspect',
      '--response',
      file(name),
      '--issuer',
      file('issuer.pem'),
      '--certificate',
      file('leaf.pem'),
      '--json',
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ verdict: 'stapled-good', host: null });
  });

  it('revoked: exit 2', async () => {
    const run = await staplecheck(['inspect', '--response', file('revoked.der'), '--issuer', file('issuer.pem')]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('stapled-revoked');
  });

  it('a response about another certificate: stapled-invalid, exit 2', async () => {
    const run = await staplecheck([
      'inspect',
      '--response',
      file('good.der'),
      '--issuer',
      file('issuer.pem'),
      '--certificate',
      file('other.pem'),
      '--json',
    ]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).problems.map((p: { code: string }) => p.code)).toContain('cert-id-mismatch');
  });

  it('--at after nextUpdate: expired', async () => {
    const at = shift(new Date(), 10 * DAY).toISOString();
    const run = await staplecheck([
      'inspect',
      '--response',
      file('good.der'),
      '--issuer',
      file('issuer.pem'),
      '--at',
      at,
      '--json',
    ]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).problems.map((p: { code: string }) => p.code)).toContain('expired');
  });

  it('a garbage response: stapled-invalid / malformed, exit 2, no crash', async () => {
    const run = await staplecheck([
      'inspect',
      '--response',
      file('garbage.der'),
      '--issuer',
      file('issuer.pem'),
      '--json',
    ]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).problems[0].code).toBe('malformed');
  });

  it('an issuer that is not a certificate: error, exit 3', async () => {
    const run = await staplecheck([
      'inspect',
      '--response',
      file('good.der'),
      '--issuer',
      file('not-a-cert.pem'),
      '--json',
    ]);
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout).error.code).toBe('bad-input');
  });

  it('a missing file: a file error, exit 3', async () => {
    const run = await staplecheck(['inspect', '--response', file('nope.der'), '--issuer', file('issuer.pem')]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('ENOENT');
    expect(run.stderr).not.toContain('--help');
  });
});
