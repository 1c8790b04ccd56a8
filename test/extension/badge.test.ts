import { describe, expect, it } from 'vitest';
import { VERDICT_COLOUR } from '../../src/core/result.js';
import { BADGE_COLOURS, VERDICT_BADGE_TEXT, badgeFor, verdictColour } from '../../src/extension/shared/badge.js';
import type { TabView } from '../../src/extension/shared/tab-view.js';
import { ALL_VERDICTS, sampleResult } from './sample-results.js';

const site = { host: 'example.com', port: 443 };

/** WCAG 2.x relative luminance and contrast ratio. */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe('badge for a finished check', () => {
  it.each(ALL_VERDICTS)('%s: contract colour, short text, a tooltip', (verdict) => {
    const badge = badgeFor({ state: 'result', site, result: sampleResult(verdict), fromCache: false, expiresAt: null });
    expect(badge.colour).toBe(VERDICT_COLOUR[verdict]);
    expect(badge.background).toBe(BADGE_COLOURS[VERDICT_COLOUR[verdict]].background);
    expect(badge.text).toBe(VERDICT_BADGE_TEXT[verdict]);
    expect(badge.text.length).toBeGreaterThan(0);
    expect(badge.text.length).toBeLessThanOrEqual(4);
    expect(badge.title).toMatch(/^Staple Check: /);
  });

  it('is green for stapled-good and for nothing else', () => {
    for (const verdict of ALL_VERDICTS) {
      const badge = badgeFor({
        state: 'result',
        site,
        result: sampleResult(verdict),
        fromCache: false,
        expiresAt: null,
      });
      if (verdict === 'stapled-good') expect(badge.colour).toBe('green');
      else {
        expect(badge.colour).not.toBe('green');
        expect(badge.background).not.toBe(BADGE_COLOURS.green.background);
      }
    }
  });

  it('says ? in grey for error (docs/contract.md §2)', () => {
    const badge = badgeFor({ state: 'result', site, result: sampleResult('error'), fromCache: true, expiresAt: 1 });
    expect(badge).toMatchObject({ text: '?', colour: 'grey' });
  });

  it('red for revoked, invalid and Must-Staple violations; amber for unknown and not-stapled; grey for no-ocsp', () => {
    expect(verdictColour('stapled-revoked')).toBe('red');
    expect(verdictColour('stapled-invalid')).toBe('red');
    expect(verdictColour('must-staple-violation')).toBe('red');
    expect(verdictColour('stapled-unknown')).toBe('amber');
    expect(verdictColour('not-stapled')).toBe('amber');
    expect(verdictColour('no-ocsp')).toBe('grey');
  });
});

describe('badge for the other states', () => {
  const cases: [TabView, string][] = [
    [{ state: 'not-https', scheme: 'http:' }, ''],
    [{ state: 'idle', site, reason: 'excluded' }, ''],
    [{ state: 'idle', site, reason: 'auto-check-off' }, ''],
    [{ state: 'checking', site, startedAt: 0 }, '…'],
    [{ state: 'host-missing', site, message: 'Specified native messaging host not found.', extensionId: 'x' }, '!'],
    [{ state: 'failed', site, code: 'malformed-answer', message: 'bad' }, '?'],
  ];
  it.each(cases)('%j → %j, never green', (view, text) => {
    const badge = badgeFor(view);
    expect(badge.text).toBe(text);
    expect(badge.colour).toBe('grey');
  });

  it('clears the badge on pages without TLS (empty text, default title)', () => {
    expect(badgeFor({ state: 'not-https', scheme: 'file:' })).toMatchObject({ text: '', title: 'Staple Check' });
  });

  it('names the site in the tooltip while checking and on failure', () => {
    expect(badgeFor({ state: 'checking', site: { host: '::1', port: 8443 }, startedAt: 0 }).title).toContain(
      '[::1]:8443',
    );
    expect(badgeFor({ state: 'failed', site, code: 'timeout', message: 'slow' }).title).toContain('example.com:443');
  });
});

describe('badge colours', () => {
  it.each(Object.entries(BADGE_COLOURS))('%s text reaches 4.5:1 contrast', (_name, colours) => {
    expect(contrast(colours.background, colours.text)).toBeGreaterThanOrEqual(4.5);
  });
});
