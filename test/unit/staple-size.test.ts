// A hostile server may staple megabytes (TLS 1.2 allows a 16 MiB CertificateStatus): it is refused
// before any parsing, quickly, and never throws.
import { describe, expect, it } from 'vitest';
import { MAX_RESPONSE_BYTES, verifyStaple } from '../../src/core/verify-staple.js';
import { garbage } from '../../src/pki/mint.js';

describe('an oversized staple', () => {
  it('is malformed, unparsed', async () => {
    const huge = new Uint8Array(4 * 1024 * 1024);
    huge.set(garbage(64));
    huge[0] = 0x30; // looks like a SEQUENCE, to tempt a parser
    const started = performance.now();
    const assessment = await verifyStaple({
      response: huge,
      issuer: null,
      certificate: null,
      at: new Date(),
      crypto: globalThis.crypto,
    });
    expect(assessment.trustworthy).toBe(false);
    expect(assessment.problems.map((p) => p.code)).toEqual(['malformed']);
    expect(assessment.problems[0]?.message).toMatch(/no OCSP response is that large/);
    expect(assessment.ocsp.sizeBytes).toBe(huge.length);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('up to the limit is parsed as usual', async () => {
    const assessment = await verifyStaple({
      response: garbage(MAX_RESPONSE_BYTES),
      issuer: null,
      certificate: null,
      at: new Date(),
      crypto: globalThis.crypto,
    });
    expect(assessment.problems[0]?.message).toMatch(/not a DER OCSPResponse/);
  });
});
