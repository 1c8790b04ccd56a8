// checkSite against real third-party servers on loopback: `openssl s_server -status_file`, and nginx
// with `ssl_stapling on` fetching from a real `openssl ocsp` responder (the warm-up included).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSite } from '../../src/probe/check-site.js';
import type { Result } from '../../src/core/result.js';
import {
  DAY,
  HOUR,
  mintLeaf,
  mintOcspResponse,
  mintScenario,
  pemBundle,
  shift,
  type Scenario,
} from '../support/mint.js';
import {
  NGINX_BINARY,
  indexLine,
  startNginx,
  startOcspResponder,
  startOpensslServer,
  startTlsServer,
  tempDir,
  type RunningServer,
} from '../support/servers.js';

let scenario: Scenario;
let dir: { path: string; remove: () => void };
const running: RunningServer[] = [];
const file = (name: string) => join(dir.path, name);

function check(port: number, timeoutMs = 8000): Promise<Result> {
  return checkSite({ host: '127.0.0.1', port, servername: 'localhost', ca: scenario.root.pem, timeoutMs });
}

beforeAll(async () => {
  // Never a silent skip: npm test's pretest installs these; without them, say so and fail.
  if (!existsSync(NGINX_BINARY)) throw new Error('nginx is missing: apt-get install -y nginx');
  scenario = await mintScenario({ now: new Date() });
  dir = tempDir('servers');
  writeFileSync(file('root.pem'), scenario.root.pem);
  writeFileSync(file('intermediate.pem'), scenario.intermediate.pem);
  writeFileSync(file('intermediate.key'), scenario.keys.intermediate.privateKeyPem);
  writeFileSync(file('trusted.pem'), pemBundle([scenario.intermediate, scenario.root]));
  for (const name of ['leaf', 'mustStapleLeaf', 'noOcspLeaf'] as const) {
    writeFileSync(file(`${name}.pem`), scenario[name].pem);
    writeFileSync(file(`${name}-chain.pem`), scenario.chainPem(scenario[name]));
    writeFileSync(file(`${name}.key`), scenario[name].keys.privateKeyPem);
  }
});

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  dir?.remove();
});

describe('openssl s_server -status_file', () => {
  it('stapling a good response: stapled-good', async () => {
    const now = new Date();
    const staple = await mintOcspResponse({
      responses: [
        {
          certificate: scenario.leaf,
          issuer: scenario.intermediate,
          thisUpdate: shift(now, -HOUR),
          nextUpdate: shift(now, DAY),
          hashAlgorithm: 'SHA-256',
        },
      ],
      producedAt: shift(now, -HOUR),
      signer: scenario.responder,
      responderId: 'byKey',
    });
    writeFileSync(file('good.der'), staple);
    const server = await startOpensslServer({
      dir: dir.path,
      certFile: file('leaf.pem'),
      chainFile: file('intermediate.pem'),
      keyFile: file('leaf.key'),
      statusFile: file('good.der'),
    });
    running.push(server);
    const result = await check(server.port);
    expect(result.verdict, server.log()).toBe('stapled-good');
    expect(result.ocsp?.signer?.type).toBe('delegated');
    expect(result.ocsp?.certIdHashAlgorithm).toBe('SHA-256');
  });

  it('stapling nothing: not-stapled', async () => {
    const server = await startOpensslServer({
      dir: dir.path,
      certFile: file('leaf.pem'),
      chainFile: file('intermediate.pem'),
      keyFile: file('leaf.key'),
    });
    running.push(server);
    const result = await check(server.port, 2500);
    expect(result.verdict).toBe('not-stapled');
  });
});

describe('nginx with a real openssl ocsp responder', () => {
  let responder: RunningServer & { log: () => string };

  beforeAll(async () => {
    const notAfter = shift(new Date(), 60 * DAY);
    writeFileSync(
      file('index.txt'),
      indexLine({ serialHex: '3001', notAfter, subject: '/O=Staple Check Test/CN=localhost' }) +
        indexLine({
          serialHex: '3002',
          notAfter,
          subject: '/O=Staple Check Test/CN=localhost',
          revokedAt: shift(new Date(), -DAY),
          reason: 'keyCompromise',
        }),
    );
    responder = await startOcspResponder({
      dir: dir.path,
      indexFile: file('index.txt'),
      caFile: file('intermediate.pem'),
      signerCertFile: file('intermediate.pem'),
      signerKeyFile: file('intermediate.key'),
    });
    running.push(responder);
  });

  it('ssl_stapling on: stapled-good once warmed up', async () => {
    const nginx = await startNginx({
      dir: dir.path,
      chainFile: file('leaf-chain.pem'),
      keyFile: file('leaf.key'),
      trustedFile: file('trusted.pem'),
      stapling: true,
      responderUrl: `http://127.0.0.1:${responder.port}/`,
    });
    running.push(nginx);
    const result = await check(nginx.port);
    expect(result.verdict, `${nginx.log()}\n${responder.log()}`).toBe('stapled-good');
    // nginx staples lazily: the first handshake carries nothing.
    expect(result.problems.map((p) => p.code)).toContain('warmed-up');
    expect(result.timing.handshakes).toBeGreaterThan(1);
    // Once fetched, the staple is there at once.
    const again = await check(nginx.port);
    expect(again.verdict).toBe('stapled-good');
    expect(again.timing.handshakes).toBe(1);
  });

  // nginx checks what it fetches and staples only "good" answers ("certificate status "revoked" in
  // the OCSP response" in its log): a revoked Must-Staple certificate is then refused by browsers.
  it('ssl_stapling on, revoked Must-Staple certificate: nginx staples nothing, must-staple-violation', async () => {
    const nginx = await startNginx({
      dir: dir.path,
      chainFile: file('mustStapleLeaf-chain.pem'),
      keyFile: file('mustStapleLeaf.key'),
      trustedFile: file('trusted.pem'),
      stapling: true,
      responderUrl: `http://127.0.0.1:${responder.port}/`,
    });
    running.push(nginx);
    const result = await check(nginx.port, 4000);
    expect(result.verdict).toBe('must-staple-violation');
    expect(result.ocsp).toBeNull();
    expect(nginx.log()).toMatch(/certificate status "revoked" in the OCSP response/);
  });

  it('ssl_stapling off: not-stapled', async () => {
    const nginx = await startNginx({
      dir: dir.path,
      chainFile: file('leaf-chain.pem'),
      keyFile: file('leaf.key'),
      trustedFile: file('trusted.pem'),
      stapling: false,
    });
    running.push(nginx);
    const result = await check(nginx.port, 3000);
    expect(result.verdict).toBe('not-stapled');
  });

  it('ssl_stapling off with a Must-Staple certificate: must-staple-violation', async () => {
    const nginx = await startNginx({
      dir: dir.path,
      chainFile: file('mustStapleLeaf-chain.pem'),
      keyFile: file('mustStapleLeaf.key'),
      trustedFile: file('trusted.pem'),
      stapling: false,
    });
    running.push(nginx);
    expect((await check(nginx.port, 2500)).verdict).toBe('must-staple-violation');
  });
});

describe('--compare-responder: asking the CA too (docs/contract.md §7)', () => {
  it('a server still stapling "good" after the CA revoked: stapled-revoked / stale-staple', async () => {
    const now = new Date();
    const revokedAt = shift(now, -2 * HOUR);
    writeFileSync(
      file('index-compare.txt'),
      indexLine({ serialHex: '5001', notAfter: shift(now, 60 * DAY), subject: '/CN=localhost', revokedAt }),
    );
    const responder = await startOcspResponder({
      dir: dir.path,
      indexFile: file('index-compare.txt'),
      caFile: file('intermediate.pem'),
      signerCertFile: file('intermediate.pem'),
      signerKeyFile: file('intermediate.key'),
    });
    running.push(responder);
    const leaf = await mintLeaf({
      issuer: scenario.intermediate,
      commonName: 'localhost',
      ipAddresses: ['127.0.0.1'],
      notBefore: shift(now, -DAY),
      notAfter: shift(now, 60 * DAY),
      serialNumber: 0x5001n,
      ocspUrl: `http://127.0.0.1:${responder.port}/`,
    });
    // The staple predates the revocation: it still says good, and it has not expired.
    const oldGood = await mintOcspResponse({
      responses: [
        {
          certificate: leaf,
          issuer: scenario.intermediate,
          thisUpdate: shift(now, -DAY),
          nextUpdate: shift(now, 2 * DAY),
        },
      ],
      producedAt: shift(now, -DAY),
      signer: scenario.intermediate,
    });
    const server = await startTlsServer({
      certChainPem: scenario.chainPem(leaf),
      keyPem: leaf.keys.privateKeyPem,
      staple: oldGood,
    });
    running.push(server);

    const plain = await checkSite({ host: '127.0.0.1', port: server.port, ca: scenario.root.pem, timeoutMs: 8000 });
    expect(plain.verdict).toBe('stapled-good');
    expect(plain.responder).toBeUndefined();

    const compared = await checkSite({
      host: '127.0.0.1',
      port: server.port,
      ca: scenario.root.pem,
      timeoutMs: 8000,
      compareResponder: true,
    });
    expect(compared.verdict, responder.log()).toBe('stapled-revoked');
    expect(compared.responder).toMatchObject({ certStatus: 'revoked', error: null });
    expect(compared.problems.map((p) => p.code)).toContain('stale-staple');
  });
});
