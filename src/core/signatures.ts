// Signature checks, strict where pkijs is lenient. pkijs ignores a signature BIT STRING's unused
// bits and reads ECDSA signatures loosely (a retagged or re-lengthed Ecdsa-Sig-Value still
// verifies); mozilla::pkix and OpenSSL refuse both, and so do we. The scheme is decided here from
// the AlgorithmIdentifier *and* the key (an RSA algorithm never runs over an EC key), then handed
// to the injected SignatureVerifier. Validity is pure, so it is cached by the bytes. Pure.
import type * as pkijs from 'pkijs';
import { BoundedCache, bytesKey } from './bounded-cache.js';
import { certificateFacts, type CertificateFacts } from './certificate.js';
import {
  decodeOid,
  isStrictEcdsaSignature,
  readAlgorithmId,
  readChildren,
  readElement,
  type AlgorithmId,
} from './der.js';
import { bytesEqual } from './encoding.js';
import type { CurveName, HashName, SignatureScheme, SignatureVerifier } from './signature-verifier.js';

/** Signed bytes, the algorithm named next to them, and the signature BIT STRING. */
export interface SignedData {
  signed: Uint8Array;
  algorithm: AlgorithmId;
  signatureUnusedBits: number;
  signature: Uint8Array;
}

const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const RSASSA_PSS = '1.2.840.113549.1.1.10';
const MGF1 = '1.2.840.113549.1.1.8';
const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const ECDSA_SIGNATURE_PREFIX = '1.2.840.10045.4.';
const DER_NULL = Uint8Array.of(0x05, 0x00);

// RFC 4055 §5 (RSA PKCS #1 v1.5) and RFC 5758 §3.2 (ECDSA): the hash each signature OID names.
// MD5, SHA-224 and anything else are not accepted (pkijs, which this replaces, did not either).
const RSA_PKCS1_HASH: Record<string, HashName> = {
  '1.2.840.113549.1.1.5': 'SHA-1',
  '1.2.840.113549.1.1.11': 'SHA-256',
  '1.2.840.113549.1.1.12': 'SHA-384',
  '1.2.840.113549.1.1.13': 'SHA-512',
};
/** RSA PKCS #1 signature OIDs whose parameters must be NULL or absent (RFC 4055 §5), md5 and sha224 included. */
const RSA_PKCS1_SIGNATURES = new Set(['1.2.840.113549.1.1.4', '1.2.840.113549.1.1.14', ...Object.keys(RSA_PKCS1_HASH)]);
const ECDSA_HASH: Record<string, HashName> = {
  '1.2.840.10045.4.1': 'SHA-1',
  '1.2.840.10045.4.3.2': 'SHA-256',
  '1.2.840.10045.4.3.3': 'SHA-384',
  '1.2.840.10045.4.3.4': 'SHA-512',
};
const HASH_BY_OID: Record<string, HashName> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};
const CURVE_BY_OID: Record<string, CurveName> = {
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
  '1.3.132.0.35': 'P-521',
};

/** The parameters the algorithm allows: RSA PKCS #1 a NULL or nothing (RFC 4055 §5), ECDSA nothing (RFC 5758 §3.2). */
function hasValidParameters(algorithm: AlgorithmId): boolean {
  if (RSA_PKCS1_SIGNATURES.has(algorithm.oid))
    return algorithm.parameters === null || bytesEqual(algorithm.parameters, DER_NULL);
  if (algorithm.oid.startsWith(ECDSA_SIGNATURE_PREFIX)) return algorithm.parameters === null;
  return true;
}

/**
 * The signature value is whole octets, the algorithm's parameters are what it allows and, for
 * ECDSA, the value is a strict DER Ecdsa-Sig-Value (RFC 3279 §2.2.3). The AlgorithmIdentifier
 * outside the signed data is not covered by the signature: a lenient reader would let it be
 * anything.
 */
function isWellFormedSignature(data: SignedData): boolean {
  if (data.signatureUnusedBits !== 0 || !hasValidParameters(data.algorithm)) return false;
  if (data.algorithm.oid.startsWith(ECDSA_SIGNATURE_PREFIX)) return isStrictEcdsaSignature(data.signature);
  return true;
}

interface KeyKind {
  algorithm: string;
  curve: CurveName | null;
}

/** SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }. */
function keyKindOf(spki: Uint8Array): KeyKind | null {
  const outer = readElement(spki, 0, spki.length);
  const algorithm = outer ? readChildren(spki, outer)[0] : undefined;
  if (!algorithm || algorithm.tag !== 0x30) return null;
  const id = readAlgorithmId(spki, algorithm);
  if (!id) return null;
  let curve: CurveName | null = null;
  if (id.oid === EC_PUBLIC_KEY && id.parameters?.[0] === 0x06) {
    curve = CURVE_BY_OID[decodeOid(id.parameters.subarray(2)) ?? ''] ?? null;
  }
  return { algorithm: id.oid, curve };
}

/**
 * RFC 4055 §3.1 RSASSA-PSS-params: [0] hashAlgorithm (SHA-1), [1] maskGenAlgorithm (MGF1 with
 * SHA-1), [2] saltLength (20), [3] trailerField (1). Only MGF1 over the same hash, as WebCrypto does.
 */
function pssSchemeOf(parameters: Uint8Array | null): SignatureScheme | null {
  let hash: HashName = 'SHA-1';
  let mgfHash: HashName = 'SHA-1';
  let saltLength = 20;
  if (parameters) {
    const sequence = readElement(parameters, 0, parameters.length);
    if (!sequence || sequence.tag !== 0x30) return null;
    for (const field of readChildren(parameters, sequence)) {
      const inner = readElement(parameters, field.contents, field.end);
      if (!inner) return null;
      if (field.tag === 0xa0 || field.tag === 0xa1) {
        const id = readAlgorithmId(parameters, inner);
        if (!id) return null;
        if (field.tag === 0xa0) {
          const named = HASH_BY_OID[id.oid];
          if (!named) return null;
          hash = named;
        } else {
          if (id.oid !== MGF1 || !id.parameters) return null;
          const mgf = readElement(id.parameters, 0, id.parameters.length);
          const mgfId = mgf ? readAlgorithmId(id.parameters, mgf) : null;
          const named = HASH_BY_OID[mgfId?.oid ?? ''];
          if (!named) return null;
          mgfHash = named;
        }
      } else if (field.tag === 0xa2 || field.tag === 0xa3) {
        if (inner.tag !== 0x02 || inner.end - inner.contents > 2) return null;
        let value = 0;
        for (let i = inner.contents; i < inner.end; i++) value = value * 256 + (parameters[i] ?? 0);
        if (field.tag === 0xa2) saltLength = value;
        else if (value !== 1) return null;
      } else return null;
    }
  }
  return mgfHash === hash ? { name: 'rsa-pss', hash, saltLength } : null;
}

/** The scheme the algorithm names, if the key is of the kind it needs; `null`: not verifiable here. */
export function signatureSchemeOf(algorithm: AlgorithmId, publicKey: Uint8Array): SignatureScheme | null {
  const key = keyKindOf(publicKey);
  if (!key) return null;
  const rsaHash = RSA_PKCS1_HASH[algorithm.oid];
  if (rsaHash) return key.algorithm === RSA_ENCRYPTION ? { name: 'rsa-pkcs1', hash: rsaHash } : null;
  const ecdsaHash = ECDSA_HASH[algorithm.oid];
  if (ecdsaHash) return key.curve ? { name: 'ecdsa', hash: ecdsaHash, curve: key.curve } : null;
  if (algorithm.oid === RSASSA_PSS && (key.algorithm === RSA_ENCRYPTION || key.algorithm === RSASSA_PSS))
    return pssSchemeOf(algorithm.parameters);
  return null;
}

/** At most this many signature results are kept per verifier (issuers and responders recur across sites). */
const MAX_CACHED_SIGNATURES = 512;
const verdictCaches = new WeakMap<SignatureVerifier, BoundedCache<string, boolean>>();

/** The scheme as a key part: every field that changes what is verified. */
function schemeKey(scheme: SignatureScheme): string {
  switch (scheme.name) {
    case 'rsa-pkcs1':
      return `rsa-pkcs1 ${scheme.hash}`;
    case 'rsa-pss':
      return `rsa-pss ${scheme.hash} ${scheme.saltLength}`;
    case 'ecdsa':
      return `ecdsa ${scheme.hash} ${scheme.curve}`;
  }
}

/** Verify `data`'s signature with the key `publicKey` (DER SPKI); any failure to verify is `false`. */
export async function verifySignedData(
  data: SignedData,
  publicKey: Uint8Array,
  verifier: SignatureVerifier,
): Promise<boolean> {
  if (!isWellFormedSignature(data)) return false;
  const scheme = signatureSchemeOf(data.algorithm, publicKey);
  if (!scheme) return false;
  let cache = verdictCaches.get(verifier);
  if (!cache) {
    cache = new BoundedCache(MAX_CACHED_SIGNATURES);
    verdictCaches.set(verifier, cache);
  }
  // Keyed by scheme, key, signature and the signed bytes, each part's length first so no two
  // different inputs join to one key. The signed bytes are in the key rather than kept and compared
  // (issue 11: the runtime hashes and compares a key natively, far faster than a compare in
  // uncompiled JS; the memory is the same, one copy of the signed bytes per entry).
  const key = `${schemeKey(scheme)}|${publicKey.length}|${data.signature.length}|${bytesKey(publicKey)}${bytesKey(data.signature)}${bytesKey(data.signed)}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  let valid: boolean;
  try {
    valid = (await verifier.verify(scheme, publicKey, data.signed, data.signature)) === true;
  } catch {
    valid = false;
  }
  cache.set(key, valid);
  return valid;
}

// Whether a signer's key signed a parsed object (a certificate's facts, a staple's
// BasicOCSPResponse), per verifier, keyed by the two objects themselves. Each is made once from the
// engine's own copy of its bytes (parseCertificate, parseStaple), which nothing writes, so it
// stands for exactly those bytes for as long as it lives; held weakly, so an entry goes with the
// parse caches' objects. A site checked again meets the same parsed leaf, issuer and staple (the
// parse caches), and then builds no byte keys for the signature cache (issue 11: six keys, about
// 2 KB, per check); an object parsed anew (evicted) still finds its verdict there by bytes.
const verdictsByObject = new WeakMap<SignatureVerifier, WeakMap<object, WeakMap<CertificateFacts, boolean>>>();

/** What a parsed, signed object carries (a certificate's facts, a staple's BasicOCSPResponse). */
interface ParsedSigned {
  /** The DER the signature covers. */
  tbs: Uint8Array;
  signatureAlgorithm: AlgorithmId;
  signatureUnusedBits: number;
  signature: Uint8Array;
}

/**
 * Whether `signer`'s key signed `signed`, remembered by the two objects (see above). Only for
 * objects made by the engine's parsers from their own copies of the bytes.
 */
export function verifyParsedSignature(
  signed: ParsedSigned,
  signer: CertificateFacts,
  verifier: SignatureVerifier,
): Promise<boolean> | boolean {
  let bySigned = verdictsByObject.get(verifier);
  if (!bySigned) {
    bySigned = new WeakMap();
    verdictsByObject.set(verifier, bySigned);
  }
  let bySigner = bySigned.get(signed);
  if (!bySigner) {
    bySigner = new WeakMap();
    bySigned.set(signed, bySigner);
  }
  const known = bySigner.get(signer);
  if (known !== undefined) return known;
  const verdicts = bySigner;
  const data = {
    signed: signed.tbs,
    algorithm: signed.signatureAlgorithm,
    signatureUnusedBits: signed.signatureUnusedBits,
    signature: signed.signature,
  };
  return verifySignedData(data, signer.publicKey, verifier).then((valid) => {
    verdicts.set(signer, valid);
    return valid;
  });
}

/**
 * Whether `issuer`'s key signed `cert`. RFC 5280 §4.1.1.2: the outer signatureAlgorithm must equal
 * the `signature` field inside the signed part.
 */
export function verifyCertificateSignature(
  cert: pkijs.Certificate,
  issuer: pkijs.Certificate,
  verifier: SignatureVerifier,
): Promise<boolean> | boolean {
  const facts = certificateFacts(cert);
  // Compared as their exact DER: the same algorithm and the same parameters, byte for byte.
  if (!bytesEqual(facts.outerAlgorithm, facts.innerAlgorithm)) return false;
  return verifyParsedSignature(facts, certificateFacts(issuer), verifier);
}
