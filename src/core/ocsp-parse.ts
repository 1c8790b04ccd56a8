// Step 1 of verifying a staple: RFC 6960 §4.2.1, the OCSPResponse and its BasicOCSPResponse, read
// as strict DER, and the responseStatus. An unsuccessful or unreadable response ends the check here.
import { BoundedCache, bytesKey } from './bounded-cache.js';
import { OID, describeNameDer } from './certificate.js';
import { toHex } from './encoding.js';
import { SIGNATURE_ALGORITHM_NAMES } from './algorithm-names.js';
import { readBasicResponse, readOcspResponse, type BasicResponseData } from './ocsp-response.js';
import { error } from './problem.js';
import type { OcspInfo, Problem, ResponseStatus } from './result.js';

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

export interface ParseFindings {
  /** What could be read; the later steps fill in the rest. */
  ocsp: OcspInfo;
  problems: Problem[];
  /** `null` when the check ends here: not DER, not successful, not a basic response. */
  parsed: BasicResponseData | null;
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

// A site staples the same response for hours, and each check reads it again: what the bytes say is
// a pure fact of them (nothing here looks at a clock), so the findings are kept by the bytes. Real
// staples are under 8 KiB; larger ones are read every time rather than held (bounded memory).
const MAX_CACHED_STAPLES = 128;
const MAX_CACHED_STAPLE_BYTES = 8 * 1024;
const parsedStaples = new BoundedCache<string, ParseFindings>(MAX_CACHED_STAPLES);

/** The caller's own copy of the findings: the later steps build on `ocsp` and the problems. */
function copyFindings(findings: ParseFindings): ParseFindings {
  const { signer } = findings.ocsp;
  return {
    ocsp: {
      ...findings.ocsp,
      signer: signer && { ...signer, responderId: { ...signer.responderId } },
    },
    problems: findings.problems.map((p) => ({ ...p })),
    parsed: findings.parsed,
  };
}

/** RFC 6960 §4.2.1: OCSPResponse ::= SEQUENCE { responseStatus, responseBytes [0] EXPLICIT OPTIONAL }. */
export function parseStaple(response: Uint8Array): ParseFindings {
  if (response.length > MAX_CACHED_STAPLE_BYTES) return parseStapleUncached(response);
  const key = bytesKey(response);
  const known = parsedStaples.get(key);
  if (known) return copyFindings(known);
  const findings = parseStapleUncached(response);
  parsedStaples.set(key, copyFindings(findings));
  return findings;
}

function parseStapleUncached(response: Uint8Array): ParseFindings {
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
  // Read from a copy of its own: what is kept (the cache, and the signature verdicts remembered by
  // the parsed response, signatures.ts) never sees a later change to the caller's array.
  const outer = readOcspResponse(new Uint8Array(response));
  if (!outer) {
    return ended(
      emptyOcsp(response.length, null),
      error('malformed', `The stapled bytes (${response.length} B) are not a DER OCSPResponse.`),
    );
  }
  const statusNumber = outer.status;
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
  if (!outer.response || outer.responseType !== OID.basicOcspResponse) {
    return ended(
      ocsp,
      error(
        'malformed',
        outer.response
          ? `Unsupported response type ${outer.responseType} (only id-pkix-ocsp-basic is defined).`
          : 'A successful response without responseBytes.',
      ),
    );
  }
  const basic = readBasicResponse(outer.response);
  const responderName = basic && 'byName' in basic.responderId ? describeNameDer(basic.responderId.byName) : '';
  if (!basic || responderName === null) {
    return ended(ocsp, error('malformed', 'The BasicOCSPResponse inside the staple does not parse.'));
  }
  ocsp.producedAt = basic.producedAt.toISOString();
  ocsp.singleResponseCount = basic.responses.length;
  ocsp.signatureAlgorithm = SIGNATURE_ALGORITHM_NAMES[basic.signatureAlgorithm.oid] ?? basic.signatureAlgorithm.oid;
  const responderId =
    'byName' in basic.responderId ? { byName: responderName } : { byKeyHash: toHex(basic.responderId.byKey) };
  ocsp.signer = { type: 'unknown', subject: null, responderId };
  return { ocsp, problems: [], parsed: basic };
}
