// The node:crypto verifier the shells pass and the WebCrypto one must answer alike: the OpenSSL
// vectors and every bit flip of a good response (ECDSA and RSA, issuer and delegated signers) give
// the same verdict through either, and a key of the wrong kind never verifies.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectResponse } from '../../src/core/inspect.js';
import { webCryptoVerifier } from '../../src/core/signature-verifier.js';
import { signatureSchemeOf } from '../../src/core/signatures.js';
import { certificateFacts } from '../../src/core/certificate.js';
import { verifyStaple } from '../../src/core/verify-staple.js';
import { nodeSignatureVerifier } from '../../src/probe/node-verifier.js';
import { DAY, HOUR, mintOcspResponse, mintScenario, shift, type Scenario } from '../support/mint.js';

const DIR = fileURLToPath(new URL('../fixtures/openssl-ocsp/', import.meta.url));
const read = (file: string) => readFileSync(`${DIR}${file}`, 'utf8');
const { cases } = JSON.parse(readFileSync(`${DIR}expected.json`, 'utf8')) as {
  cases: { name: string; response: string; issuer: string; certificate: string; at: string; expect: string }[];
};
const now = new Date('2026-03-01T12:00:00Z');
const node = nodeSignatureVerifier();
const web = webCryptoVerifier(globalThis.crypto);

describe('OpenSSL vectors through the node:crypto verifier', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const input = {
      response: read(c.response),
      issuer: read(c.issuer),
      certificate: read(c.certificate),
      at: new Date(c.at),
      crypto: globalThis.crypto,
    };
    const [byNode, byWeb] = await Promise.all([
      inspectResponse({ ...input, verifier: node }),
      inspectResponse({ ...input, verifier: web }),
    ]);
    expect(byNode.verdict).toBe(c.expect);
    expect(byNode.problems).toEqual(byWeb.problems);
  });
});

describe('bit flips through both verifiers', () => {
  let ecdsa: Scenario;
  let rsa: Scenario;
  beforeAll(async () => {
    ecdsa = await mintScenario({ now });
    rsa = await mintScenario({ now, keyType: 'rsa-2048' });
  });

  it.each([
    ['ECDSA, issuer', 'ecdsa', false],
    ['RSA, issuer', 'rsa', false],
    ['ECDSA, delegated (flips in the signed part and signature)', 'ecdsa', true],
  ] as const)('%s: never trustworthy, and both agree on every flip', async (_name, keyType, delegated) => {
    const s = keyType === 'rsa' ? rsa : ecdsa;
    const good = await mintOcspResponse({
      responses: [
        { certificate: s.leaf, issuer: s.intermediate, thisUpdate: shift(now, -HOUR), nextUpdate: shift(now, DAY) },
      ],
      producedAt: shift(now, -HOUR),
      signer: delegated ? s.responder : s.intermediate,
    });
    const check = (response: Uint8Array, verifier: typeof node) =>
      verifyStaple({
        response,
        issuer: s.intermediate.cert,
        certificate: s.leaf.cert,
        at: now,
        crypto: globalThis.crypto,
        verifier,
      });
    expect((await check(good, node)).trustworthy).toBe(true);
    // The delegated case carries a certificate pkijs parses (slow); its own flips are the issuer-signed cases'.
    const limit = delegated ? Math.min(good.length, 400) : good.length;
    for (let index = 0; index < limit; index++) {
      const damaged = Uint8Array.from(good);
      damaged[index] = (damaged[index] ?? 0) ^ (1 << (index % 8));
      const [byNode, byWeb] = await Promise.all([check(damaged, node), check(damaged, web)]);
      expect(byNode.trustworthy, `flip at ${index}`).toBe(false);
      expect(byNode.problems, `flip at ${index}`).toEqual(byWeb.problems);
    }
  });

  it('an RSA signature algorithm over an EC key (and the reverse) has no scheme', () => {
    const ecKey = certificateFacts(ecdsa.intermediate.cert).publicKey;
    const rsaKey = certificateFacts(rsa.intermediate.cert).publicKey;
    const sha256WithRsa = { oid: '1.2.840.113549.1.1.11', parameters: null };
    const ecdsaWithSha256 = { oid: '1.2.840.10045.4.3.2', parameters: null };
    expect(signatureSchemeOf(sha256WithRsa, ecKey)).toBeNull();
    expect(signatureSchemeOf(ecdsaWithSha256, rsaKey)).toBeNull();
    expect(signatureSchemeOf(sha256WithRsa, rsaKey)).toEqual({ name: 'rsa-pkcs1', hash: 'SHA-256' });
    expect(signatureSchemeOf(ecdsaWithSha256, ecKey)).toEqual({ name: 'ecdsa', hash: 'SHA-256', curve: 'P-256' });
    expect(signatureSchemeOf({ oid: '1.2.840.113549.1.1.4', parameters: null }, rsaKey)).toBeNull(); // md5
  });
});
