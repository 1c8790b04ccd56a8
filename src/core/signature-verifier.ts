// The one place signatures are checked and digests taken, injected (docs/architecture.md rule 1:
// crypto is a parameter, not a global). The engine decides *what* to verify (the scheme, from the
// signature AlgorithmIdentifier and the key; every strict-DER rule stays in src/core); an
// implementation only runs it. The probe, the CLI and the host pass one built on node:crypto
// (src/probe/node-verifier.ts: a KeyObject per key, one-shot verify); `webCryptoVerifier` serves
// the browser and pure tests. Both must answer the same, which test/unit/signature-verifier.test.ts checks.
import { BoundedCache, bytesKey } from './bounded-cache.js';
import { readChildren, readElement } from './der.js';
import { toArrayBuffer } from './encoding.js';

export type HashName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';
export type CurveName = 'P-256' | 'P-384' | 'P-521';

/** A signature scheme the engine accepts, fully decided: nothing is left to the implementation. */
export type SignatureScheme =
  | { name: 'rsa-pkcs1'; hash: HashName }
  | { name: 'rsa-pss'; hash: HashName; saltLength: number }
  | { name: 'ecdsa'; hash: HashName; curve: CurveName };

export interface SignatureVerifier {
  /**
   * Whether `signature` over `signed` verifies with the DER SubjectPublicKeyInfo `publicKey` under
   * `scheme`. ECDSA signatures come as the DER Ecdsa-Sig-Value (RFC 3279 §2.2.3), already checked
   * strict. Any failure (a key that does not parse or fit) is `false`, never a throw.
   */
  verify(
    scheme: SignatureScheme,
    publicKey: Uint8Array,
    signed: Uint8Array,
    signature: Uint8Array,
  ): boolean | Promise<boolean>;
  digest(hash: HashName, data: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

const CURVE_BYTES: Record<CurveName, number> = { 'P-256': 32, 'P-384': 48, 'P-521': 66 };

/** ECDSA DER Ecdsa-Sig-Value → the fixed-width r‖s WebCrypto wants (IEEE P1363); `null` if r or s does not fit. */
export function ecdsaSignatureToRaw(der: Uint8Array, curve: CurveName): Uint8Array | null {
  const size = CURVE_BYTES[curve];
  const sequence = readElement(der, 0, der.length);
  if (!sequence) return null;
  const integers = readChildren(der, sequence);
  if (integers.length !== 2) return null;
  const raw = new Uint8Array(2 * size);
  for (const [i, integer] of integers.entries()) {
    let value = der.subarray(integer.contents, integer.end);
    while (value.length > 0 && value[0] === 0) value = value.subarray(1);
    if (value.length > size) return null;
    raw.set(value, (i + 1) * size - value.length);
  }
  return raw;
}

function webCryptoImportAlgorithm(scheme: SignatureScheme): RsaHashedImportParams | EcKeyImportParams {
  switch (scheme.name) {
    case 'rsa-pkcs1':
      return { name: 'RSASSA-PKCS1-v1_5', hash: scheme.hash };
    case 'rsa-pss':
      return { name: 'RSA-PSS', hash: scheme.hash };
    case 'ecdsa':
      return { name: 'ECDSA', namedCurve: scheme.curve };
  }
}

function webCryptoVerifyAlgorithm(scheme: SignatureScheme): AlgorithmIdentifier | RsaPssParams | EcdsaParams {
  switch (scheme.name) {
    case 'rsa-pkcs1':
      return { name: 'RSASSA-PKCS1-v1_5' };
    case 'rsa-pss':
      return { name: 'RSA-PSS', saltLength: scheme.saltLength };
    case 'ecdsa':
      return { name: 'ECDSA', hash: scheme.hash };
  }
}

const webCryptoVerifiers = new WeakMap<Crypto, SignatureVerifier>();

/** A verifier over an injected WebCrypto (browsers, pure tests). Imported keys are kept, at most 64. */
export function webCryptoVerifier(crypto: Crypto): SignatureVerifier {
  const existing = webCryptoVerifiers.get(crypto);
  if (existing) return existing;
  const keys = new BoundedCache<string, Promise<CryptoKey | null>>(64);
  const verifier: SignatureVerifier = {
    async verify(scheme, publicKey, signed, signature) {
      const importAlgorithm = webCryptoImportAlgorithm(scheme);
      const cacheKey = `${JSON.stringify(importAlgorithm)}|${bytesKey(publicKey)}`;
      let key = keys.get(cacheKey);
      if (!key) {
        key = crypto.subtle
          .importKey('spki', toArrayBuffer(publicKey), importAlgorithm, false, ['verify'])
          .catch(() => null);
        keys.set(cacheKey, key);
      }
      const imported = await key;
      const value = scheme.name === 'ecdsa' ? ecdsaSignatureToRaw(signature, scheme.curve) : signature;
      if (!imported || !value) return false;
      try {
        return await crypto.subtle.verify(
          webCryptoVerifyAlgorithm(scheme),
          imported,
          toArrayBuffer(value),
          toArrayBuffer(signed),
        );
      } catch {
        return false;
      }
    },
    async digest(hash, data) {
      return new Uint8Array(await crypto.subtle.digest(hash, toArrayBuffer(data)));
    },
  };
  webCryptoVerifiers.set(crypto, verifier);
  return verifier;
}
