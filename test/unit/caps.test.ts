// The resource caps that bound what a hostile server can make us do: how many certificates in a
// response are tried as signers, how many addresses of a name get a handshake, how deep DER may
// nest. Each is probed on both sides of its edge.
import { beforeAll, describe, expect, it } from 'vitest';
import { checkSite, verifyStaple } from '../../src/index.js';
import {
  DAY,
  HOUR,
  mintOcspResponse,
  mintScenario,
  shift,
  type MintedCertificate,
  type Scenario,
} from '../support/mint.js';
import { closedPort } from '../support/servers.js';

const NOW = new Date('2026-06-01T12:00:00Z');
let s: Scenario;

beforeAll(async () => {
  s = await mintScenario({ now: NOW });
});

function verify(response: Uint8Array) {
  return verifyStaple({
    response,
    issuer: s.intermediate.cert,
    certificate: s.leaf.cert,
    at: NOW,
    crypto: globalThis.crypto,
  });
}

describe('signer candidates: the issuer and the first 8 certificates of the response', () => {
  /** A response from the delegated responder whose certificate comes after `before` others. */
  function respondAfter(before: number) {
    const others: MintedCertificate[] = Array.from(
      { length: before },
      (_, i) => [s.leaf, s.mustStapleLeaf, s.noOcspLeaf, s.root][i % 4] as MintedCertificate,
    );
    return mintOcspResponse({
      responses: [
        { certificate: s.leaf, issuer: s.intermediate, thisUpdate: shift(NOW, -HOUR), nextUpdate: shift(NOW, DAY) },
      ],
      producedAt: shift(NOW, -HOUR),
      signer: s.responder,
      certificates: [...others, s.responder],
    });
  }

  it.each<[number, boolean]>([
    [0, true],
    [7, true],
    [8, false],
    [20, false],
  ])('the responder after %i other certificates: trustworthy %s', async (before, trustworthy) => {
    const assessment = await verify(await respondAfter(before));
    expect(assessment.trustworthy).toBe(trustworthy);
    if (!trustworthy) expect(assessment.problems.map((p) => p.code)).toEqual(['unauthorized-signer']);
  });
});

describe('DER nesting depth', () => {
  /** A staple that is `levels` SEQUENCEs deep: malformed, refused without a stack overflow. */
  function nested(levels: number): Uint8Array {
    let inner = [0x05, 0x00];
    for (let i = 0; i < levels; i++) {
      const n = inner.length;
      const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
      inner = [0x30, ...length, ...inner];
    }
    return Uint8Array.from(inner);
  }

  it.each([65, 2000])('%i levels: malformed, not thrown', async (levels) => {
    const assessment = await verify(nested(levels));
    expect(assessment.trustworthy).toBe(false);
    expect(assessment.problems.map((p) => p.code)).toEqual(['malformed']);
  });
});

describe('addresses per name: at most 8 handshakes', () => {
  let port: number;
  beforeAll(async () => {
    // Nothing listens: every address refuses at once (loopback only, 127.0.0.0/8).
    port = await closedPort();
  });

  it('checks the first 8 distinct addresses the resolver gives, in its order', async () => {
    const given = ['127.0.0.1', '127.0.0.1', ...Array.from({ length: 18 }, (_, i) => `127.0.0.${i + 2}`)];
    const asked: string[] = [];
    const result = await checkSite({
      host: 'many.staplecheck.test',
      port,
      timeoutMs: 5000,
      lookup: async (host) => {
        asked.push(host);
        return given;
      },
    });
    expect(asked).toEqual(['many.staplecheck.test']);
    expect(result.verdict).toBe('error');
    expect(result.addresses?.map((a) => a.address)).toEqual([
      '127.0.0.1',
      '127.0.0.2',
      '127.0.0.3',
      '127.0.0.4',
      '127.0.0.5',
      '127.0.0.6',
      '127.0.0.7',
      '127.0.0.8',
    ]);
    expect(result.timing.handshakes).toBe(8);
  });

  it('a resolver that gives no address: a dns error', async () => {
    const result = await checkSite({ host: 'none.staplecheck.test', port, timeoutMs: 2000, lookup: async () => [] });
    expect(result.verdict).toBe('error');
    expect(result.error?.code).toBe('dns');
  });
});
