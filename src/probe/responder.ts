// docs/contract.md §7: ask the CA's own OCSP responder too (opt-in: it tells the CA which site is checked),
// to catch a server that keeps stapling "good" after the CA revoked the certificate.
import * as pkijs from 'pkijs';
import { parseCertificate } from '../core/certificate.js';
import { selectIssuer } from '../core/judge.js';
import { cryptoEngineFor, verifyStaple } from '../core/verify-staple.js';
import type { Result } from '../core/result.js';
import type { HandshakeEvidence } from './handshake.js';
import { nodeVerifier } from './node-verifier.js';

/** OCSP answers are a few KiB; anything far larger is not one. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export async function compareWithResponder(
  result: Result,
  evidence: HandshakeEvidence | null,
  deadline: number,
): Promise<void> {
  const url = result.certificate?.ocspUrls.find((u) => u.startsWith('http://') || u.startsWith('https://'));
  const leafDer = evidence?.chain[0];
  const leaf = leafDer ? parseCertificate(leafDer) : null;
  if (!url || !leaf || !evidence) {
    result.responder = {
      url: url ?? '',
      certStatus: null,
      thisUpdate: null,
      nextUpdate: null,
      error: 'The certificate names no OCSP responder.',
    };
    return;
  }
  const { issuer } = await selectIssuer(leaf, evidence.chain.slice(1), globalThis.crypto, nodeVerifier);
  if (!issuer) {
    result.responder = {
      url,
      certStatus: null,
      thisUpdate: null,
      nextUpdate: null,
      error: 'The issuer is unknown, so no request can be built.',
    };
    return;
  }
  try {
    const request = new pkijs.OCSPRequest();
    // RFC 5019 §2.1.1: SHA-1 CertIDs are what every responder understands.
    await request.createForCertificate(
      leaf,
      { hashAlgorithm: 'SHA-1', issuerCertificate: issuer },
      cryptoEngineFor(globalThis.crypto),
    );
    const body = new Uint8Array(request.toSchema(true).toBER(false));
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/ocsp-request' },
      body,
      signal: AbortSignal.timeout(Math.max(1000, deadline - Date.now())),
    });
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (!response.ok || bytes.length > MAX_RESPONSE_BYTES)
      throw new Error(`HTTP ${response.status}, ${bytes.length} bytes`);
    const answer = await verifyStaple({
      response: bytes,
      issuer,
      certificate: leaf,
      at: new Date(result.checkedAt),
      crypto: globalThis.crypto,
      verifier: nodeVerifier,
    });
    const invalid = answer.problems.find((p) => p.severity === 'error');
    result.responder = {
      url,
      certStatus: invalid ? null : answer.ocsp.certStatus,
      thisUpdate: answer.ocsp.thisUpdate,
      nextUpdate: answer.ocsp.nextUpdate,
      error: invalid ? `The responder's answer does not verify: ${invalid.message}` : null,
    };
  } catch (err) {
    result.responder = {
      url,
      certStatus: null,
      thisUpdate: null,
      nextUpdate: null,
      error: `The responder could not be asked: ${(err as Error).message}`,
    };
    result.problems.push({ code: 'responder-unreachable', severity: 'info', message: result.responder.error ?? '' });
    return;
  }
  if (result.responder.certStatus === 'revoked' && result.ocsp?.certStatus === 'good') {
    result.verdict = 'stapled-revoked';
    result.problems.unshift({
      code: 'stale-staple',
      severity: 'error',
      message:
        'The CA says the certificate is REVOKED, but the server still staples an older "good" answer: it is hiding the revocation.',
    });
    result.summary = 'The certificate is REVOKED according to its CA, yet the server staples an old "good" response.';
  }
}
