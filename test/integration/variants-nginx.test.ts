// nginx with an ECDSA and an RSA certificate on one server block (`ssl_certificate` twice),
// stapling from a real `openssl ocsp` responder that says the RSA one is revoked; and the CLI's
// fix-it text for an nginx site that staples nothing (docs/contract.md §8).
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSite } from '../../src/probe/check-site.js';
import type { Result } from '../../src/core/result.js';
import {
  DAY,
  mintLeaf,
  mintScenario,
  pemBundle,
  shift,
  type MintedCertificate,
  type Scenario,
} from '../support/mint.js';
import {
  NGINX_BINARY,
  indexLine,
  startNginx,
  startOcspResponder,
  tempDir,
  type RunningServer,
} from '../support/servers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'staplecheck.js');

let scenario: Scenario;
let rsaLeaf: MintedCertificate;
let dir: { path: string; remove: () => void };
const running: RunningServer[] = [];
const file = (name: string) => join(dir.path, name);
let responderUrl: string;

function check(port: number, timeoutMs = 8000): Promise<Result> {
  return checkSite({ host: '127.0.0.1', port, servername: 'localhost', ca: scenario.root.pem, timeoutMs });
}

beforeAll(async () => {
  if (!existsSync(NGINX_BINARY)) throw new Error('nginx is missing: apt-get install -y nginx');
  const now = new Date();
  scenario = await mintScenario({ now });
  rsaLeaf = await mintLeaf({
    issuer: scenario.intermediate,
    commonName: 'localhost',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    notBefore: shift(now, -30 * DAY),
    notAfter: shift(now, 60 * DAY),
    serialNumber: 0x3201n,
    keyType: 'rsa-2048',
  });
  dir = tempDir('variants-nginx');
  writeFileSync(file('root.pem'), scenario.root.pem);
  writeFileSync(file('intermediate.pem'), scenario.intermediate.pem);
  writeFileSync(file('intermediate.key'), scenario.keys.intermediate.privateKeyPem);
  writeFileSync(file('trusted.pem'), pemBundle([scenario.intermediate, scenario.root]));
  writeFileSync(file('ecdsa-chain.pem'), scenario.chainPem(scenario.leaf));
  writeFileSync(file('ecdsa.key'), scenario.leaf.keys.privateKeyPem);
  writeFileSync(file('rsa-chain.pem'), scenario.chainPem(rsaLeaf));
  writeFileSync(file('rsa.key'), rsaLeaf.keys.privateKeyPem);
  const notAfter = shift(now, 60 * DAY);
  writeFileSync(
    file('index.txt'),
    indexLine({ serialHex: '3001', notAfter, subject: '/CN=localhost' }) +
      indexLine({
        serialHex: '3201',
        notAfter,
        subject: '/CN=localhost',
        revokedAt: shift(now, -DAY),
        reason: 'keyCompromise',
      }),
  );
  const responder = await startOcspResponder({
    dir: dir.path,
    indexFile: file('index.txt'),
    caFile: file('intermediate.pem'),
    signerCertFile: file('intermediate.pem'),
    signerKeyFile: file('intermediate.key'),
  });
  running.push(responder);
  responderUrl = `http://127.0.0.1:${responder.port}/`;
});

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  dir?.remove();
});

describe('nginx with ssl_certificate twice (ECDSA and RSA)', () => {
  it('both found and judged: the ECDSA staple good, the revoked RSA one never stapled; they disagree', async () => {
    const nginx = await startNginx({
      dir: dir.path,
      certificates: [
        { chainFile: file('rsa-chain.pem'), keyFile: file('rsa.key') },
        { chainFile: file('ecdsa-chain.pem'), keyFile: file('ecdsa.key') },
      ],
      trustedFile: file('trusted.pem'),
      stapling: true,
      responderUrl,
    });
    running.push(nginx);
    const result = await check(nginx.port);
    expect(
      result.certificates?.map((c) => [c.keyType, c.verdict]),
      nginx.log(),
    ).toEqual([
      ['ecdsa', 'stapled-good'],
      ['rsa', 'not-stapled'],
    ]);
    expect(result.verdict).toBe('not-stapled');
    expect(result.problems.map((p) => p.code)).toContain('variants-disagree');
    // nginx fetched both lazily, in the same warm-up pauses.
    expect(result.certificates?.[0]?.problems.map((p) => p.code)).toContain('warmed-up');
    // nginx staples only "good" answers (its log says why the RSA one has none).
    expect(nginx.log()).toMatch(/certificate status "revoked" in the OCSP response/);
    expect(result.server).toMatch(/^nginx/);
    expect(result.browsers?.firefox).toMatch(/Firefox opens/);
  });
});

function staplecheck(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

describe('the CLI for an nginx site that staples nothing', () => {
  it('names nginx from its Server header and shows only its settings', async () => {
    if (!existsSync(join(ROOT, 'build', 'src', 'cli', 'main.js')))
      throw new Error('The CLI is not built: run `npm run build` (npm test does it first).');
    const nginx = await startNginx({
      dir: dir.path,
      certificates: [{ chainFile: file('ecdsa-chain.pem'), keyFile: file('ecdsa.key') }],
      trustedFile: file('trusted.pem'),
      stapling: false,
    });
    running.push(nginx);
    const target = `127.0.0.1:${nginx.port}`;
    const common = ['--servername', 'localhost', '--ca', file('root.pem'), '--timeout', '3000'];
    const text = await staplecheck(['check', target, ...common]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/not-stapled/);
    expect(text.stdout).toMatch(/Fix it/);
    expect(text.stdout).toMatch(/The site says it runs nginx/);
    expect(text.stdout).toContain('ssl_stapling on;');
    expect(text.stdout).toContain('ssl_stapling_verify on;');
    expect(text.stdout).toContain('ssl_trusted_certificate');
    expect(text.stdout).toContain('resolver');
    expect(text.stdout).not.toContain('SSLUseStapling');
    expect(text.stdout).toMatch(/Firefox/);
    const json = await staplecheck(['check', target, ...common, '--json']);
    const result = JSON.parse(json.stdout) as Result;
    expect(result.server).toMatch(/^nginx/);
    expect(Object.keys(result.browsers ?? {})).toEqual(['firefox', 'chromium', 'safari']);
    expect(result.timing.variantHandshakes).toBe(1);
  });
});
