// What the engine keeps by the bytes across checks (a site's leaf and CA descriptions, its staple's
// reading): a second call answers the same as the first, and each caller gets its own copy, so a
// result one check changes never reaches the next.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeCertificate, describeChainCertificate } from '../../src/core/certificate.js';
import { parseStaple } from '../../src/core/ocsp-parse.js';
import { nodeVerifier } from '../../src/probe/node-verifier.js';
import { mintScenario, type Scenario } from '../support/mint.js';

const DIR = fileURLToPath(new URL('../fixtures/minted/', import.meta.url));
const fixture = (name: string) => new Uint8Array(readFileSync(`${DIR}${name}`));

let s: Scenario;
beforeAll(async () => {
  s = await mintScenario({ now: new Date('2026-01-15T12:00:00Z') });
});

describe('describeCertificate and describeChainCertificate, kept by the bytes', () => {
  it('answer the same again, each call with its own copy', async () => {
    const first = await describeCertificate(s.leaf.der, s.leaf.cert, globalThis.crypto);
    const expected = structuredClone(first);
    first.subject = 'changed';
    first.subjectAltNames.push('changed.test');
    first.ocspUrls.length = 0;
    const again = await describeCertificate(Uint8Array.from(s.leaf.der), s.leaf.cert, globalThis.crypto);
    expect(again).toEqual(expected);
    expect(again).not.toBe(first);

    const chainFirst = await describeChainCertificate(s.intermediate.der, globalThis.crypto);
    const chainExpected = structuredClone(chainFirst);
    if (chainFirst) chainFirst.subject = 'changed';
    expect(await describeChainCertificate(s.intermediate.der, globalThis.crypto)).toEqual(chainExpected);
  });

  it('take the digest from a verifier as from WebCrypto: the SHA-256 of the DER', async () => {
    const der = s.root.der;
    const sha256 = createHash('sha256').update(der).digest('hex');
    expect((await describeChainCertificate(der, nodeVerifier))?.sha256).toBe(sha256);
    expect((await describeChainCertificate(der, globalThis.crypto))?.sha256).toBe(sha256);
    const other = await describeCertificate(s.mustStapleLeaf.der, s.mustStapleLeaf.cert, nodeVerifier);
    expect(other.sha256).toBe(createHash('sha256').update(s.mustStapleLeaf.der).digest('hex'));
  });
});

describe('parseStaple, kept by the bytes', () => {
  it('reads the same again, each call with its own ocsp and problems', () => {
    for (const name of ['good.der', 'by-key.der', 'malformed-garbage.der', 'revoked.der']) {
      const first = parseStaple(fixture(name));
      const expected = structuredClone({ ocsp: first.ocsp, problems: first.problems });
      first.ocsp.certStatus = 'revoked';
      if (first.ocsp.signer?.responderId) first.ocsp.signer.responderId.byName = 'changed';
      first.problems.push({ code: 'malformed', severity: 'error', message: 'changed' });
      const again = parseStaple(fixture(name));
      expect({ ocsp: again.ocsp, problems: again.problems }, name).toEqual(expected);
      expect(again.parsed === null, name).toBe(first.parsed === null);
    }
  });
});
