// The options page's "is the helper there?": every way a ping ends, in the page's terms.
import { describe, expect, it } from 'vitest';
import { pingReplyOf } from '../../src/extension/background/host-ping.js';

const extensionId = 'mmkpbknolodcfhlnflgkhfekmfnnjofd';

describe('pingReplyOf', () => {
  it('a version is ok', () => {
    const outcome = { kind: 'answer', answer: { kind: 'success', id: 1, result: { version: '1.2.3' } } } as const;
    expect(pingReplyOf(outcome, extensionId)).toEqual({ ok: true, version: '1.2.3' });
  });

  it('a missing host says so, with the extension ID for the install command', () => {
    expect(pingReplyOf({ kind: 'host-missing', message: 'not found' }, extensionId)).toEqual({
      ok: false,
      state: 'host-missing',
      message: 'not found',
      extensionId,
    });
  });

  it.each([
    ['a timeout', { kind: 'failed', code: 'timeout', message: 'late' } as const, 'late'],
    [
      'an ok:false answer',
      { kind: 'answer', answer: { kind: 'failure', id: 1, code: 'bad-request', message: 'x' } } as const,
      'bad-request: x',
    ],
    [
      'an answer without a version',
      { kind: 'answer', answer: { kind: 'success', id: 1, result: { version: 7 } } } as const,
      'The helper sent an invalid ping answer.',
    ],
  ])('%s is failed', (_what, outcome, message) => {
    expect(pingReplyOf(outcome, extensionId)).toEqual({ ok: false, state: 'failed', message, extensionId });
  });
});
