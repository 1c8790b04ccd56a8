// `inspect`: judge a saved OCSP response offline (docs/contract.md §3 and §6). Pure.
import { describeChainCertificate, parseCertificate } from './certificate.js';
import { toDer } from './encoding.js';
import { judgeStapling, summarize } from './judge.js';
import { blankResult, errorResult, type Result } from './result.js';
import type { SignatureVerifier } from './signature-verifier.js';
import { verdictOf } from './verdict.js';
import { verifyStaple } from './verify-staple.js';

export interface InspectInput {
  response: Uint8Array | string;
  issuer: Uint8Array | string;
  certificate?: Uint8Array | string | null;
  at: Date;
  crypto: Crypto;
  /** Checks signatures and takes digests; default: one over `crypto`. */
  verifier?: SignatureVerifier;
}

function badInput(at: Date, message: string): Result {
  return errorResult(blankResult(at), { code: 'bad-input', message });
}

/**
 * The issuer is trusted as given (as OpenSSL's `-issuer` / `-VAfile`): its own signature is not
 * checked, only that it signed the certificate (when one is given) and the staple.
 */
export async function inspectResponse(input: InspectInput): Promise<Result> {
  const started = performance.now();
  const { at, crypto, verifier } = input;
  // A response that is not PEM or base64 is handed over as raw bytes: the engine calls it malformed.
  const response =
    toDer(input.response, ['OCSP RESPONSE']) ??
    (typeof input.response === 'string' ? new TextEncoder().encode(input.response) : input.response);
  const issuerDer = toDer(input.issuer, ['CERTIFICATE', 'TRUSTED CERTIFICATE']);
  const issuer = issuerDer ? parseCertificate(issuerDer) : null;
  if (!issuerDer || !issuer) return badInput(at, 'The issuer is not an X.509 certificate (DER or PEM).');
  const result = blankResult(at);

  if (input.certificate !== undefined && input.certificate !== null) {
    const leafDer = toDer(input.certificate, ['CERTIFICATE', 'TRUSTED CERTIFICATE']);
    if (!leafDer || !parseCertificate(leafDer))
      return badInput(at, 'The certificate is not an X.509 certificate (DER or PEM).');
    const judgement = await judgeStapling({
      leaf: leafDer,
      issuerCandidates: [issuerDer],
      staple: response,
      at,
      crypto,
      ...(verifier ? { verifier } : {}),
      subject: 'file',
    });
    return {
      ...result,
      verdict: judgement.verdict,
      summary: judgement.summary,
      problems: judgement.problems,
      certificate: judgement.certificate,
      chain: judgement.issuer ? { length: 2, complete: true, trusted: false, certificates: [judgement.issuer] } : null,
      ocsp: judgement.ocsp,
      timing: { totalMs: performance.now() - started },
    };
  }

  const assessment = await verifyStaple({
    response,
    issuer,
    certificate: null,
    at,
    crypto,
    ...(verifier ? { verifier } : {}),
  });
  const verdict = verdictOf({ trustworthy: assessment.trustworthy, certStatus: assessment.ocsp.certStatus });
  const issuerInfo = await describeChainCertificate(issuerDer, crypto);
  return {
    ...result,
    verdict,
    summary: summarize(verdict, assessment.ocsp, assessment.problems, 'file'),
    problems: assessment.problems,
    chain: issuerInfo ? { length: 1, complete: false, trusted: false, certificates: [issuerInfo] } : null,
    ocsp: assessment.ocsp,
    timing: { totalMs: performance.now() - started },
  };
}
