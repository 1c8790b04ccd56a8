// The SignatureVerifier the Node shells pass to the engine: node:crypto with one KeyObject per key
// (kept, at most 256) and a one-shot verify, instead of a WebCrypto key import per check (issue 11:
// the import and its promises cost several times the verification itself). The engine has already
// decided the scheme and checked every strict-DER rule; this only runs it.
import { createHash, createPublicKey, verify, constants, type KeyObject } from 'node:crypto';
import { BoundedCache, bytesKey } from '../core/bounded-cache.js';
import type { HashName, SignatureScheme, SignatureVerifier } from '../core/signature-verifier.js';

const NODE_HASH: Record<HashName, string> = {
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};
const NODE_CURVE = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' } as const;

/** Whether the key is what the scheme needs (the engine decided from the SPKI; this is the key's own word). */
function keyFits(key: KeyObject, scheme: SignatureScheme): boolean {
  switch (scheme.name) {
    case 'rsa-pkcs1':
      return key.asymmetricKeyType === 'rsa';
    case 'rsa-pss':
      return key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss';
    case 'ecdsa':
      return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === NODE_CURVE[scheme.curve];
  }
}

export function nodeSignatureVerifier(): SignatureVerifier {
  const keys = new BoundedCache<string, { key: KeyObject | null }>(256);
  const keyFor = (spki: Uint8Array): KeyObject | null => {
    const cacheKey = bytesKey(spki);
    let entry = keys.get(cacheKey);
    if (!entry) {
      try {
        entry = { key: createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }) };
      } catch {
        entry = { key: null };
      }
      keys.set(cacheKey, entry);
    }
    return entry.key;
  };
  return {
    verify(scheme, publicKey, signed, signature) {
      const key = keyFor(publicKey);
      if (!key || !keyFits(key, scheme)) return false;
      try {
        if (scheme.name === 'rsa-pss') {
          return verify(
            NODE_HASH[scheme.hash],
            signed,
            { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: scheme.saltLength },
            signature,
          );
        }
        if (scheme.name === 'ecdsa')
          return verify(NODE_HASH[scheme.hash], signed, { key, dsaEncoding: 'der' }, signature);
        return verify(NODE_HASH[scheme.hash], signed, key, signature);
      } catch {
        return false;
      }
    },
    digest(hash, data) {
      return createHash(NODE_HASH[hash]).update(data).digest();
    },
  };
}

/** One per process, so its keys (and the engine's signature cache keyed by it) serve every check. */
export const nodeVerifier: SignatureVerifier = nodeSignatureVerifier();
