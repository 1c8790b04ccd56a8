// What each problem and check error means for a person, and what to do about it: one line each,
// from the message catalogue (keys `problem_<code>_meaning`, `problem_<code>_action`, `error_…`).
// Keys are the append-only codes of src/core/result.ts. Pure.
import type { AdvisoryCode, ErrorCode, InvalidatingCode } from '../core/result.js';
import { messageKey, type Translate } from './translate.js';

export interface Explanation {
  /** What it means. */
  meaning: string;
  /** What to do (and who should do it). */
  action: string;
}

// A Record over each union: the compiler asks for every new code. Each listed code has its
// messages in public/_locales/en/messages.json (test/view/describe-result.test.ts checks).
const PROBLEM_CODES: Record<InvalidatingCode | AdvisoryCode, true> = {
  'bad-signature': true,
  'unauthorized-signer': true,
  'cert-id-mismatch': true,
  expired: true,
  'not-yet-valid': true,
  malformed: true,
  'unsuccessful-response': true,
  'issuer-unavailable': true,
  'expiring-soon': true,
  'no-next-update': true,
  'long-validity': true,
  'warmed-up': true,
  'incomplete-chain': true,
  'untrusted-chain': true,
  'hostname-mismatch': true,
  'certificate-expired': true,
  'certificate-expiring': true,
  'certificate-not-yet-valid': true,
  'several-single-responses': true,
  'single-responses-disagree': true,
  'serial-not-checked': true,
  'leaf-not-signed-by-issuer': true,
  'backends-disagree': true,
  'address-failed': true,
  'must-staple': true,
  'stale-staple': true,
  'responder-unreachable': true,
  'variants-disagree': true,
  'internal-addresses-skipped': true,
};

const ERROR_CODES: Record<ErrorCode, true> = {
  dns: true,
  refused: true,
  timeout: true,
  'tls-handshake': true,
  'not-tls': true,
  unreachable: true,
  'bad-request': true,
  'bad-input': true,
  internal: true,
};

/** The meaning and action stored under `<prefix>_<code>_meaning` / `_action`. */
export function explainCode(translate: Translate, prefix: string, code: string): Explanation {
  return {
    meaning: translate(messageKey(prefix, code, 'meaning')),
    action: translate(messageKey(prefix, code, 'action')),
  };
}

/** A code this version does not know (a newer host): general words, never a raw key. */
function explainUnknown(translate: Translate): Explanation {
  return { meaning: translate('unknown_meaning'), action: translate('unknown_action') };
}

export function explainProblem(translate: Translate, code: string): Explanation {
  return Object.hasOwn(PROBLEM_CODES, code) ? explainCode(translate, 'problem', code) : explainUnknown(translate);
}

export function explainError(translate: Translate, code: string): Explanation {
  return Object.hasOwn(ERROR_CODES, code) ? explainCode(translate, 'error', code) : explainUnknown(translate);
}

/** Every code with an explanation (for tests). */
export const EXPLAINED_PROBLEM_CODES = Object.keys(PROBLEM_CODES) as (InvalidatingCode | AdvisoryCode)[];
export const EXPLAINED_ERROR_CODES = Object.keys(ERROR_CODES) as ErrorCode[];
