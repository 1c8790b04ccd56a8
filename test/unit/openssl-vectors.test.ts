// OpenSSL's own OCSP test vectors (test/fixtures/openssl-ocsp/readme.md says where they come
// from): every case of its recipe, run through `inspect` with the certificate and issuer a TLS
// client would have. OpenSSL agrees with each expected verdict.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inspectResponse } from '../../src/core/inspect.js';
import { isVerdict } from '../../src/core/result.js';

const DIR = fileURLToPath(new URL('../fixtures/openssl-ocsp/', import.meta.url));

interface VectorCase {
  name: string;
  response: string;
  issuer: string;
  certificate: string;
  at: string;
  expect: string;
  why: string;
}

const { cases } = JSON.parse(readFileSync(`${DIR}expected.json`, 'utf8')) as { cases: VectorCase[] };
const read = (file: string) => readFileSync(`${DIR}${file}`, 'utf8');

describe('OpenSSL OCSP test vectors', () => {
  it('has all 54 cases of 80-test_ocsp.t', () => {
    expect(cases).toHaveLength(54);
    for (const c of cases) expect(isVerdict(c.expect), c.name).toBe(true);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const result = await inspectResponse({
      response: read(c.response), // bare base64, as OpenSSL's .ors files are
      issuer: read(c.issuer),
      certificate: read(c.certificate),
      at: new Date(c.at),
      crypto: globalThis.crypto,
    });
    const errors = result.problems.filter((p) => p.severity === 'error').map((p) => `${p.code}: ${p.message}`);
    expect(result.verdict, `${c.why}\n${errors.join('\n')}`).toBe(c.expect);
    if (c.expect === 'stapled-good') expect(errors).toEqual([]);
    else expect(errors.length, 'an invalid staple says why').toBeGreaterThan(0);
  });
});
