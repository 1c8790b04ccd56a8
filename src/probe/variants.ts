// Offers of one key type only, to find every certificate a server has (docs/contract.md §8).
// A server holding an ECDSA and an RSA certificate picks by the client's signature_algorithms
// (RFC 8446 §4.2.3; TLS 1.2: RFC 5246 §7.4.1.4.1) and, in TLS 1.2, by the cipher suite's
// authentication; offering only the other kind's algorithms and suites makes it show the other one,
// or fail the handshake when it has none (that failure is the answer "one certificate").
import type * as tls from 'node:tls';
import type { KeyType, Offer } from '../core/result.js';
import { createTrustingContext } from './system-trust.js';

/** Signature schemes per key kind (RFC 8446 §4.2.3 names, OpenSSL `sigalgs` syntax). */
const SIGALGS: Record<'ecdsa' | 'rsa', string> = {
  ecdsa: ['ecdsa_secp256r1_sha256', 'ecdsa_secp384r1_sha384', 'ecdsa_secp521r1_sha512', 'ECDSA+SHA1'].join(':'),
  rsa: [
    'rsa_pss_rsae_sha256',
    'rsa_pss_rsae_sha384',
    'rsa_pss_rsae_sha512',
    'rsa_pkcs1_sha256',
    'rsa_pkcs1_sha384',
    'rsa_pkcs1_sha512',
    'RSA+SHA1',
  ].join(':'),
};

/**
 * TLS 1.2 and older suites per authentication (OpenSSL's `aECDSA` / `aRSA`, which covers ECDHE-RSA,
 * DHE-RSA and RSA key exchange). TLS 1.3 suites name no key kind and keep Node's defaults.
 */
const CIPHERS: Record<'ecdsa' | 'rsa', string> = {
  ecdsa: 'aECDSA:@SECLEVEL=0',
  rsa: 'aRSA:@SECLEVEL=0',
};

export function offerOf(keyType: 'ecdsa' | 'rsa'): Offer {
  return keyType === 'ecdsa' ? 'ecdsa-only' : 'rsa-only';
}

const offerContexts = new Map<string, tls.SecureContext>();
const MAX_OFFER_CONTEXTS = 16;

/**
 * A client context offering only `keyType`, trusting what handshake.ts's `trustContext` trusts.
 * Built once per trust set and kind (a context costs far more than a handshake).
 */
export function offerContext(extraCaPem: readonly string[], keyType: 'ecdsa' | 'rsa'): tls.SecureContext {
  const key = `${keyType}\n${extraCaPem.join('\n')}`;
  let context = offerContexts.get(key);
  if (!context) {
    context = createTrustingContext(extraCaPem, {
      minVersion: 'TLSv1',
      ciphers: CIPHERS[keyType],
      sigalgs: SIGALGS[keyType],
    });
    if (offerContexts.size >= MAX_OFFER_CONTEXTS) offerContexts.delete(offerContexts.keys().next().value as string);
    offerContexts.set(key, context);
  }
  return context;
}

/** Whether a key kind is one we can offer alone. */
export function isOfferable(keyType: KeyType): keyType is 'ecdsa' | 'rsa' {
  return keyType === 'ecdsa' || keyType === 'rsa';
}
