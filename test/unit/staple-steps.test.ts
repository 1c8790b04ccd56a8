// The named steps of verifyStaple on their own: the verdict ladder, the freshness rules (the
// one-day rule for a response without nextUpdate, the clock margin, long validity), and a byKey
// responderID that names another key. The clock is fixed and injected.
import { beforeAll, describe, expect, it } from 'vitest';
import { CLOCK_SKEW_MS, NO_NEXT_UPDATE_LIFETIME_MS, checkFreshness } from '../../src/core/ocsp-freshness.js';
import { verdictOf } from '../../src/core/verdict.js';
import { verifyStaple } from '../../src/core/verify-staple.js';
import type { Problem } from '../../src/core/result.js';
import {
  DAY,
  HOUR,
  MINUTE,
  mintOcspResponse,
  mintResponder,
  mintScenario,
  shift,
  type Scenario,
} from '../support/mint.js';

const NOW = new Date('2026-01-15T12:00:00Z');
const codes = (problems: Problem[]) => problems.map((p) => `${p.severity}:${p.code}`);

describe('verdictOf: one ladder for judge and inspect', () => {
  it.each([
    [{ trustworthy: false, certStatus: 'good' as const }, false, 'stapled-invalid'],
    [{ trustworthy: false, certStatus: 'revoked' as const }, false, 'stapled-invalid'],
    [{ trustworthy: false, certStatus: null }, true, 'must-staple-violation'],
    [{ trustworthy: true, certStatus: 'revoked' as const }, true, 'stapled-revoked'],
    [{ trustworthy: true, certStatus: 'unknown' as const }, false, 'stapled-unknown'],
    [{ trustworthy: true, certStatus: 'good' as const }, true, 'stapled-good'],
  ])('%j, must-staple %s: %s', (outcome, mustStaple, verdict) => {
    expect(verdictOf(outcome, mustStaple)).toBe(verdict);
  });
});

describe('checkFreshness (RFC 6960 §4.2.2.1, §2.4)', () => {
  const fresh = (thisUpdate: Date, nextUpdate: Date | null) => codes(checkFreshness({ thisUpdate, nextUpdate }, NOW));

  it('no nextUpdate: believed for one day after thisUpdate, plus the clock margin', () => {
    expect(NO_NEXT_UPDATE_LIFETIME_MS).toBe(DAY);
    expect(fresh(shift(NOW, -HOUR), null)).toEqual(['warning:no-next-update']);
    expect(fresh(shift(NOW, -DAY - CLOCK_SKEW_MS + MINUTE), null)).toEqual(['warning:no-next-update']);
    expect(fresh(shift(NOW, -DAY - CLOCK_SKEW_MS - MINUTE), null)).toEqual(['error:expired']);
    expect(fresh(shift(NOW, -3 * DAY), null)).toEqual(['error:expired']);
  });

  it('thisUpdate in the future beyond the margin: not-yet-valid; within it: fine', () => {
    expect(fresh(shift(NOW, CLOCK_SKEW_MS - MINUTE), shift(NOW, 4 * DAY))).toEqual([]);
    expect(fresh(shift(NOW, CLOCK_SKEW_MS + MINUTE), shift(NOW, 4 * DAY))).toEqual(['error:not-yet-valid']);
  });

  it('nextUpdate passed beyond the margin: expired; within it: expiring-soon only', () => {
    expect(fresh(shift(NOW, -4 * DAY), shift(NOW, -CLOCK_SKEW_MS + MINUTE))).toEqual(['warning:expiring-soon']);
    expect(fresh(shift(NOW, -4 * DAY), shift(NOW, -CLOCK_SKEW_MS - MINUTE))).toEqual(['error:expired']);
  });

  it('validity over 10 days: long-validity warning; exactly 10 days: none', () => {
    expect(fresh(shift(NOW, -HOUR), shift(NOW, -HOUR + 10 * DAY))).toEqual([]);
    expect(fresh(shift(NOW, -HOUR), shift(NOW, -HOUR + 10 * DAY + MINUTE))).toEqual(['warning:long-validity']);
  });

  it('nextUpdate before thisUpdate: malformed', () => {
    expect(fresh(shift(NOW, -HOUR), shift(NOW, -2 * HOUR))).toContain('error:expired');
    expect(fresh(shift(NOW, 2 * MINUTE), shift(NOW, MINUTE))).toEqual(['error:malformed']);
  });
});

describe('responderID byKey', () => {
  let s: Scenario;
  beforeAll(async () => {
    s = await mintScenario({ now: NOW });
  });

  it('naming another key than the signer that really signed: no authorized signer', async () => {
    const other = await mintResponder({
      issuer: s.intermediate,
      commonName: 'Other Key',
      notBefore: shift(NOW, -DAY),
      notAfter: shift(NOW, 30 * DAY),
    });
    const response = await mintOcspResponse({
      producedAt: shift(NOW, -HOUR),
      signer: other,
      signingKey: s.intermediate.keys.privateKey,
      responderId: 'byKey',
      certificates: [],
      responses: [
        { certificate: s.leaf, issuer: s.intermediate, thisUpdate: shift(NOW, -HOUR), nextUpdate: shift(NOW, DAY) },
      ],
    });
    const assessment = await verifyStaple({
      response,
      issuer: s.intermediate.cert,
      certificate: s.leaf.cert,
      at: NOW,
      crypto: globalThis.crypto,
    });
    expect(assessment.trustworthy).toBe(false);
    expect(codes(assessment.problems)).toEqual(['error:unauthorized-signer']);
  });
});
