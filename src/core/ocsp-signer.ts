// Step 3 of verifying a staple: who signed it, and may they. RFC 6960 §4.2.2.2 (authorized
// responders: the CA itself, or a certificate it issued directly with id-kp-OCSPSigning) and
// §4.2.2.3 (the ResponderID names the signer, by name or by the SHA-1 of its key).
import type * as pkijs from 'pkijs';
import { OID, certificateFacts, extendedKeyUsages, validityAt } from './certificate.js';
import { bytesEqual } from './encoding.js';
import type { BasicResponseData, ResponderIdData } from './ocsp-response.js';
import { error } from './problem.js';
import type { Problem, SignerInfo } from './result.js';
import type { SignatureVerifier } from './signature-verifier.js';
import { verifyCertificateSignature, verifyParsedSignature } from './signatures.js';

/** At most this many certificates from a response are tried as signers (a hostile staple may carry many). */
export const MAX_SIGNER_CANDIDATES = 8;

export interface SignerFindings {
  problems: Problem[];
  signer: SignerInfo;
}

interface SignerCheck {
  cert: pkijs.Certificate;
  type: 'issuer' | 'delegated';
  signatureValid: boolean;
  /** Why this certificate may not sign for the issuer (RFC 6960 §4.2.2.2); `null` when it may. */
  unauthorizedBecause: string | null;
}

function sameCertificateKey(a: pkijs.Certificate, b: pkijs.Certificate): boolean {
  const [factsA, factsB] = [certificateFacts(a), certificateFacts(b)];
  return bytesEqual(factsA.subject, factsB.subject) && bytesEqual(factsA.publicKeyBits, factsB.publicKeyBits);
}

/** RFC 6960 §4.2.1: the response signature covers the DER of tbsResponseData. */
function verifyResponseSignature(
  basic: BasicResponseData,
  signer: pkijs.Certificate,
  verifier: SignatureVerifier,
): Promise<boolean> | boolean {
  // `basic` is parseStaple's reading of its own copy of the staple: remembered by the object.
  return verifyParsedSignature(basic, certificateFacts(signer), verifier);
}

/** RFC 6960 §4.2.2.2: the issuer itself, or a certificate it issued directly with id-kp-OCSPSigning. */
async function checkSigner(
  candidate: pkijs.Certificate,
  issuer: pkijs.Certificate,
  basic: BasicResponseData,
  at: Date,
  verifier: SignatureVerifier,
): Promise<SignerCheck> {
  const signatureValid = await verifyResponseSignature(basic, candidate, verifier);
  if (sameCertificateKey(candidate, issuer)) {
    return { cert: candidate, type: 'issuer', signatureValid, unauthorizedBecause: null };
  }
  let unauthorizedBecause: string | null = null;
  if (!bytesEqual(certificateFacts(candidate).issuer, certificateFacts(issuer).subject)) {
    unauthorizedBecause = `the signing certificate (${certificateFacts(candidate).subjectText}) was not issued by the certificate's issuer`;
  } else if (!(await verifyCertificateSignature(candidate, issuer, verifier))) {
    unauthorizedBecause = `the signing certificate (${certificateFacts(candidate).subjectText}) does not carry a valid signature of the issuer`;
  } else if (!extendedKeyUsages(candidate).includes(OID.ocspSigning)) {
    unauthorizedBecause = `the signing certificate (${certificateFacts(candidate).subjectText}) lacks the id-kp-OCSPSigning extended key usage`;
  } else {
    const validity = validityAt(candidate, at);
    if (validity !== 'valid') {
      unauthorizedBecause = `the delegated responder certificate (${certificateFacts(candidate).subjectText}) is ${validity === 'expired' ? 'expired' : 'not yet valid'}`;
    }
  }
  return { cert: candidate, type: 'delegated', signatureValid, unauthorizedBecause };
}

/** RFC 6960 §4.2.2.3: ResponderID is the signer's name or the SHA-1 of its public key. */
async function responderIdMatches(
  responderId: ResponderIdData,
  cert: pkijs.Certificate,
  verifier: SignatureVerifier,
): Promise<boolean> {
  const facts = certificateFacts(cert);
  if ('byName' in responderId) return bytesEqual(responderId.byName, facts.subject);
  let keyHash = facts.certIdHashes.get('SHA-1')?.key;
  if (!keyHash) keyHash = await verifier.digest('SHA-1', facts.publicKeyBits);
  return bytesEqual(responderId.byKey, keyHash);
}

export async function authorizeSigner(
  basic: BasicResponseData,
  issuer: pkijs.Certificate,
  responderId: SignerInfo['responderId'],
  at: Date,
  verifier: SignatureVerifier,
): Promise<SignerFindings> {
  const candidates = [issuer, ...basic.certificates.slice(0, MAX_SIGNER_CANDIDATES)];
  const checks: SignerCheck[] = [];
  for (const candidate of candidates) {
    if (!(await responderIdMatches(basic.responderId, candidate, verifier))) continue;
    checks.push(await checkSigner(candidate, issuer, basic, at, verifier));
  }
  const accepted = checks.find((c) => c.signatureValid && c.unauthorizedBecause === null);
  if (accepted) {
    return {
      problems: [],
      signer: {
        type: accepted.type,
        subject: certificateFacts(accepted.cert).subjectText,
        responderId,
        ...(accepted.type === 'delegated' ? { notAfter: certificateFacts(accepted.cert).notAfter.toISOString() } : {}),
      },
    };
  }
  const unknown: SignerInfo = { type: 'unknown', subject: null, responderId };
  if (checks.length === 0) {
    return {
      problems: [
        error(
          'unauthorized-signer',
          'The responderID names neither the issuer nor any certificate in the response, so no authorized signer can be found.',
        ),
      ],
      signer: unknown,
    };
  }
  const signedBy = checks.find((c) => c.signatureValid);
  if (signedBy) {
    // It signed, but may not sign for this issuer: name it, never as the issuer or a delegate.
    return {
      problems: [error('unauthorized-signer', `Not an authorized responder: ${signedBy.unauthorizedBecause}.`)],
      signer: { ...unknown, subject: certificateFacts(signedBy.cert).subjectText },
    };
  }
  const problems = [
    error('bad-signature', 'The response signature does not verify with the key of the responder it names.'),
  ];
  const unauthorized = checks.find((c) => c.unauthorizedBecause !== null);
  if (unauthorized && !checks.some((c) => c.unauthorizedBecause === null)) {
    problems.push(error('unauthorized-signer', `Not an authorized responder: ${unauthorized.unauthorizedBecause}.`));
  }
  return { problems, signer: unknown };
}
