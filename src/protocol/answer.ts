// Answers from `staplecheck-host` (PROTOCOL.md): `{id, ok: true, result}` or
// `{id, ok: false, error: {code, message}}`. The host builds them from these types; the extension
// validates every one before anything trusts it (docs/architecture.md rule 4). Pure.
import type { HostErrorCode } from './error-codes.js';
import { isRecord } from './is-record.js';
import { readRequestId, type RequestId } from './request.js';

/** `id: null` when the request's id could not be read (PROTOCOL.md "Errors"). */
export type AnswerId = RequestId | null;

/** The result of a `ping`. */
export interface PingResult {
  version: string;
}

/** What the host writes. */
export type WireAnswer =
  | { id: AnswerId; ok: true; result: unknown }
  | { id: AnswerId; ok: false; error: { code: HostErrorCode; message: string } };

export function successAnswer(id: AnswerId, result: unknown): WireAnswer {
  return { id, ok: true, result };
}

export function failureAnswer(id: AnswerId, code: HostErrorCode, message: string): WireAnswer {
  return { id, ok: false, error: { code, message } };
}

/**
 * An answer as the extension reads it. `code` stays a string: codes are append-only, so a newer
 * host may send one this extension does not know yet; it is shown with its message.
 */
export type HostAnswer =
  { kind: 'success'; id: AnswerId; result: unknown } | { kind: 'failure'; id: AnswerId; code: string; message: string };

export type AnswerParse = { ok: true; answer: HostAnswer } | { ok: false; id: AnswerId; reason: string };

const MAX_CODE_LENGTH = 64;
const MAX_MESSAGE_LENGTH = 1_000;
const MAX_VERSION_LENGTH = 64;

export function parseHostAnswer(value: unknown): AnswerParse {
  if (!isRecord(value)) return { ok: false, id: null, reason: 'the answer is not a JSON object' };
  const id = value.id === null ? null : readRequestId(value.id);
  if (id === null && value.id !== null) return { ok: false, id: null, reason: 'the answer has no usable "id"' };
  if (value.ok === true) {
    if (!('result' in value)) return { ok: false, id, reason: 'a successful answer carries no "result"' };
    return { ok: true, answer: { kind: 'success', id, result: value.result } };
  }
  if (value.ok === false) {
    const error = value.error;
    if (!isRecord(error) || typeof error.code !== 'string' || typeof error.message !== 'string') {
      return { ok: false, id, reason: 'a failed answer carries no "error" {code, message}' };
    }
    return {
      ok: true,
      answer: {
        kind: 'failure',
        id,
        code: error.code.slice(0, MAX_CODE_LENGTH),
        message: error.message.slice(0, MAX_MESSAGE_LENGTH),
      },
    };
  }
  return { ok: false, id, reason: '"ok" must be true or false' };
}

/** `{version}` of a ping answer, or `null`. */
export function parsePingResult(value: unknown): string | null {
  if (!isRecord(value) || typeof value.version !== 'string' || value.version.length > MAX_VERSION_LENGTH) return null;
  return value.version;
}
