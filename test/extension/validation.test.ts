// Run-time validation at the extension's boundaries: host answers (untrusted JSON from another
// process), results, popup messages, stored tab states.
import { describe, expect, it } from 'vitest';
import { parseHostAnswer, parsePingResult } from '../../src/extension/shared/host-answer.js';
import { parsePingReply, parseRequest, parseTabStateNotice } from '../../src/extension/shared/messages.js';
import { parseResult } from '../../src/extension/shared/parse-result.js';
import { parseTabView } from '../../src/extension/shared/tab-view.js';
import { ALL_VERDICTS, asWire, sampleResult } from './sample-results.js';

function mutate(verdict: Parameters<typeof sampleResult>[0], change: (r: Record<string, unknown>) => void): unknown {
  const wire = asWire(sampleResult(verdict)) as Record<string, unknown>;
  change(wire);
  return wire;
}

/** One entry of `addresses` (docs/contract.md §7); an `error` one was refused. */
function addressResult(address: string, verdict: string, ocsp: unknown = null): Record<string, unknown> {
  const failed = verdict === 'error';
  return {
    address,
    verdict,
    summary: failed ? 'refused' : '',
    problems: [],
    error: failed ? { code: 'refused', message: 'refused' } : null,
    ocsp,
    tls: null,
  };
}

describe('parseResult', () => {
  it.each(ALL_VERDICTS)('accepts a well-formed %s result unchanged', (verdict) => {
    const parsed = parseResult(asWire(sampleResult(verdict)));
    expect(parsed).toEqual({ ok: true, result: sampleResult(verdict) });
  });

  const bad: [string, unknown][] = [
    ['null', null],
    ['an array', []],
    ['a string', 'stapled-good'],
    ['an unknown verdict', mutate('stapled-good', (r) => (r.verdict = 'stapled-great'))],
    ['a verdict of another type', mutate('stapled-good', (r) => (r.verdict = 1))],
    ['no summary', mutate('no-ocsp', (r) => delete r.summary)],
    ['problems not a list', mutate('no-ocsp', (r) => (r.problems = 'none'))],
    [
      'a problem with a bad severity',
      mutate('no-ocsp', (r) => (r.problems = [{ code: 'x', severity: 'fatal', message: 'm' }])),
    ],
    [
      'a problem code with markup',
      mutate('no-ocsp', (r) => (r.problems = [{ code: '<b>', severity: 'info', message: 'm' }])),
    ],
    ['a port out of range', mutate('no-ocsp', (r) => (r.port = 70000))],
    ['a checkedAt that is no date', mutate('no-ocsp', (r) => (r.checkedAt = 'yesterday'))],
    ['timing missing', mutate('no-ocsp', (r) => delete r.timing)],
    [
      'mustStaple not boolean',
      mutate('no-ocsp', (r) => ((r.certificate as Record<string, unknown>).mustStaple = 'yes')),
    ],
    [
      'a certStatus not in RFC 6960',
      mutate('stapled-revoked', (r) => ((r.ocsp as Record<string, unknown>).certStatus = 'bad')),
    ],
    [
      'a huge list',
      mutate('no-ocsp', (r) => (r.problems = Array(1000).fill({ code: 'x', severity: 'info', message: 'm' }))),
    ],
  ];
  it.each(bad)('refuses %s', (_what, value) => {
    const parsed = parseResult(value);
    expect(parsed.ok).toBe(false);
  });

  describe('stapled-good must carry its evidence (never green without it)', () => {
    it.each([
      ['no staple', mutate('stapled-good', (r) => (r.ocsp = null))],
      [
        'a staple that says revoked',
        mutate('stapled-good', (r) => ((r.ocsp as Record<string, unknown>).certStatus = 'revoked')),
      ],
      [
        'an unsuccessful responseStatus',
        mutate('stapled-good', (r) => ((r.ocsp as Record<string, unknown>).responseStatus = 'tryLater')),
      ],
      [
        'an invalidating problem',
        mutate('stapled-good', (r) => (r.problems = [{ code: 'bad-signature', severity: 'error', message: 'm' }])),
      ],
      [
        'an address that is not good',
        mutate('stapled-good', (r) => {
          r.addresses = [
            addressResult('203.0.113.7', 'stapled-good', r.ocsp),
            addressResult('203.0.113.8', 'not-stapled'),
          ];
        }),
      ],
    ])('refuses stapled-good with %s', (_what, value) => {
      const parsed = parseResult(value);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.reason).toMatch(/stapled-good/);
    });
  });

  it('accepts stapled-good when one address could not be reached and the others are good (docs/contract.md §7)', () => {
    // localhost → ::1 and 127.0.0.1 with a server on IPv4 only: a warning, not a different verdict.
    const value = mutate('stapled-good', (r) => {
      r.addresses = [addressResult('::1', 'error'), addressResult('127.0.0.1', 'stapled-good', r.ocsp)];
    });
    expect(parseResult(value).ok).toBe(true);
  });

  it('refuses stapled-good when no address answered', () => {
    const value = mutate('stapled-good', (r) => {
      r.addresses = [addressResult('::1', 'error'), addressResult('127.0.0.1', 'error')];
    });
    expect(parseResult(value).ok).toBe(false);
  });

  it('keeps warnings on a good result (e.g. an untrusted chain)', () => {
    const value = mutate(
      'stapled-good',
      (r) => (r.problems = [{ code: 'untrusted-chain', severity: 'warning', message: 'm' }]),
    );
    expect(parseResult(value).ok).toBe(true);
  });

  it('accepts problem codes it does not know yet (codes are append-only)', () => {
    const value = mutate('no-ocsp', (r) => (r.problems = [{ code: 'brand-new-code', severity: 'info', message: 'm' }]));
    expect(parseResult(value).ok).toBe(true);
  });

  it('drops unknown fields and caps long strings', () => {
    const value = mutate('no-ocsp', (r) => {
      r.surprise = { deep: true };
      r.summary = 'x'.repeat(100_000);
    });
    const parsed = parseResult(value);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.result).not.toHaveProperty('surprise');
    expect(parsed.result.summary.length).toBeLessThan(5_000);
  });
});

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

describe('popup ↔ background messages', () => {
  it('parses the three requests', () => {
    expect(parseRequest({ type: 'get-state', tabId: 7, start: true })).toEqual({
      ok: true,
      request: { type: 'get-state', tabId: 7, start: true },
    });
    expect(parseRequest({ type: 'get-state', tabId: 7 })).toEqual({
      ok: true,
      request: { type: 'get-state', tabId: 7, start: false },
    });
    expect(parseRequest({ type: 'recheck', tabId: 0 })).toEqual({ ok: true, request: { type: 'recheck', tabId: 0 } });
    expect(parseRequest({ type: 'ping-host' })).toEqual({ ok: true, request: { type: 'ping-host' } });
  });

  it.each([
    null,
    'get-state',
    { type: 'get-state' },
    { type: 'recheck', tabId: -1 },
    { type: 'recheck', tabId: 1.5 },
    { type: 'eval' },
  ])('refuses %j', (value) => {
    expect(parseRequest(value).ok).toBe(false);
  });

  it('parses tab-state notices and refuses broken ones', () => {
    const view = { state: 'checking', site: { host: 'example.com', port: 443 }, startedAt: 5 };
    expect(parseTabStateNotice({ type: 'tab-state', tabId: 3, view })).toEqual({ type: 'tab-state', tabId: 3, view });
    expect(parseTabStateNotice({ type: 'tab-state', tabId: 3, view: { state: 'green' } })).toBeNull();
    expect(parseTabStateNotice({ type: 'other', tabId: 3, view })).toBeNull();
  });

  it('parses ping replies', () => {
    expect(parsePingReply({ ok: true, version: '1.2.3' })).toEqual({ ok: true, version: '1.2.3' });
    expect(parsePingReply({ ok: false, state: 'host-missing', message: 'm', extensionId: 'e' })).toMatchObject({
      state: 'host-missing',
    });
    expect(parsePingReply({ ok: false, state: 'other', message: 'm', extensionId: 'e' })).toBeNull();
  });
});

describe('parseTabView', () => {
  const site = { host: 'example.com', port: 443 };
  it.each([
    { state: 'not-https', scheme: 'http:' },
    { state: 'not-https', scheme: null },
    { state: 'idle', site, reason: 'excluded' },
    { state: 'checking', site, startedAt: 1 },
    { state: 'result', site, result: asWire(sampleResult('stapled-good')), fromCache: true, expiresAt: 9 },
    { state: 'host-missing', site: null, message: 'not found', extensionId: 'id' },
    { state: 'failed', site, code: 'timeout', message: 'slow' },
  ])('round-trips %j', (view) => {
    expect(parseTabView(JSON.parse(JSON.stringify(view)))).toEqual(view);
  });

  it.each([
    { state: 'result', site, result: { verdict: 'stapled-good' }, fromCache: false, expiresAt: null },
    { state: 'checking', site: { host: 'example.com', port: 0 }, startedAt: 1 },
    { state: 'failed', site, code: 'exploded', message: 'x' },
    { state: 'idle', site, reason: 'bored' },
    { state: 'unknown' },
  ])('refuses %j', (view) => {
    expect(parseTabView(view)).toBeNull();
  });
});
