// RFC 6960 §4.2.1 read by a strict DER walk of exactly the fields a verdict needs. pkijs' schema
// machinery cost ~0.9 ms a response, most of a check (issue 11); this reads the same structure
// with the same strictness: the bytes pass `isStrictDer` first (X.690 §10: definite, minimal,
// consistent lengths, nothing trailing), then every element must have the tag the ASN.1 module
// gives it, in order, with nothing missing or extra. Anything else is `null`: malformed. Pure.
import type * as pkijs from 'pkijs';
import { parseCertificate } from './certificate.js';
import {
  decodeGeneralizedTime,
  decodeOid,
  decodeSmallInteger,
  readAlgorithmId,
  readChildren,
  type AlgorithmId,
  type DerElement,
} from './der.js';
import {
  BIT_STRING,
  ENUMERATED,
  Fields,
  GENERALIZED_TIME,
  INTEGER,
  OBJECT_IDENTIFIER,
  OCTET_STRING,
  SEQUENCE,
  bitString,
  contentsOf,
  explicit,
  fail,
  readExtensions,
  walkSequence,
  whole,
} from './der-walk.js';
import type { CertStatus, RevocationReason } from './result.js';

// X.690 identifier octets used below.
const context = (n: number, constructed: boolean) => 0x80 | (constructed ? 0x20 : 0) | n;

// RFC 5280 §5.3.1 CRLReason; 7 is unused.
const REVOCATION_REASON: Record<number, RevocationReason> = {
  0: 'unspecified',
  1: 'keyCompromise',
  2: 'cACompromise',
  3: 'affiliationChanged',
  4: 'superseded',
  5: 'cessationOfOperation',
  6: 'certificateHold',
  8: 'removeFromCRL',
  9: 'privilegeWithdrawn',
  10: 'aACompromise',
};

export interface OcspResponseData {
  /** OCSPResponseStatus (RFC 6960 §4.2.1). */
  status: number;
  /** `responseBytes`, when present. */
  responseType: string | null;
  response: Uint8Array | null;
}

export interface CertIdData {
  hashAlgorithm: string;
  issuerNameHash: Uint8Array;
  issuerKeyHash: Uint8Array;
  /** The serialNumber INTEGER's contents octets. */
  serialNumber: Uint8Array;
}

export interface SingleResponseData {
  certId: CertIdData;
  status: CertStatus;
  revocationTime: Date | null;
  revocationReason: RevocationReason | null;
  thisUpdate: Date;
  nextUpdate: Date | null;
}

export type ResponderIdData = { byName: Uint8Array } | { byKey: Uint8Array };

export interface BasicResponseData {
  /** The DER of tbsResponseData: what the signature covers. */
  tbs: Uint8Array;
  responderId: ResponderIdData;
  producedAt: Date;
  responses: SingleResponseData[];
  signatureAlgorithm: AlgorithmId;
  signatureUnusedBits: number;
  signature: Uint8Array;
  /** `certs`, each parsed (a certificate that does not parse makes the response malformed). */
  certificates: pkijs.Certificate[];
}

function oid(bytes: Uint8Array, e: DerElement): string {
  return decodeOid(contentsOf(bytes, e)) ?? fail();
}

function time(bytes: Uint8Array, e: DerElement): Date {
  return decodeGeneralizedTime(contentsOf(bytes, e)) ?? fail();
}

function algorithm(bytes: Uint8Array, e: DerElement): AlgorithmId {
  return readAlgorithmId(bytes, e) ?? fail();
}

/** CertID ::= SEQUENCE { hashAlgorithm, issuerNameHash OCTET STRING, issuerKeyHash OCTET STRING, serialNumber } */
function readCertId(bytes: Uint8Array, e: DerElement): CertIdData {
  const fields = new Fields(bytes, e);
  const certId: CertIdData = {
    hashAlgorithm: algorithm(bytes, fields.take(SEQUENCE)).oid,
    issuerNameHash: contentsOf(bytes, fields.take(OCTET_STRING)),
    issuerKeyHash: contentsOf(bytes, fields.take(OCTET_STRING)),
    serialNumber: contentsOf(bytes, fields.take(INTEGER)),
  };
  fields.end();
  if (certId.serialNumber.length === 0) fail();
  return certId;
}

/**
 * SingleResponse ::= SEQUENCE { certID, certStatus, thisUpdate, nextUpdate [0] EXPLICIT OPTIONAL,
 * singleExtensions [1] EXPLICIT OPTIONAL }; CertStatus ::= CHOICE { good [0] IMPLICIT NULL,
 * revoked [1] IMPLICIT RevokedInfo, unknown [2] IMPLICIT NULL }.
 */
function readSingleResponse(bytes: Uint8Array, e: DerElement): SingleResponseData {
  if (e.tag !== SEQUENCE) fail();
  const fields = new Fields(bytes, e);
  const certId = readCertId(bytes, fields.take(SEQUENCE));
  let status: CertStatus;
  let revocationTime: Date | null = null;
  let revocationReason: RevocationReason | null = null;
  const good = fields.optional(context(0, false));
  const revoked = good ? null : fields.optional(context(1, true));
  const unknown = good || revoked ? null : fields.take(context(2, false));
  if (good || unknown) {
    if ((good ?? unknown ?? fail()).end !== (good ?? unknown ?? fail()).contents) fail();
    status = good ? 'good' : 'unknown';
  } else {
    status = 'revoked';
    // RevokedInfo ::= SEQUENCE { revocationTime GeneralizedTime, revocationReason [0] EXPLICIT CRLReason OPTIONAL }
    const info = new Fields(bytes, revoked ?? fail());
    revocationTime = time(bytes, info.take(GENERALIZED_TIME));
    const reason = info.optional(context(0, true));
    if (reason) {
      const value = decodeSmallInteger(contentsOf(bytes, explicit(bytes, reason, ENUMERATED)));
      if (value === null) fail();
      revocationReason = REVOCATION_REASON[value] ?? null;
    }
    info.end();
  }
  const thisUpdate = time(bytes, fields.take(GENERALIZED_TIME));
  const next = fields.optional(context(0, true));
  const nextUpdate = next ? time(bytes, explicit(bytes, next, GENERALIZED_TIME)) : null;
  const extensions = fields.optional(context(1, true));
  if (extensions) readExtensions(bytes, extensions);
  fields.end();
  return { certId, status, revocationTime, revocationReason, thisUpdate, nextUpdate };
}

/** RFC 6960 §4.2.1: OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED, responseBytes [0] EXPLICIT ResponseBytes OPTIONAL } */
export function readOcspResponse(bytes: Uint8Array): OcspResponseData | null {
  return walkSequence(bytes, (fields) => {
    const status = decodeSmallInteger(contentsOf(bytes, fields.take(ENUMERATED))) ?? fail();
    const wrapper = fields.optional(context(0, true));
    fields.end();
    if (!wrapper) return { status, responseType: null, response: null };
    // ResponseBytes ::= SEQUENCE { responseType OBJECT IDENTIFIER, response OCTET STRING }
    const responseBytes = new Fields(bytes, explicit(bytes, wrapper, SEQUENCE));
    const responseType = oid(bytes, responseBytes.take(OBJECT_IDENTIFIER));
    const response = contentsOf(bytes, responseBytes.take(OCTET_STRING));
    responseBytes.end();
    return { status, responseType, response };
  });
}

/**
 * BasicOCSPResponse ::= SEQUENCE { tbsResponseData ResponseData, signatureAlgorithm, signature BIT STRING,
 * certs [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }
 * ResponseData ::= SEQUENCE { version [0] EXPLICIT DEFAULT v1, responderID, producedAt, responses,
 * responseExtensions [1] EXPLICIT OPTIONAL }; ResponderID ::= CHOICE { byName [1] Name, byKey [2] KeyHash }
 */
export function readBasicResponse(bytes: Uint8Array): BasicResponseData | null {
  return walkSequence(bytes, (fields) => {
    const tbsElement = fields.take(SEQUENCE);
    const signatureAlgorithm = algorithm(bytes, fields.take(SEQUENCE));
    const signatureElement = fields.take(BIT_STRING);
    const certsWrapper = fields.optional(context(0, true));
    fields.end();

    const signature = bitString(bytes, signatureElement);

    const data = new Fields(bytes, tbsElement);
    const version = data.optional(context(0, true));
    // Only v1 exists (RFC 6960 §4.2.1); mozilla::pkix refuses any other.
    if (version && decodeSmallInteger(contentsOf(bytes, explicit(bytes, version, INTEGER))) !== 0) fail();
    let responderId: ResponderIdData;
    const byName = data.optional(context(1, true));
    if (byName) responderId = { byName: whole(bytes, explicit(bytes, byName, SEQUENCE)) };
    else responderId = { byKey: contentsOf(bytes, explicit(bytes, data.take(context(2, true)), OCTET_STRING)) };
    const producedAt = time(bytes, data.take(GENERALIZED_TIME));
    const responses = readChildren(bytes, data.take(SEQUENCE)).map((e) => readSingleResponse(bytes, e));
    const extensions = data.optional(context(1, true));
    if (extensions) readExtensions(bytes, extensions);
    data.end();

    const certificates: pkijs.Certificate[] = [];
    if (certsWrapper) {
      for (const e of readChildren(bytes, explicit(bytes, certsWrapper, SEQUENCE))) {
        certificates.push(parseCertificate(whole(bytes, e)) ?? fail());
      }
    }
    return {
      tbs: whole(bytes, tbsElement),
      responderId,
      producedAt,
      responses,
      signatureAlgorithm,
      signatureUnusedBits: signature.unusedBits,
      signature: signature.value,
      certificates,
    };
  });
}
