// Durations for --warn-left / --crit-left (docs/contract.md §3): what monitoring people type.
import { describe, expect, it } from 'vitest';
import { formatDurationFlag, formatDurationShort, parseDuration } from '../../src/core/duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('parseDuration', () => {
  it.each<[string, number]>([
    ['36h', 36 * H],
    ['2d', 2 * D],
    ['90m', 90 * M],
    ['3600s', 3600 * S],
    ['1d12h', 36 * H],
    ['2h30m', 150 * M],
    ['1d2h3m4s', D + 2 * H + 3 * M + 4 * S],
    ['1s', S],
    ['365d', 365 * D],
    ['0d1h', H],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text, '--warn-left')).toEqual({ ok: true, ms });
  });

  it.each([
    '',
    '36',
    '1.5h',
    '-1h',
    '+1h',
    '1H',
    '12h1d',
    '1h1h',
    '1w',
    '1 h',
    ' 1h',
    'h',
    '1d 12h',
    '0s',
    '0d0h',
    '366d',
    '9999999d',
  ])('refuses %j, naming the option', (text) => {
    const parsed = parseDuration(text, '--crit-left');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/^--crit-left /);
  });
});

describe('parseDuration says why, and suggests a unit for a bare number', () => {
  const like = 'is not a duration like 36h, 2d, 90m, 3600s or 1d12h';
  it.each<[string, string]>([
    ['36', `--warn-left "36" ${like} (a unit is needed: 36s, 36m, 36h or 36d?).`],
    ['7', `--warn-left "7" ${like} (a unit is needed: 7s, 7m, 7h or 7d?).`],
    ['', `--warn-left "" ${like}.`],
    ['x36', `--warn-left "x36" ${like}.`],
    ['36x', `--warn-left "36x" ${like}.`],
    ['h', `--warn-left "h" ${like}.`],
    ['0s', '--warn-left must be between 1s and 365d.'],
    ['366d', '--warn-left must be between 1s and 365d.'],
  ])('%j', (text, message) => {
    expect(parseDuration(text, '--warn-left')).toEqual({ ok: false, message });
  });

  it('echoes at most 40 characters of what was typed', () => {
    expect(parseDuration(`${'x'.repeat(40)}TAIL`, '--crit-left')).toEqual({
      ok: false,
      message: `--crit-left "${'x'.repeat(40)}" ${like}.`,
    });
  });
});

describe('formatDurationFlag and formatDurationShort', () => {
  it.each<[number, string, string]>([
    [36 * H, '1d12h', '1 d 12 h'],
    [3 * D + 4 * H + 5 * M, '3d4h5m', '3 d 4 h'],
    [3 * D + 5 * M, '3d5m', '3 d'],
    [20 * H + 5 * M + 7 * S, '20h5m7s', '20 h 5 m'],
    [40 * S + 999, '40s', '40 s'],
    [0, '0s', '0 s'],
    [-(2 * H + 30 * M), '-2h30m', '-2 h 30 m'],
  ])('%d ms → %s, %s', (ms, flag, short) => {
    expect(formatDurationFlag(ms)).toBe(flag);
    expect(formatDurationShort(ms)).toBe(short);
  });

  it('formatDurationFlag reads back as the same duration', () => {
    for (const ms of [S, 59 * S, H + S, 36 * H, 365 * D, 7 * D + 3 * M]) {
      expect(parseDuration(formatDurationFlag(ms), 'x')).toEqual({ ok: true, ms });
    }
  });
});
