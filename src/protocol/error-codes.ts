// `error.code` of an `ok: false` answer (PROTOCOL.md "Error codes"): why the host could not run a
// request at all. A check that ran and failed is an `ok: true` answer whose result has the verdict
// `error` (docs/contract.md §2), never one of these.
//
// APPEND-ONLY. DO NOT MODIFY OR REMOVE THE VALUES: extensions (and other clients) match on them.

export const HOST_ERROR_CODES = [
  /** Not UTF-8 JSON, not an object, no valid `id`, an unknown `type`, a field breaking its rule, or an `id` still in flight. */
  'bad-request',
  /** A length prefix above MAX_REQUEST_BYTES; the host answers once and exits with status 1. */
  'frame-too-large',
  /** MAX_QUEUED_CHECKS checks are already waiting. */
  'busy',
  /** A bug in the host: the check threw, outlived its timeout by HOST_WATCHDOG_GRACE_MS, or the answer could not be encoded. */
  'internal',
  /** The answer would exceed MAX_ANSWER_BYTES. */
  'answer-too-large',
] as const;

export type HostErrorCode = (typeof HOST_ERROR_CODES)[number];

export function isHostErrorCode(value: unknown): value is HostErrorCode {
  return typeof value === 'string' && (HOST_ERROR_CODES as readonly string[]).includes(value);
}
