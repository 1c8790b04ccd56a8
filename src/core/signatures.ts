// Signature checks, strict where pkijs is lenient. pkijs ignores a signature BIT STRING's unused
// bits and reads ECDSA signatures loosely (a retagged or re-lengthed Ecdsa-Sig-Value still
// verifies); mozilla::pkix and OpenSSL refuse both, and so do we. Pure (WebCrypto is injected
// through the pkijs engine).
import type * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { isStrictEcdsaSignature } from './der.js';
import { toArrayBuffer } from './encoding.js';

const ECDSA_SIGNATURE_PREFIX = '1.2.840.10045.4.';

/** The signature value is whole octets and, for ECDSA, a strict DER Ecdsa-Sig-Value (RFC 3279 §2.2.3). */
function isWellFormedSignature(signature: asn1js.BitString, algorithm: pkijs.AlgorithmIdentifier): boolean {
  if (signature.valueBlock.unusedBits !== 0) return false;
  if (algorithm.algorithmId.startsWith(ECDSA_SIGNATURE_PREFIX)) {
    return isStrictEcdsaSignature(signature.valueBlock.valueHexView);
  }
  return true;
}

/** Verify `signature` over `signed` with `signer`'s public key; any failure to verify is `false`. */
export async function verifySignedData(
  signed: Uint8Array,
  signature: asn1js.BitString,
  algorithm: pkijs.AlgorithmIdentifier,
  signer: pkijs.Certificate,
  engine: pkijs.CryptoEngine,
): Promise<boolean> {
  if (!isWellFormedSignature(signature, algorithm)) return false;
  try {
    return await engine.verifyWithPublicKey(toArrayBuffer(signed), signature, signer.subjectPublicKeyInfo, algorithm);
  } catch {
    // Unsupported algorithm, a key that does not fit the algorithm: not verified.
    return false;
  }
}

/**
 * Whether `issuer`'s key signed `cert`. RFC 5280 §4.1.1.2: the outer signatureAlgorithm must equal
 * the `signature` field inside the signed part.
 */
export async function verifyCertificateSignature(
  cert: pkijs.Certificate,
  issuer: pkijs.Certificate,
  engine: pkijs.CryptoEngine,
): Promise<boolean> {
  if (!cert.signatureAlgorithm.isEqual(cert.signature)) return false;
  return verifySignedData(cert.tbsView, cert.signatureValue, cert.signatureAlgorithm, issuer, engine);
}

/** RFC 6960 §4.2.1: the response signature covers the DER of tbsResponseData. */
export function verifyResponseSignature(
  basic: pkijs.BasicOCSPResponse,
  signer: pkijs.Certificate,
  engine: pkijs.CryptoEngine,
): Promise<boolean> {
  return verifySignedData(basic.tbsResponseData.tbsView, basic.signature, basic.signatureAlgorithm, signer, engine);
}
