// The envelope of a native host answer (PROTOCOL.md), validated before anything trusts it:
// `{id, ok: true, result}` or `{id, ok: false, error: {code, message}}`. Pure.

export type AnswerId = number | string | null;

export type HostAnswer =
  { kind: 'success'; id: AnswerId; result: unknown } | { kind: 'failure'; id: AnswerId; code: string; message: string };

export type AnswerParse = { ok: true; answer: HostAnswer } | { ok: false; id: AnswerId; reason: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readId(value: unknown): AnswerId | undefined {
  if (value === null) return null;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.length <= 256) return value;
  return undefined;
}

export function parseHostAnswer(value: unknown): AnswerParse {
  if (!isRecord(value)) return { ok: false, id: null, reason: 'the answer is not a JSON object' };
  const id = readId(value.id);
  if (id === undefined) return { ok: false, id: null, reason: 'the answer has no usable "id"' };
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
      answer: { kind: 'failure', id, code: error.code.slice(0, 64), message: error.message.slice(0, 1_000) },
    };
  }
  return { ok: false, id, reason: '"ok" must be true or false' };
}

/** `{version}` of a ping answer. */
export function parsePingResult(value: unknown): string | null {
  if (!isRecord(value) || typeof value.version !== 'string' || value.version.length > 64) return null;
  return value.version;
}
