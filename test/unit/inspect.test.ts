// inspectResponse (docs/contract.md §3 and §6): a saved response judged offline. Runs every case of
// the committed minted fixtures (test/fixtures/minted/manifest.json) and the input forms.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectResponse } from '../../src/core/inspect.js';
import { isVerdict } from '../../src/core/result.js';
import { webCryptoVerifier } from '../../src/core/signature-verifier.js';
import {
  DAY,
  HOUR,
  garbage,
  mintOcspResponse,
  mintScenario,
  ocspResponsePem,
  shift,
  type Scenario,
} from '../support/mint.js';

const DIR = fileURLToPath(new URL('../fixtures/minted/', import.meta.url));
const NOW = new Date('2026-01-15T12:00:00Z');
const crypto = globalThis.crypto;

interface ManifestCase {
  name: string;
  description: string;
  response: string;
  issuer: string;
  certificate: string | null;
  at: string;
  expect: string;
  problem: string | null;
}

const manifest = JSON.parse(readFileSync(`${DIR}manifest.json`, 'utf8')) as { now: string; cases: ManifestCase[] };

describe('minted fixtures (manifest.json)', () => {
  it('covers every stapled-* verdict', () => {
    const verdicts = new Set(manifest.cases.map((c) => c.expect));
    for (const v of ['stapled-good', 'stapled-revoked', 'stapled-unknown', 'stapled-invalid'])
      expect(verdicts).toContain(v);
    for (const c of manifest.cases) expect(isVerdict(c.expect), c.name).toBe(true);
  });

  it.each(manifest.cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const result = await inspectResponse({
      response: readFileSync(`${DIR}${c.response}`),
      issuer: readFileSync(`${DIR}${c.issuer}`, 'utf8'),
      certificate: c.certificate ? readFileSync(`${DIR}${c.certificate}`, 'utf8') : null,
      at: new Date(c.at),
      crypto,
    });
    const said = result.problems.map((p) => `${p.severity} ${p.code}: ${p.message}`).join('\n');
    expect(result.verdict, `${c.description}\n${said}`).toBe(c.expect);
    if (c.problem)
      expect(
        result.problems.map((p) => p.code),
        said,
      ).toContain(c.problem);
    else
      expect(
        result.problems.filter((p) => p.severity === 'error'),
        said,
      ).toEqual([]);
    expect(result.checkedAt).toBe(c.at);
    expect(result.error).toBeNull();
  });
});

describe('inspectResponse', () => {
  let s: Scenario;
  let good: Uint8Array;

  beforeAll(async () => {
    s = await mintScenario({ now: NOW });
    good = await mintOcspResponse({
      producedAt: shift(NOW, -HOUR),
      signer: s.intermediate,
      responses: [
        { certificate: s.leaf, issuer: s.intermediate, thisUpdate: shift(NOW, -HOUR), nextUpdate: shift(NOW, DAY) },
      ],
    });
  });

  const inspect = (
    response: Uint8Array | string,
    more: { issuer?: Uint8Array | string; certificate?: Uint8Array | string | null } = {},
  ) =>
    inspectResponse({
      response,
      issuer: more.issuer ?? s.intermediate.pem,
      certificate: more.certificate,
      at: NOW,
      crypto,
    });

  it('reads the response as DER, PEM (OCSP RESPONSE) or bare base64, as text or bytes', async () => {
    const base64 = Buffer.from(good).toString('base64');
    for (const form of [good, ocspResponsePem(good), base64, new TextEncoder().encode(`${base64}\n`)]) {
      const result = await inspect(form, { certificate: s.leaf.pem });
      expect(result.verdict).toBe('stapled-good');
      expect(result.ocsp?.sizeBytes).toBe(good.length);
    }
  });

  it('reads the issuer and certificate as PEM or DER', async () => {
    const result = await inspect(good, { issuer: s.intermediate.der, certificate: s.leaf.der });
    expect(result.verdict).toBe('stapled-good');
    expect(result.certificate?.serialNumber).toBe('3001');
    expect(result.chain).toMatchObject({ length: 2, complete: true });
  });

  it('without a certificate: judged against the issuer alone, the serial not checked', async () => {
    const result = await inspect(good);
    expect(result.verdict).toBe('stapled-good');
    expect(result.certificate).toBeNull();
    expect(result.problems.map((p) => p.code)).toEqual(['serial-not-checked']);
    expect(result.chain).toMatchObject({ length: 1, complete: false });
  });

  it('an issuer that is not a certificate is a bad-input error', async () => {
    const result = await inspect(good, { issuer: 'not a certificate' });
    expect(result.verdict).toBe('error');
    expect(result.error?.code).toBe('bad-input');
  });

  it('a certificate that is not a certificate is a bad-input error', async () => {
    const result = await inspect(good, { certificate: garbage(20) });
    expect(result.verdict).toBe('error');
    expect(result.error?.code).toBe('bad-input');
  });

  it('a response that is text but not base64 or PEM is malformed, not an error', async () => {
    for (const text of ['hello, world', '', '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----']) {
      const result = await inspect(text, { certificate: s.leaf.pem });
      expect(result.verdict).toBe('stapled-invalid');
      expect(result.problems.map((p) => p.code)).toContain('malformed');
    }
  });

  it('carries the result fields of docs/contract.md §2', async () => {
    const result = await inspect(good, { certificate: s.leaf.pem });
    expect(result).toMatchObject({
      host: null,
      port: null,
      checkedAt: NOW.toISOString(),
      verdict: 'stapled-good',
      error: null,
      tls: null,
    });
    expect(typeof result.summary).toBe('string');
    expect(typeof result.timing.totalMs).toBe('number');
    expect(result.ocsp?.signer?.type).toBe('issuer');
  });

  it('says which input is not a certificate, in the words of the CLI error', async () => {
    const issuer = await inspect(good, { issuer: 'not a certificate' });
    expect(issuer).toMatchObject({
      verdict: 'error',
      summary: 'The issuer is not an X.509 certificate (DER or PEM).',
      error: { code: 'bad-input', message: 'The issuer is not an X.509 certificate (DER or PEM).' },
      checkedAt: NOW.toISOString(),
    });
    const certificate = await inspect(good, { certificate: 'not a certificate' });
    expect(certificate.error).toEqual({
      code: 'bad-input',
      message: 'The certificate is not an X.509 certificate (DER or PEM).',
    });
    // DER that is no certificate (the response itself given as the issuer) is refused the same way.
    expect((await inspect(good, { issuer: good })).error?.code).toBe('bad-input');
    // PEM of the wrong kind (a response where a certificate belongs) is refused the same way.
    expect((await inspect(good, { issuer: ocspResponsePem(good) })).error?.code).toBe('bad-input');
    expect((await inspect(good, { certificate: ocspResponsePem(good) })).error?.code).toBe('bad-input');
  });

  it('reads certificates labelled TRUSTED CERTIFICATE (OpenSSL -trustout) as well', async () => {
    const trusted = (pem: string) => pem.replaceAll('CERTIFICATE-----', 'TRUSTED CERTIFICATE-----');
    const result = await inspect(good, { issuer: trusted(s.intermediate.pem), certificate: trusted(s.leaf.pem) });
    expect(result.verdict).toBe('stapled-good');
  });

  it('words the summary for a file, with or without the certificate, and describes the chain it had', async () => {
    const withLeaf = await inspect(good, { certificate: s.leaf.pem });
    expect(withLeaf.summary).toBe('This is a valid, fresh OCSP response that says the certificate is good.');
    expect(withLeaf.chain).toEqual({
      length: 2,
      complete: true,
      trusted: false,
      certificates: [expect.objectContaining({ subject: 'O=Staple Check Test, CN=Staple Check Test Intermediate' })],
    });
    const alone = await inspect(good);
    expect(alone.summary).toBe('This is a valid, fresh OCSP response that says the certificate is good.');
    expect(alone.chain).toEqual({
      length: 1,
      complete: false,
      trusted: false,
      certificates: [expect.objectContaining({ subject: 'O=Staple Check Test, CN=Staple Check Test Intermediate' })],
    });
    for (const result of [withLeaf, alone]) {
      expect(result.timing.totalMs).toBeGreaterThanOrEqual(0);
      expect(result.timing.totalMs).toBeLessThan(60_000);
    }
  });

  it('checks signatures with the verifier it is given, with or without the certificate', async () => {
    const calls: string[] = [];
    const refuseAll = {
      verify: (scheme: { name: string }) => {
        calls.push(scheme.name);
        return false;
      },
      digest: webCryptoVerifier(crypto).digest,
    };
    // With the certificate, its own signature fails first: no issuer signed it, so the staple cannot be verified.
    for (const [certificate, code] of [
      [s.leaf.pem, 'issuer-unavailable'],
      [null, 'bad-signature'],
    ] as const) {
      const result = await inspectResponse({
        response: good,
        issuer: s.intermediate.pem,
        certificate,
        at: NOW,
        crypto,
        verifier: refuseAll,
      });
      expect(result.verdict).toBe('stapled-invalid');
      expect(result.problems.map((p) => p.code)).toContain(code);
    }
    expect(calls.length).toBeGreaterThan(0);
  });

  it('bytes that are no response are judged as given: malformed, their own size', async () => {
    const result = await inspect(Uint8Array.of(1, 2, 3, 4, 5));
    expect(result.verdict).toBe('stapled-invalid');
    expect(result.ocsp?.sizeBytes).toBe(5);
    expect(result.problems).toEqual([
      { code: 'malformed', severity: 'error', message: 'The stapled bytes (5 B) are not a DER OCSPResponse.' },
    ]);
  });
});
