// Step 2 of verifying a staple: which SingleResponse is about this certificate. RFC 6960 §4.1.1
// (CertID) and §4.2.1; a response about another certificate says nothing about this one (§3.2 item 1).
import type * as pkijs from 'pkijs';
import { OID, nameDer, publicKeyBits, serialHex } from './certificate.js';
import { bytesEqual, toArrayBuffer } from './encoding.js';
import { error, info, warning } from './problem.js';
import type { ParsedSingle } from './ocsp-parse.js';
import type { OcspInfo, Problem } from './result.js';

export const HASH_NAME: Record<string, string> = {
  [OID.sha1]: 'SHA-1',
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
};

export interface CertIdFindings {
  problems: Problem[];
  /** The SingleResponse whose status is reported; `null` when none is about this certificate. */
  chosen: ParsedSingle | null;
  /** The status fields of `ocsp` that the chosen SingleResponse fills. */
  status: Pick<
    OcspInfo,
    'certStatus' | 'thisUpdate' | 'nextUpdate' | 'revocationTime' | 'revocationReason' | 'certIdHashAlgorithm'
  > | null;
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

// Revoked beats unknown beats good: never report the kindest of several answers.
const severityRank = (s: ParsedSingle) =>
  s.status === 'revoked' ? 2 : s.status === 'unknown' || s.status === null ? 1 : 0;

export async function matchCertId(
  singles: readonly ParsedSingle[],
  issuer: pkijs.Certificate,
  certificate: pkijs.Certificate | null,
  crypto: Crypto,
): Promise<CertIdFindings> {
  const problems: Problem[] = [];
  const hashCache = new Map<string, { name: Uint8Array; key: Uint8Array }>();
  const matching: ParsedSingle[] = [];
  for (const parsed of singles) {
    if (await certIdMatches(parsed.single.certID, issuer, certificate, crypto, hashCache)) matching.push(parsed);
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
    const about = singles.map((s) => serialHex(s.single.certID.serialNumber)).join(', ') || 'nothing';
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
  if (chosen.status === null)
    problems.push(error('malformed', 'The certStatus of the matching SingleResponse is not good, revoked or unknown.'));
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
      thisUpdate: chosen.single.thisUpdate.toISOString(),
      nextUpdate: chosen.single.nextUpdate ? chosen.single.nextUpdate.toISOString() : null,
      revocationTime: chosen.revocationTime ? chosen.revocationTime.toISOString() : null,
      revocationReason: chosen.revocationReason,
      certIdHashAlgorithm: HASH_NAME[chosen.single.certID.hashAlgorithm.algorithmId] ?? null,
    },
  };
}
