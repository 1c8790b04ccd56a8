// Run-time validation of the host's answer envelope (PROTOCOL.md "Requests and answers"), as the
// extension reads it.
import { describe, expect, it } from 'vitest';
import { parseHostAnswer, parsePingResult } from '../../src/protocol/answer.js';

describe('parseHostAnswer (PROTOCOL.md envelope)', () => {
  it('reads a success and a failure', () => {
    expect(parseHostAnswer({ id: 1, ok: true, result: { version: '1.0.0' } })).toEqual({
      ok: true,
      answer: { kind: 'success', id: 1, result: { version: '1.0.0' } },
    });
    expect(
      parseHostAnswer({ id: 'x', ok: false, error: { code: 'bad-request', message: 'port must be 1-65535' } }),
    ).toEqual({
      ok: true,
      answer: { kind: 'failure', id: 'x', code: 'bad-request', message: 'port must be 1-65535' },
    });
  });

  it.each([
    ['not an object', 'hello', null],
    ['no id', { ok: true, result: {} }, null],
    ['an object id', { id: {}, ok: true, result: {} }, null],
    ['ok missing', { id: 3, result: {} }, 3],
    ['ok true without result', { id: 4, ok: true }, 4],
    ['ok false without error', { id: 5, ok: false }, 5],
    ['error without message', { id: 6, ok: false, error: { code: 'x' } }, 6],
  ])('refuses %s, keeping the id when it can', (_what, value, id) => {
    const parsed = parseHostAnswer(value);
    expect(parsed).toMatchObject({ ok: false, id });
  });

  it('reads a ping result', () => {
    expect(parsePingResult({ version: '0.1.0' })).toBe('0.1.0');
    expect(parsePingResult({ version: 1 })).toBeNull();
    expect(parsePingResult(null)).toBeNull();
  });
});
