// Which signature scheme the engine decides on, and when it refuses before any crypto runs
// (src/core/signatures.ts), and the WebCrypto verifier it hands the scheme to
// (src/core/signature-verifier.ts): tables over the committed fixtures' keys and signatures and
// hand-made SubjectPublicKeyInfos and RSASSA-PSS parameters (RFC 4055 §3.1, RFC 5758 §3.2,
// RFC 3279 §2.2.3). A recording verifier shows what is asked of the implementation.
import { describe, expect, it } from 'vitest';
import { certificateFacts, parseCertificate } from '../../src/core/certificate.js';
import type { AlgorithmId } from '../../src/core/der.js';
import {
  ecdsaSignatureToRaw,
  webCryptoVerifier,
  type SignatureScheme,
  type SignatureVerifier,
} from '../../src/core/signature-verifier.js';
import { signatureSchemeOf, verifyCertificateSignature, verifySignedData } from '../../src/core/signatures.js';
import { concat, decodeTree, encodeTree, nodeAt, oidBytes, tlv } from '../support/der-tree.js';
import { OPENSSL, certificateAt, mintedCertificate, mintedCertificateDer, pemDer } from '../support/fixture-pki.js';

const oid = (text: string) => tlv(0x06, oidBytes(text));
const NULL = tlv(0x05, []);
const seq = (...parts: Uint8Array[]) => tlv(0x30, concat(...parts));
const ctx = (n: number, inner: Uint8Array) => tlv(0xa0 | n, inner);
const int = (...octets: number[]) => tlv(0x02, octets);

const RSA = '1.2.840.113549.1.1.1';
const PSS = '1.2.840.113549.1.1.10';
const MGF1 = '1.2.840.113549.1.1.8';
const EC = '1.2.840.10045.2.1';
const SHA1 = '1.3.14.3.2.26';
const SHA256 = '2.16.840.1.101.3.4.2.1';
const SHA384 = '2.16.840.1.101.3.4.2.2';
const SHA512 = '2.16.840.1.101.3.4.2.3';

/** A SubjectPublicKeyInfo with this algorithm (and parameters) and a dummy key. */
const spki = (algorithm: string, parameters?: Uint8Array) =>
  seq(seq(oid(algorithm), ...(parameters ? [parameters] : [])), tlv(0x03, [0, 1, 2, 3]));

const rsaKey = spki(RSA, NULL);
const pssKey = spki(PSS);
const p256 = spki(EC, oid('1.2.840.10045.3.1.7'));
const p384 = spki(EC, oid('1.3.132.0.34'));
const p521 = spki(EC, oid('1.3.132.0.35'));
const secp256k1 = spki(EC, oid('1.3.132.0.10'));
const ecWithoutCurve = spki(EC);
const ecWithNullCurve = spki(EC, NULL);
const ed25519 = spki('1.3.101.112');

const alg = (text: string, parameters: Uint8Array | null = null): AlgorithmId => ({ oid: text, parameters });
const pss = (parameters: Uint8Array | null) => alg(PSS, parameters);
const hashAlg = (text: string) => seq(oid(text), NULL);
const mgf1 = (hash: string) => seq(oid(MGF1), hashAlg(hash));

describe('signatureSchemeOf: the algorithm and the key decide together', () => {
  it.each<[string, AlgorithmId, Uint8Array, SignatureScheme | null]>([
    ['sha1WithRSAEncryption, RSA key', alg('1.2.840.113549.1.1.5'), rsaKey, { name: 'rsa-pkcs1', hash: 'SHA-1' }],
    ['sha256WithRSAEncryption, RSA key', alg('1.2.840.113549.1.1.11'), rsaKey, { name: 'rsa-pkcs1', hash: 'SHA-256' }],
    ['sha384WithRSAEncryption, RSA key', alg('1.2.840.113549.1.1.12'), rsaKey, { name: 'rsa-pkcs1', hash: 'SHA-384' }],
    ['sha512WithRSAEncryption, RSA key', alg('1.2.840.113549.1.1.13'), rsaKey, { name: 'rsa-pkcs1', hash: 'SHA-512' }],
    ['sha256WithRSAEncryption, an EC key', alg('1.2.840.113549.1.1.11'), p256, null],
    ['sha256WithRSAEncryption, a PSS key', alg('1.2.840.113549.1.1.11'), pssKey, null],
    ['md5WithRSAEncryption', alg('1.2.840.113549.1.1.4'), rsaKey, null],
    ['sha224WithRSAEncryption', alg('1.2.840.113549.1.1.14'), rsaKey, null],
    ['ecdsa-with-SHA1, P-256', alg('1.2.840.10045.4.1'), p256, { name: 'ecdsa', hash: 'SHA-1', curve: 'P-256' }],
    ['ecdsa-with-SHA256, P-256', alg('1.2.840.10045.4.3.2'), p256, { name: 'ecdsa', hash: 'SHA-256', curve: 'P-256' }],
    ['ecdsa-with-SHA384, P-384', alg('1.2.840.10045.4.3.3'), p384, { name: 'ecdsa', hash: 'SHA-384', curve: 'P-384' }],
    ['ecdsa-with-SHA512, P-521', alg('1.2.840.10045.4.3.4'), p521, { name: 'ecdsa', hash: 'SHA-512', curve: 'P-521' }],
    ['ecdsa-with-SHA224', alg('1.2.840.10045.4.3.1'), p256, null],
    ['ecdsa-with-SHA256, an RSA key', alg('1.2.840.10045.4.3.2'), rsaKey, null],
    ['ecdsa-with-SHA256, secp256k1', alg('1.2.840.10045.4.3.2'), secp256k1, null],
    ['ecdsa-with-SHA256, an EC key naming no curve', alg('1.2.840.10045.4.3.2'), ecWithoutCurve, null],
    ['ecdsa-with-SHA256, an EC key with NULL for its curve', alg('1.2.840.10045.4.3.2'), ecWithNullCurve, null],
    [
      'ecdsa-with-SHA256, a P-256 curve OID on a non-EC key',
      alg('1.2.840.10045.4.3.2'),
      spki(RSA, oid('1.2.840.10045.3.1.7')),
      null,
    ],
    ['RSASSA-PSS defaults, RSA key', pss(null), rsaKey, { name: 'rsa-pss', hash: 'SHA-1', saltLength: 20 }],
    ['RSASSA-PSS defaults, PSS key', pss(null), pssKey, { name: 'rsa-pss', hash: 'SHA-1', saltLength: 20 }],
    ['RSASSA-PSS, an EC key', pss(null), p256, null],
    ['Ed25519', alg('1.3.101.112'), ed25519, null],
    ['an unknown algorithm', alg('1.2.3.4'), rsaKey, null],
    ['a key that is not DER', alg('1.2.840.113549.1.1.11'), Uint8Array.of(0x30, 0x05), null],
    ['a key whose first field is no SEQUENCE', alg('1.2.840.113549.1.1.11'), seq(oid(RSA), tlv(0x03, [0])), null],
    ['a key whose AlgorithmIdentifier has no OID', alg('1.2.840.113549.1.1.11'), seq(seq(NULL), tlv(0x03, [0])), null],
    [
      'a key whose AlgorithmIdentifier is a SET',
      alg('1.2.840.113549.1.1.11'),
      seq(tlv(0x31, concat(oid(RSA), NULL)), tlv(0x03, [0])),
      null,
    ],
    [
      'ecdsa-with-SHA256, a curve OID that is not minimal',
      alg('1.2.840.10045.4.3.2'),
      spki(EC, tlv(0x06, [0x2a, 0x80, 0x86])),
      null,
    ],
    ['an empty key SEQUENCE', alg('1.2.840.113549.1.1.11'), seq(), null],
  ])('%s', (_name, algorithm, key, scheme) => {
    expect(signatureSchemeOf(algorithm, key)).toEqual(scheme);
  });
});

describe('RSASSA-PSS-params (RFC 4055 §3.1)', () => {
  it.each<[string, Uint8Array | null, SignatureScheme | null]>([
    ['absent: SHA-1, MGF1 SHA-1, salt 20', null, { name: 'rsa-pss', hash: 'SHA-1', saltLength: 20 }],
    ['an empty SEQUENCE: the defaults', seq(), { name: 'rsa-pss', hash: 'SHA-1', saltLength: 20 }],
    [
      'SHA-256, MGF1 SHA-256, salt 32',
      seq(ctx(0, hashAlg(SHA256)), ctx(1, mgf1(SHA256)), ctx(2, int(32))),
      { name: 'rsa-pss', hash: 'SHA-256', saltLength: 32 },
    ],
    [
      'SHA-384, MGF1 SHA-384, salt 48, trailer 1',
      seq(ctx(0, hashAlg(SHA384)), ctx(1, mgf1(SHA384)), ctx(2, int(48)), ctx(3, int(1))),
      { name: 'rsa-pss', hash: 'SHA-384', saltLength: 48 },
    ],
    [
      'SHA-512, MGF1 SHA-512, a two-octet salt',
      seq(ctx(0, hashAlg(SHA512)), ctx(1, mgf1(SHA512)), ctx(2, int(0x01, 0x02))),
      { name: 'rsa-pss', hash: 'SHA-512', saltLength: 258 },
    ],
    [
      'explicit SHA-1 everywhere, salt 0',
      seq(ctx(0, hashAlg(SHA1)), ctx(1, mgf1(SHA1)), ctx(2, int(0))),
      { name: 'rsa-pss', hash: 'SHA-1', saltLength: 0 },
    ],
    ['SHA-256 with the default MGF1 (SHA-1): refused', seq(ctx(0, hashAlg(SHA256))), null],
    ['MGF1 SHA-256 with the default hash (SHA-1): refused', seq(ctx(1, mgf1(SHA256))), null],
    ['an unknown hash', seq(ctx(0, hashAlg('1.2.3.4')), ctx(1, mgf1('1.2.3.4'))), null],
    ['a mask generation function other than MGF1', seq(ctx(1, seq(oid('1.2.3.4'), hashAlg(SHA1)))), null],
    ['MGF1 without its hash', seq(ctx(1, seq(oid(MGF1)))), null],
    ['MGF1 over an unknown hash', seq(ctx(1, mgf1('1.2.3.4'))), null],
    ['MGF1 whose parameter is not an AlgorithmIdentifier', seq(ctx(1, seq(oid(MGF1), seq(NULL)))), null],
    ['a hash that is not an AlgorithmIdentifier', seq(ctx(0, seq(NULL))), null],
    ['a salt of three octets', seq(ctx(2, int(1, 0, 0))), null],
    ['a salt that is not an INTEGER', seq(ctx(2, tlv(0x04, [20]))), null],
    ['trailerField 2', seq(ctx(3, int(2))), null],
    ['a trailerField of three octets', seq(ctx(3, int(0, 0, 1))), null],
    ['a field [4]', seq(ctx(4, int(1))), null],
    ['an empty [0]', seq(tlv(0xa0, [])), null],
    ['parameters that are not a SEQUENCE', tlv(0x31, []), null],
    ['parameters NULL', NULL, null],
    ['parameters that are not DER', Uint8Array.of(0x30, 0x05, 0x00), null],
  ])('%s', (_name, parameters, scheme) => {
    expect(signatureSchemeOf(pss(parameters), rsaKey)).toEqual(scheme);
  });
});

/** A verifier that records what it is asked and answers `answer`. */
function recording(answer: boolean | (() => boolean) = true) {
  const calls: SignatureScheme[] = [];
  const verifier: SignatureVerifier = {
    verify(scheme) {
      calls.push(scheme);
      return typeof answer === 'function' ? answer() : answer;
    },
    digest: () => new Uint8Array(0),
  };
  return { calls, verifier };
}

const r = [0x01];
const s = [0x02];
const ecdsaSignature = seq(int(...r), int(...s));

describe('verifySignedData: refused before the verifier is asked', () => {
  const data = (algorithm: AlgorithmId, signature: Uint8Array, signatureUnusedBits = 0) => ({
    signed: Uint8Array.of(1, 2, 3),
    algorithm,
    signatureUnusedBits,
    signature,
  });
  const rsaSignature = Uint8Array.of(9, 9, 9);

  it.each<[string, ReturnType<typeof data>, Uint8Array, SignatureScheme | null]>([
    [
      'RSA, parameters NULL',
      data(alg('1.2.840.113549.1.1.11', NULL), rsaSignature),
      rsaKey,
      { name: 'rsa-pkcs1', hash: 'SHA-256' },
    ],
    [
      'RSA, parameters absent',
      data(alg('1.2.840.113549.1.1.11'), rsaSignature),
      rsaKey,
      { name: 'rsa-pkcs1', hash: 'SHA-256' },
    ],
    ['RSA, parameters an empty SEQUENCE', data(alg('1.2.840.113549.1.1.11', seq()), rsaSignature), rsaKey, null],
    [
      'RSA, parameters NULL with contents',
      data(alg('1.2.840.113549.1.1.11', Uint8Array.of(0x05, 0x01, 0x00)), rsaSignature),
      rsaKey,
      null,
    ],
    ['RSA, one unused bit', data(alg('1.2.840.113549.1.1.11', NULL), rsaSignature, 1), rsaKey, null],
    [
      'ECDSA, parameters absent',
      data(alg('1.2.840.10045.4.3.2'), ecdsaSignature),
      p256,
      { name: 'ecdsa', hash: 'SHA-256', curve: 'P-256' },
    ],
    [
      'ECDSA, parameters NULL (RFC 5758 §3.2: absent)',
      data(alg('1.2.840.10045.4.3.2', NULL), ecdsaSignature),
      p256,
      null,
    ],
    ['ECDSA-with-SHA1, parameters NULL', data(alg('1.2.840.10045.4.1', NULL), ecdsaSignature), p256, null],
    ['ECDSA, a negative r', data(alg('1.2.840.10045.4.3.2'), seq(int(0x80), int(...s))), p256, null],
    [
      'ECDSA, r with a needless leading zero',
      data(alg('1.2.840.10045.4.3.2'), seq(int(0x00, 0x01), int(...s))),
      p256,
      null,
    ],
    ['ECDSA, one unused bit', data(alg('1.2.840.10045.4.3.2'), ecdsaSignature, 1), p256, null],
    [
      'ECDSA, a signature that is not DER',
      data(alg('1.2.840.10045.4.3.2'), Uint8Array.of(0x30, 0x03, 0x02)),
      p256,
      null,
    ],
    [
      'PSS with parameters: not a PKCS #1 or ECDSA rule',
      data(pss(seq()), rsaSignature),
      rsaKey,
      { name: 'rsa-pss', hash: 'SHA-1', saltLength: 20 },
    ],
    ['an algorithm for another key', data(alg('1.2.840.10045.4.3.2'), ecdsaSignature), rsaKey, null],
  ])('%s', async (_name, signedData, key, scheme) => {
    const { calls, verifier } = recording(true);
    expect(await verifySignedData(signedData, key, verifier)).toBe(scheme !== null);
    expect(calls).toEqual(scheme ? [scheme] : []);
  });

  it('keeps a result per scheme, key and signature, and compares the signed bytes on a hit', async () => {
    const { calls, verifier } = recording(true);
    const signedData = {
      signed: Uint8Array.of(1),
      algorithm: alg('1.2.840.10045.4.3.2'),
      signatureUnusedBits: 0,
      signature: ecdsaSignature,
    };
    expect(await verifySignedData(signedData, p256, verifier)).toBe(true);
    expect(await verifySignedData({ ...signedData, signed: Uint8Array.of(1) }, p256, verifier)).toBe(true);
    expect(calls).toHaveLength(1);
    expect(await verifySignedData({ ...signedData, signed: Uint8Array.of(2) }, p256, verifier)).toBe(true);
    expect(calls).toHaveLength(2);
    // A false answer is kept too.
    const no = recording(false);
    expect(await verifySignedData(signedData, p256, no.verifier)).toBe(false);
    expect(await verifySignedData(signedData, p256, no.verifier)).toBe(false);
    expect(no.calls).toHaveLength(1);
  });

  it('a result is kept per scheme: the same key, signature and bytes under another hash are asked again', async () => {
    // The outer signatureAlgorithm of a staple is outside the signed bytes (RFC 6960 §4.2.1): a
    // result for one hash must never answer for another.
    const { calls, verifier } = recording(true);
    const base = { signed: Uint8Array.of(7), signatureUnusedBits: 0 };
    const ecdsa = (oid: string) => ({ ...base, algorithm: alg(oid), signature: ecdsaSignature });
    const rsa = (oid: string) => ({ ...base, algorithm: alg(oid, NULL), signature: Uint8Array.of(9, 9, 9) });
    expect(await verifySignedData(ecdsa('1.2.840.10045.4.3.2'), p256, verifier)).toBe(true);
    expect(await verifySignedData(ecdsa('1.2.840.10045.4.3.3'), p256, verifier)).toBe(true);
    expect(await verifySignedData(rsa('1.2.840.113549.1.1.11'), rsaKey, verifier)).toBe(true);
    expect(await verifySignedData(rsa('1.2.840.113549.1.1.12'), rsaKey, verifier)).toBe(true);
    expect(await verifySignedData(ecdsa('1.2.840.10045.4.3.3'), p256, verifier)).toBe(true);
    expect(calls).toEqual([
      { name: 'ecdsa', hash: 'SHA-256', curve: 'P-256' },
      { name: 'ecdsa', hash: 'SHA-384', curve: 'P-256' },
      { name: 'rsa-pkcs1', hash: 'SHA-256' },
      { name: 'rsa-pkcs1', hash: 'SHA-384' },
    ]);
  });

  it('a result is kept per key and signature: another signature over the same bytes is asked again', async () => {
    const answers = recording();
    const verifier: SignatureVerifier = {
      verify: (scheme, _key, _signed, signature) => {
        answers.calls.push(scheme);
        return signature[4] === 0x01; // r = 1 verifies, anything else does not
      },
      digest: () => new Uint8Array(0),
    };
    const signed = Uint8Array.of(7);
    const base = { signed, algorithm: alg('1.2.840.10045.4.3.2'), signatureUnusedBits: 0 };
    expect(await verifySignedData({ ...base, signature: seq(int(1), int(2)) }, p256, verifier)).toBe(true);
    expect(await verifySignedData({ ...base, signature: seq(int(3), int(2)) }, p256, verifier)).toBe(false);
    expect(await verifySignedData({ ...base, signature: seq(int(1), int(2)) }, p384, verifier)).toBe(true);
    expect(answers.calls).toHaveLength(3);
  });

  it('signed bytes changed in place after a check are checked again', async () => {
    const { calls, verifier } = recording(true);
    const signed = Uint8Array.of(1, 2, 3);
    const signedData = {
      signed,
      algorithm: alg('1.2.840.10045.4.3.2'),
      signatureUnusedBits: 0,
      signature: ecdsaSignature,
    };
    await verifySignedData(signedData, p256, verifier);
    signed[0] = 9;
    await verifySignedData(signedData, p256, verifier);
    expect(calls).toHaveLength(2);
  });

  it('a verifier that throws, or answers anything but true, is no signature', async () => {
    const signedData = {
      signed: Uint8Array.of(1),
      algorithm: alg('1.2.840.10045.4.3.2'),
      signatureUnusedBits: 0,
      signature: ecdsaSignature,
    };
    const throwing = recording(() => {
      throw new Error('no');
    });
    expect(await verifySignedData(signedData, p256, throwing.verifier)).toBe(false);
    expect(await verifySignedData(signedData, p256, throwing.verifier)).toBe(false);
    expect(throwing.calls).toHaveLength(1);
    const truthy = recording(() => 1 as unknown as boolean);
    expect(await verifySignedData(signedData, p256, truthy.verifier)).toBe(false);
  });
});

describe('verifyCertificateSignature (RFC 5280 §4.1.1.2) on the fixtures', () => {
  const crypto = globalThis.crypto;
  const intermediate = mintedCertificate('intermediate.pem');

  it.each([
    ['the leaf, by the intermediate', 'leaf.pem', 'intermediate.pem', true],
    ['the intermediate, by the root', 'intermediate.pem', 'root.pem', true],
    ['the root, by itself', 'root.pem', 'root.pem', true],
    ['the leaf, by the root', 'leaf.pem', 'root.pem', false],
    ['the responder, by another CA', 'responder.pem', 'other-root.pem', false],
  ])('%s: %s', async (_name, cert, issuer, valid) => {
    const answer = verifyCertificateSignature(
      mintedCertificate(cert),
      mintedCertificate(issuer),
      webCryptoVerifier(crypto),
    );
    expect(await answer).toBe(valid);
  });

  it('an RSA certificate of the OpenSSL vectors, by its issuer', async () => {
    const verifier = webCryptoVerifier(crypto);
    const ee = certificateAt(`${OPENSSL}ND1_Cert_EE.pem`);
    expect(await verifyCertificateSignature(ee, certificateAt(`${OPENSSL}ND1_Issuer_ICA.pem`), verifier)).toBe(true);
    expect(await verifyCertificateSignature(ee, intermediate, verifier)).toBe(false);
  });

  it('the outer signatureAlgorithm differing from the signed one: false without asking the verifier', () => {
    const tree = decodeTree(mintedCertificateDer('leaf.pem'));
    const outer = nodeAt(tree, [1]);
    if (!('children' in outer)) throw new Error('AlgorithmIdentifier');
    outer.children[0] = decodeTree(oid('1.2.840.10045.4.3.3'));
    const relabelled = parseCertificate(encodeTree(tree))!;
    const { calls, verifier } = recording(true);
    expect(verifyCertificateSignature(relabelled, intermediate, verifier)).toBe(false);
    expect(calls).toEqual([]);
    expect(certificateFacts(relabelled).signatureAlgorithm?.oid).toBe('1.2.840.10045.4.3.3');
  });
});

describe('ecdsaSignatureToRaw (RFC 3279 §2.2.3 to IEEE P1363)', () => {
  const hex = (bytes: Uint8Array | null) => (bytes ? Buffer.from(bytes).toString('hex') : null);
  it.each<[string, Uint8Array, 'P-256' | 'P-384' | 'P-521', string | null]>([
    ['small r and s, P-256', seq(int(1), int(2)), 'P-256', `${'00'.repeat(31)}01${'00'.repeat(31)}02`],
    ['small r and s, P-384', seq(int(1), int(2)), 'P-384', `${'00'.repeat(47)}01${'00'.repeat(47)}02`],
    ['small r and s, P-521', seq(int(1), int(2)), 'P-521', `${'00'.repeat(65)}01${'00'.repeat(65)}02`],
    ['r with its sign octet', seq(int(0x00, 0x80), int(2)), 'P-256', `${'00'.repeat(31)}80${'00'.repeat(31)}02`],
    [
      'a full-width r with a sign octet',
      seq(int(0x00, ...Array<number>(32).fill(0xff)), int(2)),
      'P-256',
      `${'ff'.repeat(32)}${'00'.repeat(31)}02`,
    ],
    ['r one octet too wide', seq(int(0x01, ...Array<number>(32).fill(0)), int(2)), 'P-256', null],
    ['s one octet too wide', seq(int(1), int(0x01, ...Array<number>(32).fill(0))), 'P-256', null],
    ['r of zeros only', seq(int(0, 0), int(2)), 'P-256', `${'00'.repeat(32)}${'00'.repeat(31)}02`],
    ['one INTEGER', seq(int(1)), 'P-256', null],
    ['three INTEGERs', seq(int(1), int(2), int(3)), 'P-256', null],
    ['not DER', Uint8Array.of(0x30, 0x09), 'P-256', null],
  ])('%s', (_name, der, curve, raw) => {
    expect(hex(ecdsaSignatureToRaw(der, curve))).toBe(raw);
  });
});

describe('webCryptoVerifier on the fixtures', () => {
  const crypto = globalThis.crypto;
  const intermediate = mintedCertificate('intermediate.pem');
  const leafTree = decodeTree(mintedCertificateDer('leaf.pem'));
  const tbs = encodeTree(nodeAt(leafTree, [0]));
  const bitString = nodeAt(leafTree, [2]);
  if (!('contents' in bitString)) throw new Error('BIT STRING');
  const signature = bitString.contents.subarray(1);
  const key = certificateFacts(intermediate).publicKey;
  const ecdsa: SignatureScheme = { name: 'ecdsa', hash: 'SHA-256', curve: 'P-256' };

  it('one verifier per crypto', () => {
    expect(webCryptoVerifier(crypto)).toBe(webCryptoVerifier(crypto));
  });

  it.each<[string, SignatureScheme, Uint8Array, Uint8Array, boolean]>([
    ['the leaf signature (ECDSA P-256, SHA-256)', ecdsa, tbs, signature, true],
    ['with SHA-384 asked', { ...ecdsa, hash: 'SHA-384' }, tbs, signature, false],
    ['over other bytes', ecdsa, tbs.subarray(1), signature, false],
    ['as P-384', { ...ecdsa, curve: 'P-384' }, tbs, signature, false],
    ['as RSA PKCS #1', { name: 'rsa-pkcs1', hash: 'SHA-256' }, tbs, signature, false],
    ['as RSA-PSS', { name: 'rsa-pss', hash: 'SHA-256', saltLength: 32 }, tbs, signature, false],
    ['a signature whose r does not fit', ecdsa, tbs, seq(int(1, ...Array<number>(32).fill(0)), int(1)), false],
  ])('%s: %s', async (_name, scheme, signed, sig, valid) => {
    expect(await webCryptoVerifier(crypto).verify(scheme, key, signed, sig)).toBe(valid);
  });

  it('a key that does not import: false, also the second time', async () => {
    const verifier = webCryptoVerifier(crypto);
    expect(await verifier.verify(ecdsa, Uint8Array.of(0x30, 0x00), tbs, signature)).toBe(false);
    expect(await verifier.verify(ecdsa, Uint8Array.of(0x30, 0x00), tbs, signature)).toBe(false);
    expect(await verifier.verify(ecdsa, key, tbs, signature)).toBe(true);
  });

  it('RSA PKCS #1 v1.5 with SHA-1 (an OpenSSL vector certificate), and the same key as RSA-PSS', async () => {
    const verifier = webCryptoVerifier(crypto);
    const eeTree = decodeTree(pemDer(`${OPENSSL}ND1_Cert_EE.pem`));
    const eeTbs = encodeTree(nodeAt(eeTree, [0]));
    const eeBits = nodeAt(eeTree, [2]);
    if (!('contents' in eeBits)) throw new Error('BIT STRING');
    const issuerKey = certificateFacts(certificateAt(`${OPENSSL}ND1_Issuer_ICA.pem`)).publicKey;
    const rsa: SignatureScheme = { name: 'rsa-pkcs1', hash: 'SHA-1' };
    expect(await verifier.verify(rsa, issuerKey, eeTbs, eeBits.contents.subarray(1))).toBe(true);
    expect(await verifier.verify({ ...rsa, hash: 'SHA-256' }, issuerKey, eeTbs, eeBits.contents.subarray(1))).toBe(
      false,
    );
    expect(
      await verifier.verify(
        { name: 'rsa-pss', hash: 'SHA-1', saltLength: 20 },
        issuerKey,
        eeTbs,
        eeBits.contents.subarray(1),
      ),
    ).toBe(false);
  });

  // RSA-PSS (RFC 4055 §3.1): a 2048-bit key and a signature made once with OpenSSL
  // (`openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32`), over `pssMessage`.
  const pssKey = new Uint8Array(
    Buffer.from(
      'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAzEXQxYWaMxvBssxNjvKengeQZugeJKJzjoWgoqEhleE99vAlCBkhwLDtWLUyTUJrYSMpOUhMThHaxViguX8yzr/UA+Y2z07nvaIeIDIXfCoPRMI+g/N6MmDHZt7lSIYLck/SSn3hLWe2knh115PDJKK6iUlGUisMrV03BJG+takPtR0gml2oQc7pbND6C5xWjhR6Bzd83yzHYBMSileAdNYCX6YYiSCw40k1RJO2VgcgMPaa9Cph/BSVKdDOshXlJxIcZRDj17OEUBFM0zlwmvTMsON77/cqgflp2DeJjM4JML+AIaMTjTFaxy80Ug/y8/E99ieL574DbhMV7WgbrwIDAQAB',
      'base64',
    ),
  );
  const pssSignature = new Uint8Array(
    Buffer.from(
      'Z4KH/x+q8r2D0bbil1mnKzTqyliKGlgtiy+ZHd5rQzb+yxJjqp/hH3egqZHR+xzih1g4fzYBCWFZ5FThRWPip1T6xE6VZI+4dxETzsEN5TA/wO+HIWDOBPFs4vmRoCztkYOc38ARrbIVPR05kof0/n0U/MCA+X844homS0s4KBhf1Txelru0Q4FkUalkvuBcwfLXZePyAbp9jWZz7KUM9X1wc+6ToXeS0CT8D6a6gzNSU7x5uJY411qX2MBwX7SVy/j85XOG0RVuV4tEbChaX3LiMqFiaXFXial5d+zLOQObu2lDWrPjOv2qyhtrDjhIM0HkeNoQg54CCkYYOsXrRA==',
      'base64',
    ),
  );
  const pssMessage = new TextEncoder().encode('Staple Check RSA-PSS test vector');

  it.each<[string, SignatureScheme, boolean]>([
    ['RSA-PSS, SHA-256, salt 32', { name: 'rsa-pss', hash: 'SHA-256', saltLength: 32 }, true],
    ['RSA-PSS, SHA-256, salt 20', { name: 'rsa-pss', hash: 'SHA-256', saltLength: 20 }, false],
    ['RSA-PSS, SHA-1, salt 32', { name: 'rsa-pss', hash: 'SHA-1', saltLength: 32 }, false],
    [
      'RSA-PSS, a salt longer than the key allows (WebCrypto throws)',
      { name: 'rsa-pss', hash: 'SHA-256', saltLength: 100000 },
      false,
    ],
    ['RSA PKCS #1 v1.5 over the PSS signature', { name: 'rsa-pkcs1', hash: 'SHA-256' }, false],
  ])('%s: %s', async (_name, scheme, valid) => {
    expect(await webCryptoVerifier(crypto).verify(scheme, pssKey, pssMessage, pssSignature)).toBe(valid);
  });

  it('RSA-PSS end to end: the scheme read from RSASSA-PSS-params, then verified', async () => {
    const parameters = seq(ctx(0, hashAlg(SHA256)), ctx(1, mgf1(SHA256)), ctx(2, int(32)));
    const signedData = {
      signed: pssMessage,
      algorithm: pss(parameters),
      signatureUnusedBits: 0,
      signature: pssSignature,
    };
    expect(await verifySignedData(signedData, pssKey, webCryptoVerifier(crypto))).toBe(true);
    const defaults = { ...signedData, algorithm: pss(null) };
    expect(await verifySignedData(defaults, pssKey, webCryptoVerifier(crypto))).toBe(false);
  });

  it('digests with the hash named', async () => {
    const verifier = webCryptoVerifier(crypto);
    const hex = async (hash: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512') =>
      Buffer.from(await verifier.digest(hash, new TextEncoder().encode('abc'))).toString('hex');
    expect(await hex('SHA-1')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(await hex('SHA-256')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect((await hex('SHA-384')).length).toBe(96);
    expect((await hex('SHA-512')).length).toBe(128);
  });
});
