// Verify one stapled OCSP response against the certificate and its issuer. Pure: bytes, an
// injected clock and an injected WebCrypto in, an assessment out.
//
// pkijs is used to parse only. Its BasicOCSPResponse.verify() wants a chain to a trusted root
// (a staple's validity must not hinge on root trust) and its getCertificateStatus() checks no
// dates and turns "about another certificate" into "unknown"; so the RFC 6960 rules are applied
// here, one by one.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import {
  OID,
  extendedKeyUsages,
  formatName,
  namesEqual,
  nameDer,
  publicKeyBits,
  serialHex,
  validityAt,
} from './certificate.js';
import { isStrictDer } from './der.js';
import { verifyCertificateSignature, verifyResponseSignature } from './signatures.js';
import { bytesEqual, toArrayBuffer, toHex } from './encoding.js';
import { SIGNATURE_ALGORITHM_NAMES } from './algorithm-names.js';
import type { CertStatus, OcspInfo, Problem, ResponseStatus, RevocationReason, SignerInfo } from './result.js';

/** Clocks disagree; RFC 6960 §4.2.2.1 leaves the margin to local policy. Five minutes, as browsers allow. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** How long a response without nextUpdate is believed (mozilla::pkix: one day after thisUpdate). */
export const NO_NEXT_UPDATE_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Longer validity windows draw a warning (mozilla::pkix caps OCSP response lifetime at 10 days). */
const LONG_VALIDITY_MS = 10 * 24 * 60 * 60 * 1000;

/**
 * Real staples are a few hundred bytes to a few KiB (a delegated responder certificate included);
 * a hostile server could send megabytes to make parsing slow. Far above any real one.
 */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/** At most this many certificates from a response are tried as signers (a hostile staple may carry many). */
const MAX_SIGNER_CANDIDATES = 8;

export interface StapleInput {
  /** DER OCSPResponse (RFC 6960 §4.2.1). */
  response: Uint8Array;
  /** The CA certificate that issued `certificate`; `null` when it could not be found. */
  issuer: pkijs.Certificate | null;
  /** The certificate the staple must be about; `null` means the serial is not checked. */
  certificate: pkijs.Certificate | null;
  at: Date;
  crypto: Crypto;
}

export interface StapleAssessment {
  ocsp: OcspInfo;
  problems: Problem[];
  /** No problem of severity `error`: the staple may be believed. */
  trustworthy: boolean;
}

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

const HASH_NAME: Record<string, string> = {
  [OID.sha1]: 'SHA-1',
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
};

const engines = new WeakMap<Crypto, pkijs.CryptoEngine>();
export function cryptoEngineFor(crypto: Crypto): pkijs.CryptoEngine {
  let engine = engines.get(crypto);
  if (!engine) {
    engine = new pkijs.CryptoEngine({ name: 'staplecheck', crypto });
    engines.set(crypto, engine);
  }
  return engine;
}

function error(code: Problem['code'], message: string): Problem {
  return { code, severity: 'error', message };
}

function emptyOcsp(sizeBytes: number, responseStatus: ResponseStatus | null): OcspInfo {
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

interface ParsedSingle {
  single: pkijs.SingleResponse;
  status: CertStatus | null;
  revocationTime: Date | null;
  revocationReason: RevocationReason | null;
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

/** RFC 6960 §4.1.1: CertID = hash(issuer name DER), hash(issuer key BIT STRING value), serial. */
async function certIdMatches(
  certId: pkijs.CertID,
  issuer: pkijs.Certificate,
  certificate: pkijs.Certificate | null,
  crypto: Crypto,
  hashCache: Map<string, { name: Uint8Array; key: Uint8Array }>,
): Promise<boolean> {
  const hashName = HASH_NAME[certId.hashAlgorithm.algorithmId];
  if (!hashName) return false;
  let hashes = hashCache.get(hashName);
  if (!hashes) {
    hashes = {
      name: new Uint8Array(await crypto.subtle.digest(hashName, toArrayBuffer(nameDer(issuer.subject)))),
      key: new Uint8Array(await crypto.subtle.digest(hashName, toArrayBuffer(publicKeyBits(issuer)))),
    };
    hashCache.set(hashName, hashes);
  }
  if (!bytesEqual(certId.issuerNameHash.valueBlock.valueHexView, hashes.name)) return false;
  if (!bytesEqual(certId.issuerKeyHash.valueBlock.valueHexView, hashes.key)) return false;
  if (!certificate) return true;
  return serialHex(certId.serialNumber) === serialHex(certificate.serialNumber);
}

interface SignerCheck {
  cert: pkijs.Certificate;
  type: 'issuer' | 'delegated';
  signatureValid: boolean;
  /** Why this certificate may not sign for the issuer (RFC 6960 §4.2.2.2); `null` when it may. */
  unauthorizedBecause: string | null;
}

function sameCertificateKey(a: pkijs.Certificate, b: pkijs.Certificate): boolean {
  return namesEqual(a.subject, b.subject) && bytesEqual(publicKeyBits(a), publicKeyBits(b));
}

/** RFC 6960 §4.2.2.2: the issuer itself, or a certificate it issued directly with id-kp-OCSPSigning. */
async function checkSigner(
  candidate: pkijs.Certificate,
  issuer: pkijs.Certificate,
  basic: pkijs.BasicOCSPResponse,
  at: Date,
  engine: pkijs.CryptoEngine,
): Promise<SignerCheck> {
  const signatureValid = await verifyResponseSignature(basic, candidate, engine);
  if (sameCertificateKey(candidate, issuer)) {
    return { cert: candidate, type: 'issuer', signatureValid, unauthorizedBecause: null };
  }
  let unauthorizedBecause: string | null = null;
  if (!namesEqual(candidate.issuer, issuer.subject)) {
    unauthorizedBecause = `the signing certificate (${formatName(candidate.subject)}) was not issued by the certificate's issuer`;
  } else if (!(await verifyCertificateSignature(candidate, issuer, engine))) {
    unauthorizedBecause = `the signing certificate (${formatName(candidate.subject)}) does not carry a valid signature of the issuer`;
  } else if (!extendedKeyUsages(candidate).includes(OID.ocspSigning)) {
    unauthorizedBecause = `the signing certificate (${formatName(candidate.subject)}) lacks the id-kp-OCSPSigning extended key usage`;
  } else {
    const validity = validityAt(candidate, at);
    if (validity !== 'valid') {
      unauthorizedBecause = `the delegated responder certificate (${formatName(candidate.subject)}) is ${validity === 'expired' ? 'expired' : 'not yet valid'}`;
    }
  }
  return { cert: candidate, type: 'delegated', signatureValid, unauthorizedBecause };
}

/** RFC 6960 §4.2.2.3: ResponderID is the signer's name or the SHA-1 of its public key. */
async function responderIdMatches(responderId: unknown, cert: pkijs.Certificate, crypto: Crypto): Promise<boolean> {
  if (responderId instanceof pkijs.RelativeDistinguishedNames) return namesEqual(responderId, cert.subject);
  if (responderId instanceof asn1js.OctetString) {
    const keyHash = await crypto.subtle.digest('SHA-1', toArrayBuffer(publicKeyBits(cert)));
    return bytesEqual(responderId.valueBlock.valueHexView, new Uint8Array(keyHash));
  }
  return false;
}

function describeResponderId(responderId: unknown): SignerInfo['responderId'] {
  if (responderId instanceof pkijs.RelativeDistinguishedNames) return { byName: formatName(responderId) };
  if (responderId instanceof asn1js.OctetString) return { byKeyHash: toHex(responderId.valueBlock.valueHexView) };
  return {};
}

export async function verifyStaple(input: StapleInput): Promise<StapleAssessment> {
  const { response, issuer, certificate, at, crypto } = input;
  const problems: Problem[] = [];
  const done = (ocsp: OcspInfo): StapleAssessment => ({
    ocsp,
    problems,
    trustworthy: !problems.some((p) => p.severity === 'error'),
  });

  if (response.length > MAX_RESPONSE_BYTES) {
    problems.push(
      error(
        'malformed',
        `The staple is ${response.length} B; no OCSP response is that large (limit ${MAX_RESPONSE_BYTES} B).`,
      ),
    );
    return done(emptyOcsp(response.length, null));
  }
  // RFC 6960 §4.2.1: OCSPResponse ::= SEQUENCE { responseStatus, responseBytes [0] EXPLICIT OPTIONAL }
  let ocspResponse: pkijs.OCSPResponse;
  try {
    const asn1 = parseExactly(response);
    if (!asn1) throw new Error('not DER');
    ocspResponse = new pkijs.OCSPResponse({ schema: asn1 });
  } catch {
    problems.push(error('malformed', `The stapled bytes (${response.length} B) are not a DER OCSPResponse.`));
    return done(emptyOcsp(response.length, null));
  }
  const statusNumber = ocspResponse.responseStatus.valueBlock.valueDec;
  const responseStatus = RESPONSE_STATUS[statusNumber] ?? 'unrecognized';
  if (responseStatus !== 'successful') {
    // §2.3: an unsuccessful response is unsigned; it tells nothing about the certificate.
    problems.push(
      error(
        'unsuccessful-response',
        `The responder answered "${responseStatus}" (status ${statusNumber}) instead of a signed status.`,
      ),
    );
    return done(emptyOcsp(response.length, responseStatus));
  }
  const ocsp = emptyOcsp(response.length, 'successful');
  const bytes = ocspResponse.responseBytes;
  if (!bytes || bytes.responseType !== OID.basicOcspResponse) {
    problems.push(
      error(
        'malformed',
        bytes
          ? `Unsupported response type ${bytes.responseType} (only id-pkix-ocsp-basic is defined).`
          : 'A successful response without responseBytes.',
      ),
    );
    return done(ocsp);
  }
  let basic: pkijs.BasicOCSPResponse;
  try {
    const asn1 = parseExactly(bytes.response.valueBlock.valueHexView);
    if (!asn1) throw new Error('not DER');
    basic = new pkijs.BasicOCSPResponse({ schema: asn1 });
  } catch {
    problems.push(error('malformed', 'The BasicOCSPResponse inside the staple does not parse.'));
    return done(ocsp);
  }

  const data = basic.tbsResponseData;
  ocsp.producedAt = data.producedAt.toISOString();
  ocsp.singleResponseCount = data.responses.length;
  ocsp.signatureAlgorithm =
    SIGNATURE_ALGORITHM_NAMES[basic.signatureAlgorithm.algorithmId] ?? basic.signatureAlgorithm.algorithmId;
  const parsedSingles = data.responses.map(readCertStatus);
  const responderId = describeResponderId(data.responderID);
  ocsp.signer = { type: 'unknown', subject: null, responderId };

  if (!issuer) {
    problems.push(
      error(
        'issuer-unavailable',
        "The issuer's certificate was not found (the server did not send it), so the staple cannot be verified.",
      ),
    );
    return done(ocsp);
  }

  // --- Which SingleResponse is about this certificate (RFC 6960 §4.2.2.3 / §3.2 item 1) ---
  const hashCache = new Map<string, { name: Uint8Array; key: Uint8Array }>();
  const matching: ParsedSingle[] = [];
  for (const parsed of parsedSingles) {
    if (await certIdMatches(parsed.single.certID, issuer, certificate, crypto, hashCache)) matching.push(parsed);
  }
  if (parsedSingles.length > 1) {
    problems.push({
      code: 'several-single-responses',
      severity: 'info',
      message: `The response holds ${parsedSingles.length} SingleResponses; ${matching.length} match this certificate.`,
    });
  }
  // Revoked beats unknown beats good: never report the kindest of several answers.
  const rank = (s: ParsedSingle) => (s.status === 'revoked' ? 2 : s.status === 'unknown' || s.status === null ? 1 : 0);
  const chosen = [...matching].sort((a, b) => rank(b) - rank(a))[0];
  if (!chosen) {
    const about = parsedSingles.map((s) => serialHex(s.single.certID.serialNumber)).join(', ') || 'nothing';
    problems.push(
      error(
        'cert-id-mismatch',
        `No SingleResponse's CertID matches this certificate and issuer (the response is about serial ${about}).`,
      ),
    );
  } else {
    if (new Set(matching.map((m) => m.status)).size > 1) {
      problems.push({
        code: 'single-responses-disagree',
        severity: 'warning',
        message: 'Several SingleResponses for this certificate disagree; the most severe status is reported.',
      });
    }
    ocsp.certStatus = chosen.status;
    ocsp.thisUpdate = chosen.single.thisUpdate.toISOString();
    ocsp.nextUpdate = chosen.single.nextUpdate ? chosen.single.nextUpdate.toISOString() : null;
    ocsp.revocationTime = chosen.revocationTime ? chosen.revocationTime.toISOString() : null;
    ocsp.revocationReason = chosen.revocationReason;
    ocsp.certIdHashAlgorithm = HASH_NAME[chosen.single.certID.hashAlgorithm.algorithmId] ?? null;
    if (chosen.status === null)
      problems.push(
        error('malformed', 'The certStatus of the matching SingleResponse is not good, revoked or unknown.'),
      );
    if (!certificate) {
      problems.push({
        code: 'serial-not-checked',
        severity: 'info',
        message: 'No certificate was given, so the serial number in the CertID was not checked.',
      });
    }
  }

  // --- Who signed it (RFC 6960 §4.2.2.2) ---
  const engine = cryptoEngineFor(crypto);
  const candidates = [issuer, ...(basic.certs ?? []).slice(0, MAX_SIGNER_CANDIDATES)];
  const checks: SignerCheck[] = [];
  for (const candidate of candidates) {
    if (!(await responderIdMatches(data.responderID, candidate, crypto))) continue;
    checks.push(await checkSigner(candidate, issuer, basic, at, engine));
  }
  const accepted = checks.find((c) => c.signatureValid && c.unauthorizedBecause === null);
  if (accepted) {
    ocsp.signer = {
      type: accepted.type,
      subject: formatName(accepted.cert.subject),
      responderId,
      ...(accepted.type === 'delegated' ? { notAfter: accepted.cert.notAfter.value.toISOString() } : {}),
    };
  } else if (checks.length === 0) {
    problems.push(
      error(
        'unauthorized-signer',
        'The responderID names neither the issuer nor any certificate in the response, so no authorized signer can be found.',
      ),
    );
  } else {
    const signedBy = checks.find((c) => c.signatureValid);
    if (signedBy) {
      // It signed, but may not sign for this issuer: name it, never as the issuer or a delegate.
      ocsp.signer = { type: 'unknown', subject: formatName(signedBy.cert.subject), responderId };
      problems.push(error('unauthorized-signer', `Not an authorized responder: ${signedBy.unauthorizedBecause}.`));
    } else {
      problems.push(
        error('bad-signature', 'The response signature does not verify with the key of the responder it names.'),
      );
      const unauthorized = checks.find((c) => c.unauthorizedBecause !== null);
      if (unauthorized && !checks.some((c) => c.unauthorizedBecause === null)) {
        problems.push(
          error('unauthorized-signer', `Not an authorized responder: ${unauthorized.unauthorizedBecause}.`),
        );
      }
    }
  }

  // --- Is it current (RFC 6960 §4.2.2.1, §3.2 items 5 and 6) ---
  if (chosen) {
    const now = at.getTime();
    const thisUpdate = chosen.single.thisUpdate.getTime();
    const nextUpdate = chosen.single.nextUpdate?.getTime();
    if (thisUpdate > now + CLOCK_SKEW_MS) {
      problems.push(error('not-yet-valid', `thisUpdate (${ocsp.thisUpdate}) is in the future.`));
    }
    if (nextUpdate === undefined) {
      // §2.4: no nextUpdate means "newer information is always available". Clients bound such a
      // response's life themselves; mozilla::pkix (which enforces Must-Staple) allows one day.
      if (thisUpdate + NO_NEXT_UPDATE_LIFETIME_MS < now - CLOCK_SKEW_MS) {
        problems.push(
          error(
            'expired',
            `The response has no nextUpdate and its thisUpdate (${ocsp.thisUpdate}) is over a day old: clients treat it as expired.`,
          ),
        );
      } else {
        problems.push({
          code: 'no-next-update',
          severity: 'warning',
          message: 'The response has no nextUpdate; clients accept it for about a day after thisUpdate only.',
        });
      }
    } else if (nextUpdate < now - CLOCK_SKEW_MS) {
      problems.push(
        error(
          'expired',
          `The staple expired at nextUpdate (${ocsp.nextUpdate}); the server is stapling a stale response.`,
        ),
      );
    } else if (nextUpdate >= thisUpdate) {
      const left = nextUpdate - now;
      const window = nextUpdate - thisUpdate;
      if (left < Math.max(window / 4, 60 * 60 * 1000) && left < 24 * 60 * 60 * 1000) {
        problems.push({
          code: 'expiring-soon',
          severity: 'warning',
          message:
            'The staple expires within a day and has used most of its validity: the server may have stopped refreshing it.',
        });
      }
    }
    if (nextUpdate !== undefined && nextUpdate - thisUpdate > LONG_VALIDITY_MS) {
      problems.push({
        code: 'long-validity',
        severity: 'warning',
        message: `The response is valid for ${Math.round((nextUpdate - thisUpdate) / 86_400_000)} days; browsers distrust OCSP answers that last over 10 days.`,
      });
    }
    if (nextUpdate !== undefined && nextUpdate < thisUpdate) {
      problems.push(error('malformed', 'nextUpdate is before thisUpdate.'));
    }
  }
  return done(ocsp);
}
