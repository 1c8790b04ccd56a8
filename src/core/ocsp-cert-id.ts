// Step 2 of verifying a staple: which SingleResponse is about this certificate. RFC 6960 §4.1.1
// (CertID) and §4.2.1; a response about another certificate says nothing about this one (§3.2 item 1).
import type * as pkijs from 'pkijs';
import { OID, certificateFacts } from './certificate.js';
import { bytesEqual, toHex } from './encoding.js';
import type { SingleResponseData } from './ocsp-response.js';
import { error, info, warning } from './problem.js';
import type { OcspInfo, Problem } from './result.js';
import type { HashName, SignatureVerifier } from './signature-verifier.js';

export const HASH_NAME: Record<string, HashName> = {
  [OID.sha1]: 'SHA-1',
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
};

export interface CertIdFindings {
  problems: Problem[];
  /** The SingleResponse whose status is reported; `null` when none is about this certificate. */
  chosen: SingleResponseData | null;
  /** The status fields of `ocsp` that the chosen SingleResponse fills. */
  status: Pick<
    OcspInfo,
    'certStatus' | 'thisUpdate' | 'nextUpdate' | 'revocationTime' | 'revocationReason' | 'certIdHashAlgorithm'
  > | null;
}

/** The serial as CAs and OpenSSL print it: without the DER sign octet. */
function serialText(contents: Uint8Array): string {
  return toHex(contents.subarray(contents.length > 1 && contents[0] === 0 ? 1 : 0));
}

/** hash(issuer name DER) and hash(issuer key BIT STRING value), once per issuer and hash. */
async function issuerHashes(issuer: pkijs.Certificate, hash: HashName, verifier: SignatureVerifier) {
  const facts = certificateFacts(issuer);
  let hashes = facts.certIdHashes.get(hash);
  if (!hashes) {
    hashes = {
      name: await verifier.digest(hash, facts.subject),
      key: await verifier.digest(hash, facts.publicKeyBits),
    };
    facts.certIdHashes.set(hash, hashes);
  }
  return hashes;
}

/** RFC 6960 §4.1.1: CertID = hash(issuer name DER), hash(issuer key BIT STRING value), serial. */
async function certIdMatches(
  single: SingleResponseData,
  issuer: pkijs.Certificate,
  certificateSerial: string | null,
  verifier: SignatureVerifier,
): Promise<boolean> {
  // An unknown hash algorithm matches nothing: it is never read as SHA-1.
  const hash = HASH_NAME[single.certId.hashAlgorithm];
  if (!hash) return false;
  const hashes = await issuerHashes(issuer, hash, verifier);
  if (!bytesEqual(single.certId.issuerNameHash, hashes.name)) return false;
  if (!bytesEqual(single.certId.issuerKeyHash, hashes.key)) return false;
  return certificateSerial === null || serialText(single.certId.serialNumber) === certificateSerial;
}

// Revoked beats unknown beats good: never report the kindest of several answers.
const severityRank = (s: SingleResponseData) => (s.status === 'revoked' ? 2 : s.status === 'unknown' ? 1 : 0);

export async function matchCertId(
  singles: readonly SingleResponseData[],
  issuer: pkijs.Certificate,
  certificate: pkijs.Certificate | null,
  verifier: SignatureVerifier,
): Promise<CertIdFindings> {
  const problems: Problem[] = [];
  const certificateSerial = certificate ? certificateFacts(certificate).serialHex : null;
  const matching: SingleResponseData[] = [];
  for (const single of singles) {
    if (await certIdMatches(single, issuer, certificateSerial, verifier)) matching.push(single);
  }
  if (singles.length > 1) {
    problems.push(
      info(
        'several-single-responses',
        `The response holds ${singles.length} SingleResponses; ${matching.length} match this certificate.`,
      ),
    );
  }
  const chosen = [...matching].sort((a, b) => severityRank(b) - severityRank(a))[0];
  if (!chosen) {
    const about = singles.map((s) => serialText(s.certId.serialNumber)).join(', ') || 'nothing';
    problems.push(
      error(
        'cert-id-mismatch',
        `No SingleResponse's CertID matches this certificate and issuer (the response is about serial ${about}).`,
      ),
    );
    return { problems, chosen: null, status: null };
  }
  if (new Set(matching.map((m) => m.status)).size > 1) {
    problems.push(
      warning(
        'single-responses-disagree',
        'Several SingleResponses for this certificate disagree; the most severe status is reported.',
      ),
    );
  }
  if (!certificate) {
    problems.push(
      info('serial-not-checked', 'No certificate was given, so the serial number in the CertID was not checked.'),
    );
  }
  return {
    problems,
    chosen,
    status: {
      certStatus: chosen.status,
      thisUpdate: chosen.thisUpdate.toISOString(),
      nextUpdate: chosen.nextUpdate ? chosen.nextUpdate.toISOString() : null,
      revocationTime: chosen.revocationTime ? chosen.revocationTime.toISOString() : null,
      revocationReason: chosen.revocationReason,
      certIdHashAlgorithm: HASH_NAME[chosen.certId.hashAlgorithm] ?? null,
    },
  };
}
