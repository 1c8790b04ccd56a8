// From evidence (certificate, chain, staple bytes, a clock) to the verdict of docs/contract.md §2. Pure.
import type * as pkijs from 'pkijs';
import {
  certificateFacts,
  certificateParseFailure,
  describeCertificate,
  describeChainCertificate,
  isMustStaple,
  ocspUrls,
  parseCertificate,
  validityAt,
} from './certificate.js';
import { bytesKey } from './bounded-cache.js';
import { bytesEqual } from './encoding.js';
import type { CertificateInfo, ChainCertificate, OcspInfo, Problem, Verdict } from './result.js';
import { verifyCertificateSignature } from './signatures.js';
import { verdictOf } from './verdict.js';
import { verifyStaple } from './verify-staple.js';
import { webCryptoVerifier, type SignatureVerifier } from './signature-verifier.js';

export interface StaplingEvidence {
  /** Whether the evidence comes from a live server or a saved file (only the wording differs). */
  subject?: 'site' | 'file';
  /** The certificate in question (DER). */
  leaf: Uint8Array;
  /** Certificates that may have issued it: what the server sent, then local trust anchors. */
  issuerCandidates: readonly Uint8Array[];
  /** The stapled OCSPResponse (DER), or `null` when the server sent none. */
  staple: Uint8Array | null;
  at: Date;
  crypto: Crypto;
  /** Checks signatures and takes digests; default: one over `crypto` (`webCryptoVerifier`). */
  verifier?: SignatureVerifier;
}

export interface Judgement {
  verdict: Verdict;
  summary: string;
  problems: Problem[];
  certificate: CertificateInfo | null;
  ocsp: OcspInfo | null;
  issuer: ChainCertificate | null;
}

interface IssuerChoice {
  issuer: pkijs.Certificate | null;
  der: Uint8Array | null;
  problem: string | null;
  /** A candidate carries the issuer's name, but its key did not sign the certificate. */
  namedButWrongKey: boolean;
}

/** The issuer is the candidate whose subject is the certificate's issuer name and whose key signed it. */
export async function selectIssuer(
  leaf: pkijs.Certificate,
  candidates: readonly Uint8Array[],
  crypto: Crypto,
  verifier: SignatureVerifier = webCryptoVerifier(crypto),
): Promise<IssuerChoice> {
  let namedButWrongKey = false;
  // Names compare as the exact DER each certificate was signed with (RFC 5280 §7.1 allows more;
  // OpenSSL does this), read from the TBS bytes: no name is encoded again for a new leaf.
  const leafIssuer = certificateFacts(leaf).issuer;
  for (const der of candidates) {
    const candidate = parseCertificate(der);
    if (!candidate || !bytesEqual(certificateFacts(candidate).subject, leafIssuer)) continue;
    if (await verifyCertificateSignature(leaf, candidate, verifier))
      return { issuer: candidate, der, problem: null, namedButWrongKey: false };
    namedButWrongKey = true;
  }
  return {
    issuer: null,
    der: null,
    namedButWrongKey,
    problem: namedButWrongKey
      ? `A certificate named ${certificateFacts(leaf).issuerText} was found, but its key did not sign this certificate.`
      : `The issuer (${certificateFacts(leaf).issuerText}) was not found: the server did not send it and it is no known root.`,
  };
}

export function summarize(
  verdict: Verdict,
  ocsp: OcspInfo | null,
  problems: readonly Problem[],
  subject: 'site' | 'file' = 'site',
): string {
  const firstError = problems.find((p) => p.severity === 'error');
  const staples = subject === 'site' ? 'The server staples' : 'This is';
  switch (verdict) {
    case 'stapled-good':
      return `${staples} a valid, fresh OCSP response that says the certificate is good.`;
    case 'stapled-revoked':
      return `${staples} a valid OCSP response that says the certificate is REVOKED${ocsp?.revocationReason ? ` (${ocsp.revocationReason})` : ''}.`;
    case 'stapled-unknown':
      return `${staples} a valid OCSP response, but the responder does not know this certificate (status unknown).`;
    case 'stapled-invalid':
      return `${staples} an OCSP response that must not be trusted. ${firstError?.message ?? 'It does not verify.'}`;
    case 'not-stapled':
      return 'The server sent no OCSP staple, though the certificate names an OCSP responder.';
    case 'no-ocsp':
      return 'The certificate names no OCSP responder, so there is nothing to staple.';
    case 'must-staple-violation':
      return `The certificate requires stapling (Must-Staple) but no valid staple came${firstError ? `: ${firstError.message}` : '.'} Firefox will refuse this site.`;
    case 'error':
      return 'The check could not be done.';
  }
}

/** The whole stapling judgement for one handshake's (or one file's) evidence. */
export async function judgeStapling(evidence: StaplingEvidence): Promise<Judgement> {
  const { crypto, at } = evidence;
  const verifier = evidence.verifier ?? webCryptoVerifier(crypto);
  // One key for the parse and the description, both taken before anything is awaited.
  const leafKey = bytesKey(evidence.leaf);
  const leaf = parseCertificate(evidence.leaf, leafKey);
  if (!leaf) {
    const problems: Problem[] = [
      { code: 'malformed', severity: 'error', message: certificateParseFailure(evidence.leaf) },
    ];
    const verdict: Verdict = evidence.staple ? 'stapled-invalid' : 'error';
    return {
      verdict,
      summary: summarize(verdict, null, problems, evidence.subject),
      problems,
      certificate: null,
      ocsp: null,
      issuer: null,
    };
  }
  const certificate = await describeCertificate(evidence.leaf, leaf, verifier, leafKey);
  const problems: Problem[] = [];
  const certValidity = validityAt(leaf, at);
  if (certValidity !== 'valid') {
    problems.push({
      code: certValidity === 'expired' ? 'certificate-expired' : 'certificate-not-yet-valid',
      severity: 'warning',
      message:
        certValidity === 'expired'
          ? `The certificate expired on ${certificate.notAfter}.`
          : `The certificate is valid only from ${certificate.notBefore}.`,
    });
  } else if (certificateFacts(leaf).notAfter.getTime() - at.getTime() < 14 * 24 * 3600 * 1000) {
    problems.push({
      code: 'certificate-expiring',
      severity: 'warning',
      message: `The certificate expires on ${certificate.notAfter}.`,
    });
  }
  const mustStaple = isMustStaple(leaf);
  if (mustStaple) {
    problems.push({
      code: 'must-staple',
      severity: 'info',
      message:
        'The certificate is Must-Staple (RFC 7633): browsers that honour it refuse the site without a valid staple.',
    });
  }

  const choice = await selectIssuer(leaf, evidence.issuerCandidates, crypto, verifier);
  const issuerInfo = choice.der ? await describeChainCertificate(choice.der, verifier) : null;
  if (choice.namedButWrongKey) {
    // RFC 5280 §6.1.3 (a)(1): the certificate's signature must verify with its issuer's key. A
    // warning, not an error: the staple's own verdict already says it cannot be verified
    // (issuer-unavailable), and without a staple the chain is broken, which TLS reports.
    problems.push({
      code: 'leaf-not-signed-by-issuer',
      severity: 'warning',
      message: `A certificate named as the issuer (${certificateFacts(leaf).issuerText}) was found, but its key did not sign this certificate.`,
    });
  }

  if (!evidence.staple) {
    let verdict: Verdict;
    if (mustStaple) verdict = 'must-staple-violation';
    else if (ocspUrls(leaf).length === 0) verdict = 'no-ocsp';
    else verdict = 'not-stapled';
    return {
      verdict,
      summary: summarize(verdict, null, problems, evidence.subject),
      problems,
      certificate,
      ocsp: null,
      issuer: issuerInfo,
    };
  }

  const assessment = await verifyStaple({
    response: evidence.staple,
    issuer: choice.issuer,
    certificate: leaf,
    at,
    crypto,
    verifier,
  });
  const stapleProblems = assessment.problems.map((p) =>
    p.code === 'issuer-unavailable' && choice.problem
      ? { ...p, message: `${choice.problem} The staple cannot be verified.` }
      : p,
  );
  problems.unshift(...stapleProblems);
  // A live handshake with Must-Staple and no valid staple is a hard failure (RFC 7633 §4.2.3);
  // inspect judges the file alone and keeps to the stapled-* verdicts (docs/contract.md §3).
  const verdict = verdictOf(
    { trustworthy: assessment.trustworthy, certStatus: assessment.ocsp.certStatus },
    mustStaple && evidence.subject !== 'file',
  );
  return {
    verdict,
    summary: summarize(verdict, assessment.ocsp, problems, evidence.subject),
    problems,
    certificate,
    ocsp: assessment.ocsp,
    issuer: issuerInfo,
  };
}
