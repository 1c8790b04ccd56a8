// checkSite against real Node TLS servers on loopback, stapling freshly minted responses over
// TLS 1.2 and TLS 1.3; plus servers that misbehave.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSite } from '../../src/probe/check-site.js';
import type { Result } from '../../src/core/result.js';
import {
  DAY,
  HOUR,
  garbage,
  mintLeaf,
  mintOcspResponse,
  mintRootCa,
  mintScenario,
  mintUnsuccessfulResponse,
  pemBundle,
  shift,
  type MintedCertificate,
  type Scenario,
} from '../support/mint.js';
import { closedPort, startRawServer, startTlsServer, type RunningServer } from '../support/servers.js';

let scenario: Scenario;
const servers: RunningServer[] = [];

async function respond(
  leaf: MintedCertificate,
  status: 'good' | 'unknown' | { revokedAt: Date; reason?: 'keyCompromise' },
  extra: { thisUpdate?: Date; nextUpdate?: Date | null; signer?: MintedCertificate } = {},
): Promise<Uint8Array> {
  const now = new Date();
  return mintOcspResponse({
    responses: [
      {
        certificate: leaf,
        issuer: scenario.intermediate,
        certStatus: status,
        thisUpdate: extra.thisUpdate ?? shift(now, -HOUR),
        nextUpdate: extra.nextUpdate === undefined ? shift(now, 3 * DAY) : extra.nextUpdate,
      },
    ],
    producedAt: extra.thisUpdate ?? shift(now, -HOUR),
    signer: extra.signer ?? scenario.intermediate,
  });
}

async function serve(
  leaf: MintedCertificate,
  staple: Uint8Array | null,
  version: 'TLSv1.2' | 'TLSv1.3' = 'TLSv1.3',
  chainPem?: string,
) {
  const server = await startTlsServer({
    certChainPem: chainPem ?? scenario.chainPem(leaf),
    keyPem: leaf.keys.privateKeyPem,
    staple,
    maxVersion: version,
    minVersion: version,
  });
  servers.push(server);
  return server;
}

async function check(port: number, timeoutMs = 5000): Promise<Result> {
  return checkSite({ host: '127.0.0.1', port, servername: 'localhost', ca: scenario.root.pem, timeoutMs });
}

function codes(result: Result): string[] {
  return result.problems.map((p) => p.code);
}

beforeAll(async () => {
  scenario = await mintScenario({ now: new Date() });
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

describe.each(['TLSv1.2', 'TLSv1.3'] as const)('a Node TLS server over %s', (version) => {
  it('stapling a good response: stapled-good, with the facts filled in', async () => {
    const server = await serve(scenario.leaf, await respond(scenario.leaf, 'good'), version);
    const result = await check(server.port);
    expect(result.verdict).toBe('stapled-good');
    expect(result.error).toBeNull();
    expect(result.tls?.protocol).toBe(version);
    expect(result.address).toBe('127.0.0.1');
    expect(result.servername).toBe('localhost');
    expect(result.ocsp?.certStatus).toBe('good');
    expect(result.ocsp?.signer?.type).toBe('issuer');
    expect(result.chain).toMatchObject({ length: 3, complete: true, trusted: true });
    expect(result.certificate?.serialNumber).toBe('3001');
    expect(result.timing.handshakes).toBe(1);
    expect(codes(result)).not.toContain('warmed-up');
  });

  it('stapling a revoked response: stapled-revoked with time and reason', async () => {
    const revokedAt = shift(new Date(), -2 * DAY);
    const server = await serve(
      scenario.leaf,
      await respond(scenario.leaf, { revokedAt, reason: 'keyCompromise' }),
      version,
    );
    const result = await check(server.port);
    expect(result.verdict).toBe('stapled-revoked');
    expect(result.ocsp?.revocationReason).toBe('keyCompromise');
    expect(result.ocsp?.revocationTime).toBe(new Date(Math.floor(revokedAt.getTime() / 1000) * 1000).toISOString());
  });

  it('stapling an expired response: stapled-invalid / expired', async () => {
    const staple = await respond(scenario.leaf, 'good', {
      thisUpdate: shift(new Date(), -5 * DAY),
      nextUpdate: shift(new Date(), -DAY),
    });
    const server = await serve(scenario.leaf, staple, version);
    const result = await check(server.port);
    expect(result.verdict).toBe('stapled-invalid');
    expect(codes(result)).toContain('expired');
  });
});

describe('an old server', () => {
  it('speaking only TLS 1.0 still gets its staple judged', async () => {
    const server = await startTlsServer({
      certChainPem: scenario.chainPem(scenario.leaf),
      keyPem: scenario.leaf.keys.privateKeyPem,
      staple: await respond(scenario.leaf, 'good'),
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1',
    });
    servers.push(server);
    const result = await check(server.port);
    expect(result.verdict).toBe('stapled-good');
    expect(result.tls?.protocol).toBe('TLSv1');
  });
});

describe('what a server staples decides the verdict', () => {
  it('unknown status: stapled-unknown', async () => {
    const server = await serve(scenario.leaf, await respond(scenario.leaf, 'unknown'));
    expect((await check(server.port)).verdict).toBe('stapled-unknown');
  });

  it('a delegated responder: stapled-good, signer delegated', async () => {
    const server = await serve(scenario.leaf, await respond(scenario.leaf, 'good', { signer: scenario.responder }));
    const result = await check(server.port);
    expect(result.verdict).toBe('stapled-good');
    expect(result.ocsp?.signer?.type).toBe('delegated');
  });

  it('a response signed by the leaf itself: stapled-invalid / unauthorized-signer', async () => {
    const server = await serve(scenario.leaf, await respond(scenario.leaf, 'good', { signer: scenario.leaf }));
    const result = await check(server.port);
    expect(result.verdict).toBe('stapled-invalid');
    expect(codes(result)).toContain('unauthorized-signer');
  });

  it("another certificate's response: stapled-invalid / cert-id-mismatch, never unknown", async () => {
    const server = await serve(scenario.leaf, await respond(scenario.noOcspLeaf, 'good'));
    const result = await check(server.port);
    expect(result.verdict).toBe('stapled-invalid');
    expect(codes(result)).toContain('cert-id-mismatch');
  });

  it('garbage stapled: stapled-invalid / malformed', async () => {
    const server = await serve(scenario.leaf, garbage(300));
    const result = await check(server.port);
    expect(result.verdict).toBe('stapled-invalid');
    expect(codes(result)).toContain('malformed');
  });

  it('a huge garbage staple does not crash anything', async () => {
    const server = await serve(scenario.leaf, garbage(60_000));
    const result = await check(server.port);
    expect(result.verdict).toBe('stapled-invalid');
  });

  it('tryLater stapled: stapled-invalid / unsuccessful-response', async () => {
    const server = await serve(scenario.leaf, mintUnsuccessfulResponse('tryLater'));
    const result = await check(server.port);
    expect(result.verdict).toBe('stapled-invalid');
    expect(codes(result)).toContain('unsuccessful-response');
  });

  it('Must-Staple with a bad staple: must-staple-violation', async () => {
    const server = await serve(scenario.mustStapleLeaf, garbage(100));
    const result = await check(server.port);
    expect(result.verdict).toBe('must-staple-violation');
    expect(result.certificate?.mustStaple).toBe(true);
  });

  it('the intermediate not sent: the issuer cannot be found, never green', async () => {
    const server = await serve(
      scenario.leaf,
      await respond(scenario.leaf, 'good'),
      'TLSv1.3',
      pemBundle([scenario.leaf]),
    );
    const result = await check(server.port);
    expect(result.verdict).toBe('stapled-invalid');
    expect(codes(result)).toEqual(expect.arrayContaining(['issuer-unavailable', 'incomplete-chain']));
    expect(result.chain?.complete).toBe(false);
  });

  it('an untrusted chain still gets its staple judged, with a warning', async () => {
    const server = await serve(scenario.leaf, await respond(scenario.leaf, 'good'));
    const result = await checkSite({ host: '127.0.0.1', port: server.port, servername: 'localhost', timeoutMs: 5000 });
    expect(result.verdict).toBe('stapled-good');
    expect(result.chain?.trusted).toBe(false);
    expect(codes(result)).toContain('untrusted-chain');
    // Leaf + intermediate is all a server should send: a private root is untrusted, not missing.
    expect(result.chain?.complete).toBe(true);
    expect(codes(result)).not.toContain('incomplete-chain');
    expect(result.problems.find((p) => p.code === 'untrusted-chain')?.severity).toBe('warning');
  });

  it('a page the browser already loaded: the untrusted chain is a note, the verdict the same', async () => {
    const server = await serve(scenario.leaf, await respond(scenario.leaf, 'good'));
    const options = { host: '127.0.0.1', port: server.port, servername: 'localhost', timeoutMs: 5000 };
    const result = await checkSite({ ...options, pageLoaded: true });
    expect(result.verdict).toBe('stapled-good');
    expect(result.chain?.trusted).toBe(false);
    const untrusted = result.problems.find((p) => p.code === 'untrusted-chain');
    expect(untrusted?.severity).toBe('info');
    expect(untrusted?.message).toMatch(/The browser loaded this page/);
    expect(result.problems.filter((p) => p.severity !== 'info')).toEqual([]);
  });

  it('a name the certificate does not cover: hostname-mismatch warning', async () => {
    const server = await serve(scenario.leaf, await respond(scenario.leaf, 'good'));
    const result = await checkSite({
      host: '127.0.0.1',
      port: server.port,
      servername: 'www.example.test',
      ca: scenario.root.pem,
      timeoutMs: 5000,
    });
    expect(codes(result)).toContain('hostname-mismatch');
  });

  // A resumed session carries no staple: Node reports null over TLS 1.3 and nothing over TLS 1.2.
  // The probe never offers a session, so back-to-back checks each get a full handshake and a staple.
  it.each(['TLSv1.2', 'TLSv1.3'] as const)(
    'every handshake is a full one over %s: each check gets a staple',
    async (version) => {
      const server = await serve(scenario.leaf, await respond(scenario.leaf, 'good'), version);
      for (let i = 0; i < 3; i++) expect((await check(server.port)).verdict).toBe('stapled-good');
      // Node asks for the staple on full handshakes only: three checks, three requests, plus one per
      // check for the RSA-only offer (docs/contract.md §8), which Node asks about before it finds it
      // has no RSA certificate and refuses the handshake.
      expect(server.stapleRequests()).toBe(6);
      await new Promise((r) => setTimeout(r, 100)); // the server finishes its side of the last one
      expect(server.handshakes()).toBe(3);
      expect(server.resumed()).toBe(0);
    },
  );
});

describe('no staple', () => {
  it('an OCSP URL but no staple: not-stapled after warm-up retries', async () => {
    const server = await serve(scenario.leaf, null);
    const result = await check(server.port, 3500);
    expect(result.verdict).toBe('not-stapled');
    expect(result.ocsp).toBeNull();
    expect(result.timing.handshakes).toBeGreaterThan(1);
  });

  it('a staple that comes only on a later handshake: stapled-good with warmed-up', async () => {
    const good = await respond(scenario.leaf, 'good');
    let calls = 0;
    const server = await startTlsServer({
      certChainPem: scenario.chainPem(scenario.leaf),
      keyPem: scenario.leaf.keys.privateKeyPem,
      staple: () => (++calls > 1 ? good : null),
    });
    servers.push(server);
    const result = await check(server.port, 5000);
    expect(result.verdict).toBe('stapled-good');
    expect(codes(result)).toContain('warmed-up');
    expect(result.timing.handshakes).toBe(2);
  });

  it('Must-Staple and no staple: must-staple-violation', async () => {
    const server = await serve(scenario.mustStapleLeaf, null);
    expect((await check(server.port, 2500)).verdict).toBe('must-staple-violation');
  });

  it('no OCSP URL and no staple: no-ocsp, without retries', async () => {
    const server = await serve(scenario.noOcspLeaf, null);
    const result = await check(server.port);
    expect(result.verdict).toBe('no-ocsp');
    expect(result.timing.handshakes).toBe(1);
  });

  it('a self-signed certificate without OCSP: no-ocsp', async () => {
    const now = new Date();
    const root = await mintRootCa({ commonName: 'selfie', notBefore: shift(now, -DAY), notAfter: shift(now, DAY) });
    const leaf = await mintLeaf({
      issuer: root,
      commonName: 'localhost',
      ocspUrl: null,
      notBefore: shift(now, -DAY),
      notAfter: shift(now, DAY),
    });
    const server = await startTlsServer({ certChainPem: leaf.pem, keyPem: leaf.keys.privateKeyPem, staple: null });
    servers.push(server);
    expect((await check(server.port)).verdict).toBe('no-ocsp');
  });
});

describe('errors', () => {
  it('a closed port: error / refused', async () => {
    const result = await check(await closedPort());
    expect(result.verdict).toBe('error');
    expect(result.error?.code).toBe('refused');
  });

  it('a plain HTTP server: error / not-tls', async () => {
    const server = await startRawServer('http');
    servers.push(server);
    const result = await check(server.port);
    expect(result.verdict).toBe('error');
    expect(result.error?.code).toBe('not-tls');
  });

  it('a silent server: error / timeout within the budget', async () => {
    const server = await startRawServer('silent');
    servers.push(server);
    const started = Date.now();
    const result = await check(server.port, 700);
    expect(result.error?.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a server that hangs up: error / tls-handshake', async () => {
    const server = await startRawServer('hang-up');
    servers.push(server);
    const result = await check(server.port);
    expect(result.verdict).toBe('error');
    expect(result.error?.code).toBe('tls-handshake');
  });

  it('a name that does not resolve: error / dns', async () => {
    const result = await checkSite({
      host: 'no-such-host.test',
      port: 443,
      timeoutMs: 2000,
      lookup: () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })),
    });
    expect(result.error?.code).toBe('dns');
  });

  it('a bad host or port: error / bad-request', async () => {
    expect((await checkSite({ host: 'bad host', port: 443 })).error?.code).toBe('bad-request');
    expect((await checkSite({ host: 'localhost', port: 70000 })).error?.code).toBe('bad-request');
  });
});

describe('every address of a name (docs/contract.md §7)', () => {
  async function serveOn(host: string, port: number, staple: Uint8Array) {
    const server = await startTlsServer({
      certChainPem: scenario.chainPem(scenario.leaf),
      keyPem: scenario.leaf.keys.privateKeyPem,
      staple,
      host,
      port,
    });
    servers.push(server);
    return server;
  }

  it('backends that disagree: the worst verdict, per-address results, backends-disagree', async () => {
    const good = await serve(scenario.leaf, await respond(scenario.leaf, 'good'));
    await serveOn('127.0.0.2', good.port, await respond(scenario.leaf, { revokedAt: shift(new Date(), -DAY) }));
    const result = await checkSite({
      host: 'site.test',
      port: good.port,
      ca: scenario.root.pem,
      servername: 'localhost',
      timeoutMs: 5000,
      lookup: async () => ['127.0.0.1', '127.0.0.2'],
    });
    expect(result.verdict).toBe('stapled-revoked');
    expect(result.address).toBe('127.0.0.2');
    expect(result.addresses?.map((a) => [a.address, a.verdict])).toEqual([
      ['127.0.0.1', 'stapled-good'],
      ['127.0.0.2', 'stapled-revoked'],
    ]);
    expect(codes(result)).toContain('backends-disagree');
  });

  it('an address that does not answer is a warning while another answers', async () => {
    const good = await serve(scenario.leaf, await respond(scenario.leaf, 'good'));
    const result = await checkSite({
      host: 'site.test',
      port: good.port,
      ca: scenario.root.pem,
      servername: 'localhost',
      timeoutMs: 5000,
      lookup: async () => ['127.0.0.1', '127.0.0.3'],
    });
    expect(result.verdict).toBe('stapled-good');
    expect(result.addresses).toHaveLength(2);
    expect(codes(result)).toContain('address-failed');
  });

  it('--address checks one address only', async () => {
    const good = await serve(scenario.leaf, await respond(scenario.leaf, 'good'));
    const result = await checkSite({
      host: 'site.test',
      port: good.port,
      address: '127.0.0.1',
      ca: scenario.root.pem,
      servername: 'localhost',
      lookup: async () => {
        throw new Error('must not resolve');
      },
    });
    expect(result.verdict).toBe('stapled-good');
    expect(result.addresses).toBeUndefined();
  });
});
