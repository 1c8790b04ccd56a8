// Which kind of key a certificate holds (RFC 5280 §4.1.2.7 subjectPublicKeyInfo). A server with an
// ECDSA and an RSA certificate picks one by the client's signature algorithms (RFC 8446 §4.2.3), so
// the kind names each certificate a site serves. Pure.
import { certificateFacts, parseCertificate } from './certificate.js';
import type { KeyType } from './result.js';

const KEY_ALGORITHMS: Record<string, KeyType> = {
  '1.2.840.113549.1.1.1': 'rsa', // rsaEncryption (RFC 8017 App. C)
  '1.2.840.113549.1.1.10': 'rsa', // id-RSASSA-PSS (RFC 4055 §3.1)
  '1.2.840.10045.2.1': 'ecdsa', // id-ecPublicKey (RFC 5480 §2.1.1)
  '1.3.101.112': 'ed25519', // id-Ed25519 (RFC 8410 §3)
};

/** The key kind of a DER certificate; `other` for any other algorithm or bytes that do not parse. */
export function keyTypeOf(der: Uint8Array): KeyType {
  const cert = parseCertificate(der);
  if (!cert) return 'other';
  return KEY_ALGORITHMS[certificateFacts(cert).publicKeyAlgorithm] ?? 'other';
}

/** The one other kind worth offering on its own: servers pair ECDSA with RSA. `null` for the rest. */
export function otherKeyType(keyType: KeyType): 'ecdsa' | 'rsa' | null {
  if (keyType === 'ecdsa') return 'rsa';
  if (keyType === 'rsa') return 'ecdsa';
  return null;
}
