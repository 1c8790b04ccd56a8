// The result contract's tables (src/core/result.ts) against the tables of docs/contract.md §2 and §3
// that people and monitors read: the verdicts and their colours, the order "the worst one wins",
// the exit statuses. Plus the key order of the JSON and the blank and error results every shell starts from.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  REVOCATION_REASONS,
  VERDICTS,
  VERDICT_COLOUR,
  blankResult,
  errorResult,
  exitStatusOf,
  isVerdict,
  orderResultKeys,
  worstVerdict,
  type Result,
  type Verdict,
} from '../../src/core/result.js';

const contract = readFileSync(new URL('../../docs/contract.md', import.meta.url), 'utf8');

/** The rows `| \`name\` | … | last cell |` of the verdict table (docs/contract.md §2). */
const verdictRows = [...contract.matchAll(/^\| `([a-z-]+)` \| [^\n]* \| (green|red|amber|grey)[^|\n]*\|$/gm)].map(
  (m) => [m[1], m[2]] as const,
);

describe('docs/contract.md §2 and §3, as code', () => {
  it('the verdicts and their colours, in the documented order', () => {
    expect(verdictRows.map(([v]) => v)).toEqual([...VERDICTS]);
    for (const [verdict, colour] of verdictRows) expect(VERDICT_COLOUR[verdict as Verdict], verdict).toBe(colour);
  });

  it('the worst verdict wins, in the documented order', () => {
    const sentence = /the worse one\s+wins, in this order from best to worst: ([^.]*?) \(`worstVerdict`\)/.exec(
      contract,
    );
    const order = [...(sentence?.[1] ?? '').matchAll(/`([a-z-]+)`/g)].map((m) => m[1] as Verdict);
    expect([...order].sort()).toEqual([...VERDICTS].sort());
    for (let better = 0; better < order.length; better++) {
      for (let worse = better; worse < order.length; worse++) {
        const [b, w] = [order[better] as Verdict, order[worse] as Verdict];
        expect(worstVerdict([b, w]), `${b} vs ${w}`).toBe(w);
        expect(worstVerdict([w, b]), `${w} vs ${b}`).toBe(w);
      }
    }
    expect(worstVerdict([])).toBe('stapled-good');
    expect(worstVerdict(['not-stapled', 'stapled-good', 'no-ocsp'])).toBe('not-stapled');
  });

  it('the exit status of each verdict', () => {
    const table = contract.split('**Exit status**')[1]?.split('\n\n')[1] ?? '';
    const rows = [...table.matchAll(/^\| (\d) \| ([^\n]*)\|$/gm)];
    expect(rows.map((r) => r[1])).toEqual(['0', '1', '2', '3']);
    const documented = new Map<string, number>();
    for (const [, status, cell] of rows)
      for (const m of (cell ?? '').matchAll(/`([a-z-]+)`/g)) if (isVerdict(m[1])) documented.set(m[1], Number(status));
    expect([...documented.keys()].sort()).toEqual([...VERDICTS].sort());
    for (const verdict of VERDICTS) expect(exitStatusOf(verdict), verdict).toBe(documented.get(verdict));
  });
});

describe('isVerdict', () => {
  it('accepts each verdict and nothing else', () => {
    for (const v of VERDICTS) expect(isVerdict(v)).toBe(true);
    for (const v of ['', 'good', 'Stapled-good', 'stapled-good ', null, undefined, 0, ['error'], { verdict: 'error' }])
      expect(isVerdict(v), JSON.stringify(v)).toBe(false);
  });
});

describe('REVOCATION_REASONS', () => {
  it('are the CRLReason names of RFC 5280 §5.3.1 (value 7 is unused)', () => {
    expect(REVOCATION_REASONS).toEqual([
      'unspecified',
      'keyCompromise',
      'cACompromise',
      'affiliationChanged',
      'superseded',
      'cessationOfOperation',
      'certificateHold',
      'removeFromCRL',
      'privilegeWithdrawn',
      'aACompromise',
    ]);
  });
});

describe('blankResult and errorResult', () => {
  const at = new Date('2026-01-15T12:00:00Z');

  it('a blank result: verdict error, nothing found, the time and target given', () => {
    expect(blankResult(at)).toEqual({
      host: null,
      port: null,
      servername: null,
      address: null,
      checkedAt: '2026-01-15T12:00:00.000Z',
      verdict: 'error',
      summary: '',
      problems: [],
      tls: null,
      certificate: null,
      chain: null,
      ocsp: null,
      timing: { totalMs: 0 },
      error: null,
    });
    expect(blankResult(at, { host: 'example.com', port: 8443 })).toMatchObject({ host: 'example.com', port: 8443 });
    expect(blankResult(at, { host: null, port: null })).toMatchObject({ host: null, port: null });
  });

  it('an error result carries its code and its message as the summary', () => {
    const base = { ...blankResult(at, { host: 'example.com', port: 443 }), verdict: 'stapled-good' as const };
    expect(errorResult(base, { code: 'dns', message: 'No such name.' })).toEqual({
      ...base,
      verdict: 'error',
      summary: 'No such name.',
      error: { code: 'dns', message: 'No such name.' },
    });
  });
});

describe('orderResultKeys', () => {
  const order = [
    'host',
    'port',
    'servername',
    'address',
    'checkedAt',
    'verdict',
    'summary',
    'problems',
    'tls',
    'certificate',
    'chain',
    'ocsp',
    'timing',
    'error',
    'addresses',
    'certificates',
    'responder',
    'browsers',
    'server',
  ];

  it('puts the keys in contract order, verdict near the top, unknown keys last', () => {
    const shuffled: Record<string, unknown> = { extra: 1 };
    for (const key of [...order].reverse()) shuffled[key] = key;
    const ordered = orderResultKeys(shuffled as unknown as Result);
    expect(Object.keys(ordered)).toEqual([...order, 'extra']);
    expect(Object.values(ordered)).toEqual([...order, 1]);
  });

  it('adds no key that was absent', () => {
    const result = blankResult(new Date(0));
    expect(Object.keys(orderResultKeys(result))).toEqual(Object.keys(result));
    expect(orderResultKeys(result)).toEqual(result);
  });
});
