// verifyStaple's steps 2-4 (src/core/ocsp-cert-id.ts, ocsp-signer.ts, ocsp-freshness.ts,
// verify-staple.ts) over the committed fixtures, with every problem code and the fields each step
// fills asserted, then single changes to real staples (re-signed with the fixtures' own test keys
// where the change is inside the signed bytes). Fixed clock; no key generation, no servers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type * as pkijs from 'pkijs';
import { parseCertificate } from '../../src/core/certificate.js';
import { toArrayBuffer } from '../../src/core/encoding.js';
import { MAX_SIGNER_CANDIDATES } from '../../src/core/ocsp-signer.js';
import type { Problem } from '../../src/core/result.js';
import { webCryptoVerifier } from '../../src/core/signature-verifier.js';
import { cryptoEngineFor, verifyStaple } from '../../src/core/verify-staple.js';
import { childrenAt, clone, cons, decodeTree, encodeTree, nodeAt, prim, type DerNode } from '../support/der-tree.js';
import {
  MINTED,
  MINTED_NOW,
  OPENSSL,
  basicTreeOf,
  certificateAt,
  mintedBytes,
  mintedCertificate,
  mintedCertificateDer,
  opensslResponse,
  resign,
  stapleOf,
} from '../support/fixture-pki.js';

const codes = (problems: Problem[]) => problems.map((p) => `${p.severity}:${p.code}`);
const intermediate = mintedCertificate('intermediate.pem');
const leaf = mintedCertificate('leaf.pem');
const INTERMEDIATE = 'O=Staple Check Test, CN=Staple Check Test Intermediate';

function verify(
  response: Uint8Array,
  options: { issuer?: pkijs.Certificate | null; certificate?: pkijs.Certificate | null; at?: Date } = {},
) {
  return verifyStaple({
    response,
    issuer: options.issuer === undefined ? intermediate : options.issuer,
    certificate: options.certificate === undefined ? leaf : options.certificate,
    at: options.at ?? MINTED_NOW,
    crypto: globalThis.crypto,
  });
}

interface ManifestCase {
  name: string;
  response: string;
  issuer: string;
  certificate: string | null;
  at: string;
}
const manifest = JSON.parse(readFileSync(`${MINTED}manifest.json`, 'utf8')) as { cases: ManifestCase[] };
interface VectorCase {
  name: string;
  response: string;
  issuer: string;
  certificate: string;
  at: string;
}
const vectors = JSON.parse(readFileSync(`${OPENSSL}expected.json`, 'utf8')) as { cases: VectorCase[] };

describe('the minted fixtures: every problem, the status and the signer', () => {
  // name, trustworthy, problems, certStatus, signer type, signer subject, CertID hash
  it.each<[string, boolean, string[], string | null, string | null, string | null, string | null]>([
    ['good', true, [], 'good', 'issuer', 'O=Staple Check Test, CN=Staple Check Test Intermediate', 'SHA-1'],
    ['revoked', true, [], 'revoked', 'issuer', 'O=Staple Check Test, CN=Staple Check Test Intermediate', 'SHA-1'],
    ['unknown', true, [], 'unknown', 'issuer', 'O=Staple Check Test, CN=Staple Check Test Intermediate', 'SHA-1'],
    [
      'expired',
      false,
      ['error:expired'],
      'good',
      'issuer',
      'O=Staple Check Test, CN=Staple Check Test Intermediate',
      'SHA-1',
    ],
    [
      'not-yet-valid',
      false,
      ['error:not-yet-valid'],
      'good',
      'issuer',
      'O=Staple Check Test, CN=Staple Check Test Intermediate',
      'SHA-1',
    ],
    ['skew-this-update', true, [], 'good', 'issuer', 'O=Staple Check Test, CN=Staple Check Test Intermediate', 'SHA-1'],
    [
      'skew-next-update',
      true,
      ['warning:expiring-soon'],
      'good',
      'issuer',
      'O=Staple Check Test, CN=Staple Check Test Intermediate',
      'SHA-1',
    ],
    [
      'expiring-soon',
      true,
      ['warning:expiring-soon'],
      'good',
      'issuer',
      'O=Staple Check Test, CN=Staple Check Test Intermediate',
      'SHA-1',
    ],
    [
      'no-next-update',
      true,
      ['warning:no-next-update'],
      'good',
      'issuer',
      'O=Staple Check Test, CN=Staple Check Test Intermediate',
      'SHA-1',
    ],
    [
      'wrong-signer',
      false,
      ['error:unauthorized-signer'],
      'good',
      'unknown',
      'O=Somebody Else, CN=Unrelated Test Root',
      'SHA-1',
    ],
    [
      'leaf-signed',
      false,
      ['error:unauthorized-signer'],
      'good',
      'unknown',
      'O=Staple Check Test, CN=localhost',
      'SHA-1',
    ],
    [
      'delegated-good',
      true,
      [],
      'good',
      'delegated',
      'O=Staple Check Test, CN=Staple Check Test OCSP Responder',
      'SHA-1',
    ],
    [
      'delegated-by-key',
      true,
      [],
      'good',
      'delegated',
      'O=Staple Check Test, CN=Staple Check Test OCSP Responder',
      'SHA-1',
    ],
    [
      'delegated-no-eku',
      false,
      ['error:unauthorized-signer'],
      'good',
      'unknown',
      'O=Staple Check Test, CN=Staple Check Test Responder Without OCSPSigning',
      'SHA-1',
    ],
    [
      'delegated-expired',
      false,
      ['error:unauthorized-signer'],
      'good',
      'unknown',
      'O=Staple Check Test, CN=Staple Check Test Expired Responder',
      'SHA-1',
    ],
    [
      'delegated-other-ca',
      false,
      ['error:unauthorized-signer'],
      'good',
      'unknown',
      'O=Somebody Else, CN=Unrelated Test OCSP Responder',
      'SHA-1',
    ],
    [
      'serial-mismatch',
      false,
      ['error:cert-id-mismatch'],
      null,
      'issuer',
      'O=Staple Check Test, CN=Staple Check Test Intermediate',
      null,
    ],
    [
      'other-certificate',
      false,
      ['error:cert-id-mismatch'],
      null,
      'issuer',
      'O=Staple Check Test, CN=Staple Check Test Intermediate',
      null,
    ],
    [
      'wrong-issuer-key-hash',
      false,
      ['error:cert-id-mismatch'],
      null,
      'issuer',
      'O=Staple Check Test, CN=Staple Check Test Intermediate',
      null,
    ],
    [
      'wrong-issuer-name-hash',
      false,
      ['error:cert-id-mismatch'],
      null,
      'issuer',
      'O=Staple Check Test, CN=Staple Check Test Intermediate',
      null,
    ],
    ['sha256-certid', true, [], 'good', 'issuer', 'O=Staple Check Test, CN=Staple Check Test Intermediate', 'SHA-256'],
    ['by-key', true, [], 'good', 'issuer', 'O=Staple Check Test, CN=Staple Check Test Intermediate', 'SHA-1'],
    [
      'several-one-matching',
      true,
      ['info:several-single-responses'],
      'good',
      'issuer',
      'O=Staple Check Test, CN=Staple Check Test Intermediate',
      'SHA-1',
    ],
    [
      'several-disagree',
      true,
      ['info:several-single-responses', 'warning:single-responses-disagree'],
      'revoked',
      'issuer',
      'O=Staple Check Test, CN=Staple Check Test Intermediate',
      'SHA-1',
    ],
    ['bad-signature', false, ['error:bad-signature'], 'good', 'unknown', null, 'SHA-1'],
    ['try-later', false, ['error:unsuccessful-response'], null, null, null, null],
    ['unauthorized-status', false, ['error:unsuccessful-response'], null, null, null, null],
    ['malformed-truncated', false, ['error:malformed'], null, null, null, null],
    ['malformed-trailing', false, ['error:malformed'], null, null, null, null],
    ['malformed-garbage', false, ['error:malformed'], null, null, null, null],
    ['malformed-empty', false, ['error:malformed'], null, null, null, null],
    ['issuer-unavailable', false, ['error:cert-id-mismatch', 'error:unauthorized-signer'], null, 'unknown', null, null],
    [
      'good-without-certificate',
      true,
      ['info:serial-not-checked'],
      'good',
      'issuer',
      'O=Staple Check Test, CN=Staple Check Test Intermediate',
      'SHA-1',
    ],
    ['must-staple-good', true, [], 'good', 'issuer', 'O=Staple Check Test, CN=Staple Check Test Intermediate', 'SHA-1'],
    [
      'must-staple-expired',
      false,
      ['error:expired'],
      'good',
      'issuer',
      'O=Staple Check Test, CN=Staple Check Test Intermediate',
      'SHA-1',
    ],
  ])('%s', async (name, trustworthy, problems, certStatus, signerType, signerSubject, certIdHash) => {
    const c = manifest.cases.find((m) => m.name === name)!;
    const assessment = await verifyStaple({
      response: mintedBytes(c.response),
      issuer: mintedCertificate(c.issuer),
      certificate: c.certificate ? mintedCertificate(c.certificate) : null,
      at: new Date(c.at),
      crypto: globalThis.crypto,
    });
    expect(codes(assessment.problems)).toEqual(problems);
    expect(assessment.trustworthy).toBe(trustworthy);
    expect(assessment.ocsp.certStatus).toBe(certStatus);
    expect(assessment.ocsp.signer?.type ?? null).toBe(signerType);
    expect(assessment.ocsp.signer?.subject ?? null).toBe(signerSubject);
    expect(assessment.ocsp.certIdHashAlgorithm ?? null).toBe(certIdHash);
  });

  it('covers the manifest', () => expect(manifest.cases).toHaveLength(35));
});

describe('the OpenSSL vectors (RSA, SHA-1): every problem and the signer', () => {
  // name, trustworthy, problems, certStatus, signer type, signature algorithm, CertID hash
  it.each<[string, boolean, string[], string | null, string | null, string | null, string | null]>([
    ['valid ND1', true, [], 'good', 'issuer', 'sha1WithRSAEncryption', 'SHA-1'],
    ['valid ND2', true, [], 'good', 'issuer', 'sha1WithRSAEncryption', 'SHA-1'],
    ['valid ND3', true, [], 'good', 'issuer', 'sha1WithRSAEncryption', 'SHA-1'],
    ['valid D1', true, [], 'good', 'delegated', 'sha1WithRSAEncryption', 'SHA-1'],
    ['valid D2', true, ['warning:long-validity'], 'good', 'delegated', 'sha1WithRSAEncryption', 'SHA-1'],
    ['valid D3', true, [], 'good', 'delegated', 'sha1WithRSAEncryption', 'SHA-1'],
    [
      'invalid signature on the response ND1',
      false,
      ['error:bad-signature'],
      'good',
      'unknown',
      'sha1WithRSAEncryption',
      'SHA-1',
    ],
    [
      'wrong responder id ND1',
      false,
      ['error:unauthorized-signer'],
      'good',
      'unknown',
      'sha1WithRSAEncryption',
      'SHA-1',
    ],
    [
      'wrong issuer name hash ND1',
      false,
      ['error:cert-id-mismatch', 'error:bad-signature'],
      null,
      'unknown',
      'sha1WithRSAEncryption',
      null,
    ],
    [
      'wrong issuer key hash ND1',
      false,
      ['error:cert-id-mismatch', 'error:bad-signature'],
      null,
      'unknown',
      'sha1WithRSAEncryption',
      null,
    ],
    [
      'invalid signature on the response ND2',
      false,
      ['error:bad-signature'],
      'good',
      'unknown',
      'sha1WithRSAEncryption',
      'SHA-1',
    ],
    [
      'wrong responder id ND2',
      false,
      ['error:unauthorized-signer'],
      'good',
      'unknown',
      'sha1WithRSAEncryption',
      'SHA-1',
    ],
    [
      'wrong issuer name hash ND2',
      false,
      ['error:cert-id-mismatch', 'error:bad-signature'],
      null,
      'unknown',
      'sha1WithRSAEncryption',
      null,
    ],
    [
      'wrong issuer key hash ND2',
      false,
      ['error:cert-id-mismatch', 'error:bad-signature'],
      null,
      'unknown',
      'sha1WithRSAEncryption',
      null,
    ],
    [
      'invalid signature on the response ND3',
      false,
      ['error:bad-signature'],
      'good',
      'unknown',
      'sha1WithRSAEncryption',
      'SHA-1',
    ],
    [
      'wrong responder id ND3',
      false,
      ['error:unauthorized-signer'],
      'good',
      'unknown',
      'sha1WithRSAEncryption',
      'SHA-1',
    ],
    [
      'wrong issuer name hash ND3',
      false,
      ['error:cert-id-mismatch', 'error:bad-signature'],
      null,
      'unknown',
      'sha1WithRSAEncryption',
      null,
    ],
    [
      'wrong issuer key hash ND3',
      false,
      ['error:cert-id-mismatch', 'error:bad-signature'],
      null,
      'unknown',
      'sha1WithRSAEncryption',
      null,
    ],
    [
      'invalid signature on the response D1',
      false,
      ['error:bad-signature', 'error:expired'],
      'good',
      'unknown',
      'sha1WithRSAEncryption',
      'SHA-1',
    ],
    [
      'wrong responder id D1',
      false,
      ['error:unauthorized-signer', 'error:expired'],
      'good',
      'unknown',
      'sha1WithRSAEncryption',
      'SHA-1',
    ],
    [
      'wrong issuer name hash D1',
      false,
      ['error:cert-id-mismatch', 'error:bad-signature'],
      null,
      'unknown',
      'sha1WithRSAEncryption',
      null,
    ],
    [
      'wrong issuer key hash D1',
      false,
      ['error:cert-id-mismatch', 'error:bad-signature'],
      null,
      'unknown',
      'sha1WithRSAEncryption',
      null,
    ],
    [
      'invalid signature on the response D2',
      false,
      ['error:bad-signature', 'warning:long-validity'],
      'good',
      'unknown',
      'sha1WithRSAEncryption',
      'SHA-1',
    ],
    [
      'wrong responder id D2',
      false,
      ['error:unauthorized-signer', 'warning:long-validity'],
      'good',
      'unknown',
      'sha1WithRSAEncryption',
      'SHA-1',
    ],
    [
      'wrong issuer name hash D2',
      false,
      ['error:cert-id-mismatch', 'error:bad-signature'],
      null,
      'unknown',
      'sha1WithRSAEncryption',
      null,
    ],
    [
      'wrong issuer key hash D2',
      false,
      ['error:cert-id-mismatch', 'error:bad-signature'],
      null,
      'unknown',
      'sha1WithRSAEncryption',
      null,
    ],
    [
      'invalid signature on the response D3',
      false,
      ['error:bad-signature', 'error:expired'],
      'good',
      'unknown',
      'sha1WithRSAEncryption',
      'SHA-1',
    ],
    [
      'wrong responder id D3',
      false,
      ['error:unauthorized-signer', 'error:expired'],
      'good',
      'unknown',
      'sha1WithRSAEncryption',
      'SHA-1',
    ],
    [
      'wrong issuer name hash D3',
      false,
      ['error:cert-id-mismatch', 'error:bad-signature'],
      null,
      'unknown',
      'sha1WithRSAEncryption',
      null,
    ],
    [
      'wrong issuer key hash D3',
      false,
      ['error:cert-id-mismatch', 'error:bad-signature'],
      null,
      'unknown',
      'sha1WithRSAEncryption',
      null,
    ],
    [
      'wrong key in delegated signing cert D1',
      false,
      ['error:unauthorized-signer', 'error:expired'],
      'good',
      'unknown',
      'sha1WithRSAEncryption',
      'SHA-1',
    ],
    [
      'invalid signature on delegated signing cert D1',
      false,
      ['error:unauthorized-signer', 'error:expired'],
      'good',
      'unknown',
      'sha1WithRSAEncryption',
      'SHA-1',
    ],
    [
      'wrong key in delegated signing cert D2',
      false,
      ['error:unauthorized-signer', 'warning:long-validity'],
      'good',
      'unknown',
      'sha1WithRSAEncryption',
      'SHA-1',
    ],
    [
      'invalid signature on delegated signing cert D2',
      false,
      ['error:unauthorized-signer', 'warning:long-validity'],
      'good',
      'unknown',
      'sha1WithRSAEncryption',
      'SHA-1',
    ],
    [
      'wrong key in delegated signing cert D3',
      false,
      ['error:bad-signature', 'error:unauthorized-signer', 'error:expired'],
      'good',
      'unknown',
      'sha1WithRSAEncryption',
      'SHA-1',
    ],
    [
      'invalid signature on delegated signing cert D3',
      false,
      ['error:unauthorized-signer', 'error:expired'],
      'good',
      'unknown',
      'sha1WithRSAEncryption',
      'SHA-1',
    ],
    [
      'wrong subject name in issuer cert ND1',
      false,
      ['error:cert-id-mismatch'],
      null,
      'issuer',
      'sha1WithRSAEncryption',
      null,
    ],
    [
      'wrong key in issuer cert ND1',
      false,
      ['error:cert-id-mismatch', 'error:unauthorized-signer'],
      null,
      'unknown',
      'sha1WithRSAEncryption',
      null,
    ],
    ['invalid signature on issuer cert ND1', true, [], 'good', 'issuer', 'sha1WithRSAEncryption', 'SHA-1'],
    [
      'wrong subject name in issuer cert ND2',
      false,
      ['error:cert-id-mismatch'],
      null,
      'issuer',
      'sha1WithRSAEncryption',
      null,
    ],
    [
      'wrong key in issuer cert ND2',
      false,
      ['error:cert-id-mismatch', 'error:unauthorized-signer'],
      null,
      'unknown',
      'sha1WithRSAEncryption',
      null,
    ],
    ['invalid signature on issuer cert ND2', true, [], 'good', 'issuer', 'sha1WithRSAEncryption', 'SHA-1'],
    [
      'wrong subject name in issuer cert ND3',
      false,
      ['error:cert-id-mismatch'],
      null,
      'issuer',
      'sha1WithRSAEncryption',
      null,
    ],
    [
      'wrong key in issuer cert ND3',
      false,
      ['error:cert-id-mismatch', 'error:unauthorized-signer'],
      null,
      'unknown',
      'sha1WithRSAEncryption',
      null,
    ],
    ['invalid signature on issuer cert ND3', true, [], 'good', 'issuer', 'sha1WithRSAEncryption', 'SHA-1'],
    [
      'wrong subject name in issuer cert D1',
      false,
      ['error:cert-id-mismatch', 'error:unauthorized-signer'],
      null,
      'unknown',
      'sha1WithRSAEncryption',
      null,
    ],
    [
      'wrong key in issuer cert D1',
      false,
      ['error:cert-id-mismatch', 'error:unauthorized-signer'],
      null,
      'unknown',
      'sha1WithRSAEncryption',
      null,
    ],
    ['invalid signature on issuer cert D1', true, [], 'good', 'delegated', 'sha1WithRSAEncryption', 'SHA-1'],
    [
      'wrong subject name in issuer cert D2',
      false,
      ['error:cert-id-mismatch', 'error:unauthorized-signer'],
      null,
      'unknown',
      'sha1WithRSAEncryption',
      null,
    ],
    [
      'wrong key in issuer cert D2',
      false,
      ['error:cert-id-mismatch', 'error:unauthorized-signer'],
      null,
      'unknown',
      'sha1WithRSAEncryption',
      null,
    ],
    [
      'invalid signature on issuer cert D2',
      true,
      ['warning:long-validity'],
      'good',
      'delegated',
      'sha1WithRSAEncryption',
      'SHA-1',
    ],
    [
      'wrong subject name in issuer cert D3',
      false,
      ['error:cert-id-mismatch', 'error:unauthorized-signer'],
      null,
      'unknown',
      'sha1WithRSAEncryption',
      null,
    ],
    [
      'wrong key in issuer cert D3',
      false,
      ['error:cert-id-mismatch', 'error:unauthorized-signer'],
      null,
      'unknown',
      'sha1WithRSAEncryption',
      null,
    ],
    ['invalid signature on issuer cert D3', true, [], 'good', 'delegated', 'sha1WithRSAEncryption', 'SHA-1'],
  ])('%s', async (name, trustworthy, problems, certStatus, signerType, algorithm, certIdHash) => {
    const c = vectors.cases.find((v) => v.name === name)!;
    const assessment = await verifyStaple({
      response: opensslResponse(c.response),
      issuer: certificateAt(`${OPENSSL}${c.issuer}`),
      certificate: certificateAt(`${OPENSSL}${c.certificate}`),
      at: new Date(c.at),
      crypto: globalThis.crypto,
    });
    expect(codes(assessment.problems)).toEqual(problems);
    expect(assessment.trustworthy).toBe(trustworthy);
    expect(assessment.ocsp.certStatus).toBe(certStatus);
    expect(assessment.ocsp.signer?.type ?? null).toBe(signerType);
    expect(assessment.ocsp.signatureAlgorithm).toBe(algorithm);
    expect(assessment.ocsp.certIdHashAlgorithm ?? null).toBe(certIdHash);
  });
});

/** A minted staple's BasicOCSPResponse, changed by `change`, then (if `key`) re-signed, as a staple. */
async function changed(file: string, change: (basic: DerNode) => void, key?: string): Promise<Uint8Array> {
  const basic = clone(basicTreeOf(mintedBytes(file)));
  change(basic);
  return stapleOf(key ? await resign(basic, key) : basic);
}

/** The certs field [0] EXPLICIT SEQUENCE OF Certificate (RFC 6960 §4.2.1) holding `certificates`. */
const certsField = (...certificates: Uint8Array[]) => cons(0xa0, cons(0x30, ...certificates.map(decodeTree)));

/** A certificate DER with one change to its tree. */
function certificateChanged(file: string, change: (cert: DerNode) => void): Uint8Array {
  const tree = decodeTree(mintedCertificateDer(file));
  change(tree);
  return encodeTree(tree);
}

/** Flip the last octet of a primitive node. */
function flipLast(node: DerNode): void {
  if (!('contents' in node)) throw new Error('not primitive');
  const last = node.contents.length - 1;
  node.contents[last] = (node.contents[last] ?? 0) ^ 0x01;
}

const messages = (problems: Problem[]) => problems.map((p) => `${p.code}: ${p.message}`);

describe('step 2: which SingleResponse (RFC 6960 §4.1.1)', () => {
  const SINGLES = [0, 2];
  const sha = (name: 'SHA-256' | 'SHA-384' | 'SHA-512', data: Uint8Array) =>
    globalThis.crypto.subtle.digest(name, toArrayBuffer(data)).then((d) => new Uint8Array(d));
  const ISSUER_NAME = (() => {
    const tbs = nodeAt(decodeTree(mintedCertificateDer('intermediate.pem')), [0]);
    return encodeTree(nodeAt(tbs, [5])); // version [0], serial, signature, issuer, validity, subject
  })();

  it.each(['SHA-384', 'SHA-512'] as const)('a CertID hashed with %s matches, and says so', async (hash) => {
    const nameHash = await sha(hash, ISSUER_NAME);
    const keyHash = await sha(hash, intermediate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView);
    const oid = { 'SHA-384': [0x02], 'SHA-512': [0x03] }[hash];
    const staple = await changed(
      'good.der',
      (b) => {
        const certId = childrenAt(b, [...SINGLES, 0, 0]);
        certId[0] = cons(0x30, prim(0x06, [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, ...oid]), prim(0x05, []));
        certId[1] = prim(0x04, nameHash);
        certId[2] = prim(0x04, keyHash);
      },
      'intermediate.key.pem',
    );
    const assessment = await verify(staple);
    expect(codes(assessment.problems)).toEqual([]);
    expect(assessment.ocsp.certIdHashAlgorithm).toBe(hash);
  });

  it.each([
    ['MD5', [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05]],
    ['an unknown OID', [0x2b, 0x06, 0x01]],
  ])('a CertID with %s as its hash and SHA-1 hashes inside: not read as SHA-1, matches nothing', async (_name, oid) => {
    const staple = await changed(
      'good.der',
      (b) => void (childrenAt(b, [...SINGLES, 0, 0, 0])[0] = prim(0x06, oid)),
      'intermediate.key.pem',
    );
    const assessment = await verify(staple);
    expect(messages(assessment.problems)).toEqual([
      "cert-id-mismatch: No SingleResponse's CertID matches this certificate and issuer (the response is about serial 3001).",
    ]);
    expect(assessment.ocsp.certStatus).toBeNull();
    expect(assessment.ocsp.certIdHashAlgorithm).toBeUndefined();
  });

  it('no SingleResponse at all: about nothing', async () => {
    const staple = await changed('good.der', (b) => void (childrenAt(b, SINGLES).length = 0), 'intermediate.key.pem');
    expect(messages((await verify(staple)).problems)).toEqual([
      "cert-id-mismatch: No SingleResponse's CertID matches this certificate and issuer (the response is about serial nothing).",
    ]);
  });

  it('the mismatch names each serial without its DER sign octet', async () => {
    const staple = await changed(
      'good.der',
      (b) => {
        const single = nodeAt(b, [...SINGLES, 0]);
        childrenAt(b, SINGLES).push(clone(single));
        childrenAt(b, [...SINGLES, 0, 0])[3] = prim(0x02, [0x00, 0x99]);
        childrenAt(b, [...SINGLES, 1, 0])[3] = prim(0x02, [0x00]);
      },
      'intermediate.key.pem',
    );
    expect(messages((await verify(staple)).problems)).toEqual([
      'several-single-responses: The response holds 2 SingleResponses; 0 match this certificate.',
      "cert-id-mismatch: No SingleResponse's CertID matches this certificate and issuer (the response is about serial 99, 00).",
    ]);
  });

  it('a serial with its sign octet matches the certificate serial', async () => {
    // 0x3001 needs no sign octet; a CertID serial of 00 30 01 is not minimal but names the same number.
    const staple = await changed(
      'good.der',
      (b) => void (childrenAt(b, [...SINGLES, 0, 0])[3] = prim(0x02, [0x00, 0x30, 0x01])),
      'intermediate.key.pem',
    );
    expect(codes((await verify(staple)).problems)).toEqual([]);
  });

  /** good.der with a second SingleResponse about the leaf: `first`, then `second` (0x80 good, 0x82 unknown, revoked). */
  async function twoStatuses(first: 'good' | 'unknown' | 'revoked', second: 'good' | 'unknown' | 'revoked') {
    const revokedInfo = nodeAt(basicTreeOf(mintedBytes('revoked.der')), [0, 2, 0, 1]);
    const status = { good: prim(0x80, []), unknown: prim(0x82, []), revoked: revokedInfo };
    return changed(
      'good.der',
      (b) => {
        const single = nodeAt(b, [...SINGLES, 0]);
        const other = clone(single);
        childrenAt(b, SINGLES).push(other);
        childrenAt(b, [...SINGLES, 0])[1] = clone(status[first]);
        childrenAt(b, [...SINGLES, 1])[1] = clone(status[second]);
      },
      'intermediate.key.pem',
    );
  }

  it.each([
    ['good', 'unknown', 'unknown'],
    ['unknown', 'good', 'unknown'],
    ['unknown', 'revoked', 'revoked'],
    ['revoked', 'unknown', 'revoked'],
    ['good', 'revoked', 'revoked'],
  ] as const)('%s and %s about the certificate: %s is reported, with a warning', async (a, b, reported) => {
    const assessment = await verify(await twoStatuses(a, b));
    expect(codes(assessment.problems)).toEqual(['info:several-single-responses', 'warning:single-responses-disagree']);
    expect(assessment.ocsp.certStatus).toBe(reported);
    expect(assessment.problems[0]?.message).toBe('The response holds 2 SingleResponses; 2 match this certificate.');
    expect(assessment.problems[1]?.message).toBe(
      'Several SingleResponses for this certificate disagree; the most severe status is reported.',
    );
  });

  it('two agreeing SingleResponses: no warning', async () => {
    const assessment = await verify(await twoStatuses('good', 'good'));
    expect(codes(assessment.problems)).toEqual(['info:several-single-responses']);
  });

  it('the chosen SingleResponse fills the status fields', async () => {
    const revoked = await verify(mintedBytes('revoked.der'));
    expect(revoked.ocsp).toMatchObject({
      certStatus: 'revoked',
      thisUpdate: '2026-01-15T11:00:00.000Z',
      nextUpdate: '2026-01-19T12:00:00.000Z',
      revocationTime: '2026-01-14T12:00:00.000Z',
      revocationReason: 'keyCompromise',
    });
    const noNext = await verify(mintedBytes('no-next-update.der'));
    expect(noNext.ocsp).toMatchObject({ nextUpdate: null, revocationTime: null, revocationReason: null });
  });

  it('no certificate: the serial is not checked, and that is said', async () => {
    const assessment = await verify(mintedBytes('other-certificate.der'), { certificate: null });
    expect(messages(assessment.problems)).toEqual([
      'serial-not-checked: No certificate was given, so the serial number in the CertID was not checked.',
    ]);
  });

  it('the issuer digests are kept per issuer and hash, and the kept ones give the same answer', async () => {
    const issuer = parseCertificate(mintedCertificateDer('intermediate.pem'))!;
    const first = await verify(mintedBytes('sha256-certid.der'), { issuer });
    const again = await verify(mintedBytes('sha256-certid.der'), { issuer });
    const sha1 = await verify(mintedBytes('good.der'), { issuer });
    expect([first.trustworthy, again.trustworthy, sha1.trustworthy]).toEqual([true, true, true]);
    expect(codes((await verify(mintedBytes('wrong-issuer-key-hash.der'), { issuer })).problems)).toEqual([
      'error:cert-id-mismatch',
    ]);
  });
});

describe('step 3: who signed it (RFC 6960 §4.2.2.2, §4.2.2.3)', () => {
  const responder = mintedCertificateDer('responder.pem');
  const other = mintedCertificateDer('leaf-other.pem');

  it('no issuer: only issuer-unavailable, with what step 1 read', async () => {
    const assessment = await verify(mintedBytes('good.der'), { issuer: null });
    expect(messages(assessment.problems)).toEqual([
      "issuer-unavailable: The issuer's certificate was not found (the server did not send it), so the staple cannot be verified.",
    ]);
    expect(assessment.trustworthy).toBe(false);
    expect(assessment.ocsp.producedAt).toBe('2026-01-15T11:00:00.000Z');
    expect(assessment.ocsp.certStatus).toBeNull();
  });

  it('the delegated responder: named, with its notAfter', async () => {
    const assessment = await verify(mintedBytes('delegated-good.der'));
    expect(assessment.ocsp.signer).toEqual({
      type: 'delegated',
      subject: 'O=Staple Check Test, CN=Staple Check Test OCSP Responder',
      responderId: { byName: 'O=Staple Check Test, CN=Staple Check Test OCSP Responder' },
      notAfter: '2026-02-14T12:00:00.000Z',
    });
    expect((await verify(mintedBytes('good.der'))).ocsp.signer).toEqual({
      type: 'issuer',
      subject: INTERMEDIATE,
      responderId: { byName: INTERMEDIATE },
    });
  });

  it(`the first ${MAX_SIGNER_CANDIDATES} certificates are tried as signers, no more`, async () => {
    expect(MAX_SIGNER_CANDIDATES).toBe(8);
    const within = await changed('delegated-good.der', (b) => {
      childrenAt(b, [])[3] = certsField(...Array<Uint8Array>(7).fill(other), responder);
    });
    expect(codes((await verify(within)).problems)).toEqual([]);
    const beyond = await changed('delegated-good.der', (b) => {
      childrenAt(b, [])[3] = certsField(...Array<Uint8Array>(8).fill(other), responder);
    });
    const assessment = await verify(beyond);
    expect(messages(assessment.problems)).toEqual([
      'unauthorized-signer: The responderID names neither the issuer nor any certificate in the response, so no authorized signer can be found.',
    ]);
    expect(assessment.ocsp.signer).toMatchObject({ type: 'unknown', subject: null });
  });

  it('a byKey responderID that hashes no candidate key: no signer', async () => {
    const staple = await changed('by-key.der', (b) => flipLast(nodeAt(b, [0, 0, 0])), 'intermediate.key.pem');
    expect(codes((await verify(staple)).problems)).toEqual(['error:unauthorized-signer']);
  });

  it('the responder certificate with its signature broken: not signed by the issuer', async () => {
    const broken = certificateChanged('responder.pem', (c) => flipLast(nodeAt(c, [2])));
    const staple = await changed('delegated-good.der', (b) => void (childrenAt(b, [])[3] = certsField(broken)));
    const assessment = await verify(staple);
    expect(messages(assessment.problems)).toEqual([
      'unauthorized-signer: Not an authorized responder: the signing certificate (O=Staple Check Test, CN=Staple Check Test OCSP Responder) does not carry a valid signature of the issuer.',
    ]);
    expect(assessment.ocsp.signer).toMatchObject({
      type: 'unknown',
      subject: 'O=Staple Check Test, CN=Staple Check Test OCSP Responder',
    });
  });

  it("the responder certificate's outer signatureAlgorithm not the tbsCertificate's (RFC 5280 §4.1.1.2): not signed by the issuer", async () => {
    // ecdsa-with-SHA384 outside, ecdsa-with-SHA256 inside; the signature itself is untouched.
    const relabelled = certificateChanged('responder.pem', (c) => {
      childrenAt(c, [1])[0] = prim(0x06, [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03]);
    });
    const staple = await changed('delegated-good.der', (b) => void (childrenAt(b, [])[3] = certsField(relabelled)));
    expect(messages((await verify(staple)).problems)[0]).toMatch(/does not carry a valid signature of the issuer/);
  });

  it('a delegated responder not yet valid: refused, and said so', async () => {
    const assessment = await verify(mintedBytes('delegated-good.der'), { at: new Date('2026-01-14T11:00:00Z') });
    expect(messages(assessment.problems)).toContain(
      'unauthorized-signer: Not an authorized responder: the delegated responder certificate (O=Staple Check Test, CN=Staple Check Test OCSP Responder) is not yet valid.',
    );
  });

  it('a delegated responder at the last instant of its validity: accepted', async () => {
    const at = new Date('2026-02-14T12:00:00Z');
    const staple = await changed(
      'delegated-good.der',
      (b) => {
        const single = childrenAt(b, [0, 2, 0]);
        single[2] = prim(0x18, [...new TextEncoder().encode('20260214110000Z')]);
        single[3] = cons(0xa0, prim(0x18, [...new TextEncoder().encode('20260215120000Z')]));
      },
      'responder.key.pem',
    );
    expect(codes((await verify(staple, { at })).problems)).toEqual([]);
    const after = await verify(staple, { at: new Date(at.getTime() + 1) });
    expect(messages(after.problems)).toEqual([
      'unauthorized-signer: Not an authorized responder: the delegated responder certificate (O=Staple Check Test, CN=Staple Check Test OCSP Responder) is expired.',
    ]);
  });

  it.each([
    ['delegated-good.der', ['error:bad-signature']],
    ['delegated-no-eku.der', ['error:bad-signature', 'error:unauthorized-signer']],
    ['delegated-other-ca.der', ['error:bad-signature', 'error:unauthorized-signer']],
  ])('%s with its signature broken: %j', async (file, expected) => {
    const staple = await changed(file, (b) => flipLast(nodeAt(b, [2])));
    const assessment = await verify(staple);
    expect(codes(assessment.problems)).toEqual(expected);
    expect(assessment.problems[0]?.message).toBe(
      'The response signature does not verify with the key of the responder it names.',
    );
    expect(assessment.ocsp.signer).toMatchObject({ type: 'unknown', subject: null });
  });

  it('delegated-no-eku with its signature broken names why it may not sign', async () => {
    const staple = await changed('delegated-no-eku.der', (b) => flipLast(nodeAt(b, [2])));
    expect(messages((await verify(staple)).problems)[1]).toBe(
      'unauthorized-signer: Not an authorized responder: the signing certificate (O=Staple Check Test, CN=Staple Check Test Responder Without OCSPSigning) lacks the id-kp-OCSPSigning extended key usage.',
    );
  });

  /** The intermediate's certificate with another key: its name, so a byName responderID names it too. */
  const impostor = certificateChanged('intermediate.pem', (c) => flipLast(nodeAt(c, [0, 6, 1])));

  it('an impostor with the issuer name in the certs: the issuer still signs', async () => {
    const staple = await changed('good.der', (b) => childrenAt(b, []).push(certsField(impostor)));
    expect(codes((await verify(staple)).problems)).toEqual([]);
  });

  it('a bad signature, the issuer and an unauthorized impostor both named: bad-signature only', async () => {
    const staple = await changed('bad-signature.der', (b) => childrenAt(b, []).push(certsField(impostor)));
    expect(codes((await verify(staple)).problems)).toEqual(['error:bad-signature']);
  });

  it('the impostor first (by name, as the issuer passed): the real issuer is not it', async () => {
    // The issuer given is the impostor; the response, signed by the real intermediate, carries it.
    const staple = await changed('good.der', (b) =>
      childrenAt(b, []).push(certsField(mintedCertificateDer('intermediate.pem'))),
    );
    const assessment = await verify(staple, { issuer: parseCertificate(impostor)! });
    expect(codes(assessment.problems)).toEqual(['error:cert-id-mismatch', 'error:unauthorized-signer']);
    expect(assessment.problems[1]?.message).toBe(
      "Not an authorized responder: the signing certificate (O=Staple Check Test, CN=Staple Check Test Intermediate) was not issued by the certificate's issuer.",
    );
  });

  it('the issuer named byKey and again in the certs: the issuer', async () => {
    const staple = await changed('by-key.der', (b) =>
      childrenAt(b, []).push(certsField(mintedCertificateDer('intermediate.pem'))),
    );
    const assessment = await verify(staple);
    expect(codes(assessment.problems)).toEqual([]);
    expect(assessment.ocsp.signer?.type).toBe('issuer');
  });

  it('a verifier that throws or answers other than true: never valid', async () => {
    const real = webCryptoVerifier(globalThis.crypto);
    const run = (verifyAnswer: () => unknown) =>
      verifyStaple({
        response: mintedBytes('delegated-by-key.der'),
        issuer: intermediate,
        certificate: leaf,
        at: MINTED_NOW,
        crypto: globalThis.crypto,
        verifier: { verify: () => verifyAnswer() as boolean, digest: (h, d) => real.digest(h, d) },
      });
    expect(codes((await run(() => true)).problems)).toEqual([]);
    // The delegated responder's certificate signature is refused by the same verifier.
    expect(codes((await run(() => 'yes')).problems)).toEqual(['error:bad-signature', 'error:unauthorized-signer']);
    const thrown = await run(() => {
      throw new Error('no');
    });
    expect(codes(thrown.problems)).toEqual(['error:bad-signature', 'error:unauthorized-signer']);
  });
});

describe('cryptoEngineFor', () => {
  it('one pkijs engine per crypto, over that crypto', () => {
    const engine = cryptoEngineFor(globalThis.crypto);
    expect(cryptoEngineFor(globalThis.crypto)).toBe(engine);
    expect(engine.crypto).toBe(globalThis.crypto);
  });
});
