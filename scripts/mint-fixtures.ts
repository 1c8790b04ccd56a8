// Mint the committed test fixtures in test/fixtures/minted/: a small PKI, good and broken OCSP
// responses, and manifest.json saying what the engine must answer for each. `npm run fixtures`.
//
// Dates are fixed (NOW below), keys are fresh on every run: regenerating changes every byte but
// no verdict. test/unit/inspect.test.ts runs every manifest case through inspectResponse.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DAY,
  HOUR,
  MINUTE,
  OID,
  garbage,
  mintLeaf,
  mintOcspResponse,
  mintResponder,
  mintRootCa,
  mintScenario,
  mintUnsuccessfulResponse,
  shift,
  truncate,
  withTrailingBytes,
  type MintedCertificate,
  type OcspResponseOptions,
  type SingleResponseOptions,
} from '../src/pki/mint.js';

export const NOW = new Date('2026-01-15T12:00:00Z');
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'minted');

interface Case {
  name: string;
  description: string;
  /** File names in OUT. */
  issuer: string;
  certificate: string | null;
  at: Date;
  expect: string;
  /** A problem code the result must carry (of any severity); `null`: no error-severity problem at all. */
  problem: string | null;
  response: () => Promise<Uint8Array> | Uint8Array;
}

async function main(): Promise<void> {
  const s = await mintScenario({ now: NOW });
  const { intermediate, leaf, responder } = s;
  const otherLeaf = await mintLeaf({
    issuer: intermediate,
    commonName: 'other.localhost',
    notBefore: shift(NOW, -30 * DAY),
    notAfter: shift(NOW, 60 * DAY),
    serialNumber: 0x3004n,
  });
  const responderNoEku = await mintResponder({
    issuer: intermediate,
    commonName: 'Staple Check Test Responder Without OCSPSigning',
    notBefore: shift(NOW, -DAY),
    notAfter: shift(NOW, 30 * DAY),
    serialNumber: 0x4002n,
    extendedKeyUsages: [OID.serverAuth, OID.clientAuth],
  });
  const responderExpired = await mintResponder({
    issuer: intermediate,
    commonName: 'Staple Check Test Expired Responder',
    notBefore: shift(NOW, -60 * DAY),
    notAfter: shift(NOW, -DAY),
    serialNumber: 0x4003n,
  });
  const otherRoot = await mintRootCa({
    commonName: 'Unrelated Test Root',
    organization: 'Somebody Else',
    notBefore: shift(NOW, -365 * DAY),
    notAfter: shift(NOW, 10 * 365 * DAY),
    serialNumber: 0x5001n,
  });
  const responderOtherCa = await mintResponder({
    issuer: otherRoot,
    commonName: 'Unrelated Test OCSP Responder',
    organization: 'Somebody Else',
    notBefore: shift(NOW, -DAY),
    notAfter: shift(NOW, 30 * DAY),
    serialNumber: 0x5002n,
  });

  const files: Record<string, MintedCertificate> = {
    'root.pem': s.root,
    'intermediate.pem': intermediate,
    'leaf.pem': leaf,
    'leaf-must-staple.pem': s.mustStapleLeaf,
    'leaf-no-ocsp.pem': s.noOcspLeaf,
    'leaf-other.pem': otherLeaf,
    'responder.pem': responder,
    'responder-no-eku.pem': responderNoEku,
    'responder-expired.pem': responderExpired,
    'other-root.pem': otherRoot,
    'responder-other-ca.pem': responderOtherCa,
  };

  // One SingleResponse about `leaf`, current at NOW, unless told otherwise.
  const about = (more: Partial<SingleResponseOptions> = {}): SingleResponseOptions => ({
    certificate: leaf,
    issuer: intermediate,
    thisUpdate: shift(NOW, -HOUR),
    nextUpdate: shift(NOW, 4 * DAY),
    ...more,
  });
  const respond = (more: Partial<OcspResponseOptions> = {}) =>
    mintOcspResponse({ producedAt: shift(NOW, -HOUR), signer: intermediate, responses: [about()], ...more });

  const byIssuer = { issuer: 'intermediate.pem', certificate: 'leaf.pem', at: NOW };
  const cases: Case[] = [
    {
      name: 'good',
      description: 'signed by the issuer, no certificates in the response, status good',
      ...byIssuer,
      expect: 'stapled-good',
      problem: null,
      response: () => respond(),
    },
    {
      name: 'revoked',
      description: 'revoked a day ago for keyCompromise',
      ...byIssuer,
      expect: 'stapled-revoked',
      problem: null,
      response: () =>
        respond({ responses: [about({ certStatus: { revokedAt: shift(NOW, -DAY), reason: 'keyCompromise' } })] }),
    },
    {
      name: 'unknown',
      description: 'the responder does not know the certificate',
      ...byIssuer,
      expect: 'stapled-unknown',
      problem: null,
      response: () => respond({ responses: [about({ certStatus: 'unknown' })] }),
    },
    {
      name: 'expired',
      description: 'nextUpdate a day before `at`',
      ...byIssuer,
      expect: 'stapled-invalid',
      problem: 'expired',
      response: () =>
        respond({
          producedAt: shift(NOW, -8 * DAY),
          responses: [about({ thisUpdate: shift(NOW, -8 * DAY), nextUpdate: shift(NOW, -DAY) })],
        }),
    },
    {
      name: 'not-yet-valid',
      description: 'thisUpdate an hour after `at` (beyond the 5-minute clock-skew tolerance)',
      ...byIssuer,
      expect: 'stapled-invalid',
      problem: 'not-yet-valid',
      response: () =>
        respond({
          producedAt: shift(NOW, HOUR),
          responses: [about({ thisUpdate: shift(NOW, HOUR), nextUpdate: shift(NOW, 7 * DAY) })],
        }),
    },
    {
      name: 'skew-this-update',
      description: 'thisUpdate 4 minutes after `at`: within clock-skew tolerance',
      ...byIssuer,
      expect: 'stapled-good',
      problem: null,
      response: () =>
        respond({
          producedAt: shift(NOW, 4 * MINUTE),
          responses: [about({ thisUpdate: shift(NOW, 4 * MINUTE) })],
        }),
    },
    {
      name: 'skew-next-update',
      description: 'nextUpdate 4 minutes before `at`: within clock-skew tolerance (and expiring soon)',
      ...byIssuer,
      expect: 'stapled-good',
      problem: 'expiring-soon',
      response: () =>
        respond({
          producedAt: shift(NOW, -4 * DAY),
          responses: [about({ thisUpdate: shift(NOW, -4 * DAY), nextUpdate: shift(NOW, -4 * MINUTE) })],
        }),
    },
    {
      name: 'expiring-soon',
      description: 'six days old, nextUpdate in 30 minutes',
      ...byIssuer,
      expect: 'stapled-good',
      problem: 'expiring-soon',
      response: () =>
        respond({
          producedAt: shift(NOW, -6 * DAY),
          responses: [about({ thisUpdate: shift(NOW, -6 * DAY), nextUpdate: shift(NOW, 30 * MINUTE) })],
        }),
    },
    {
      name: 'no-next-update',
      description: 'no nextUpdate (RFC 6960 §2.4): good, with a warning',
      ...byIssuer,
      expect: 'stapled-good',
      problem: 'no-next-update',
      response: () => respond({ responses: [about({ nextUpdate: null })] }),
    },
    {
      name: 'wrong-signer',
      description: 'signed by an unrelated CA (its certificate included)',
      ...byIssuer,
      expect: 'stapled-invalid',
      problem: 'unauthorized-signer',
      response: () => respond({ signer: otherRoot, certificates: [otherRoot] }),
    },
    {
      name: 'leaf-signed',
      description: 'signed by the leaf itself (issued by the right CA, but without id-kp-OCSPSigning)',
      ...byIssuer,
      expect: 'stapled-invalid',
      problem: 'unauthorized-signer',
      response: () => respond({ signer: leaf, certificates: [leaf] }),
    },
    {
      name: 'delegated-good',
      description: 'signed by a delegated responder (id-kp-OCSPSigning, issued by the issuer), included',
      ...byIssuer,
      expect: 'stapled-good',
      problem: null,
      response: () => respond({ signer: responder }),
    },
    {
      name: 'delegated-by-key',
      description: 'delegated responder named byKey',
      ...byIssuer,
      expect: 'stapled-good',
      problem: null,
      response: () => respond({ signer: responder, responderId: 'byKey' }),
    },
    {
      name: 'delegated-no-eku',
      description: 'delegated responder issued by the issuer but without id-kp-OCSPSigning',
      ...byIssuer,
      expect: 'stapled-invalid',
      problem: 'unauthorized-signer',
      response: () => respond({ signer: responderNoEku }),
    },
    {
      name: 'delegated-expired',
      description: 'delegated responder whose certificate expired a day before `at`',
      ...byIssuer,
      expect: 'stapled-invalid',
      problem: 'unauthorized-signer',
      response: () => respond({ signer: responderExpired }),
    },
    {
      name: 'delegated-other-ca',
      description: 'a responder with id-kp-OCSPSigning, but issued by an unrelated CA',
      ...byIssuer,
      expect: 'stapled-invalid',
      problem: 'unauthorized-signer',
      response: () => respond({ signer: responderOtherCa }),
    },
    {
      name: 'serial-mismatch',
      description: 'CertID serial is not the certificate’s',
      ...byIssuer,
      expect: 'stapled-invalid',
      problem: 'cert-id-mismatch',
      response: () => respond({ responses: [about({ serialNumber: 0x3999n })] }),
    },
    {
      name: 'other-certificate',
      description: 'a valid response about another certificate of the same CA: mismatch, never "unknown"',
      ...byIssuer,
      expect: 'stapled-invalid',
      problem: 'cert-id-mismatch',
      response: () => respond({ responses: [about({ certificate: otherLeaf })] }),
    },
    {
      name: 'wrong-issuer-key-hash',
      description: 'CertID issuerKeyHash is not the hash of the issuer’s key',
      ...byIssuer,
      expect: 'stapled-invalid',
      problem: 'cert-id-mismatch',
      response: () => respond({ responses: [about({ issuerKeyHash: new Uint8Array(20).fill(0xab) })] }),
    },
    {
      name: 'wrong-issuer-name-hash',
      description: 'CertID issuerNameHash is not the hash of the issuer’s name',
      ...byIssuer,
      expect: 'stapled-invalid',
      problem: 'cert-id-mismatch',
      response: () => respond({ responses: [about({ issuerNameHash: new Uint8Array(20).fill(0xcd) })] }),
    },
    {
      name: 'sha256-certid',
      description: 'CertID hashed with SHA-256',
      ...byIssuer,
      expect: 'stapled-good',
      problem: null,
      response: () => respond({ responses: [about({ hashAlgorithm: 'SHA-256' })] }),
    },
    {
      name: 'by-key',
      description: 'signed by the issuer, responderID byKey',
      ...byIssuer,
      expect: 'stapled-good',
      problem: null,
      response: () => respond({ responderId: 'byKey' }),
    },
    {
      name: 'several-one-matching',
      description: 'three SingleResponses; the second is about this certificate',
      ...byIssuer,
      expect: 'stapled-good',
      problem: 'several-single-responses',
      response: () =>
        respond({
          responses: [
            about({ certificate: otherLeaf, certStatus: { revokedAt: shift(NOW, -DAY) } }),
            about(),
            about({ serialNumber: 0x3998n, certStatus: 'unknown' }),
          ],
        }),
    },
    {
      name: 'several-disagree',
      description: 'two SingleResponses about this certificate, good and revoked: the worse one counts',
      ...byIssuer,
      expect: 'stapled-revoked',
      problem: 'single-responses-disagree',
      response: () =>
        respond({
          responses: [about(), about({ certStatus: { revokedAt: shift(NOW, -DAY), reason: 'superseded' } })],
        }),
    },
    {
      name: 'bad-signature',
      description: 'signed by the issuer, one bit of the signature flipped',
      ...byIssuer,
      expect: 'stapled-invalid',
      problem: 'bad-signature',
      response: () => respond({ corruptSignature: true }),
    },
    {
      name: 'try-later',
      description: 'responseStatus tryLater (3), no responseBytes',
      ...byIssuer,
      expect: 'stapled-invalid',
      problem: 'unsuccessful-response',
      response: () => mintUnsuccessfulResponse('tryLater'),
    },
    {
      name: 'unauthorized-status',
      description: 'responseStatus unauthorized (6), no responseBytes',
      ...byIssuer,
      expect: 'stapled-invalid',
      problem: 'unsuccessful-response',
      response: () => mintUnsuccessfulResponse('unauthorized'),
    },
    {
      name: 'malformed-truncated',
      description: 'a good response cut short by 10 bytes',
      ...byIssuer,
      expect: 'stapled-invalid',
      problem: 'malformed',
      response: async () => truncate(await respond()),
    },
    {
      name: 'malformed-trailing',
      description: 'a good response followed by two zero bytes',
      ...byIssuer,
      expect: 'stapled-invalid',
      problem: 'malformed',
      response: async () => withTrailingBytes(await respond()),
    },
    {
      name: 'malformed-garbage',
      description: '64 bytes that are not DER',
      ...byIssuer,
      expect: 'stapled-invalid',
      problem: 'malformed',
      response: () => garbage(64),
    },
    {
      name: 'malformed-empty',
      description: 'zero bytes',
      ...byIssuer,
      expect: 'stapled-invalid',
      problem: 'malformed',
      response: () => new Uint8Array(0),
    },
    {
      name: 'issuer-unavailable',
      description: 'a good response, but the issuer given is an unrelated CA',
      issuer: 'other-root.pem',
      certificate: 'leaf.pem',
      at: NOW,
      expect: 'stapled-invalid',
      problem: 'issuer-unavailable',
      response: () => respond(),
    },
    {
      name: 'good-without-certificate',
      description: 'a good response checked with the issuer only: the serial is not checked',
      issuer: 'intermediate.pem',
      certificate: null,
      at: NOW,
      expect: 'stapled-good',
      problem: 'serial-not-checked',
      response: () => respond(),
    },
    {
      name: 'must-staple-good',
      description: 'a good response for the Must-Staple leaf',
      issuer: 'intermediate.pem',
      certificate: 'leaf-must-staple.pem',
      at: NOW,
      expect: 'stapled-good',
      problem: 'must-staple',
      response: () => respond({ responses: [about({ certificate: s.mustStapleLeaf })] }),
    },
    {
      name: 'must-staple-expired',
      description:
        'an expired response for the Must-Staple leaf: inspect keeps to stapled-* (a live check says must-staple-violation)',
      issuer: 'intermediate.pem',
      certificate: 'leaf-must-staple.pem',
      at: NOW,
      expect: 'stapled-invalid',
      problem: 'expired',
      response: () =>
        respond({
          producedAt: shift(NOW, -8 * DAY),
          responses: [
            about({ certificate: s.mustStapleLeaf, thisUpdate: shift(NOW, -8 * DAY), nextUpdate: shift(NOW, -DAY) }),
          ],
        }),
    },
  ];

  mkdirSync(OUT, { recursive: true });
  // Start clean so a renamed case leaves no stale file behind (README.md is written below).
  for (const file of readdirSync(OUT)) rmSync(join(OUT, file));

  for (const [file, minted] of Object.entries(files)) {
    writeFileSync(join(OUT, file), minted.pem);
    writeFileSync(join(OUT, file.replace(/\.pem$/, '.key.pem')), minted.keys.privateKeyPem);
  }
  writeFileSync(join(OUT, 'chain.pem'), s.chainPem(leaf));

  const manifest = [];
  for (const c of cases) {
    const file = `${c.name}.der`;
    writeFileSync(join(OUT, file), await c.response());
    manifest.push({
      name: c.name,
      description: c.description,
      response: file,
      issuer: c.issuer,
      certificate: c.certificate,
      at: c.at.toISOString(),
      expect: c.expect,
      problem: c.problem,
    });
  }
  writeFileSync(
    join(OUT, 'manifest.json'),
    `${JSON.stringify({ generated: 'by scripts/mint-fixtures.ts (npm run fixtures)', now: NOW.toISOString(), cases: manifest }, null, 2)}\n`,
  );
  writeFileSync(join(OUT, 'README.md'), readme(cases, Object.keys(files)));
  console.log(`wrote ${cases.length} responses and ${Object.keys(files).length} certificates to ${OUT}`);
}

function readme(cases: Case[], certificates: string[]): string {
  const certificateNotes: Record<string, string> = {
    'root.pem': 'self-signed root CA',
    'intermediate.pem':
      'intermediate CA issued by the root; it issued every leaf and responder here but responder-other-ca.pem',
    'leaf.pem': 'localhost / 127.0.0.1 / ::1, serial 3001, AIA OCSP http://ocsp.staplecheck.test/',
    'leaf-must-staple.pem': 'as leaf.pem, serial 3002, with the TLS Feature extension {5} (RFC 7633 Must-Staple)',
    'leaf-no-ocsp.pem': 'as leaf.pem, serial 3003, no AIA OCSP URL (CRL distribution point only)',
    'leaf-other.pem': 'another leaf of the intermediate, serial 3004',
    'responder.pem': 'delegated OCSP responder: issued by the intermediate, id-kp-OCSPSigning, ocsp-nocheck',
    'responder-no-eku.pem': 'issued by the intermediate, EKU serverAuth + clientAuth only (not a responder)',
    'responder-expired.pem': 'delegated responder whose certificate expired a day before NOW',
    'other-root.pem': 'an unrelated self-signed root CA',
    'responder-other-ca.pem': 'a responder with id-kp-OCSPSigning issued by the unrelated root',
  };
  return [
    '# Minted OCSP fixtures',
    '',
    'Made by `scripts/mint-fixtures.ts` with `src/pki/mint.ts` (pkijs + WebCrypto, ECDSA P-256).',
    'Regenerate with:',
    '',
    '```sh',
    'npm run fixtures',
    '```',
    '',
    `Dates are fixed: NOW is ${NOW.toISOString()}, and each case's \`at\` in \`manifest.json\` is the`,
    'time to verify at. Keys are fresh on every run, so regenerating changes every byte but no verdict.',
    '`test/unit/inspect.test.ts` runs every case of `manifest.json` through `inspectResponse` and checks',
    '`expect` (the verdict) and `problem` (a code the result must carry; `null`: no error at all).',
    'Unless said otherwise a response is signed by the intermediate, names it byName, carries no',
    'certificates, has SHA-1 CertIDs, thisUpdate NOW-1h and nextUpdate NOW+4d.',
    '',
    'Look at one with OpenSSL (`-attime` so certificates are checked as of NOW):',
    '',
    '```sh',
    'openssl ocsp -respin good.der -resp_text -noverify',
    'openssl ocsp -respin good.der -issuer intermediate.pem -VAfile intermediate.pem -cert leaf.pem -no_nonce',
    `openssl ocsp -respin delegated-good.der -issuer intermediate.pem -CAfile root.pem \\`,
    `  -verify_other intermediate.pem -cert leaf.pem -no_nonce -attime ${NOW.getTime() / 1000}`,
    '```',
    '',
    'OpenSSL says "Response verify OK" for every case expected to verify. It checks thisUpdate and',
    'nextUpdate against the real clock whatever `-attime` says, so it warns "Status times invalid"',
    'once NOW is past. `malformed-trailing.der` reads fine with `-resp_text` (OpenSSL reads one',
    'object from the file and ignores the rest); a staple is the whole of the bytes, so the engine',
    'calls it malformed.',
    '',
    '## Certificates',
    '',
    'Each `X.pem` has its PKCS#8 private key in `X.key.pem` (test keys: never trust them).',
    '`chain.pem` is leaf.pem + intermediate.pem, what a TLS server sends.',
    '',
    '| file | what |',
    '|---|---|',
    ...certificates.map((f) => `| \`${f}\` | ${certificateNotes[f] ?? ''} |`),
    '',
    '## Responses',
    '',
    '| file | issuer | certificate | expect | problem | what |',
    '|---|---|---|---|---|---|',
    ...cases.map(
      (c) =>
        `| \`${c.name}.der\` | ${c.issuer} | ${c.certificate ?? '—'} | ${c.expect} | ${c.problem ?? '—'} | ${c.description} |`,
    ),
    '',
  ].join('\n');
}

await main();
