// Verify one stapled OCSP response against the certificate and its issuer. Pure: bytes, an
// injected clock and an injected signature verifier (or WebCrypto) in, an assessment out.
//
// pkijs' BasicOCSPResponse.verify() wants a chain to a trusted root (a staple's validity must not
// hinge on root trust) and its getCertificateStatus() checks no dates and turns "about another
// certificate" into "unknown"; so the RFC 6960 rules are applied here as a pipeline of steps (one
// function per RFC step, each returning its findings), listed in `verifyStaple` below. What is
// pure is cached by the bytes (parsed certificates, issuer digests, signature validity, all
// bounded); freshness depends on the clock and is judged on every call.
import * as pkijs from 'pkijs';
import { matchCertId } from './ocsp-cert-id.js';
import { checkFreshness } from './ocsp-freshness.js';
import { parseStaple } from './ocsp-parse.js';
import { authorizeSigner } from './ocsp-signer.js';
import { error } from './problem.js';
import { webCryptoVerifier, type SignatureVerifier } from './signature-verifier.js';
import type { OcspInfo, Problem } from './result.js';

export { CLOCK_SKEW_MS, NO_NEXT_UPDATE_LIFETIME_MS } from './ocsp-freshness.js';
export { MAX_RESPONSE_BYTES } from './ocsp-parse.js';

export interface StapleInput {
  /** DER OCSPResponse (RFC 6960 §4.2.1). */
  response: Uint8Array;
  /** The CA certificate that issued `certificate`; `null` when it could not be found. */
  issuer: pkijs.Certificate | null;
  /** The certificate the staple must be about; `null` means the serial is not checked. */
  certificate: pkijs.Certificate | null;
  at: Date;
  crypto: Crypto;
  /** Checks signatures and takes digests; default: one over `crypto` (`webCryptoVerifier`). */
  verifier?: SignatureVerifier;
}

export interface StapleAssessment {
  ocsp: OcspInfo;
  problems: Problem[];
  /** No problem of severity `error`: the staple may be believed. */
  trustworthy: boolean;
}

/** A pkijs engine over `crypto`, for what pkijs still does (building OCSP requests). */
const engines = new WeakMap<Crypto, pkijs.CryptoEngine>();
export function cryptoEngineFor(crypto: Crypto): pkijs.CryptoEngine {
  let engine = engines.get(crypto);
  if (!engine) {
    engine = new pkijs.CryptoEngine({ name: 'staplecheck', crypto });
    engines.set(crypto, engine);
  }
  return engine;
}

function assessment(ocsp: OcspInfo, problems: Problem[]): StapleAssessment {
  return { ocsp, problems, trustworthy: !problems.some((p) => p.severity === 'error') };
}

export async function verifyStaple(input: StapleInput): Promise<StapleAssessment> {
  const { response, issuer, certificate, at } = input;
  const verifier = input.verifier ?? webCryptoVerifier(input.crypto);
  // 1. RFC 6960 §4.2.1: a strict-DER OCSPResponse, status successful, a BasicOCSPResponse.
  const read = parseStaple(response);
  if (!read.parsed) return assessment(read.ocsp, read.problems);
  const basic = read.parsed;
  if (!issuer) {
    const unavailable = error(
      'issuer-unavailable',
      "The issuer's certificate was not found (the server did not send it), so the staple cannot be verified.",
    );
    return assessment(read.ocsp, [unavailable]);
  }
  // 2. RFC 6960 §4.1.1: the SingleResponse whose CertID is this certificate's.
  const match = await matchCertId(basic.responses, issuer, certificate, verifier);
  // 3. RFC 6960 §4.2.2.2: signed by the issuer or by a responder it authorized, named by responderID.
  const signer = await authorizeSigner(basic, issuer, read.ocsp.signer?.responderId, at, verifier);
  // 4. RFC 6960 §4.2.2.1 and §2.4: current at `at`, within the clock margin.
  const freshness = match.chosen ? checkFreshness(match.chosen, at) : [];
  return assessment({ ...read.ocsp, ...match.status, signer: signer.signer }, [
    ...match.problems,
    ...signer.problems,
    ...freshness,
  ]);
}
