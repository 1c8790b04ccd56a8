// Issue 8 item 5: a check started by navigation must not be turned inward by a DNS answer that mixes
// public and internal addresses (DNS rebinding). With `addressPolicy: "skip-internal-if-public"`,
// checkSite drops the loopback, link-local, private and reserved answers BEFORE any connection when
// at least one public answer exists, and says so (`internal-addresses-skipped`); a name with only
// internal answers (an intranet site, localhost development) is still checked; the default (the CLI,
// the library) checks every address.
//
// The resolver and the connector are injected: the connector records every address checkSite asks
// it to dial and hands back a socket to ONE loopback TLS server instead, so no public, private or
// link-local address is ever dialled by this test — only 127.0.0.1, by the connector itself.
import { connect as netConnect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src/core/result.js';
import { addressKind } from '../../src/probe/address-policy.js';
import { checkSite, type CheckSiteOptions } from '../../src/probe/check-site.js';
import { HOUR, DAY, mintOcspResponse, mintScenario, shift, type Scenario } from '../support/mint.js';
import { startTlsServer, type RunningServer } from '../support/servers.js';

let site: RunningServer & { handshakes: () => number };
let scenario: Scenario;

beforeAll(async () => {
  const now = new Date();
  scenario = await mintScenario({ now, dnsNames: ['rebind.staplecheck.test', 'localhost'] });
  const staple = await mintOcspResponse({
    responses: [
      {
        certificate: scenario.leaf,
        issuer: scenario.intermediate,
        thisUpdate: shift(now, -HOUR),
        nextUpdate: shift(now, 3 * DAY),
      },
    ],
    producedAt: shift(now, -HOUR),
    signer: scenario.intermediate,
  });
  site = await startTlsServer({
    certChainPem: scenario.chainPem(scenario.leaf),
    keyPem: scenario.leaf.keys.privateKeyPem,
    staple,
  });
});

afterAll(async () => {
  await site?.stop();
});

/** Every address checkSite asked to dial, in order; each is served by the loopback site, never dialled. */
function recordingConnector(): { dialled: string[]; connect: NonNullable<CheckSiteOptions['connect']> } {
  const dialled: string[] = [];
  return {
    dialled,
    connect: ({ address }) => {
      dialled.push(address);
      return netConnect({ host: '127.0.0.1', port: site.port });
    },
  };
}

async function check(
  answers: string[],
  extra: Partial<CheckSiteOptions> = {},
): Promise<{ result: Result; dialled: string[]; lookups: number }> {
  const connector = recordingConnector();
  let lookups = 0;
  const result = await checkSite({
    host: 'rebind.staplecheck.test',
    port: 443,
    ca: scenario.root.pem,
    timeoutMs: 8_000,
    lookup: async () => {
      lookups++;
      return answers;
    },
    connect: connector.connect,
    ...extra,
  });
  return { result, dialled: connector.dialled, lookups };
}

const skippedNote = (result: Result) => result.problems.find((p) => p.code === 'internal-addresses-skipped');

describe('the address classifier, for this policy', () => {
  it('treats the documentation ranges (RFC 5737 TEST-NET-3, RFC 3849) as public: they stand for public addresses', () => {
    // They never route on the Internet, so treating them as public cannot turn a check inward, and
    // the contract's examples (docs/contract.md §2) use 203.0.113.7 as a public site's address.
    expect(addressKind('203.0.113.7')).toBe('public');
    expect(addressKind('2001:db8::7')).toBe('public');
    expect(['10.0.0.5', '127.0.0.1', '169.254.169.254', 'fe80::1', '::ffff:127.0.0.1'].map(addressKind)).toEqual([
      'private',
      'loopback',
      'link-local',
      'link-local',
      'loopback',
    ]);
  });
});

describe('addressPolicy "skip-internal-if-public" (checks started by navigation)', () => {
  it('dials only the public answer of [203.0.113.7, 10.0.0.5, 127.0.0.1] and says two were skipped', async () => {
    const { result, dialled } = await check(['203.0.113.7', '10.0.0.5', '127.0.0.1'], {
      addressPolicy: 'skip-internal-if-public',
    });
    expect(new Set(dialled)).toEqual(new Set(['203.0.113.7']));
    expect(result.verdict).toBe('stapled-good');
    expect(result.address).toBe('203.0.113.7');
    expect(result.addresses).toBeUndefined();
    const note = skippedNote(result);
    expect(note?.severity).toBe('info');
    expect(note?.message).toMatch(/^2 of 3 addresses/);
    expect(note?.message).toContain('10.0.0.5 (private)');
    expect(note?.message).toContain('127.0.0.1 (loopback)');
  });

  it('refuses before any connection: the internal answers never reach the connector, whatever their form', async () => {
    const internal = ['::1', '::ffff:127.0.0.1', '0.0.0.0', '169.254.169.254', 'fe80::1', '192.168.1.1', 'fd12::1'];
    const { result, dialled } = await check([...internal, '2606:4700::1111', '198.51.100.9'], {
      addressPolicy: 'skip-internal-if-public',
    });
    expect(dialled.some((address) => addressKind(address) !== 'public')).toBe(false);
    expect(new Set(dialled)).toEqual(new Set(['2606:4700::1111', '198.51.100.9']));
    expect(result.addresses?.map((a) => a.address)).toEqual(['2606:4700::1111', '198.51.100.9']);
    expect(skippedNote(result)?.message).toMatch(/^7 of 9 addresses/);
  });

  it('applies before the cap on addresses: eight internal answers cannot push the public one out', async () => {
    const internal = Array.from({ length: 8 }, (_, i) => `10.0.0.${i + 1}`);
    const { result, dialled } = await check([...internal, '203.0.113.7'], { addressPolicy: 'skip-internal-if-public' });
    expect(new Set(dialled)).toEqual(new Set(['203.0.113.7']));
    expect(result.verdict).toBe('stapled-good');
    expect(skippedNote(result)?.message).toMatch(/^8 of 9 addresses/);
  });

  it('still checks a name that resolves only to internal addresses (an intranet site, localhost development)', async () => {
    const { result, dialled } = await check(['10.0.0.5', '127.0.0.1'], { addressPolicy: 'skip-internal-if-public' });
    expect(new Set(dialled)).toEqual(new Set(['10.0.0.5', '127.0.0.1']));
    expect(result.verdict).toBe('stapled-good');
    expect(skippedNote(result)).toBeUndefined();
  });

  it('changes nothing for a name with public answers only', async () => {
    const { result, dialled } = await check(['203.0.113.7'], { addressPolicy: 'skip-internal-if-public' });
    expect(new Set(dialled)).toEqual(new Set(['203.0.113.7']));
    expect(skippedNote(result)).toBeUndefined();
  });
});

describe('the default, "all" (the CLI, the library)', () => {
  it('checks every address of a mixed answer, as documented (docs/contract.md §7)', async () => {
    for (const extra of [{}, { addressPolicy: 'all' as const }]) {
      const { result, dialled } = await check(['203.0.113.7', '10.0.0.5', '127.0.0.1'], extra);
      expect(new Set(dialled)).toEqual(new Set(['203.0.113.7', '10.0.0.5', '127.0.0.1']));
      expect(result.addresses?.map((a) => a.address)).toEqual(['203.0.113.7', '10.0.0.5', '127.0.0.1']);
      expect(skippedNote(result)).toBeUndefined();
    }
  });
});

describe('an unknown policy', () => {
  it.each([['public-first'], ['ALL'], [true], [1]])(
    'is a bad-request result, decided before any look-up or connection: %j',
    async (policy) => {
      const { result, dialled, lookups } = await check(['203.0.113.7'], {
        addressPolicy: policy as CheckSiteOptions['addressPolicy'],
      });
      expect(result.verdict).toBe('error');
      expect(result.error?.code).toBe('bad-request');
      expect(result.error?.message).toMatch(/^addressPolicy must be "all" or "skip-internal-if-public"\.$/);
      expect(lookups).toBe(0);
      expect(dialled).toEqual([]);
    },
  );
});
