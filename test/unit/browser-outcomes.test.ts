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
  type BrowserCase,
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

describe('browserCaseOf and browserOutcomes, every case (docs/contract.md §8, docs/browsers.md)', () => {
  type P = BrowserOutcomeInput['problems'][number];
  const err = (code: P['code']): P => ({ code, severity: 'error' });
  const warn = (code: P['code']): P => ({ code, severity: 'warning' });
  const ms = { certificate: { mustStaple: true } };

  it.each<[string, BrowserOutcomeInput, BrowserCase]>([
    ['good', input('stapled-good'), 'good'],
    ['good, no certificate', input('stapled-good', { certificate: null }), 'good'],
    ['revoked', input('stapled-revoked', { problems: [warn('expiring-soon')] }), 'revoked'],
    [
      'revoked per the CA only (a warning)',
      input('stapled-revoked', { problems: [warn('stale-staple')] }),
      'hidden-revocation',
    ],
    ['unknown', input('stapled-unknown'), 'unknown-status'],
    [
      'invalid: expired only',
      input('stapled-invalid', { problems: [err('expired'), warn('no-next-update')] }),
      'expired',
    ],
    [
      'invalid: expired and more',
      input('stapled-invalid', { problems: [err('expired'), err('bad-signature')] }),
      'invalid',
    ],
    ['invalid: bad signature', input('stapled-invalid', { problems: [err('bad-signature')] }), 'invalid'],
    [
      'invalid: an expired warning is no expired staple',
      input('stapled-invalid', { problems: [warn('expired'), err('malformed')] }),
      'invalid',
    ],
    ['invalid, no certificate', input('stapled-invalid', { certificate: null, problems: [err('expired')] }), 'expired'],
    [
      'invalid, Must-Staple: expired only',
      input('stapled-invalid', { ...ms, problems: [err('expired')] }),
      'must-staple-missing',
    ],
    [
      'invalid, Must-Staple: bad signature',
      input('stapled-invalid', { ...ms, problems: [err('bad-signature')] }),
      'must-staple-invalid',
    ],
    [
      'violation: nothing stapled',
      input('must-staple-violation', { ...ms, problems: [warn('must-staple')] }),
      'must-staple-missing',
    ],
    [
      'violation: expired only',
      input('must-staple-violation', { ...ms, problems: [err('expired')] }),
      'must-staple-missing',
    ],
    [
      'violation: malformed',
      input('must-staple-violation', { ...ms, problems: [err('malformed')] }),
      'must-staple-invalid',
    ],
    [
      'violation: expired and more',
      input('must-staple-violation', { ...ms, problems: [err('expired'), err('malformed')] }),
      'must-staple-invalid',
    ],
    ['not stapled', input('not-stapled'), 'missing'],
    ['no OCSP', input('no-ocsp'), 'no-ocsp'],
    ['error', input('error', { certificate: null }), 'error'],
  ])('%s', (_what, given, theCase) => {
    expect(browserCaseOf(given)).toBe(theCase);
  });

  const FIREFOX: Record<BrowserCase, [string, string | null]> = {
    good: ['opens', null],
    revoked: ['refuses', 'SEC_ERROR_REVOKED_CERTIFICATE'],
    'hidden-revocation': ['opens', null],
    'unknown-status': ['refuses', 'SEC_ERROR_OCSP_UNKNOWN_CERT'],
    invalid: ['refuses', 'SEC_ERROR_OCSP_MALFORMED_RESPONSE'],
    expired: ['opens', null],
    missing: ['opens', null],
    'must-staple-missing': ['refuses', 'MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING'],
    'must-staple-invalid': ['refuses', 'SEC_ERROR_OCSP_MALFORMED_RESPONSE'],
    'no-ocsp': ['opens', null],
    error: ['unknown', null],
  };
  const inputs: Record<BrowserCase, BrowserOutcomeInput> = {
    good: input('stapled-good'),
    revoked: input('stapled-revoked'),
    'hidden-revocation': input('stapled-revoked', { problems: [err('stale-staple')] }),
    'unknown-status': input('stapled-unknown'),
    invalid: input('stapled-invalid', { problems: [err('malformed')] }),
    expired: input('stapled-invalid', { problems: [err('expired')] }),
    missing: input('not-stapled'),
    'must-staple-missing': input('must-staple-violation', ms),
    'must-staple-invalid': input('must-staple-violation', { ...ms, problems: [err('malformed')] }),
    'no-ocsp': input('no-ocsp'),
    error: input('error'),
  };

  it.each(Object.keys(FIREFOX) as BrowserCase[])('%s: what each browser does', (theCase) => {
    const [firefoxAction, firefoxError] = FIREFOX[theCase];
    expect(browserOutcomes(inputs[theCase])).toEqual({
      firefox: { case: theCase, action: firefoxAction, errorCode: firefoxError },
      chromium: {
        case: theCase,
        action: theCase === 'error' ? 'unknown' : theCase === 'revoked' ? 'refuses' : 'opens',
        errorCode: theCase === 'revoked' ? 'NET::ERR_CERT_REVOKED' : null,
      },
      // Apple documents no rule for a stapled "revoked": expected to refuse, no error name.
      safari: {
        case: theCase,
        action: theCase === 'error' ? 'unknown' : theCase === 'revoked' ? 'refuses' : 'opens',
        errorCode: null,
      },
    });
  });

  it('Firefox names the error of its tests for each refused staple (mozilla-central test_ocsp_stapling.js)', () => {
    const firefox = (problems: P[], responseStatus: string | null = null) =>
      browserOutcomes(
        input('stapled-invalid', {
          problems,
          ocsp: responseStatus === null ? null : { responseStatus: responseStatus as 'tryLater' },
        }),
      ).firefox.errorCode;
    expect(firefox([err('unauthorized-signer')])).toBe('SEC_ERROR_OCSP_INVALID_SIGNING_CERT');
    expect(firefox([err('malformed')])).toBe('SEC_ERROR_OCSP_MALFORMED_RESPONSE');
    expect(firefox([err('cert-id-mismatch')])).toBe('MOZILLA_PKIX_ERROR_OCSP_RESPONSE_FOR_CERT_MISSING');
    const unsuccessful = [err('unsuccessful-response')];
    expect(firefox(unsuccessful, 'malformedRequest')).toBe('SEC_ERROR_OCSP_MALFORMED_REQUEST');
    expect(firefox(unsuccessful, 'internalError')).toBe('SEC_ERROR_OCSP_SERVER_ERROR');
    expect(firefox(unsuccessful, 'tryLater')).toBe('SEC_ERROR_OCSP_TRY_SERVER_LATER');
    expect(firefox(unsuccessful, 'sigRequired')).toBe('SEC_ERROR_OCSP_REQUEST_NEEDS_SIG');
    expect(firefox(unsuccessful, 'unauthorized')).toBe('SEC_ERROR_OCSP_UNAUTHORIZED_REQUEST');
    expect(firefox(unsuccessful, 'unrecognized')).toBeNull();
    expect(firefox(unsuccessful)).toBeNull();
    // The first error that has a name decides; warnings and errors without one are passed over.
    expect(firefox([warn('malformed'), err('bad-signature')])).toBeNull();
    expect(firefox([err('bad-signature'), err('cert-id-mismatch'), err('malformed')])).toBe(
      'MOZILLA_PKIX_ERROR_OCSP_RESPONSE_FOR_CERT_MISSING',
    );
  });

  it('names the three browsers, in the order the popup shows them', () => {
    expect(BROWSERS).toEqual(['firefox', 'chromium', 'safari']);
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
