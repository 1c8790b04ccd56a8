// What Firefox, Chromium-family browsers (Chrome, Edge) and Safari do with a site's stapling, from
// its verdict and certificate (docs/contract.md §8). Each sentence is sourced in docs/browsers.md;
// where a browser's behaviour is not documented the sentence says so instead of guessing. Pure.
//
// The English sentences here are what `--json` and the native host put in `result.browsers`; the
// view words the same outcomes through the message catalogue (`browser_<browser>_<case>`, the same
// English, checked equal by test/unit/browser-outcomes.test.ts) so the popup can be translated.
import type { BrowserSentences, CertificateInfo, OcspInfo, Problem, Verdict } from './result.js';

export type BrowserName = keyof BrowserSentences;
export const BROWSERS: readonly BrowserName[] = ['firefox', 'chromium', 'safari'];

/** The situation a browser meets, as far as stapling goes. */
export type BrowserCase =
  | 'good'
  | 'revoked'
  | 'hidden-revocation'
  | 'unknown-status'
  | 'invalid'
  | 'expired'
  | 'missing'
  | 'must-staple-missing'
  | 'must-staple-invalid'
  | 'no-ocsp'
  | 'error';

export type BrowserAction = 'opens' | 'refuses' | 'unknown';

export interface BrowserOutcome {
  case: BrowserCase;
  action: BrowserAction;
  /** The browser's own error name, when the source names one (docs/browsers.md). */
  errorCode: string | null;
}

export interface BrowserOutcomeInput {
  verdict: Verdict;
  certificate: Pick<CertificateInfo, 'mustStaple'> | null;
  ocsp: Pick<OcspInfo, 'responseStatus'> | null;
  problems: readonly Pick<Problem, 'code' | 'severity'>[];
}

/** The case a result puts every browser in. */
export function browserCaseOf(input: BrowserOutcomeInput): BrowserCase {
  const mustStaple = input.certificate?.mustStaple === true;
  const codes = new Set(input.problems.filter((p) => p.severity === 'error').map((p) => p.code));
  switch (input.verdict) {
    case 'stapled-good':
      return 'good';
    case 'stapled-revoked':
      // docs/contract.md §7: the staple says good, the CA's responder says revoked. Browsers only
      // see the staple.
      return input.problems.some((p) => p.code === 'stale-staple') ? 'hidden-revocation' : 'revoked';
    case 'stapled-unknown':
      return 'unknown-status';
    case 'stapled-invalid': {
      const onlyExpired = codes.size === 1 && codes.has('expired');
      if (mustStaple) return onlyExpired ? 'must-staple-missing' : 'must-staple-invalid';
      return onlyExpired ? 'expired' : 'invalid';
    }
    case 'must-staple-violation':
      return codes.size > 0 && !(codes.size === 1 && codes.has('expired'))
        ? 'must-staple-invalid'
        : 'must-staple-missing';
    case 'not-stapled':
      return 'missing';
    case 'no-ocsp':
      return 'no-ocsp';
    case 'error':
      return 'error';
  }
}

// Firefox's error for a stapled response it refuses, by our problem code (mozilla-central
// security/manager/ssl/tests/unit/test_ocsp_stapling.js; docs/browsers.md).
const FIREFOX_STAPLE_ERRORS: Partial<Record<string, string>> = {
  'unauthorized-signer': 'SEC_ERROR_OCSP_INVALID_SIGNING_CERT',
  malformed: 'SEC_ERROR_OCSP_MALFORMED_RESPONSE',
  'cert-id-mismatch': 'MOZILLA_PKIX_ERROR_OCSP_RESPONSE_FOR_CERT_MISSING',
};
const FIREFOX_RESPONSE_STATUS_ERRORS: Partial<Record<string, string>> = {
  malformedRequest: 'SEC_ERROR_OCSP_MALFORMED_REQUEST',
  internalError: 'SEC_ERROR_OCSP_SERVER_ERROR',
  tryLater: 'SEC_ERROR_OCSP_TRY_SERVER_LATER',
  sigRequired: 'SEC_ERROR_OCSP_REQUEST_NEEDS_SIG',
  unauthorized: 'SEC_ERROR_OCSP_UNAUTHORIZED_REQUEST',
};

function firefoxStapleError(input: BrowserOutcomeInput): string | null {
  for (const problem of input.problems) {
    if (problem.severity !== 'error') continue;
    if (problem.code === 'unsuccessful-response')
      return FIREFOX_RESPONSE_STATUS_ERRORS[input.ocsp?.responseStatus ?? ''] ?? null;
    const code = FIREFOX_STAPLE_ERRORS[problem.code];
    if (code) return code;
  }
  return null;
}

function firefoxOutcome(theCase: BrowserCase, input: BrowserOutcomeInput): BrowserOutcome {
  switch (theCase) {
    case 'revoked':
      return { case: theCase, action: 'refuses', errorCode: 'SEC_ERROR_REVOKED_CERTIFICATE' };
    case 'unknown-status':
      return { case: theCase, action: 'refuses', errorCode: 'SEC_ERROR_OCSP_UNKNOWN_CERT' };
    case 'invalid':
    case 'must-staple-invalid':
      return { case: theCase, action: 'refuses', errorCode: firefoxStapleError(input) };
    case 'must-staple-missing':
      return { case: theCase, action: 'refuses', errorCode: 'MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING' };
    case 'error':
      return { case: theCase, action: 'unknown', errorCode: null };
    default:
      return { case: theCase, action: 'opens', errorCode: null };
  }
}

function chromiumOutcome(theCase: BrowserCase): BrowserOutcome {
  if (theCase === 'revoked') return { case: theCase, action: 'refuses', errorCode: 'NET::ERR_CERT_REVOKED' };
  if (theCase === 'error') return { case: theCase, action: 'unknown', errorCode: null };
  return { case: theCase, action: 'opens', errorCode: null };
}

function safariOutcome(theCase: BrowserCase): BrowserOutcome {
  if (theCase === 'error') return { case: theCase, action: 'unknown', errorCode: null };
  // Apple documents no handling of a staple that says revoked; the sentence says "expect".
  if (theCase === 'revoked') return { case: theCase, action: 'refuses', errorCode: null };
  return { case: theCase, action: 'opens', errorCode: null };
}

/** What each browser does. */
export function browserOutcomes(input: BrowserOutcomeInput): Record<BrowserName, BrowserOutcome> {
  const theCase = browserCaseOf(input);
  return {
    firefox: firefoxOutcome(theCase, input),
    chromium: chromiumOutcome(theCase),
    safari: safariOutcome(theCase),
  };
}

/**
 * The English sentence of each browser and case; `$1` is the browser's error name when the
 * sentence has one. Message keys: `browser_<browser>_<case>` with `-` as `_`.
 */
export const BROWSER_SENTENCES: Record<BrowserName, Record<BrowserCase, string>> = {
  firefox: {
    good: 'Firefox opens the site: the staple is valid and says good.',
    revoked: 'Firefox refuses the site ($1): the staple says the certificate is revoked.',
    'hidden-revocation':
      'Firefox opens the site: it trusts the stapled "good" and never hears that the CA revoked the certificate.',
    'unknown-status': 'Firefox refuses the site ($1): the staple says the CA does not know the certificate.',
    invalid: 'Firefox refuses the site ($1): a staple that cannot be trusted is an error, not a missing staple.',
    expired:
      'Firefox ignores the expired staple and goes on as if none was sent: it may ask the CA itself, and refuses the site only if security.OCSP.require is set and no answer comes.',
    missing:
      'Firefox opens the site; it may ask the CA itself, and refuses only if security.OCSP.require is set and no answer comes.',
    'must-staple-missing':
      'Firefox refuses the site ($1): the certificate demands a staple (Must-Staple) and no valid one came.',
    'must-staple-invalid':
      'Firefox refuses the site ($1): the certificate demands a staple (Must-Staple) and the one sent cannot be trusted.',
    'no-ocsp': 'Firefox opens the site: the certificate names no OCSP responder, so no staple is expected.',
    error: 'Firefox: not known, the check could not be done.',
  },
  chromium: {
    good: 'Chrome and Edge open the site: they use a valid staple, and otherwise rely on CRLSets.',
    revoked:
      'Chrome and Edge refuse the site ($1): their certificate verifier honours a valid stapled "revoked" even without online checks.',
    'hidden-revocation':
      'Chrome and Edge open the site unless the certificate is in their CRLSet: they never ask the CA.',
    'unknown-status': 'Chrome and Edge open the site: a stapled "unknown" is ignored and they never ask the CA.',
    invalid: 'Chrome and Edge open the site: a staple they cannot verify is ignored, and they never ask the CA.',
    expired: 'Chrome and Edge open the site: an expired staple is ignored, and they never ask the CA.',
    missing: 'Chrome and Edge open the site: they never ask the CA and rely on CRLSets.',
    'must-staple-missing':
      'Chrome and Edge open the site: they do not enforce Must-Staple, and rely on CRLSets for revocation.',
    'must-staple-invalid':
      'Chrome and Edge open the site: they ignore a staple they cannot verify and do not enforce Must-Staple.',
    'no-ocsp': 'Chrome and Edge open the site: they rely on CRLSets, not OCSP.',
    error: 'Chrome and Edge: not known, the check could not be done.',
  },
  safari: {
    good: 'Safari opens the site.',
    revoked:
      'Safari: Apple documents no rule for a stapled "revoked"; expect a refusal, as Apple platforms read staples when they are sent.',
    'hidden-revocation': "Safari opens the site unless Apple's own revocation data already lists the certificate.",
    'unknown-status': 'Safari: Apple documents no rule for a stapled "unknown"; expect it to open the site.',
    invalid: 'Safari: Apple documents no rule for a staple that cannot be verified; expect it to open the site.',
    expired: 'Safari: Apple documents no rule for an expired staple; expect it to open the site.',
    missing:
      "Safari opens the site: Apple clients do not ask the CA by default and rely on Apple's own revocation data.",
    'must-staple-missing': 'Safari: Apple documents no Must-Staple enforcement; expect it to open the site.',
    'must-staple-invalid': 'Safari: Apple documents no Must-Staple enforcement; expect it to open the site.',
    'no-ocsp': 'Safari opens the site: the certificate names no OCSP responder.',
    error: 'Safari: not known, the check could not be done.',
  },
};

/** Where the sentence has `$1` and no error name is known, this stands in. */
export const UNNAMED_BROWSER_ERROR = 'an OCSP error';

/** The English sentences for `result.browsers`. */
export function browserSentences(input: BrowserOutcomeInput): BrowserSentences {
  const outcomes = browserOutcomes(input);
  const sentence = (browser: BrowserName): string =>
    BROWSER_SENTENCES[browser][outcomes[browser].case].replace(
      '$1',
      outcomes[browser].errorCode ?? UNNAMED_BROWSER_ERROR,
    );
  return { firefox: sentence('firefox'), chromium: sentence('chromium'), safari: sentence('safari') };
}
