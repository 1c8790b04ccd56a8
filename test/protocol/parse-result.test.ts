// Run-time validation of a check result that crossed the host boundary (PROTOCOL.md: the result of
// a `check` answer is untrusted JSON from another process).
import { describe, expect, it } from 'vitest';
import { parseResult } from '../../src/protocol/parse-result.js';
import { ALL_VERDICTS, asWire, sampleResult } from '../extension/sample-results.js';

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

describe('parseResult: the server’s certificates and its Server header (docs/contract.md §8)', () => {
  function variant(verdict: Parameters<typeof sampleResult>[0], keyType: string, offer: string): unknown {
    const r = asWire(sampleResult(verdict)) as Record<string, unknown>;
    return {
      keyType,
      offer,
      verdict,
      summary: r.summary,
      problems: r.problems,
      certificate: r.certificate,
      ocsp: r.ocsp,
      tls: r.tls,
      handshakes: 1,
    };
  }

  it('keeps every certificate, the variant handshakes and the server token, for the popup to draw', () => {
    const value = mutate('not-stapled', (r) => {
      r.certificates = [variant('not-stapled', 'ecdsa', 'default'), variant('stapled-good', 'rsa', 'rsa-only')];
      r.server = 'nginx/1.24.0';
      (r.timing as Record<string, unknown>).variantHandshakes = 1;
    });
    const parsed = parseResult(value);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.result.certificates?.map((c) => [c.keyType, c.offer, c.verdict])).toEqual([
      ['ecdsa', 'default', 'not-stapled'],
      ['rsa', 'rsa-only', 'stapled-good'],
    ]);
    expect(parsed.result.certificates?.[1]?.ocsp?.certStatus).toBe('good');
    expect(parsed.result.server).toBe('nginx/1.24.0');
    expect(parsed.result.timing.variantHandshakes).toBe(1);
    expect(parseResult(mutate('not-stapled', (r) => (r.server = null)))).toMatchObject({
      ok: true,
      result: { server: null },
    });
  });

  it.each<[string, (r: Record<string, unknown>) => void]>([
    ['an unknown key type', (r) => (r.certificates = [variant('not-stapled', 'dsa', 'default')])],
    ['an unknown offer', (r) => (r.certificates = [variant('not-stapled', 'rsa', 'any')])],
    ['more than 8 certificates', (r) => (r.certificates = Array(9).fill(variant('not-stapled', 'rsa', 'default')))],
    [
      'a certificate that says stapled-good without a staple',
      (r) => (r.certificates = [{ ...(variant('not-stapled', 'rsa', 'default') as object), verdict: 'stapled-good' }]),
    ],
    ['a server header with a line break', (r) => (r.server = 'nginx\r\nX-Evil: 1')],
    ['a server token over 64 characters', (r) => (r.server = 'n'.repeat(65))],
    ['a server that is not text', (r) => (r.server = 42)],
  ])('refuses %s', (_what, change) => {
    expect(parseResult(mutate('not-stapled', change)).ok).toBe(false);
  });

  it('refuses stapled-good over a certificate that is not', () => {
    const value = mutate('stapled-good', (r) => {
      r.certificates = [variant('stapled-good', 'ecdsa', 'default'), variant('not-stapled', 'rsa', 'rsa-only')];
    });
    expect(parseResult(value)).toEqual({
      ok: false,
      reason: 'result says stapled-good although one of its certificates is not',
    });
  });
});
