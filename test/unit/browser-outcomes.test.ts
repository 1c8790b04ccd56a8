// What each browser does, per verdict (docs/browsers.md), and the catalogue words it exactly as the
// result's English does (one sentence, two readers: --json and the popup).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BROWSERS,
  BROWSER_SENTENCES,
  browserCaseOf,
  browserOutcomes,
  browserSentences,
  type BrowserOutcomeInput,
} from '../../src/core/browser-outcomes.js';
import { VERDICTS, type Verdict } from '../../src/core/result.js';
import { catalogueTranslator } from '../../src/view/translate.js';
import { messageKey } from '../../src/view/translate.js';

const catalogue: unknown = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', 'public', '_locales', 'en', 'messages.json'), 'utf8'),
);

function input(verdict: Verdict, extra: Partial<BrowserOutcomeInput> = {}): BrowserOutcomeInput {
  return { verdict, certificate: { mustStaple: false }, ocsp: null, problems: [], ...extra };
}

describe('browserOutcomes', () => {
  it('every verdict gives every browser a sentence', () => {
    for (const verdict of VERDICTS) {
      for (const mustStaple of [false, true]) {
        const sentences = browserSentences(input(verdict, { certificate: { mustStaple } }));
        expect(Object.keys(sentences)).toEqual(['firefox', 'chromium', 'safari']);
        for (const sentence of Object.values(sentences)) {
          expect(sentence).toMatch(/^(Firefox|Chrome and Edge|Safari)\b/);
          expect(sentence).not.toContain('$1');
        }
      }
    }
  });

  it('a valid staple saying revoked: Firefox and Chromium refuse, with their error names', () => {
    const outcomes = browserOutcomes(input('stapled-revoked'));
    expect(outcomes.firefox).toEqual({
      case: 'revoked',
      action: 'refuses',
      errorCode: 'SEC_ERROR_REVOKED_CERTIFICATE',
    });
    expect(outcomes.chromium).toEqual({ case: 'revoked', action: 'refuses', errorCode: 'NET::ERR_CERT_REVOKED' });
  });

  it('revoked only per the CA (stale-staple): browsers see the stapled good', () => {
    const problems = [{ code: 'stale-staple' as const, severity: 'error' as const }];
    expect(browserCaseOf(input('stapled-revoked', { problems }))).toBe('hidden-revocation');
    expect(browserOutcomes(input('stapled-revoked', { problems })).firefox.action).toBe('opens');
  });

  it('Must-Staple without a valid staple: only Firefox refuses', () => {
    const outcomes = browserOutcomes(input('must-staple-violation', { certificate: { mustStaple: true } }));
    expect(outcomes.firefox.errorCode).toBe('MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING');
    expect(outcomes.chromium.action).toBe('opens');
    expect(outcomes.safari.action).toBe('opens');
  });

  it('an expired staple: Firefox treats it as absent (refuses only under Must-Staple)', () => {
    const problems = [{ code: 'expired' as const, severity: 'error' as const }];
    expect(browserOutcomes(input('stapled-invalid', { problems })).firefox).toMatchObject({
      case: 'expired',
      action: 'opens',
    });
    expect(
      browserOutcomes(input('stapled-invalid', { problems, certificate: { mustStaple: true } })).firefox,
    ).toMatchObject({ case: 'must-staple-missing', action: 'refuses' });
  });

  it('an invalid staple: Firefox refuses with the error its tests name; Chromium ignores it', () => {
    const signer = browserOutcomes(
      input('stapled-invalid', { problems: [{ code: 'unauthorized-signer', severity: 'error' }] }),
    );
    expect(signer.firefox.errorCode).toBe('SEC_ERROR_OCSP_INVALID_SIGNING_CERT');
    expect(signer.chromium.action).toBe('opens');
    const tryLater = browserOutcomes(
      input('stapled-invalid', {
        problems: [{ code: 'unsuccessful-response', severity: 'error' }],
        ocsp: { responseStatus: 'tryLater' },
      }),
    );
    expect(tryLater.firefox.errorCode).toBe('SEC_ERROR_OCSP_TRY_SERVER_LATER');
    const badSignature = browserSentences(
      input('stapled-invalid', { problems: [{ code: 'bad-signature', severity: 'error' }] }),
    );
    expect(badSignature.firefox).toContain('an OCSP error');
  });

  it('unknown: Firefox refuses (SEC_ERROR_OCSP_UNKNOWN_CERT), Chromium opens', () => {
    const outcomes = browserOutcomes(input('stapled-unknown'));
    expect(outcomes.firefox.errorCode).toBe('SEC_ERROR_OCSP_UNKNOWN_CERT');
    expect(outcomes.chromium.action).toBe('opens');
  });
});

describe('the catalogue words each case exactly as the result does', () => {
  const t = catalogueTranslator(catalogue);
  it.each(BROWSERS)('%s', (browser) => {
    for (const [theCase, english] of Object.entries(BROWSER_SENTENCES[browser])) {
      const key = messageKey('browser', browser, theCase);
      expect(t(key, ['ERR_X']), key).toBe(english.replace('$1', 'ERR_X'));
    }
  });
});
