// Signature checks, strict where pkijs is lenient. pkijs ignores a signature BIT STRING's unused
// bits and reads ECDSA signatures loosely (a retagged or re-lengthed Ecdsa-Sig-Value still
// verifies); mozilla::pkix and OpenSSL refuse both, and so do we. Pure (WebCrypto is injected
// through the pkijs engine).
import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { isStrictEcdsaSignature } from './der.js';
import { toArrayBuffer } from './encoding.js';

const ECDSA_SIGNATURE_PREFIX = '1.2.840.10045.4.';
// RFC 4055 §5: sha1/sha256/sha384/sha512WithRSAEncryption (and the older md5/sha224 ones).
const RSA_PKCS1_SIGNATURES = new Set([
  '1.2.840.113549.1.1.4',
  '1.2.840.113549.1.1.5',
  '1.2.840.113549.1.1.11',
  '1.2.840.113549.1.1.12',
  '1.2.840.113549.1.1.13',
  '1.2.840.113549.1.1.14',
]);

/** The parameters the algorithm allows: RSA PKCS #1 a NULL or nothing (RFC 4055 §5), ECDSA nothing (RFC 5758 §3.2). */
function hasValidParameters(algorithm: pkijs.AlgorithmIdentifier): boolean {
  const params: unknown = algorithm.algorithmParams;
  const absent = params === undefined || params === null;
  if (RSA_PKCS1_SIGNATURES.has(algorithm.algorithmId)) return absent || params instanceof asn1js.Null;
  if (algorithm.algorithmId.startsWith(ECDSA_SIGNATURE_PREFIX)) return absent;
  return true;
}

/**
 * The signature value is whole octets, the algorithm's parameters are what it allows and, for
 * ECDSA, the value is a strict DER Ecdsa-Sig-Value (RFC 3279 §2.2.3). The AlgorithmIdentifier
 * outside the signed data is not covered by the signature: a lenient reader would let it be
 * anything.
 */
function isWellFormedSignature(signature: asn1js.BitString, algorithm: pkijs.AlgorithmIdentifier): boolean {
  if (signature.valueBlock.unusedBits !== 0 || !hasValidParameters(algorithm)) return false;
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
