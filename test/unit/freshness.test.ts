// Is the staple current (RFC 6960 §4.2.2.1, §3.2 items 5 and 6)? Each edge one second either side,
// on responses minted against a fixed, injected clock. CLOCK_SKEW_MS and
// NO_NEXT_UPDATE_LIFETIME_MS are the policy; the rows say where they start and stop.
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyStaple } from '../../src/index.js';
import { CLOCK_SKEW_MS, NO_NEXT_UPDATE_LIFETIME_MS } from '../../src/core/verify-staple.js';
import { DAY, HOUR, MINUTE, SECOND, mintOcspResponse, mintScenario, shift, type Scenario } from '../support/mint.js';

const NOW = new Date('2026-04-20T12:00:00Z');
let s: Scenario;

beforeAll(async () => {
  s = await mintScenario({ now: NOW });
});

/** thisUpdate and nextUpdate as offsets from NOW (`null`: no nextUpdate). */
async function assess(thisUpdate: number, nextUpdate: number | null) {
  const response = await mintOcspResponse({
    responses: [
      {
        certificate: s.leaf,
        issuer: s.intermediate,
        thisUpdate: shift(NOW, thisUpdate),
        nextUpdate: nextUpdate === null ? null : shift(NOW, nextUpdate),
      },
    ],
    producedAt: shift(NOW, Math.min(thisUpdate, 0)),
    signer: s.intermediate,
  });
  const assessment = await verifyStaple({
    response,
    issuer: s.intermediate.cert,
    certificate: s.leaf.cert,
    at: NOW,
    crypto: globalThis.crypto,
  });
  return { ...assessment, codes: assessment.problems.map((p) => `${p.severity}:${p.code}`) };
}

describe('the policy constants', () => {
  it('five minutes of clock skew, one day for a response without nextUpdate (mozilla::pkix)', () => {
    expect(CLOCK_SKEW_MS).toBe(5 * MINUTE);
    expect(NO_NEXT_UPDATE_LIFETIME_MS).toBe(DAY);
  });
});

describe('no nextUpdate: believed one day after thisUpdate', () => {
  it.each<[string, number, boolean, string[]]>([
    ['an hour old', -HOUR, true, ['warning:no-next-update']],
    ['23 hours old', -23 * HOUR, true, ['warning:no-next-update']],
    ['exactly one day and the skew old', -(DAY + 5 * MINUTE), true, ['warning:no-next-update']],
    ['one second past a day and the skew', -(DAY + 5 * MINUTE + SECOND), false, ['error:expired']],
    ['26 hours old', -26 * HOUR, false, ['error:expired']],
    ['three days old', -3 * DAY, false, ['error:expired']],
    ['a year old', -365 * DAY, false, ['error:expired']],
  ])('%s', async (_name, thisUpdate, trustworthy, codes) => {
    const assessment = await assess(thisUpdate, null);
    expect(assessment.codes).toEqual(codes);
    expect(assessment.trustworthy).toBe(trustworthy);
    expect(assessment.ocsp.nextUpdate).toBeNull();
  });

  it('says why a three-day-old one is expired', async () => {
    const { problems } = await assess(-3 * DAY, null);
    expect(problems[0]?.message).toMatch(/no nextUpdate and its thisUpdate \(.*\) is over a day old/);
  });
});

describe('thisUpdate in the future', () => {
  it.each<[string, number, boolean]>([
    ['within the skew', 5 * MINUTE, true],
    ['one second past the skew', 5 * MINUTE + SECOND, false],
    ['an hour ahead', HOUR, false],
  ])('%s', async (_name, thisUpdate, trustworthy) => {
    const assessment = await assess(thisUpdate, thisUpdate + 2 * DAY);
    expect(assessment.trustworthy).toBe(trustworthy);
    expect(assessment.codes.includes('error:not-yet-valid')).toBe(!trustworthy);
  });
});

describe('nextUpdate in the past', () => {
  it.each<[string, number, boolean]>([
    ['within the skew', -5 * MINUTE, true],
    ['one second past the skew', -(5 * MINUTE + SECOND), false],
    ['a day ago', -DAY, false],
  ])('%s', async (_name, nextUpdate, trustworthy) => {
    const assessment = await assess(-2 * DAY, nextUpdate);
    expect(assessment.trustworthy).toBe(trustworthy);
    expect(assessment.codes.includes('error:expired')).toBe(!trustworthy);
  });
});

describe('expiring-soon: under a day left and most of the window used', () => {
  it.each<[string, number, number, boolean]>([
    ['a week window, 12 hours left', -6 * DAY - 12 * HOUR, 12 * HOUR, true],
    ['a week window, 25 hours left', -6 * DAY + HOUR, 25 * HOUR, false],
    ['a 2-hour window, 50 minutes left (under the one-hour floor)', -70 * MINUTE, 50 * MINUTE, true],
    ['a 2-hour window, 61 minutes left', -59 * MINUTE, 61 * MINUTE, false],
    ['an 8-hour window, 90 minutes left (under a quarter)', -390 * MINUTE, 90 * MINUTE, true],
    ['an 8-hour window, 150 minutes left (over a quarter)', -330 * MINUTE, 150 * MINUTE, false],
    ['a 4-day window, 23 hours left (under a quarter)', -73 * HOUR, 23 * HOUR, true],
  ])('%s', async (_name, thisUpdate, nextUpdate, soon) => {
    const assessment = await assess(thisUpdate, nextUpdate);
    expect(assessment.trustworthy).toBe(true);
    expect(assessment.codes).toEqual(soon ? ['warning:expiring-soon'] : []);
  });
});

describe('long-validity: a window over ten days', () => {
  it.each<[string, number, string[]]>([
    ['exactly ten days', 10 * DAY, []],
    ['ten days and a second', 10 * DAY + SECOND, ['warning:long-validity']],
    ['fourteen days', 14 * DAY, ['warning:long-validity']],
  ])('%s', async (_name, window, codes) => {
    const assessment = await assess(-HOUR, window - HOUR);
    expect(assessment.codes).toEqual(codes);
    expect(assessment.trustworthy).toBe(true);
  });

  it('names the length in days', async () => {
    const { problems } = await assess(-HOUR, 14 * DAY - HOUR);
    expect(problems).toEqual([
      {
        code: 'long-validity',
        severity: 'warning',
        message: 'The response is valid for 14 days; browsers distrust OCSP answers that last over 10 days.',
      },
    ]);
  });
});

describe('nextUpdate before thisUpdate', () => {
  it('is malformed, and is not also called expiring soon', async () => {
    // Both within the skew of NOW, so neither "expired" nor "not yet valid" applies.
    const assessment = await assess(2 * MINUTE, MINUTE);
    expect(assessment.codes).toEqual(['error:malformed']);
    expect(assessment.trustworthy).toBe(false);
  });
});
