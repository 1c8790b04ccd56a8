// The node:crypto SignatureVerifier (src/probe/node-verifier.ts) on its own: each scheme verifies
// what it should and nothing else (wrong hash, wrong padding, wrong salt length, wrong curve, a key
// of the other kind, a signature in the other ECDSA encoding, an unreadable key), and each digest is
// the named hash. The P-256 key is a committed fixture; the RSA, RSA-PSS and P-384 keys are made
// once for the file.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  constants,
  type KeyObject,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { HashName, SignatureScheme } from '../../src/core/signature-verifier.js';
import { nodeSignatureVerifier, nodeVerifier } from '../../src/probe/node-verifier.js';

const NODE_HASH: Record<HashName, string> = {
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};
const HASHES = Object.keys(NODE_HASH) as HashName[];

const p256 = createPrivateKey(readFileSync(new URL('../fixtures/minted/root.key.pem', import.meta.url), 'latin1'));
const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey;
const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
const rsaPss = generateKeyPairSync('rsa-pss', { modulusLength: 1024 }).privateKey;
const spki = (key: KeyObject) => new Uint8Array(createPublicKey(key).export({ type: 'spki', format: 'der' }));

const data = new TextEncoder().encode('tbsResponseData');
const other = new TextEncoder().encode('tbsResponseDatA');

const pkcs1 = (key: KeyObject, hash: HashName) => new Uint8Array(sign(NODE_HASH[hash], data, key));
const pss = (key: KeyObject, hash: HashName, saltLength: number) =>
  new Uint8Array(sign(NODE_HASH[hash], data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }));
const ecdsa = (key: KeyObject, hash: HashName, dsaEncoding: 'der' | 'ieee-p1363' = 'der') =>
  new Uint8Array(sign(NODE_HASH[hash], data, { key, dsaEncoding }));

describe('nodeSignatureVerifier().verify', () => {
  const v = nodeSignatureVerifier();

  it.each(HASHES)('RSA PKCS#1 v1.5 with %s: the right hash verifies, another hash or other data does not', (hash) => {
    const scheme: SignatureScheme = { name: 'rsa-pkcs1', hash };
    const signature = pkcs1(rsa, hash);
    expect(v.verify(scheme, spki(rsa), data, signature)).toBe(true);
    expect(v.verify(scheme, spki(rsa), other, signature)).toBe(false);
    const wrong = HASHES.find((h) => h !== hash) as HashName;
    expect(v.verify({ name: 'rsa-pkcs1', hash: wrong }, spki(rsa), data, signature)).toBe(false);
  });

  it.each(HASHES)('RSA-PSS with %s: its salt length only, and never a PKCS#1 v1.5 signature', (hash) => {
    const signature = pss(rsa, hash, 20);
    expect(v.verify({ name: 'rsa-pss', hash, saltLength: 20 }, spki(rsa), data, signature)).toBe(true);
    expect(v.verify({ name: 'rsa-pss', hash, saltLength: 32 }, spki(rsa), data, signature)).toBe(false);
    expect(v.verify({ name: 'rsa-pss', hash, saltLength: 20 }, spki(rsa), other, signature)).toBe(false);
    expect(v.verify({ name: 'rsa-pss', hash, saltLength: 20 }, spki(rsa), data, pkcs1(rsa, hash))).toBe(false);
    expect(v.verify({ name: 'rsa-pkcs1', hash }, spki(rsa), data, signature)).toBe(false);
  });

  it('RSA-PSS with an RSA-PSS key (id-RSASSA-PSS SPKI); PKCS#1 v1.5 never with one', () => {
    const signature = pss(rsaPss, 'SHA-256', 32);
    expect(v.verify({ name: 'rsa-pss', hash: 'SHA-256', saltLength: 32 }, spki(rsaPss), data, signature)).toBe(true);
    expect(v.verify({ name: 'rsa-pkcs1', hash: 'SHA-256' }, spki(rsaPss), data, signature)).toBe(false);
  });

  it.each(HASHES)('ECDSA P-256 with %s: DER signatures only, on the named curve only', (hash) => {
    const signature = ecdsa(p256, hash);
    expect(v.verify({ name: 'ecdsa', hash, curve: 'P-256' }, spki(p256), data, signature)).toBe(true);
    expect(v.verify({ name: 'ecdsa', hash, curve: 'P-256' }, spki(p256), other, signature)).toBe(false);
    expect(v.verify({ name: 'ecdsa', hash, curve: 'P-384' }, spki(p256), data, signature)).toBe(false);
    expect(v.verify({ name: 'ecdsa', hash, curve: 'P-521' }, spki(p256), data, signature)).toBe(false);
    // The same signature as r||s (IEEE P1363, WebCrypto's form) is not a DER Ecdsa-Sig-Value.
    expect(v.verify({ name: 'ecdsa', hash, curve: 'P-256' }, spki(p256), data, ecdsa(p256, hash, 'ieee-p1363'))).toBe(
      false,
    );
  });

  it('ECDSA P-384 on P-384 only', () => {
    const signature = ecdsa(p384, 'SHA-384');
    expect(v.verify({ name: 'ecdsa', hash: 'SHA-384', curve: 'P-384' }, spki(p384), data, signature)).toBe(true);
    expect(v.verify({ name: 'ecdsa', hash: 'SHA-384', curve: 'P-256' }, spki(p384), data, signature)).toBe(false);
  });

  it('a key of the other kind never verifies', () => {
    expect(v.verify({ name: 'rsa-pkcs1', hash: 'SHA-256' }, spki(p256), data, ecdsa(p256, 'SHA-256'))).toBe(false);
    expect(
      v.verify({ name: 'rsa-pss', hash: 'SHA-256', saltLength: 32 }, spki(p256), data, ecdsa(p256, 'SHA-256')),
    ).toBe(false);
    expect(v.verify({ name: 'ecdsa', hash: 'SHA-256', curve: 'P-256' }, spki(rsa), data, pkcs1(rsa, 'SHA-256'))).toBe(
      false,
    );
  });

  it('an unreadable key or a malformed signature is false, not an exception, and stays false', () => {
    const garbage = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]);
    for (let i = 0; i < 2; i++) {
      expect(v.verify({ name: 'ecdsa', hash: 'SHA-256', curve: 'P-256' }, garbage, data, ecdsa(p256, 'SHA-256'))).toBe(
        false,
      );
    }
    expect(
      v.verify({ name: 'ecdsa', hash: 'SHA-256', curve: 'P-256' }, spki(p256), data, new Uint8Array([1, 2, 3])),
    ).toBe(false);
    expect(
      v.verify({ name: 'rsa-pss', hash: 'SHA-256', saltLength: -5 }, spki(rsa), data, pss(rsa, 'SHA-256', 20)),
    ).toBe(false);
  });

  it('a key seen before answers the same (the key cache is keyed by the key bytes)', () => {
    const fresh = nodeSignatureVerifier();
    const signature = ecdsa(p256, 'SHA-256');
    expect(fresh.verify({ name: 'ecdsa', hash: 'SHA-256', curve: 'P-256' }, spki(p256), data, signature)).toBe(true);
    expect(fresh.verify({ name: 'ecdsa', hash: 'SHA-256', curve: 'P-256' }, spki(p256), data, signature)).toBe(true);
    expect(fresh.verify({ name: 'rsa-pkcs1', hash: 'SHA-256' }, spki(rsa), data, pkcs1(rsa, 'SHA-256'))).toBe(true);
    expect(
      fresh.verify({ name: 'ecdsa', hash: 'SHA-256', curve: 'P-256' }, spki(p256), data, pkcs1(rsa, 'SHA-256')),
    ).toBe(false);
  });
});

describe('digest', () => {
  it.each(HASHES)('%s is that hash', async (hash) => {
    const expected = new Uint8Array(createHash(NODE_HASH[hash]).update(data).digest());
    expect(new Uint8Array(await nodeSignatureVerifier().digest(hash, data))).toEqual(expected);
    expect(new Uint8Array(await nodeVerifier.digest(hash, data))).toEqual(expected);
  });

  it('SHA-1 of "abc" is the FIPS 180 vector', async () => {
    const abc = new TextEncoder().encode('abc');
    expect(Buffer.from(await nodeVerifier.digest('SHA-1', abc)).toString('hex')).toBe(
      'a9993e364706816aba3e25717850c26c9cd0d89d',
    );
  });
});

describe('nodeVerifier, the shared one', () => {
  it('verifies like a fresh one', () => {
    expect(
      nodeVerifier.verify({ name: 'ecdsa', hash: 'SHA-256', curve: 'P-256' }, spki(p256), data, ecdsa(p256, 'SHA-256')),
    ).toBe(true);
  });
});
