// What each problem, error and failure means for a person, and what to do about it: one line each,
// from public/_locales (see i18n.ts). The popup shows them under the host's own message. Keys are
// the append-only codes of src/core/result.ts.
import type { AdvisoryCode, ErrorCode, InvalidatingCode } from '../../core/result.js';
import { messageKey, msg } from './i18n.js';
import type { FailureCode } from './tab-view.js';

export interface Explanation {
  /** What it means. */
  meaning: string;
  /** What to do (and who should do it). */
  action: string;
}

// A Record over each union: the compiler asks for every new code. Each listed code has its
// messages in public/_locales/en/messages.json (test/extension/i18n.test.ts checks).
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

function explanation(prefix: string, code: string): Explanation {
  return { meaning: msg(messageKey(prefix, code, 'meaning')), action: msg(messageKey(prefix, code, 'action')) };
}

function unknown(): Explanation {
  return { meaning: msg('unknown_meaning'), action: msg('unknown_action') };
}

export function explainProblem(code: string): Explanation {
  return Object.hasOwn(PROBLEM_CODES, code) ? explanation('problem', code) : unknown();
}

export function explainError(code: string): Explanation {
  return Object.hasOwn(ERROR_CODES, code) ? explanation('error', code) : unknown();
}

export function explainFailure(code: FailureCode): Explanation {
  return explanation('failure', code);
}

/** Every code with an explanation (for tests). */
export const EXPLAINED_PROBLEM_CODES = Object.keys(PROBLEM_CODES) as (InvalidatingCode | AdvisoryCode)[];
export const EXPLAINED_ERROR_CODES = Object.keys(ERROR_CODES) as ErrorCode[];
