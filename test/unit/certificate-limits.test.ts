// The certificate limits (src/core/certificate-limits.ts): a leaf built to be costly to parse is
// refused before pkijs sees it, with a sentence saying which limit; real-sized leaves are not.
import * as asn1js from 'asn1js';
import { beforeAll, describe, expect, it } from 'vitest';
import { certificateParseFailure, parseCertificate } from '../../src/core/certificate.js';
import { CERTIFICATE_LIMITS, certificateLimitBreach } from '../../src/core/certificate-limits.js';
import { judgeStapling } from '../../src/core/judge.js';
import { DAY, garbage, mintLeaf, mintScenario, shift, type MintedCertificate, type Scenario } from '../support/mint.js';

const NOW = new Date('2026-01-15T12:00:00Z');

let s: Scenario;
const leafWith = (more: Partial<Parameters<typeof mintLeaf>[0]>): Promise<MintedCertificate> =>
  mintLeaf({
    issuer: s.intermediate,
    commonName: 'x.test',
    notBefore: shift(NOW, -DAY),
    notAfter: shift(NOW, 30 * DAY),
    ...more,
  });
const privateExtensions = (count: number) =>
  Array.from({ length: count }, (_, i) => ({
    oid: `1.3.6.1.4.1.55555.1.${i + 1}`,
    der: new Uint8Array(new asn1js.Utf8String({ value: `extension ${i + 1}` }).toBER(false)),
  }));

beforeAll(async () => {
  s = await mintScenario({ now: NOW });
});

describe('certificate limits', () => {
  it('let real-sized certificates by: the scenario chain, a leaf with 250 names', async () => {
    for (const cert of [s.leaf, s.intermediate, s.root]) expect(certificateLimitBreach(cert.der)).toBeNull();
    const manyNames = await leafWith({ dnsNames: Array.from({ length: 250 }, (_, i) => `host-${i}.example.com`) });
    expect(certificateLimitBreach(manyNames.der)).toBeNull();
    expect(parseCertificate(manyNames.der)).not.toBeNull();
  });

  it('leave bytes that are no DER to the parse itself', () => {
    expect(certificateLimitBreach(garbage(100))).toBeNull();
    expect(certificateParseFailure(garbage(100))).toBe('The certificate does not parse as X.509.');
  });

  it(`parse ${CERTIFICATE_LIMITS.maxExtensions} extensions and refuse one more`, async () => {
    const standard = s.leaf.cert.extensions?.length ?? 0; // SAN, key usage, AIA, ...
    const room = CERTIFICATE_LIMITS.maxExtensions - standard;
    const atLimit = await leafWith({ extraExtensions: privateExtensions(room) });
    const over = await leafWith({ extraExtensions: privateExtensions(room + 1) });
    expect(atLimit.cert.extensions).toHaveLength(CERTIFICATE_LIMITS.maxExtensions);
    expect(parseCertificate(atLimit.der)).not.toBeNull();
    expect(parseCertificate(over.der)).toBeNull();
    expect(certificateParseFailure(over.der)).toMatch(/has 513 extensions, more than the 512/);
  });

  it('refuse a leaf whose extensions hold more elements than the limit (a name list built to cost)', async () => {
    const names = Array.from({ length: CERTIFICATE_LIMITS.maxElements }, (_, i) => `${i}.x`);
    const crowded = await leafWith({ dnsNames: names });
    expect(crowded.der.length).toBeLessThan(CERTIFICATE_LIMITS.maxBytes);
    expect(parseCertificate(crowded.der)).toBeNull();
    expect(certificateParseFailure(crowded.der)).toMatch(/holds \d+ DER elements, more than the 4096/);
  });

  it(`refuse a certificate over ${CERTIFICATE_LIMITS.maxBytes} bytes`, async () => {
    const value = new Uint8Array(new asn1js.OctetString({ valueHex: new Uint8Array(70_000) }).toBER(false));
    const large = await leafWith({ extraExtensions: [{ oid: '1.3.6.1.4.1.55555.2', der: value }] });
    expect(parseCertificate(large.der)).toBeNull();
    expect(certificateParseFailure(large.der)).toMatch(/is \d+ bytes, more than the 65536/);
  });

  it('make the judgement malformed, never green, and say which limit', async () => {
    const over = await leafWith({ extraExtensions: privateExtensions(CERTIFICATE_LIMITS.maxExtensions) });
    const judgement = await judgeStapling({
      leaf: over.der,
      issuerCandidates: [s.intermediate.der],
      staple: garbage(10),
      at: NOW,
      crypto: globalThis.crypto,
    });
    expect(judgement.verdict).toBe('stapled-invalid');
    expect(judgement.problems).toEqual([
      { code: 'malformed', severity: 'error', message: expect.stringMatching(/extensions, more than the 512/) },
    ]);
  });
});
