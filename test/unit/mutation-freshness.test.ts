// Step 4 of a check on its own (src/core/ocsp-freshness.ts): RFC 6960 §4.2.2.1 and §2.4 at the
// edges, every problem and its wording. thisUpdate and nextUpdate are offsets from a fixed NOW.
import { describe, expect, it } from 'vitest';
import {
  CLOCK_SKEW_MS,
  LONG_VALIDITY_MS,
  NO_NEXT_UPDATE_LIFETIME_MS,
  checkFreshness,
} from '../../src/core/ocsp-freshness.js';

const NOW = new Date('2026-01-15T12:00:00Z');
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const at = (offset: number) => new Date(NOW.getTime() + offset);
const fresh = (thisUpdate: number, nextUpdate: number | null) =>
  checkFreshness({ thisUpdate: at(thisUpdate), nextUpdate: nextUpdate === null ? null : at(nextUpdate) }, NOW).map(
    (p) => `${p.severity}:${p.code}`,
  );

describe('checkFreshness at the edges', () => {
  it('the margins are five minutes, one day and ten days', () => {
    expect([CLOCK_SKEW_MS, NO_NEXT_UPDATE_LIFETIME_MS, LONG_VALIDITY_MS]).toEqual([5 * MINUTE, DAY, 10 * DAY]);
  });

  it.each<[string, number, number | null, string[]]>([
    // thisUpdate in the future (§4.2.2.1): the clock margin, to the millisecond.
    ['thisUpdate exactly at the margin', 5 * MINUTE, 4 * DAY, []],
    ['thisUpdate 1 ms past the margin', 5 * MINUTE + 1, 4 * DAY, ['error:not-yet-valid']],
    // No nextUpdate (§2.4): believed a day after thisUpdate, plus the margin.
    ['no nextUpdate, thisUpdate now', 0, null, ['warning:no-next-update']],
    ['no nextUpdate, exactly a day and the margin old', -DAY - 5 * MINUTE, null, ['warning:no-next-update']],
    ['no nextUpdate, 1 ms older', -DAY - 5 * MINUTE - 1, null, ['error:expired']],
    ['no nextUpdate, thisUpdate in the future', HOUR, null, ['error:not-yet-valid', 'warning:no-next-update']],
    // nextUpdate passed (§4.2.2.1).
    ['nextUpdate exactly the margin ago', -4 * DAY, -5 * MINUTE, ['warning:expiring-soon']],
    ['nextUpdate 1 ms before that', -4 * DAY, -5 * MINUTE - 1, ['error:expired']],
    ['nextUpdate now', -4 * DAY, 0, ['warning:expiring-soon']],
    // Expiring soon: under a day left and under max(a quarter of the window, an hour).
    ['a window of 3 days, 23 hours left (over a quarter)', -49 * HOUR, 23 * HOUR, []],
    ['a window of 2 days, 11 hours left (under a quarter)', -37 * HOUR, 11 * HOUR, ['warning:expiring-soon']],
    ['a window of 2 days, exactly a quarter (12 hours) left', -36 * HOUR, 12 * HOUR, []],
    ['a window of 8 days, exactly a day left', -7 * DAY, DAY, []],
    ['a window of 8 days, a day less 1 ms left', -7 * DAY - 1, DAY - 1, ['warning:expiring-soon']],
    ['a window of 2 hours, exactly an hour left', -HOUR, HOUR, []],
    ['a window of 2 hours, an hour less 1 ms left', -HOUR - 1, HOUR - 1, ['warning:expiring-soon']],
    ['a window of 0 (nextUpdate = thisUpdate), in the future', HOUR, HOUR, ['error:not-yet-valid']],
    ['a window of 0, now', 0, 0, ['warning:expiring-soon']],
    // Long validity.
    ['exactly 10 days', -HOUR, 10 * DAY - HOUR, []],
    ['10 days and 1 ms', -HOUR, 10 * DAY - HOUR + 1, ['warning:long-validity']],
    ['expired and long', -30 * DAY, -DAY, ['error:expired', 'warning:long-validity']],
    // nextUpdate before thisUpdate.
    ['nextUpdate 1 ms before thisUpdate', HOUR, HOUR - 1, ['error:not-yet-valid', 'error:malformed']],
    ['nextUpdate before thisUpdate, both near now', 2 * MINUTE, MINUTE, ['error:malformed']],
    ['nextUpdate before thisUpdate, both long past', -HOUR, -2 * HOUR, ['error:expired', 'error:malformed']],
  ])('%s', (_name, thisUpdate, nextUpdate, expected) => {
    expect(fresh(thisUpdate, nextUpdate)).toEqual(expected);
  });

  it('says what happened, with the times', () => {
    const messages = (thisUpdate: number, nextUpdate: number | null) =>
      checkFreshness({ thisUpdate: at(thisUpdate), nextUpdate: nextUpdate === null ? null : at(nextUpdate) }, NOW).map(
        (p) => p.message,
      );
    expect(messages(HOUR, 4 * DAY)).toEqual(['thisUpdate (2026-01-15T13:00:00.000Z) is in the future.']);
    expect(messages(-3 * DAY, null)).toEqual([
      'The response has no nextUpdate and its thisUpdate (2026-01-12T12:00:00.000Z) is over a day old: clients treat it as expired.',
    ]);
    expect(messages(-HOUR, null)).toEqual([
      'The response has no nextUpdate; clients accept it for about a day after thisUpdate only.',
    ]);
    expect(messages(-4 * DAY, -DAY)).toEqual([
      'The staple expired at nextUpdate (2026-01-14T12:00:00.000Z); the server is stapling a stale response.',
    ]);
    expect(messages(-6 * DAY, HOUR / 2)).toEqual([
      'The staple expires within a day and has used most of its validity: the server may have stopped refreshing it.',
    ]);
    expect(messages(-HOUR, 30 * DAY)).toEqual([
      'The response is valid for 30 days; browsers distrust OCSP answers that last over 10 days.',
    ]);
    expect(messages(-HOUR, 11 * DAY + 13 * HOUR)).toEqual([
      'The response is valid for 12 days; browsers distrust OCSP answers that last over 10 days.',
    ]);
    expect(messages(2 * MINUTE, MINUTE)).toEqual(['nextUpdate is before thisUpdate.']);
  });
});
