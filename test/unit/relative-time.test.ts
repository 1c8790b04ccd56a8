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
});
