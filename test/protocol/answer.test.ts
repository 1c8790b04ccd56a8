// Run-time validation of the host's answer envelope (PROTOCOL.md "Requests and answers"), as the
// extension reads it.
import { describe, expect, it } from 'vitest';
import { failureAnswer, parseHostAnswer, parsePingResult, successAnswer } from '../../src/protocol/answer.js';

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

  it.each([
    ['not an object', [1], { ok: false, id: null, reason: 'the answer is not a JSON object' }],
    ['null', null, { ok: false, id: null, reason: 'the answer is not a JSON object' }],
    ['no id', { ok: true, result: {} }, { ok: false, id: null, reason: 'the answer has no usable "id"' }],
    [
      'an infinite id',
      { id: Infinity, ok: true, result: {} },
      { ok: false, id: null, reason: 'the answer has no usable "id"' },
    ],
    [
      'a 257-character id',
      { id: 'x'.repeat(257), ok: true, result: {} },
      { ok: false, id: null, reason: 'the answer has no usable "id"' },
    ],
    ['ok missing', { id: 3, result: {} }, { ok: false, id: 3, reason: '"ok" must be true or false' }],
    ['ok as a string', { id: 3, ok: 'true', result: {} }, { ok: false, id: 3, reason: '"ok" must be true or false' }],
    [
      'ok true without result',
      { id: 4, ok: true },
      { ok: false, id: 4, reason: 'a successful answer carries no "result"' },
    ],
    [
      'ok false without error',
      { id: null, ok: false },
      { ok: false, id: null, reason: 'a failed answer carries no "error" {code, message}' },
    ],
    [
      'an error that is a list',
      { id: 5, ok: false, error: ['x', 'y'] },
      { ok: false, id: 5, reason: 'a failed answer carries no "error" {code, message}' },
    ],
    [
      'an error code that is a number',
      { id: 5, ok: false, error: { code: 1, message: 'm' } },
      { ok: false, id: 5, reason: 'a failed answer carries no "error" {code, message}' },
    ],
    [
      'an error message that is null',
      { id: 5, ok: false, error: { code: 'busy', message: null } },
      { ok: false, id: 5, reason: 'a failed answer carries no "error" {code, message}' },
    ],
  ])('refuses %s, saying why', (_what, value, parsed) => {
    expect(parseHostAnswer(value)).toEqual(parsed);
  });

  it('reads an answer to an unreadable request (id null), a 256-character id and an undefined result', () => {
    expect(parseHostAnswer({ id: null, ok: false, error: { code: 'bad-request', message: 'm' } })).toEqual({
      ok: true,
      answer: { kind: 'failure', id: null, code: 'bad-request', message: 'm' },
    });
    expect(parseHostAnswer({ id: 'x'.repeat(256), ok: true, result: undefined })).toEqual({
      ok: true,
      answer: { kind: 'success', id: 'x'.repeat(256), result: undefined },
    });
  });

  it('keeps an unknown error code (codes are append-only), capped like the message', () => {
    const parsed = parseHostAnswer({ id: 1, ok: false, error: { code: 'c'.repeat(100), message: 'm'.repeat(5000) } });
    expect(parsed).toEqual({
      ok: true,
      answer: { kind: 'failure', id: 1, code: 'c'.repeat(64), message: 'm'.repeat(1000) },
    });
  });

  it('builds the answers the host writes', () => {
    expect(successAnswer(7, { version: '1' })).toEqual({ id: 7, ok: true, result: { version: '1' } });
    expect(failureAnswer(null, 'busy', 'Too many checks.')).toEqual({
      id: null,
      ok: false,
      error: { code: 'busy', message: 'Too many checks.' },
    });
  });

  it('a ping version of at most 64 characters', () => {
    expect(parsePingResult({ version: 'v'.repeat(64) })).toBe('v'.repeat(64));
    expect(parsePingResult({ version: 'v'.repeat(65) })).toBeNull();
    expect(parsePingResult(['0.1.0'])).toBeNull();
  });
});
