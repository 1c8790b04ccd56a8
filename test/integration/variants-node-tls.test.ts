// Every certificate a site serves (docs/contract.md §8), against a real Node TLS server holding an
// ECDSA and an RSA certificate, each with its own staple (dual-certificate-servers.ts), and against
// single-certificate servers: what is found, how it is judged, and what it costs in handshakes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSite } from '../../src/probe/check-site.js';
import type { Result } from '../../src/core/result.js';
import { VERDICTS } from '../../src/core/result.js';
import {
  DAY,
  HOUR,
  mintLeaf,
  mintOcspResponse,
  mintScenario,
  shift,
  type MintedCertificate,
  type Scenario,
} from '../support/mint.js';
import { startTlsServer, type RunningServer } from '../support/servers.js';
import { startDualTlsServer } from './dual-certificate-servers.js';

let scenario: Scenario;
let rsaLeaf: MintedCertificate;
const servers: RunningServer[] = [];

async function respond(
  leaf: MintedCertificate,
  status: 'good' | 'unknown' | { revokedAt: Date; reason?: 'keyCompromise' },
): Promise<Uint8Array> {
  const now = new Date();
  return mintOcspResponse({
    responses: [
      {
        certificate: leaf,
        issuer: scenario.intermediate,
        certStatus: status,
        thisUpdate: shift(now, -HOUR),
        nextUpdate: shift(now, 3 * DAY),
      },
    ],
    producedAt: shift(now, -HOUR),
    signer: scenario.intermediate,
  });
}

function check(port: number, timeoutMs = 6000): Promise<Result> {
  return checkSite({ host: '127.0.0.1', port, servername: 'localhost', ca: scenario.root.pem, timeoutMs });
}

beforeAll(async () => {
  scenario = await mintScenario({ now: new Date() });
  const now = new Date();
  // The same name, issuer and responder as scenario.leaf (ECDSA), with an RSA key.
  rsaLeaf = await mintLeaf({
    issuer: scenario.intermediate,
    commonName: 'localhost',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    notBefore: shift(now, -30 * DAY),
    notAfter: shift(now, 60 * DAY),
    serialNumber: 0x3101n,
    keyType: 'rsa-2048',
  });
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

async function dual(ecdsaStaple: Uint8Array | null, rsaStaple: Uint8Array | null) {
  const server = await startDualTlsServer({
    ecdsa: {
      certChainPem: scenario.chainPem(scenario.leaf),
      keyPem: scenario.leaf.keys.privateKeyPem,
      staple: ecdsaStaple,
    },
    rsa: { certChainPem: scenario.chainPem(rsaLeaf), keyPem: rsaLeaf.keys.privateKeyPem, staple: rsaStaple },
  });
  servers.push(server);
  return server;
}

describe('a Node TLS server with an ECDSA and an RSA certificate', () => {
  it('both staples good: both found, both stapled-good, no disagreement, one extra handshake', async () => {
    const server = await dual(await respond(scenario.leaf, 'good'), await respond(rsaLeaf, 'good'));
    const result = await check(server.port);
    expect(result.verdict).toBe('stapled-good');
    expect(result.certificates?.map((c) => [c.keyType, c.offer, c.verdict])).toEqual([
      ['ecdsa', 'default', 'stapled-good'],
      ['rsa', 'rsa-only', 'stapled-good'],
    ]);
    expect(result.certificates?.[1]?.certificate?.serialNumber).toBe('3101');
    expect(result.problems.map((p) => p.code)).not.toContain('variants-disagree');
    expect(result.timing).toMatchObject({ handshakes: 1, variantHandshakes: 1 });
    await new Promise((r) => setTimeout(r, 100));
    expect(server.handshakes()).toEqual({ ecdsa: 1, rsa: 1 });
  });

  it('the RSA staple says revoked: worst on top, each judged, variants-disagree', async () => {
    const server = await dual(
      await respond(scenario.leaf, 'good'),
      await respond(rsaLeaf, { revokedAt: shift(new Date(), -DAY), reason: 'keyCompromise' }),
    );
    const result = await check(server.port);
    expect(result.verdict).toBe('stapled-revoked');
    // The top-level facts are the worst certificate's.
    expect(result.certificate?.serialNumber).toBe('3101');
    expect(result.ocsp?.certStatus).toBe('revoked');
    expect(result.certificates?.map((c) => c.verdict)).toEqual(['stapled-good', 'stapled-revoked']);
    const disagree = result.problems.find((p) => p.code === 'variants-disagree');
    expect(disagree?.severity).toBe('warning');
    expect(disagree?.message).toMatch(/ECDSA → stapled-good, RSA → stapled-revoked/);
    expect(result.certificates?.[0]?.browsers?.firefox).toMatch(/opens/);
    expect(result.certificates?.[1]?.browsers?.firefox).toMatch(/SEC_ERROR_REVOKED_CERTIFICATE/);
    expect(result.browsers?.chromium).toMatch(/NET::ERR_CERT_REVOKED/);
  });

  it('the RSA certificate staples nothing: not-stapled on top after one shared warm-up', async () => {
    const server = await dual(await respond(scenario.leaf, 'good'), null);
    const result = await check(server.port, 4000);
    expect(result.verdict).toBe('not-stapled');
    expect(result.certificates?.map((c) => c.verdict)).toEqual(['stapled-good', 'not-stapled']);
    // Only the certificate without a staple is retried: the ECDSA one needed one handshake.
    expect(result.timing.handshakes).toBe(1);
    expect(result.timing.variantHandshakes).toBeGreaterThan(1);
    expect(result.certificates?.[0]?.handshakes).toBe(1);
  });

  it('both lazy: the retries of both share their pauses (not one warm-up after the other)', async () => {
    let ecdsaCalls = 0;
    let rsaCalls = 0;
    const ecdsaGood = await respond(scenario.leaf, 'good');
    const rsaGood = await respond(rsaLeaf, 'good');
    const server = await startDualTlsServer({
      ecdsa: {
        certChainPem: scenario.chainPem(scenario.leaf),
        keyPem: scenario.leaf.keys.privateKeyPem,
        staple: () => (++ecdsaCalls > 1 ? ecdsaGood : null),
      },
      rsa: {
        certChainPem: scenario.chainPem(rsaLeaf),
        keyPem: rsaLeaf.keys.privateKeyPem,
        staple: () => (++rsaCalls > 1 ? rsaGood : null),
      },
    });
    servers.push(server);
    const started = performance.now();
    const result = await check(server.port, 6000);
    const took = performance.now() - started;
    expect(result.verdict).toBe('stapled-good');
    expect(result.certificates?.map((c) => c.problems.some((p) => p.code === 'warmed-up'))).toEqual([true, true]);
    expect(result.timing).toMatchObject({ handshakes: 2, variantHandshakes: 2 });
    // One pause of about a second serves both, and the probe ran during it.
    expect(took).toBeLessThan(1900);
  });
});

describe('probe "default-offer" (the extension\'s automatic check): the normal offer only', () => {
  it('one handshake: no other key type offered, no Server header asked for, the default certificate judged', async () => {
    const server = await dual(await respond(scenario.leaf, 'good'), await respond(rsaLeaf, 'good'));
    const full = await check(server.port);
    expect(full.server).toBe('NodeDual/1.0');
    expect(full.certificates).toHaveLength(2);
    // The server counts a handshake when it sees it finished, which may be after the client did.
    for (let waited = 0; waited < 3000 && server.handshakes().rsa < 1; waited += 20) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const before = server.handshakes();
    expect(before).toEqual({ ecdsa: 1, rsa: 1 });
    const result = await checkSite({
      host: '127.0.0.1',
      port: server.port,
      servername: 'localhost',
      ca: scenario.root.pem,
      timeoutMs: 6000,
      probe: 'default-offer',
    });
    expect(result.verdict).toBe('stapled-good');
    expect(result.certificate?.serialNumber).toBe(full.certificates?.[0]?.certificate?.serialNumber);
    expect(result.certificates).toBeUndefined();
    expect(result.server).toBeNull();
    expect(result.timing).toMatchObject({ handshakes: 1, variantHandshakes: 0 });
    await new Promise((r) => setTimeout(r, 300));
    const after = server.handshakes();
    expect({ ecdsa: after.ecdsa - before.ecdsa, rsa: after.rsa - before.rsa }).toEqual({ ecdsa: 1, rsa: 0 });
  });

  it('no staple: still one handshake, and the Server header read on it for the fix-it advice', async () => {
    const server = await dual(null, null);
    const result = await checkSite({
      host: '127.0.0.1',
      port: server.port,
      servername: 'localhost',
      ca: scenario.root.pem,
      timeoutMs: 6000,
      probe: 'default-offer',
    });
    expect(result.verdict).toBe('not-stapled');
    expect(result.server).toBe('NodeDual/1.0');
    expect(result.certificates).toBeUndefined();
    // The warm-up retries a server that sent no staple; none of them offers the other key type.
    expect(result.timing?.variantHandshakes).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(server.handshakes().rsa).toBe(0);
  });

  it('a lazy stapler is still warmed up: the verdict does not depend on the mode', async () => {
    let asked = 0;
    const staple = await respond(scenario.leaf, 'good');
    const server = await startTlsServer({
      certChainPem: scenario.chainPem(scenario.leaf),
      keyPem: scenario.leaf.keys.privateKeyPem,
      staple: () => (++asked >= 2 ? staple : null),
    });
    servers.push(server);
    const result = await checkSite({
      host: '127.0.0.1',
      port: server.port,
      servername: 'localhost',
      ca: scenario.root.pem,
      timeoutMs: 6000,
      probe: 'default-offer',
    });
    expect(result.verdict).toBe('stapled-good');
    expect(result.problems.map((p) => p.code)).toContain('warmed-up');
    expect(result.timing).toMatchObject({ handshakes: 2, variantHandshakes: 0 });
  });
});

describe('a single-certificate server costs at most one extra handshake', () => {
  it.each(['TLSv1.2', 'TLSv1.3'] as const)('ECDSA only, over %s: no certificates list, one probe', async (version) => {
    const server = await startTlsServer({
      certChainPem: scenario.chainPem(scenario.leaf),
      keyPem: scenario.leaf.keys.privateKeyPem,
      staple: await respond(scenario.leaf, 'good'),
      maxVersion: version,
      minVersion: version,
    });
    servers.push(server);
    const result = await check(server.port);
    expect(result.verdict).toBe('stapled-good');
    expect(result.certificates).toBeUndefined();
    expect(result.timing).toMatchObject({ handshakes: 1, variantHandshakes: 1 });
    await new Promise((r) => setTimeout(r, 100));
    // The RSA-only offer finds no certificate: the server refuses it, so one handshake completed.
    // (Node asks its OCSPRequest handler before it picks a certificate, so that count says nothing.)
    expect(server.handshakes()).toBe(1);
  });

  it('RSA only: the ECDSA-only offer costs one handshake and finds nothing', async () => {
    const server = await startTlsServer({
      certChainPem: scenario.chainPem(rsaLeaf),
      keyPem: rsaLeaf.keys.privateKeyPem,
      staple: await respond(rsaLeaf, 'good'),
    });
    servers.push(server);
    const result = await check(server.port);
    expect(result.verdict).toBe('stapled-good');
    expect(result.certificates).toBeUndefined();
    expect(result.timing).toMatchObject({ handshakes: 1, variantHandshakes: 1 });
  });

  it('a lazy single-certificate server: warm-up retries only for the normal offer, still one probe', async () => {
    const server = await startTlsServer({
      certChainPem: scenario.chainPem(scenario.leaf),
      keyPem: scenario.leaf.keys.privateKeyPem,
      staple: null,
    });
    servers.push(server);
    const result = await check(server.port, 3500);
    expect(result.verdict).toBe('not-stapled');
    expect(result.timing.handshakes).toBeGreaterThan(1);
    expect(result.timing.variantHandshakes).toBe(1);
  });
});

describe('browser statements', () => {
  it('every verdict has a sentence for each browser', async () => {
    // One real check for the live shape, then every verdict through the same function (unit tests
    // cover the wording case by case).
    const server = await dual(await respond(scenario.leaf, 'good'), await respond(rsaLeaf, 'unknown'));
    const result = await check(server.port);
    expect(result.verdict).toBe('stapled-unknown');
    expect(Object.keys(result.browsers ?? {})).toEqual(['firefox', 'chromium', 'safari']);
    expect(result.browsers?.firefox).toMatch(/SEC_ERROR_OCSP_UNKNOWN_CERT/);
    for (const variant of result.certificates ?? [])
      for (const sentence of Object.values(variant.browsers ?? {})) expect(sentence).toMatch(/\w/);
    expect(VERDICTS.length).toBe(8);
  });

  it('a check that fails still says what browsers do (nothing known)', async () => {
    const result = await checkSite({ host: '127.0.0.1', port: 1, timeoutMs: 1000 });
    expect(result.verdict).toBe('error');
    expect(result.browsers?.firefox).toMatch(/not known/);
  });
});
