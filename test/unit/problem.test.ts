// The finding builders (src/core/problem.ts): the severity each one gives is what decides a verdict
// (an `error` makes a staple untrustworthy, docs/contract.md §2), so each is pinned here.
import { describe, expect, it } from 'vitest';
import { error, info, warning } from '../../src/core/problem.js';

describe('finding builders', () => {
  it('error, warning and info carry their severity, code and message unchanged', () => {
    expect(error('expired', 'The staple expired.')).toEqual({
      code: 'expired',
      severity: 'error',
      message: 'The staple expired.',
    });
    expect(warning('long-validity', 'Valid for 30 days.')).toEqual({
      code: 'long-validity',
      severity: 'warning',
      message: 'Valid for 30 days.',
    });
    expect(info('must-staple', 'Must-Staple.')).toEqual({
      code: 'must-staple',
      severity: 'info',
      message: 'Must-Staple.',
    });
  });
});
