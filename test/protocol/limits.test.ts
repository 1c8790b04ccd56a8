// The protocol's numbers (src/protocol/limits.ts) are the ones PROTOCOL.md promises to both sides,
// and the error codes are the table of PROTOCOL.md "Error codes", in order.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HOST_ERROR_CODES, isHostErrorCode } from '../../src/protocol/error-codes.js';
import { isRecord } from '../../src/protocol/is-record.js';
import {
  ANSWER_GRACE_MS,
  HOST_WATCHDOG_GRACE_MS,
  MAX_ANSWER_BYTES,
  MAX_CONCURRENT_CHECKS,
  MAX_ID_LENGTH,
  MAX_QUEUED_CHECKS,
  MAX_REQUEST_BYTES,
  PING_TIMEOUT_MS,
} from '../../src/protocol/limits.js';

const protocol = readFileSync(new URL('../../PROTOCOL.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');

describe('PROTOCOL.md, as numbers', () => {
  it('framing: requests at most 1 MiB, answers at most the browsers’ 1 MB', () => {
    expect(protocol).toContain(`Requests may be at most **1 MiB** (1 048 576 bytes)`);
    expect(MAX_REQUEST_BYTES).toBe(1_048_576);
    // Chromium's kMaximumNativeMessageSize is 1024 * 1024.
    expect(protocol).toContain('Answers are at most 1 MB');
    expect(MAX_ANSWER_BYTES).toBe(1_048_576);
  });

  it('connection: how many checks run and wait, how long an id may be', () => {
    expect(protocol).toContain(
      `At most ${MAX_CONCURRENT_CHECKS} checks run at once; up to ${MAX_QUEUED_CHECKS} more wait their turn`,
    );
    expect([MAX_CONCURRENT_CHECKS, MAX_QUEUED_CHECKS]).toEqual([8, 256]);
    expect(protocol).toContain(`a string (at most ${MAX_ID_LENGTH} characters)`);
    expect(MAX_ID_LENGTH).toBe(256);
  });

  it('the waits: 5 s of grace on each side, 5 s for a ping', () => {
    expect(protocol).toContain('`timeoutMs` plus 5 s (`ANSWER_GRACE_MS`');
    expect(protocol).toContain('5 s for a `ping` answer (`PING_TIMEOUT_MS`)');
    expect(protocol).toContain('by 5 s (`HOST_WATCHDOG_GRACE_MS`)');
    expect([ANSWER_GRACE_MS, PING_TIMEOUT_MS, HOST_WATCHDOG_GRACE_MS]).toEqual([5_000, 5_000, 5_000]);
  });

  it('the error codes are the table, in order, and nothing else is one', () => {
    const table = [...protocol.matchAll(/\| `([a-z-]+)` \| [^|]+ \| (?:yes|no[^|]*) \|/g)].map((m) => m[1]);
    expect(table).toEqual([...HOST_ERROR_CODES]);
    for (const code of HOST_ERROR_CODES) expect(isHostErrorCode(code)).toBe(true);
    for (const value of ['', 'Busy', 'busy ', 'timeout', null, 5, ['busy']]) expect(isHostErrorCode(value)).toBe(false);
  });
});

describe('isRecord', () => {
  it('an object with named fields; never null, an array or a primitive', () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord(Object.create(null))).toBe(true);
    for (const value of [null, undefined, [], [1], 'x', 5, true]) expect(isRecord(value), String(value)).toBe(false);
  });
});
