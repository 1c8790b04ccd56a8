// Results as the host sends them, one per verdict, for the extension's unit tests. Built by hand
// from docs/contract.md §2 (not by the engine), with a fixed clock.
import type { Problem, Result, Verdict } from '../../src/core/result.js';
import { VERDICTS } from '../../src/core/result.js';

export const NOW = new Date('2026-11-24T10:00:00.000Z');
const HOUR = 3600_000;
const DAY = 24 * HOUR;

function iso(offsetMs: number): string {
  return new Date(NOW.getTime() + offsetMs).toISOString();
}

function base(verdict: Verdict): Result {
  return {
    host: 'example.com',
    port: 443,
    servername: 'example.com',
    address: '203.0.113.7',
    checkedAt: iso(-1000),
    verdict,
    summary: `summary for ${verdict}`,
    problems: [],
    tls: { protocol: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256' },
    certificate: {
      subject: 'CN=example.com',
      issuer: 'O=Example CA, CN=Example Issuing CA 1',
      serialNumber: '0a1b2c',
      notBefore: iso(-30 * DAY),
      notAfter: iso(60 * DAY),
      subjectAltNames: ['example.com', 'www.example.com'],
      mustStaple: false,
      ocspUrls: ['http://ocsp.example.com/'],
      sha256: 'ab'.repeat(32),
    },
    chain: { length: 2, complete: true, trusted: true },
    ocsp: null,
    timing: { totalMs: 123.4, handshakes: 1 },
    error: null,
  };
}

function staple(certStatus: 'good' | 'revoked' | 'unknown', nextUpdateMs = 3 * DAY): NonNullable<Result['ocsp']> {
  return {
    responseStatus: 'successful',
    certStatus,
    producedAt: iso(-2 * HOUR),
    thisUpdate: iso(-2 * HOUR),
    nextUpdate: iso(nextUpdateMs),
    revocationTime: certStatus === 'revoked' ? iso(-5 * DAY) : null,
    revocationReason: certStatus === 'revoked' ? 'keyCompromise' : null,
    signer: { type: 'issuer', subject: 'O=Example CA, CN=Example Issuing CA 1' },
    sizeBytes: 471,
  };
}

const problem = (code: Problem['code'], severity: Problem['severity'], message: string): Problem => ({
  code,
  severity,
  message,
});

/** A plausible result for each verdict. */
export function sampleResult(verdict: Verdict): Result {
  const r = base(verdict);
  switch (verdict) {
    case 'stapled-good':
      r.ocsp = staple('good');
      break;
    case 'stapled-revoked':
      r.ocsp = staple('revoked');
      break;
    case 'stapled-unknown':
      r.ocsp = staple('unknown');
      break;
    case 'stapled-invalid':
      r.ocsp = { ...staple('good', -HOUR) };
      r.problems = [problem('expired', 'error', 'The staple expired 1 h ago.')];
      break;
    case 'not-stapled':
      break;
    case 'no-ocsp':
      r.certificate = { ...r.certificate!, ocspUrls: [] };
      break;
    case 'must-staple-violation':
      r.certificate = { ...r.certificate!, mustStaple: true };
      r.problems = [problem('must-staple', 'info', 'The certificate is Must-Staple (RFC 7633).')];
      break;
    case 'error':
      r.address = null;
      r.tls = null;
      r.certificate = null;
      r.chain = null;
      r.error = { code: 'refused', message: 'connect ECONNREFUSED 203.0.113.7:443' };
      break;
  }
  return r;
}

export const ALL_VERDICTS: readonly Verdict[] = VERDICTS;

/** The same result as JSON-parsed data (what crosses the native port). */
export function asWire(result: Result): unknown {
  return JSON.parse(JSON.stringify(result)) as unknown;
}
