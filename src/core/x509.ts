// RFC 5280 §4.1 read by a strict DER walk of the fields a verdict needs. pkijs' schema parse cost
// ~2 ms a certificate on the host (its V8 flags leave asn1js to the interpreter), most of a check
// of a first-seen site (issue 11); this reads the same structure at least as strictly: the bytes
// pass `isStrictDer` first (X.690 §10: definite, minimal, consistent lengths, nothing trailing),
// then every element must have the tag the ASN.1 module gives it, in order, with nothing missing
// or extra (pkijs ignores extra elements after the last one its schema names), and each time must
// name a real instant in the form RFC 5280 §4.1.2.5 prescribes. Anything else is `null`. Pure.
import * as asn1js from 'asn1js';
import {
  decodeGeneralizedTime,
  decodeUtcTime,
  decodeOid,
  decodeSmallInteger,
  readAlgorithmId,
  readChildren,
  readElement,
  type AlgorithmId,
  type DerElement,
} from './der.js';
import {
  BIT_STRING,
  BOOLEAN,
  Fields,
  GENERALIZED_TIME,
  INTEGER,
  OBJECT_IDENTIFIER,
  OCTET_STRING,
  SEQUENCE,
  SET,
  UTC_TIME,
  bitString,
  contentsOf,
  explicit,
  fail,
  readExtensions,
  walkSequence,
  whole,
  type ExtensionFields,
} from './der-walk.js';
import { toArrayBuffer } from './encoding.js';

export type { ExtensionFields } from './der-walk.js';

// X.690 identifier octets used below.
const VERSION_TAG = 0xa0; // [0] EXPLICIT Version
const ISSUER_UNIQUE_ID_TAG = 0x81; // [1] IMPLICIT UniqueIdentifier
const SUBJECT_UNIQUE_ID_TAG = 0x82; // [2] IMPLICIT UniqueIdentifier
const EXTENSIONS_TAG = 0xa3; // [3] EXPLICIT Extensions

/** What a verdict reads of a certificate, each as the exact DER it was signed with. */
export interface CertificateFields {
  /** The DER of tbsCertificate: what the issuer's signature covers. */
  tbs: Uint8Array;
  /** 0 for v1 (the field absent), 2 for v3. */
  version: number;
  /** The serialNumber INTEGER's contents octets. */
  serialNumber: Uint8Array;
  /** The DER of the `signature` AlgorithmIdentifier inside tbsCertificate. */
  innerAlgorithm: Uint8Array;
  /** The DER of the outer signatureAlgorithm (RFC 5280 §4.1.1.2: must equal the inner one). */
  outerAlgorithm: Uint8Array;
  /** The outer signatureAlgorithm read. */
  signatureAlgorithm: AlgorithmId;
  issuer: Uint8Array;
  subject: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  /** DER SubjectPublicKeyInfo. */
  publicKey: Uint8Array;
  /** The SubjectPublicKeyInfo's algorithm OID. */
  publicKeyAlgorithm: string;
  /** The subjectPublicKey BIT STRING's value, without the unused-bits octet (RFC 6960 §4.1.1 hashes this). */
  publicKeyBits: Uint8Array;
  extensions: ExtensionFields[];
  signatureUnusedBits: number;
  /** The signatureValue BIT STRING's value, without the unused-bits octet. */
  signature: Uint8Array;
}

/** Universal string types asn1js reads one character per octet (or as UTF-8) without a check that can fail. */
const PLAIN_STRINGS = new Set([0x0c, 0x12, 0x13, 0x14, 0x16, 0x1a]);

/**
 * Whether asn1js reads a value of an `ANY` field (algorithm parameters, attribute values) without
 * an error, as pkijs needed it to: asn1js checks each universal type it knows (a constructed NULL,
 * a BMPString of odd length, a BIT STRING with 8 unused bits, a time that is no time), so the
 * forms known to pass are walked here and any other is handed to asn1js itself.
 */
export function isReadableAny(bytes: Uint8Array, e: DerElement, depth = 0): boolean {
  const tag = e.tag;
  const length = e.end - e.contents;
  if ((tag & 0x1f) !== 0x1f && depth < 32) {
    if (tag === SEQUENCE || tag === SET || (tag & 0xc0 && tag & 0x20)) {
      return readChildren(bytes, e).every((child) => isReadableAny(bytes, child, depth + 1));
    }
    if (tag & 0xc0) return true; // a primitive of another class: asn1js keeps its octets
    if (tag === 0x05 && length === 0) return true; // NULL
    if (tag === BOOLEAN && length === 1) return true;
    if (tag === INTEGER && length > 0) return true;
    if (tag === OCTET_STRING) return true;
    if (tag === BIT_STRING && length > 0 && (bytes[e.contents] ?? 8) <= 7) return true;
    if (tag === OBJECT_IDENTIFIER && decodeOid(contentsOf(bytes, e)) !== null) return true;
    if (PLAIN_STRINGS.has(tag)) return true;
  }
  try {
    const asn1 = asn1js.fromBER(toArrayBuffer(whole(bytes, e)), { parseEmbedded: false });
    return asn1.offset === e.end - e.start && !asn1.result.error;
  } catch {
    return false;
  }
}

/** An AlgorithmIdentifier whose parameters asn1js reads. */
function algorithm(bytes: Uint8Array, e: DerElement): AlgorithmId {
  const id = readAlgorithmId(bytes, e) ?? fail();
  const [, parameters] = readChildren(bytes, e);
  if (parameters && !isReadableAny(bytes, parameters)) fail();
  return id;
}

/** Time ::= CHOICE { utcTime UTCTime, generalTime GeneralizedTime } (RFC 5280 §4.1.2.5). */
function time(bytes: Uint8Array, e: DerElement): Date {
  const contents = contentsOf(bytes, e);
  return (e.tag === UTC_TIME ? decodeUtcTime(contents) : decodeGeneralizedTime(contents)) ?? fail();
}

/**
 * Name ::= SEQUENCE OF RelativeDistinguishedName; RelativeDistinguishedName ::= SET SIZE (1..MAX)
 * OF AttributeTypeAndValue; AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY }.
 */
function checkName(bytes: Uint8Array, name: DerElement): void {
  for (const rdn of readChildren(bytes, name)) {
    if (rdn.tag !== SET) fail();
    const attributes = readChildren(bytes, rdn);
    if (attributes.length === 0) fail();
    for (const attribute of attributes) {
      if (attribute.tag !== SEQUENCE) fail();
      const [type, value, extra] = readChildren(bytes, attribute);
      if (!type || type.tag !== OBJECT_IDENTIFIER || !value || extra) fail();
      if (decodeOid(contentsOf(bytes, type)) === null || !isReadableAny(bytes, value)) fail();
    }
  }
}

/**
 * Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signatureValue BIT STRING }
 * TBSCertificate ::= SEQUENCE { version [0] EXPLICIT DEFAULT v1, serialNumber INTEGER, signature
 * AlgorithmIdentifier, issuer Name, validity SEQUENCE { notBefore Time, notAfter Time }, subject Name,
 * subjectPublicKeyInfo SEQUENCE { algorithm, subjectPublicKey BIT STRING }, issuerUniqueID [1]
 * IMPLICIT OPTIONAL, subjectUniqueID [2] IMPLICIT OPTIONAL, extensions [3] EXPLICIT OPTIONAL }
 */
export function readCertificate(bytes: Uint8Array): CertificateFields | null {
  return walkSequence(bytes, (certificate) => {
    const tbsElement = certificate.take(SEQUENCE);
    const outerAlgorithm = certificate.take(SEQUENCE);
    const signature = bitString(bytes, certificate.take(BIT_STRING));
    certificate.end();

    const tbs = new Fields(bytes, tbsElement);
    const versionWrapper = tbs.optional(VERSION_TAG);
    let version = 0;
    if (versionWrapper)
      version = decodeSmallInteger(contentsOf(bytes, explicit(bytes, versionWrapper, INTEGER))) ?? fail();
    const serialNumber = contentsOf(bytes, tbs.take(INTEGER));
    if (serialNumber.length === 0) fail();
    const innerAlgorithm = tbs.take(SEQUENCE);
    algorithm(bytes, innerAlgorithm);
    const issuer = tbs.take(SEQUENCE);
    checkName(bytes, issuer);
    const validity = new Fields(bytes, tbs.take(SEQUENCE));
    const notBefore = time(bytes, validity.either([UTC_TIME, GENERALIZED_TIME]));
    const notAfter = time(bytes, validity.either([UTC_TIME, GENERALIZED_TIME]));
    validity.end();
    const subject = tbs.take(SEQUENCE);
    checkName(bytes, subject);
    const spkiElement = tbs.take(SEQUENCE);
    const spki = new Fields(bytes, spkiElement);
    const keyAlgorithm = algorithm(bytes, spki.take(SEQUENCE));
    const keyBits = bitString(bytes, spki.take(BIT_STRING));
    spki.end();
    tbs.optional(ISSUER_UNIQUE_ID_TAG);
    tbs.optional(SUBJECT_UNIQUE_ID_TAG);
    const extensionsWrapper = tbs.optional(EXTENSIONS_TAG);
    tbs.end();

    return {
      tbs: whole(bytes, tbsElement),
      version,
      serialNumber,
      innerAlgorithm: whole(bytes, innerAlgorithm),
      outerAlgorithm: whole(bytes, outerAlgorithm),
      signatureAlgorithm: algorithm(bytes, outerAlgorithm),
      issuer: whole(bytes, issuer),
      subject: whole(bytes, subject),
      notBefore,
      notAfter,
      publicKey: whole(bytes, spkiElement),
      publicKeyAlgorithm: keyAlgorithm.oid,
      publicKeyBits: keyBits.value,
      extensions: extensionsWrapper ? readExtensions(bytes, extensionsWrapper) : [],
      signatureUnusedBits: signature.unusedBits,
      signature: signature.value,
    };
  });
}

// X.520 string types whose contents asn1js (and so `formatName`) shows one character per octet.
const ONE_OCTET_STRINGS = new Set([0x13 /* PrintableString */, 0x16 /* IA5String */]);
const UTF8_STRING = 0x0c;

/**
 * The text of one attribute value as `formatName` writes it, for the common forms only (a
 * PrintableString, an IA5String, a UTF8String that is ASCII); `null` for any other, which the
 * caller leaves to asn1js so that every other form reads exactly as before.
 */
function simpleAttributeText(bytes: Uint8Array, value: DerElement): string | null {
  const utf8 = value.tag === UTF8_STRING;
  if (!utf8 && !ONE_OCTET_STRINGS.has(value.tag)) return null;
  let text = '';
  for (let i = value.contents; i < value.end; i++) {
    const byte = bytes[i] ?? 0;
    if (utf8 && byte >= 0x80) return null;
    text += String.fromCharCode(byte);
  }
  return text;
}

/**
 * A strict-DER Name (RFC 5280 §4.1.2.4) as `key=value` pairs in order, keyed by `labels`; `null`
 * when it is not plainly a Name or a value is of a form left to asn1js (`simpleAttributeText`).
 */
export function formatSimpleName(name: Uint8Array, labels: Readonly<Record<string, string>>): string | null {
  const outer = readElement(name, 0, name.length);
  if (!outer || outer.tag !== SEQUENCE) return null;
  const parts: string[] = [];
  for (const rdn of readChildren(name, outer)) {
    if (rdn.tag !== SET) return null;
    const attributes = readChildren(name, rdn);
    if (attributes.length === 0) return null;
    for (const attribute of attributes) {
      if (attribute.tag !== SEQUENCE) return null;
      const [type, value, extra] = readChildren(name, attribute);
      if (!type || type.tag !== OBJECT_IDENTIFIER || !value || extra) return null;
      const oid = decodeOid(contentsOf(name, type));
      const text = simpleAttributeText(name, value);
      if (oid === null || text === null) return null;
      parts.push(`${labels[oid] ?? oid}=${text}`);
    }
  }
  return parts.join(', ');
}
