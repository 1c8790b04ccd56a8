import { describe, expect, it } from 'vitest';
import { formatDuration, formatRelative, formatTimeLeft, formatUtc } from '../../src/core/relative-time.js';

const now = new Date('2026-11-24T10:00:00Z');
const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe('times as people read them', () => {
  it('durations in their largest whole unit', () => {
    expect(formatDuration(40_000)).toBe('40 s');
    expect(formatDuration(3 * HOUR + 59 * 60_000)).toBe('3 h');
    expect(formatDuration(DAY)).toBe('1 day');
    expect(formatDuration(-12 * DAY)).toBe('12 days');
    expect(formatDuration(0)).toBe('0 s');
  });

  it('past and future relative to now', () => {
    expect(formatRelative('2026-11-24T07:00:00Z', now)).toBe('3 h ago');
    expect(formatRelative('2026-11-28T10:00:00Z', now)).toBe('in 4 days');
    expect(formatRelative('2026-11-24T10:00:00.500Z', now)).toBe('just now');
  });

  it('time left: "valid 4 more days"', () => {
    expect(formatTimeLeft(4 * DAY + HOUR)).toBe('4 more days');
    expect(formatTimeLeft(HOUR)).toBe('1 more hour');
    expect(formatTimeLeft(90_000)).toBe('1 more minute');
    expect(formatTimeLeft(0)).toBe('a moment more');
  });

  it('UTC times, short and unambiguous', () => {
    expect(formatUtc('2026-11-24T10:00:00.000Z')).toBe('2026-11-24 10:00 UTC');
  });

  it('each unit from its first whole one, singular at one', () => {
    const YEAR = 365 * DAY;
    expect(
      [999, 1000, 59_999, 60_000, 61_000, HOUR - 1, HOUR, DAY - 1, DAY, 2 * DAY, YEAR - 1, YEAR, 2 * YEAR].map(
        formatDuration,
      ),
    ).toEqual([
      '0 s',
      '1 s',
      '59 s',
      '1 min',
      '1 min',
      '59 min',
      '1 h',
      '23 h',
      '1 day',
      '2 days',
      '364 days',
      '1 year',
      '2 years',
    ]);
    expect(
      [999, 1000, 2000, 60_000, 120_000, 2 * HOUR, DAY, 3 * DAY, 365 * DAY, 800 * DAY].map(formatTimeLeft),
    ).toEqual([
      'a moment more',
      '1 more second',
      '2 more seconds',
      '1 more minute',
      '2 more minutes',
      '2 more hours',
      '1 more day',
      '3 more days',
      '1 more year',
      '2 more years',
    ]);
    expect(formatTimeLeft(-DAY)).toBe('a moment more');
  });

  it('"just now" within a second either way, then seconds', () => {
    expect(formatRelative('2026-11-24T09:59:59.001Z', now)).toBe('just now');
    expect(formatRelative('2026-11-24T09:59:59.000Z', now)).toBe('1 s ago');
    expect(formatRelative('2026-11-24T10:00:01.000Z', now)).toBe('in 1 s');
    expect(formatRelative('2026-11-24T10:00:00.999Z', now)).toBe('just now');
  });
});
