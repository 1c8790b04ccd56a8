// The contract between the host and the extension: every result the real probe produces must pass
// the extension's run-time validation (which refuses anything it cannot trust), with its verdict kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseResult } from '../../src/protocol/parse-result.js';
import { checkSite } from '../../src/probe/check-site.js';
import type { Result } from '../../src/core/result.js';
import {
  DAY,
  HOUR,
  garbage,
  mintOcspResponse,
  mintLeaf,
  mintScenario,
  shift,
  type MintedCertificate,
  type Scenario,
} from '../../src/pki/mint.js';
import { closedPort, startTlsServer, type RunningServer } from '../support/servers.js';
import { startDualTlsServer } from './dual-certificate-servers.js';

let scenario: Scenario;
const servers: RunningServer[] = [];

beforeAll(async () => {
  scenario = await mintScenario({ now: new Date() });
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

async function staple(leaf: MintedCertificate, status: 'good' | 'unknown' | 'revoked'): Promise<Uint8Array> {
  const now = new Date();
  return mintOcspResponse({
    responses: [
      {
        certificate: leaf,
        issuer: scenario.intermediate,
        certStatus: status === 'revoked' ? { revokedAt: shift(now, -DAY), reason: 'keyCompromise' } : status,
        thisUpdate: shift(now, -HOUR),
        nextUpdate: shift(now, DAY),
      },
    ],
    producedAt: shift(now, -HOUR),
    signer: scenario.intermediate,
  });
}

async function checkServing(
  leaf: MintedCertificate,
  stapled: Uint8Array | null,
  extra: Partial<Parameters<typeof checkSite>[0]> = {},
): Promise<Result> {
  const server = await startTlsServer({
    certChainPem: scenario.chainPem(leaf),
    keyPem: leaf.keys.privateKeyPem,
    staple: stapled,
  });
  servers.push(server);
  return checkSite({ host: '127.0.0.1', port: server.port, servername: 'localhost', timeoutMs: 10_000, ...extra });
}

function expectAccepted(result: Result): void {
  const parsed = parseResult(JSON.parse(JSON.stringify(result)));
  expect(parsed.ok ? 'accepted' : parsed.reason).toBe('accepted');
  if (parsed.ok) expect(parsed.result.verdict).toBe(result.verdict);
}

describe('every kind of real result passes the extension validator', () => {
  it.each([
    ['stapled-good', 'good'],
    ['stapled-unknown', 'unknown'],
    ['stapled-revoked', 'revoked'],
  ] as const)('%s', async (verdict, status) => {
    const result = await checkServing(scenario.leaf, await staple(scenario.leaf, status));
    expect(result.verdict).toBe(verdict);
    expectAccepted(result);
  });

  it('stapled-invalid', async () => {
    const result = await checkServing(scenario.leaf, garbage(120));
    expect(result.verdict).toBe('stapled-invalid');
    expectAccepted(result);
  });

  it('not-stapled, must-staple-violation, no-ocsp', async () => {
    const results = await Promise.all([
      checkServing(scenario.leaf, null),
      checkServing(scenario.mustStapleLeaf, null),
      checkServing(scenario.noOcspLeaf, null),
    ]);
    expect(results.map((r) => r.verdict)).toEqual(['not-stapled', 'must-staple-violation', 'no-ocsp']);
    results.forEach(expectAccepted);
  });

  it('error', async () => {
    const result = await checkSite({ host: '127.0.0.1', port: await closedPort(), timeoutMs: 2000 });
    expect(result.verdict).toBe('error');
    expectAccepted(result);
  });

  it('several addresses, one of them unreachable', async () => {
    const server = await startTlsServer({
      certChainPem: scenario.chainPem(scenario.leaf),
      keyPem: scenario.leaf.keys.privateKeyPem,
      staple: await staple(scenario.leaf, 'good'),
    });
    servers.push(server);
    const result = await checkSite({
      host: 'localhost',
      port: server.port,
      timeoutMs: 10_000,
      lookup: async () => ['127.0.0.3', '127.0.0.1'],
    });
    expect(result.verdict).toBe('stapled-good');
    expect(result.addresses?.map((a) => a.verdict)).toEqual(['error', 'stapled-good']);
    expectAccepted(result);
  });

  it('a server with an ECDSA and an RSA certificate, and its Server header: kept for the popup', async () => {
    const now = new Date();
    const rsaLeaf = await mintLeaf({
      issuer: scenario.intermediate,
      commonName: 'localhost',
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
      notBefore: shift(now, -30 * DAY),
      notAfter: shift(now, 60 * DAY),
      serialNumber: 0x3101n,
      keyType: 'rsa-2048',
    });
    const server = await startDualTlsServer({
      ecdsa: {
        certChainPem: scenario.chainPem(scenario.leaf),
        keyPem: scenario.leaf.keys.privateKeyPem,
        staple: await staple(scenario.leaf, 'good'),
      },
      rsa: { certChainPem: scenario.chainPem(rsaLeaf), keyPem: rsaLeaf.keys.privateKeyPem, staple: null },
    });
    servers.push(server);
    const result = await checkSite({
      host: '127.0.0.1',
      port: server.port,
      servername: 'localhost',
      timeoutMs: 10_000,
    });
    expect(result.certificates?.map((c) => [c.keyType, c.verdict])).toEqual([
      ['ecdsa', 'stapled-good'],
      ['rsa', 'not-stapled'],
    ]);
    expectAccepted(result);
    const parsed = parseResult(JSON.parse(JSON.stringify(result)));
    expect(parsed.ok && parsed.result.certificates?.map((c) => [c.keyType, c.offer, c.verdict])).toEqual([
      ['ecdsa', 'default', 'stapled-good'],
      ['rsa', 'rsa-only', 'not-stapled'],
    ]);
    expect(parsed.ok && parsed.result.server).toBe('NodeDual/1.0');
  });
});
