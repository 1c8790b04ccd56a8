// verdictOf (src/core/verdict.ts): the ladder of docs/contract.md §2 for every outcome, with and without Must-Staple.
import { describe, expect, it } from 'vitest';
import type { CertStatus, Verdict } from '../../src/core/result.js';
import { verdictOf } from '../../src/core/verdict.js';

describe('verdictOf, every case', () => {
  const statuses: (CertStatus | null)[] = ['good', 'revoked', 'unknown', null];
  const trusted: Record<string, Verdict> = {
    good: 'stapled-good',
    revoked: 'stapled-revoked',
    unknown: 'stapled-unknown',
  };

  it.each(statuses)('certStatus %s', (certStatus) => {
    // An untrustworthy staple says nothing, whatever its status; Must-Staple makes that a violation (RFC 7633 §4.2.3).
    expect(verdictOf({ trustworthy: false, certStatus })).toBe('stapled-invalid');
    expect(verdictOf({ trustworthy: false, certStatus }, false)).toBe('stapled-invalid');
    expect(verdictOf({ trustworthy: false, certStatus }, true)).toBe('must-staple-violation');
    // A trustworthy one (it always has a status) says what it says, Must-Staple or not.
    if (certStatus === null) return;
    expect(verdictOf({ trustworthy: true, certStatus })).toBe(trusted[certStatus]);
    expect(verdictOf({ trustworthy: true, certStatus }, true)).toBe(trusted[certStatus]);
  });
});
