// The verdict ladder for a stapled response (docs/contract.md §2), written once for `judge` and `inspect`.
import type { CertStatus, Verdict } from './result.js';

export interface StapleOutcome {
  /** No problem of severity `error`: the staple may be believed. */
  trustworthy: boolean;
  certStatus: CertStatus | null;
}

/**
 * An untrustworthy staple is `stapled-invalid`, or `must-staple-violation` when the certificate
 * demands a valid staple of a live server (RFC 7633 §4.2.3); a trustworthy one says what it says.
 */
export function verdictOf(outcome: StapleOutcome, mustStapleApplies = false): Verdict {
  if (!outcome.trustworthy) return mustStapleApplies ? 'must-staple-violation' : 'stapled-invalid';
  if (outcome.certStatus === 'revoked') return 'stapled-revoked';
  if (outcome.certStatus === 'unknown') return 'stapled-unknown';
  return 'stapled-good';
}
