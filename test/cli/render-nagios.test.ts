// --nagios, the thresholds and the several-target summary, on results built by hand
// (docs/contract.md §3). The line follows the Monitoring Plugins Development Guidelines:
// `STAPLE <STATUS> - <text> | 'label'=value[UOM];[warn];[crit]`; nothing a server or a user wrote
// can add a line or a `|`.
import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/core/result.js';
import { renderSummary, renderThresholdNote } from '../../src/cli/render-exit-status.js';
import { nagiosText, renderNagios, renderNagiosUnknown } from '../../src/cli/render-nagios.js';
import { NO_THRESHOLDS, judgeThresholds, stapleTimes, type Thresholds } from '../../src/cli/thresholds.js';
import { NOW, sampleResult } from '../extension/sample-results.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const plain = { colour: false };

/** A result with its staple's nextUpdate `leftMs` after the check, made 2 h before it. */
function goodWithLeft(leftMs: number, host = 'example.com'): Result {
  const result = sampleResult('stapled-good');
  const checked = new Date(result.checkedAt).getTime();
  return {
    ...result,
    host,
    ocsp: {
      ...result.ocsp!,
      thisUpdate: new Date(checked - 2 * HOUR).toISOString(),
      nextUpdate: new Date(checked + leftMs).toISOString(),
    },
  };
}

const line = (results: Result[], thresholds: Thresholds = NO_THRESHOLDS) =>
  renderNagios(
    results.map((r) => judgeThresholds(r, thresholds)),
    thresholds,
  );

describe('judgeThresholds', () => {
  const warn36hCrit1d: Thresholds = { warnLeftMs: 36 * HOUR, critLeftMs: DAY };

  it.each<[string, number, 0 | 1 | 2, string | null]>([
    ['plenty left', 3 * DAY, 0, null],
    ['exactly the warning threshold left (not below it)', 36 * HOUR, 0, null],
    ['a second under the warning threshold', 36 * HOUR - 1000, 1, 'warn-left'],
    ['under the critical threshold', 20 * HOUR, 2, 'crit-left'],
  ])('%s', (_, left, status, raisedBy) => {
    const judged = judgeThresholds(goodWithLeft(left), warn36hCrit1d);
    expect(judged.status).toBe(status);
    expect(judged.raisedBy).toBe(raisedBy);
    expect(judged.result.verdict).toBe('stapled-good'); // the verdict never changes
  });

  it('never lowers a status, and a result without a staple keeps its own', () => {
    const all: Thresholds = { warnLeftMs: 365 * DAY, critLeftMs: 365 * DAY };
    expect(judgeThresholds(sampleResult('stapled-revoked'), all)).toMatchObject({ status: 2, raisedBy: null });
    expect(judgeThresholds(sampleResult('error'), all)).toMatchObject({ status: 3, raisedBy: null });
    expect(judgeThresholds(sampleResult('not-stapled'), all)).toMatchObject({ status: 1, raisedBy: null });
    expect(judgeThresholds(sampleResult('no-ocsp'), all)).toMatchObject({ status: 0, raisedBy: null });
    expect(judgeThresholds(sampleResult('stapled-unknown'), all)).toMatchObject({ status: 2, raisedBy: 'crit-left' });
  });

  it('takes the staple that runs out first among several addresses (docs/contract.md §7)', () => {
    const result = goodWithLeft(3 * DAY);
    const soon = goodWithLeft(10 * HOUR).ocsp!;
    const older = { ...result.ocsp!, thisUpdate: new Date(NOW.getTime() - 30 * HOUR).toISOString() };
    result.addresses = [
      {
        address: '203.0.113.7',
        verdict: 'stapled-good',
        summary: '',
        problems: [],
        error: null,
        ocsp: older,
        tls: null,
      },
      {
        address: '203.0.113.8',
        verdict: 'stapled-good',
        summary: '',
        problems: [],
        error: null,
        ocsp: soon,
        tls: null,
      },
    ];
    const times = stapleTimes(result);
    expect(times.leftMs).toBe(10 * HOUR);
    expect(times.ageMs).toBe(30 * HOUR - 1000); // checked 1 s before NOW
    expect(judgeThresholds(result, { warnLeftMs: DAY, critLeftMs: null }).status).toBe(1);
  });
  it('takes the staple that runs out first among the certificates a server serves (docs/contract.md §8)', () => {
    const result = goodWithLeft(3 * DAY);
    const variant = (ocsp: Result['ocsp'], keyType: 'ecdsa' | 'rsa') => ({
      keyType,
      offer: keyType === 'ecdsa' ? ('default' as const) : ('rsa-only' as const),
      verdict: 'stapled-good' as const,
      summary: '',
      problems: [],
      certificate: null,
      ocsp,
      tls: null,
      handshakes: 1,
    });
    result.certificates = [variant(result.ocsp, 'ecdsa'), variant(goodWithLeft(5 * HOUR).ocsp, 'rsa')];
    expect(stapleTimes(result).leftMs).toBe(5 * HOUR);
    const atAddress = goodWithLeft(3 * DAY);
    atAddress.addresses = [
      {
        address: '203.0.113.7',
        verdict: 'stapled-good',
        summary: '',
        problems: [],
        error: null,
        ocsp: atAddress.ocsp,
        tls: null,
        certificates: [variant(goodWithLeft(7 * HOUR).ocsp, 'rsa')],
      },
    ];
    expect(stapleTimes(atAddress).leftMs).toBe(7 * HOUR);
  });
});

describe('renderNagios: one target', () => {
  it('OK with the time left in words and perfdata in seconds', () => {
    expect(line([goodWithLeft(3 * DAY + 4 * HOUR)])).toBe(
      'STAPLE OK - example.com:443 stapled-good, staple valid 3 d 4 h more | time_left=273600s staple_age=7200s\n',
    );
  });

  it('thresholds in the perfdata as ranges "N:" (alert below N), and the reason the status rose', () => {
    const thresholds: Thresholds = { warnLeftMs: 36 * HOUR, critLeftMs: DAY };
    expect(line([goodWithLeft(30 * HOUR)], thresholds)).toBe(
      'STAPLE WARNING - example.com:443 stapled-good, staple valid 1 d 6 h more, less than --warn-left 1d12h' +
        ' | time_left=108000s;129600:;86400: staple_age=7200s\n',
    );
    expect(line([goodWithLeft(5 * HOUR)], thresholds)).toMatch(
      /^STAPLE CRITICAL - .*, staple valid 5 h more, less than --crit-left 1d \| time_left=18000s;129600:;86400: /,
    );
    expect(line([goodWithLeft(5 * HOUR)], { warnLeftMs: null, critLeftMs: DAY })).toContain(
      'time_left=18000s;;86400: ',
    );
  });

  it.each<[Result['verdict'], string]>([
    ['stapled-revoked', 'STAPLE CRITICAL - example.com:443 stapled-revoked, staple valid 3 d more'],
    ['stapled-unknown', 'STAPLE WARNING - example.com:443 stapled-unknown, staple valid 3 d more'],
    ['stapled-invalid', 'STAPLE CRITICAL - example.com:443 stapled-invalid (expired), staple expired 59 m 59 s ago'],
    ['not-stapled', 'STAPLE WARNING - example.com:443 not-stapled | time_left=U staple_age=U'],
    ['no-ocsp', 'STAPLE OK - example.com:443 no-ocsp | time_left=U staple_age=U'],
    ['must-staple-violation', 'STAPLE CRITICAL - example.com:443 must-staple-violation | time_left=U'],
    [
      'error',
      'STAPLE UNKNOWN - example.com:443 error: refused (connect ECONNREFUSED 203.0.113.7:443) | time_left=U staple_age=U',
    ],
  ])('%s: status word and exit status agree', (verdict, start) => {
    const text = line([sampleResult(verdict)]);
    expect(text.startsWith(start), text).toBe(true);
    expect(text.split('\n')).toHaveLength(2);
  });
});

describe('renderNagios: several targets', () => {
  it('counts per status, the worst first, then perfdata per target under labels naming it', () => {
    const revoked = { ...sampleResult('stapled-revoked'), host: 'b.example' };
    const notStapled = { ...sampleResult('not-stapled'), host: 'c.example' };
    const good = goodWithLeft(3 * DAY, 'a.example');
    expect(line([good, revoked, notStapled])).toBe(
      'STAPLE CRITICAL - 3 checked (1 CRITICAL, 1 WARNING, 1 OK): b.example:443 stapled-revoked, staple valid 3 d more;' +
        ' c.example:443 not-stapled; a.example:443 stapled-good, staple valid 3 d more' +
        " | 'a.example:443 time_left'=259200s 'a.example:443 staple_age'=7200s" +
        " 'b.example:443 time_left'=259201s 'b.example:443 staple_age'=7199s" +
        " 'c.example:443 time_left'=U 'c.example:443 staple_age'=U\n",
    );
  });
});

describe('renderNagios: hostile text stays in its place', () => {
  const NEWLINE_AND_PIPE = "evil\nSTAPLE OK - all fine | time_left=999999s\u001b[2J'q=1";

  it('an error message from the network: no new line, no "|" before the perfdata', () => {
    const result = sampleResult('error');
    result.error = { code: 'tls-handshake', message: NEWLINE_AND_PIPE };
    const text = line([result]);
    expect(text.split('\n')).toEqual([expect.any(String), '']);
    expect(text.indexOf('|')).toBe(text.lastIndexOf('|'));
    expect(text).toContain('evil\\x0aSTAPLE OK - all fine \\x7c time_left=999999s\\x1b[2J');
    expect(text).toMatch(/ \| time_left=U staple_age=U\n$/);
  });

  it('a target as typed (a bad target keeps the text given): the perfdata label is quoted and cannot break out', () => {
    const bad = sampleResult('error');
    bad.host = NEWLINE_AND_PIPE;
    bad.port = null;
    const text = line([bad, goodWithLeft(DAY)]);
    expect(text.split('\n')).toHaveLength(2);
    expect(text.indexOf('|')).toBe(text.lastIndexOf('|'));
    const perfdata = text.slice(text.indexOf(' | ') + 3);
    // The quote is doubled and "=" escaped, so each label ends at the one quote that closes it.
    expect(perfdata).toContain(
      "'evil\\x0aSTAPLE OK - all fine \\x7c time_left\\x3d999999s\\x1b[2J''q\\x3d1 time_left'=U",
    );
  });

  it('nagiosText and the UNKNOWN line', () => {
    expect(nagiosText('a|b\r\nc')).toBe('a\\x7cb\\x0d\\x0ac');
    expect(renderNagiosUnknown('cannot read --ca "x|\ny": no such file (ENOENT).')).toBe(
      'STAPLE UNKNOWN - cannot read --ca "x\\x7c\\x0ay": no such file (ENOENT).\n',
    );
  });
});

describe('text: the threshold note and the summary', () => {
  const thresholds: Thresholds = { warnLeftMs: 36 * HOUR, critLeftMs: DAY };

  it('says why the status rose, and nothing when it did not', () => {
    expect(renderThresholdNote(judgeThresholds(goodWithLeft(20 * HOUR), thresholds), thresholds, plain)).toBe(
      '  ! exit 2: 20 h left on the staple, less than --crit-left 1d\n',
    );
    expect(renderThresholdNote(judgeThresholds(goodWithLeft(3 * DAY), thresholds), thresholds, plain)).toBe('');
    expect(
      renderThresholdNote(judgeThresholds(goodWithLeft(30 * HOUR), thresholds), thresholds, { colour: true }),
    ).toBe('  \u001b[33m! exit 1\u001b[0m: 1 d 6 h left on the staple, less than --warn-left 1d12h\n');
  });

  it('counts the verdicts in contract order and names the worst with its exit status', () => {
    const judged = [sampleResult('not-stapled'), sampleResult('error'), sampleResult('stapled-good')].map((r) =>
      judgeThresholds(r, NO_THRESHOLDS),
    );
    expect(renderSummary(judged, plain)).toBe(
      '3 checked: 1 stapled-good, 1 not-stapled, 1 error — worst: error (exit 3)\n',
    );
  });

  it('counts what a threshold raised, and says so of the worst', () => {
    const judged = [goodWithLeft(3 * DAY), goodWithLeft(30 * HOUR), goodWithLeft(HOUR)].map((r) =>
      judgeThresholds(r, thresholds),
    );
    expect(renderSummary(judged, plain)).toBe(
      '3 checked: 3 stapled-good; 1 below --warn-left, 1 below --crit-left — worst: stapled-good below --crit-left (exit 2)\n',
    );
  });
});
