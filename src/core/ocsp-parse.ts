// Step 1 of verifying a staple: RFC 6960 §4.2.1, the OCSPResponse and its BasicOCSPResponse, read
// as strict DER, and the responseStatus. An unsuccessful or unreadable response ends the check here.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID, formatName } from './certificate.js';
import { isStrictDer } from './der.js';
import { toArrayBuffer, toHex } from './encoding.js';
import { SIGNATURE_ALGORITHM_NAMES } from './algorithm-names.js';
import { error } from './problem.js';
import type { CertStatus, OcspInfo, Problem, ResponseStatus, RevocationReason, SignerInfo } from './result.js';

/**
 * Real staples are a few hundred bytes to a few KiB (a delegated responder certificate included);
 * a hostile server could send megabytes to make parsing slow. Far above any real one.
 */
export const MAX_RESPONSE_BYTES = 64 * 1024;

// RFC 6960 §4.2.1 OCSPResponseStatus; 4 is unused.
const RESPONSE_STATUS: Record<number, ResponseStatus> = {
  0: 'successful',
  1: 'malformedRequest',
  2: 'internalError',
  3: 'tryLater',
  5: 'sigRequired',
  6: 'unauthorized',
};

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

export interface ParsedSingle {
  single: pkijs.SingleResponse;
  status: CertStatus | null;
  revocationTime: Date | null;
  revocationReason: RevocationReason | null;
}

export interface ParsedStaple {
  basic: pkijs.BasicOCSPResponse;
  singles: ParsedSingle[];
}

export interface ParseFindings {
  /** What could be read; the later steps fill in the rest. */
  ocsp: OcspInfo;
  problems: Problem[];
  /** `null` when the check ends here: not DER, not successful, not a basic response. */
  parsed: ParsedStaple | null;
}

export function emptyOcsp(sizeBytes: number, responseStatus: ResponseStatus | null): OcspInfo {
  return {
    responseStatus,
    certStatus: null,
    producedAt: null,
    thisUpdate: null,
    nextUpdate: null,
    revocationTime: null,
    revocationReason: null,
    signer: null,
    sizeBytes,
  };
}

/** Parse DER exactly: trailing bytes or a truncated structure make it malformed. */
function parseExactly(bytes: Uint8Array): asn1js.AsnType | null {
  if (!isStrictDer(bytes)) return null;
  const asn1 = asn1js.fromBER(toArrayBuffer(bytes));
  if (asn1.offset === -1 || asn1.offset !== bytes.length) return null;
  return asn1.result;
}

/** RFC 6960 §4.2.1 CertStatus: [0] good, [1] revoked (RevokedInfo), [2] unknown. */
function readCertStatus(single: pkijs.SingleResponse): ParsedSingle {
  const status = single.certStatus as asn1js.BaseBlock | undefined;
  const parsed: ParsedSingle = { single, status: null, revocationTime: null, revocationReason: null };
  if (!status || status.idBlock.tagClass !== 3) return parsed;
  switch (status.idBlock.tagNumber) {
    case 0:
      parsed.status = 'good';
      break;
    case 2:
      parsed.status = 'unknown';
      break;
    case 1: {
      parsed.status = 'revoked';
      const items = (status as asn1js.Constructed).valueBlock?.value ?? [];
      const time = items[0];
      if (time instanceof asn1js.GeneralizedTime) parsed.revocationTime = time.toDate();
      // revocationReason [0] EXPLICIT CRLReason (an ENUMERATED).
      const tagged = items[1] as asn1js.Constructed | undefined;
      const reason = tagged?.valueBlock?.value?.[0];
      if (reason instanceof asn1js.Enumerated)
        parsed.revocationReason = REVOCATION_REASON[reason.valueBlock.valueDec] ?? null;
      break;
    }
  }
  return parsed;
}

export function describeResponderId(responderId: unknown): SignerInfo['responderId'] {
  if (responderId instanceof pkijs.RelativeDistinguishedNames) return { byName: formatName(responderId) };
  if (responderId instanceof asn1js.OctetString) return { byKeyHash: toHex(responderId.valueBlock.valueHexView) };
  return {};
}

/** RFC 6960 §4.2.1: OCSPResponse ::= SEQUENCE { responseStatus, responseBytes [0] EXPLICIT OPTIONAL }. */
export function parseStaple(response: Uint8Array): ParseFindings {
  const ended = (ocsp: OcspInfo, problem: Problem): ParseFindings => ({ ocsp, problems: [problem], parsed: null });
  if (response.length > MAX_RESPONSE_BYTES) {
    return ended(
      emptyOcsp(response.length, null),
      error(
        'malformed',
        `The staple is ${response.length} B; no OCSP response is that large (limit ${MAX_RESPONSE_BYTES} B).`,
      ),
    );
  }
  let ocspResponse: pkijs.OCSPResponse;
  try {
    const asn1 = parseExactly(response);
    if (!asn1) throw new Error('not DER');
    ocspResponse = new pkijs.OCSPResponse({ schema: asn1 });
  } catch {
    return ended(
      emptyOcsp(response.length, null),
      error('malformed', `The stapled bytes (${response.length} B) are not a DER OCSPResponse.`),
    );
  }
  const statusNumber = ocspResponse.responseStatus.valueBlock.valueDec;
  const responseStatus = RESPONSE_STATUS[statusNumber] ?? 'unrecognized';
  if (responseStatus !== 'successful') {
    // §2.3: an unsuccessful response is unsigned; it tells nothing about the certificate.
    return ended(
      emptyOcsp(response.length, responseStatus),
      error(
        'unsuccessful-response',
        `The responder answered "${responseStatus}" (status ${statusNumber}) instead of a signed status.`,
      ),
    );
  }
  const ocsp = emptyOcsp(response.length, 'successful');
  const bytes = ocspResponse.responseBytes;
  if (!bytes || bytes.responseType !== OID.basicOcspResponse) {
    return ended(
      ocsp,
      error(
        'malformed',
        bytes
          ? `Unsupported response type ${bytes.responseType} (only id-pkix-ocsp-basic is defined).`
          : 'A successful response without responseBytes.',
      ),
    );
  }
  let basic: pkijs.BasicOCSPResponse;
  try {
    const asn1 = parseExactly(bytes.response.valueBlock.valueHexView);
    if (!asn1) throw new Error('not DER');
    basic = new pkijs.BasicOCSPResponse({ schema: asn1 });
  } catch {
    return ended(ocsp, error('malformed', 'The BasicOCSPResponse inside the staple does not parse.'));
  }
  const data = basic.tbsResponseData;
  ocsp.producedAt = data.producedAt.toISOString();
  ocsp.singleResponseCount = data.responses.length;
  ocsp.signatureAlgorithm =
    SIGNATURE_ALGORITHM_NAMES[basic.signatureAlgorithm.algorithmId] ?? basic.signatureAlgorithm.algorithmId;
  ocsp.signer = { type: 'unknown', subject: null, responderId: describeResponderId(data.responderID) };
  return { ocsp, problems: [], parsed: { basic, singles: data.responses.map(readCertStatus) } };
}
