// Both sides of the host protocol (PROTOCOL.md) from the one module: what the host builds the
// extension reads back unchanged, what the extension sends the host accepts, and the error codes
// stay append-only.
import { describe, expect, it } from 'vitest';
import { failureAnswer, parseHostAnswer, successAnswer } from '../../src/protocol/answer.js';
import { HOST_ERROR_CODES, isHostErrorCode } from '../../src/protocol/error-codes.js';
import { MAX_ID_LENGTH } from '../../src/protocol/limits.js';
import { parseRequest, type WireRequest } from '../../src/protocol/request.js';

describe('host error codes', () => {
  it('keep their values and order (append-only: add at the end, never rename or remove)', () => {
    expect(HOST_ERROR_CODES.slice(0, 5)).toEqual([
      'bad-request',
      'frame-too-large',
      'busy',
      'internal',
      'answer-too-large',
    ]);
    expect(isHostErrorCode('internal')).toBe(true);
    expect(isHostErrorCode('timeout')).toBe(false);
  });

  it.each(HOST_ERROR_CODES)('an answer with %s reads back as that failure', (code) => {
    const wire = JSON.parse(JSON.stringify(failureAnswer(7, code, 'why'))) as unknown;
    expect(parseHostAnswer(wire)).toEqual({ ok: true, answer: { kind: 'failure', id: 7, code, message: 'why' } });
  });

  it('reads back a success and an answer with id null', () => {
    expect(parseHostAnswer(successAnswer('a', { version: '1.0.0' }))).toEqual({
      ok: true,
      answer: { kind: 'success', id: 'a', result: { version: '1.0.0' } },
    });
    expect(parseHostAnswer(failureAnswer(null, 'bad-request', 'not JSON'))).toMatchObject({
      ok: true,
      answer: { id: null },
    });
  });
});

describe('requests as the extension writes them', () => {
  const requests: WireRequest[] = [
    { id: 1, type: 'ping' },
    { id: 2, type: 'check', host: 'example.com', port: 443, timeoutMs: 10_000 },
    { id: 'x'.repeat(MAX_ID_LENGTH), type: 'check', host: '::1', servername: 'localhost', compareResponder: true },
  ];
  it.each(requests)('the host accepts %j', (request) => {
    expect(parseRequest(JSON.parse(JSON.stringify(request))).ok).toBe(true);
  });

  it('the id limit is the same on both sides', () => {
    const long = 'x'.repeat(MAX_ID_LENGTH + 1);
    expect(parseRequest({ id: long, type: 'ping' })).toMatchObject({ ok: false, id: null });
    expect(parseHostAnswer(successAnswer(long, {}))).toMatchObject({ ok: false, id: null });
  });
});
