// The view model both renderers draw: every verdict in words, an untrusted staple's claim, IPv6
// addresses, an error result. Worded through the real English catalogue, read as the CLI reads it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatHostPort } from '../../src/core/host-port.js';
import type { Result, Verdict } from '../../src/core/result.js';
import { VERDICTS } from '../../src/core/result.js';
import { describeResult, toneOf, type FactId, type ResultView } from '../../src/view/describe-result.js';
import { EXPLAINED_ERROR_CODES, EXPLAINED_PROBLEM_CODES } from '../../src/view/explanations.js';
import { catalogueHas, catalogueTranslator, messageKey } from '../../src/view/translate.js';
import { NOW, sampleResult } from '../extension/sample-results.js';

const CATALOGUE = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', 'public', '_locales', 'en', 'messages.json'), 'utf8'),
) as unknown;
const translate = catalogueTranslator(CATALOGUE);

function describeSample(result: Result): ResultView {
  return describeResult(result, { now: NOW, translate });
}

function factsOf(view: ResultView): Partial<Record<FactId, string>> {
  return Object.fromEntries(view.facts.map((f) => [f.id, f.value]));
}

/** Any message key that leaked through unworded (the translator returns the key it lacks). */
function unworded(view: ResultView): string[] {
  const strings = [
    view.headline,
    view.lead,
    ...view.facts.flatMap((f) => [f.label, f.value]),
    ...view.findings.flatMap((f) => [f.meaning, f.action]),
    ...Object.values(view.words),
  ];
  return strings.filter((s) => /^[a-z]+(_[a-z0-9]+)+$/.test(s) || s.includes('$'));
}

const HEADLINE: Record<Verdict, string> = {
  'stapled-good': 'Stapled, and the certificate is good',
  'stapled-revoked': 'The certificate is revoked',
  'stapled-unknown': 'The CA does not know this certificate',
  'stapled-invalid': 'The staple cannot be trusted',
  'not-stapled': 'No staple sent',
  'no-ocsp': 'Stapling does not apply',
  'must-staple-violation': 'Must-Staple, but no valid staple',
  error: 'The check could not be done',
};

const STAPLE_FACT: Record<Verdict, string | undefined> = {
  'stapled-good': 'good · made 2 h ago · 471 bytes',
  'stapled-revoked': 'revoked · made 2 h ago · 471 bytes',
  'stapled-unknown': 'unknown to the responder · made 2 h ago · 471 bytes',
  'stapled-invalid': 'claims good (not to be trusted) · made 2 h ago · 471 bytes',
  'not-stapled': 'none sent',
  'no-ocsp': 'none sent',
  'must-staple-violation': 'none sent',
  error: undefined,
};

describe('describeResult, per verdict', () => {
  it.each(VERDICTS)('%s: headline, lead, tone and the staple in words', (verdict) => {
    const view = describeSample(sampleResult(verdict));
    expect(view.verdict).toBe(verdict);
    expect(view.headline).toBe(HEADLINE[verdict]);
    expect(view.lead).toBe(translate(messageKey('lead', verdict)));
    expect(view.lead.length).toBeGreaterThan(20);
    expect(view.tone).toBe(toneOf(verdict));
    expect(view.tone === 'good').toBe(verdict === 'stapled-good');
    expect(view.summary).toBe(`summary for ${verdict}`);
    expect(view.target).toBe('example.com:443');
    expect(factsOf(view).staple).toBe(STAPLE_FACT[verdict]);
    expect(unworded(view)).toEqual([]);
  });

  it('stapled-good: every fact a person looks for, in order', () => {
    const view = describeSample(sampleResult('stapled-good'));
    expect(view.facts.map((f) => [f.label, f.value])).toEqual([
      ['Staple', 'good · made 2 h ago · 471 bytes'],
      ['Time left', '3 days (until 2026-11-27 10:00 UTC)'],
      ['Signed by', 'the issuing CA itself (O=Example CA, CN=Example Issuing CA 1)'],
      ['Must-Staple', 'no'],
      ['Certificate', 'CN=example.com'],
      ['Issued by', 'O=Example CA, CN=Example Issuing CA 1'],
      ['Expires', '2027-01-23 10:00 UTC (in 60 days)'],
      ['Serial', '0a1b2c'],
      ['OCSP URL', 'http://ocsp.example.com/'],
      ['Chain', '2 certificates · complete · trusted'],
      ['TLS', 'TLSv1.3 · TLS_AES_128_GCM_SHA256'],
      ['Address', '203.0.113.7:443'],
      ['Took', '123 ms · 1 handshake'],
    ]);
    expect(view.facts.filter((f) => f.detail).map((f) => f.id)).toEqual(['serial', 'ocsp-urls']);
    expect(view.checked).toBe('1 s ago');
    expect(view.findings).toEqual([]);
    expect(view.error).toBeNull();
  });

  it('stapled-revoked: when and why, the reason in words', () => {
    const result = sampleResult('stapled-revoked');
    result.ocsp = { ...result.ocsp!, signer: { type: 'delegated', subject: 'CN=Responder' }, signatureAlgorithm: 'x' };
    const facts = factsOf(describeSample(result));
    expect(facts.revoked).toBe('2026-11-19 10:00 UTC (5 days ago) · reason: the private key was compromised');
    expect(facts.signer).toBe('a delegated OCSP responder (CN=Responder) · x');
    result.ocsp = { ...result.ocsp, revocationTime: null, revocationReason: null };
    expect(factsOf(describeSample(result)).revoked).toBe('time not given · reason: not given');
  });

  it('an untrusted staple shows only its claim, for every status it can claim', () => {
    for (const [status, words] of [
      ['good', 'good'],
      ['revoked', 'revoked'],
      ['unknown', 'unknown to the responder'],
    ] as const) {
      const result = sampleResult('stapled-invalid');
      result.ocsp = { ...result.ocsp!, certStatus: status };
      const view = describeSample(result);
      expect(factsOf(view).staple).toBe(`claims ${words} (not to be trusted) · made 2 h ago · 471 bytes`);
      expect(view.tone).toBe('bad');
    }
  });

  it('a staple whose CertID did not match, an unsuccessful one, and unreadable bytes', () => {
    const result = sampleResult('stapled-invalid');
    result.ocsp = { ...result.ocsp!, certStatus: null };
    expect(factsOf(describeSample(result)).staple).toMatch(/^status not verified · /);
    result.ocsp = { ...result.ocsp, responseStatus: 'tryLater', thisUpdate: null, producedAt: null, nextUpdate: null };
    expect(factsOf(describeSample(result)).staple).toBe('tryLater · 471 bytes');
    expect(factsOf(describeSample(result))['time-left']).toBeUndefined();
    result.ocsp = { ...result.ocsp, responseStatus: null, signer: null };
    const facts = factsOf(describeSample(result));
    expect(facts.staple).toBe('unreadable · 471 bytes');
    expect(facts.signer).toBe('unknown');
  });

  it('an expired staple and one without nextUpdate', () => {
    const result = sampleResult('stapled-invalid');
    expect(factsOf(describeSample(result))['time-left']).toBe('expired 1 h ago (2026-11-24 09:00 UTC)');
    result.ocsp = { ...result.ocsp!, nextUpdate: null };
    expect(factsOf(describeSample(result))['time-left']).toBe('no end date (no nextUpdate)');
  });

  it('each finding with its meaning and what to do; an unknown code in general words', () => {
    const result = sampleResult('stapled-invalid');
    result.problems.push({ code: 'from-the-future' as never, severity: 'info', message: 'New.' });
    const view = describeSample(result);
    expect(view.findings).toEqual([
      {
        code: 'expired',
        severity: 'error',
        message: 'The staple expired 1 h ago.',
        meaning: translate('problem_expired_meaning'),
        action: translate('problem_expired_action'),
      },
      {
        code: 'from-the-future',
        severity: 'info',
        message: 'New.',
        meaning: translate('unknown_meaning'),
        action: translate('unknown_action'),
      },
    ]);
    expect(view.words.findingsCount).toBe('2 findings');
    expect(view.words.whatToDo).toBe('What to do:');
  });

  it('the chain: not trusted, with the reason when there is one', () => {
    const result = sampleResult('stapled-good');
    result.chain = { length: 1, complete: false, trusted: false, trustError: 'UNABLE_TO_GET_ISSUER_CERT' };
    expect(factsOf(describeSample(result)).chain).toBe(
      '1 certificate · incomplete · not trusted (UNABLE_TO_GET_ISSUER_CERT)',
    );
    result.chain = { length: 3, complete: true, trusted: false };
    expect(factsOf(describeSample(result)).chain).toBe('3 certificates · complete · not trusted');
  });

  it('the CA’s responder, asked directly', () => {
    const result = sampleResult('stapled-good');
    result.responder = { url: 'http://ocsp.example.com/', certStatus: 'revoked', thisUpdate: null, nextUpdate: null };
    expect(factsOf(describeSample(result)).responder).toBe('http://ocsp.example.com/ says revoked');
    result.responder = { ...result.responder, certStatus: null, error: 'timed out' };
    expect(factsOf(describeSample(result)).responder).toBe('http://ocsp.example.com/: timed out');
  });
});

describe('addresses', () => {
  it('IPv6 in brackets, in the target, the address fact and every address', () => {
    const result = sampleResult('not-stapled');
    result.host = '2001:db8::1';
    result.port = 8443;
    result.address = '2001:db8::7';
    result.addresses = [
      { address: '2001:db8::7', verdict: 'not-stapled', summary: '', problems: [], error: null, ocsp: null, tls: null },
      {
        address: '203.0.113.7',
        verdict: 'stapled-good',
        summary: '',
        problems: [],
        error: null,
        ocsp: null,
        tls: null,
      },
    ];
    const view = describeSample(result);
    expect(view.target).toBe('[2001:db8::1]:8443');
    expect(factsOf(view).address).toBe('[2001:db8::7]:8443 and 1 more');
    expect(view.addresses).toEqual([
      {
        label: '[2001:db8::7]:8443',
        verdict: 'not-stapled',
        tone: 'warn',
        colour: 'amber',
        headline: 'No staple sent',
      },
      {
        label: '203.0.113.7:8443',
        verdict: 'stapled-good',
        tone: 'good',
        colour: 'green',
        headline: 'Stapled, and the certificate is good',
      },
    ]);
  });

  it('formatHostPort: brackets only for IPv6, the host alone without a port', () => {
    expect(formatHostPort('example.com', 443)).toBe('example.com:443');
    expect(formatHostPort('127.0.0.1', 8443)).toBe('127.0.0.1:8443');
    expect(formatHostPort('::1', 443)).toBe('[::1]:443');
    expect(formatHostPort('fe80::1%eth0', 443)).toBe('[fe80::1%eth0]:443');
    expect(formatHostPort('not a host', null)).toBe('not a host');
  });
});

describe('an error result and an offline inspection', () => {
  it('error: the code, its meaning and what to do; no staple fact, the target still named', () => {
    const view = describeSample(sampleResult('error'));
    expect(view.error).toEqual({
      code: 'refused',
      message: 'connect ECONNREFUSED 203.0.113.7:443',
      meaning: translate('error_refused_meaning'),
      action: translate('error_refused_action'),
    });
    expect(view.error?.meaning).toMatch(/refused/);
    expect(view.tone).toBe('neutral');
    const facts = factsOf(view);
    expect(facts.staple).toBeUndefined();
    expect(facts.address).toBe('example.com:443');
    expect(Object.keys(facts)).toEqual(['address', 'took']);
  });

  it('an unknown error code is explained in general words', () => {
    const result = sampleResult('error');
    result.error = { code: 'from-the-future' as never, message: 'x' };
    expect(describeSample(result).error?.meaning).toBe(translate('unknown_meaning'));
  });

  it('a target that did not parse is named as given', () => {
    const result = sampleResult('error');
    result.host = 'not a host';
    result.port = null;
    expect(describeSample(result).target).toBe('not a host');
  });

  it('inspect (no host): “staple”, no address, no handshake count', () => {
    const result = sampleResult('stapled-good');
    result.host = null;
    result.port = null;
    const view = describeSample(result);
    expect(view.target).toBe('staple');
    expect(factsOf(view).address).toBeUndefined();
    expect(factsOf(view).took).toBeUndefined();
    expect(factsOf(view).chain).toBeUndefined();
  });
});

describe('a server with several certificates', () => {
  it('words each one with its own staple’s time left', () => {
    const result = sampleResult('not-stapled');
    const good = sampleResult('stapled-good');
    const lapsed = sampleResult('stapled-invalid');
    const variant = (r: Result, keyType: 'ecdsa' | 'rsa', offer: 'default' | 'rsa-only') => ({
      keyType,
      offer,
      verdict: r.verdict,
      summary: r.summary,
      problems: r.problems,
      certificate: r.certificate,
      ocsp: r.ocsp,
      tls: r.tls,
      handshakes: 1,
    });
    result.certificates = [variant(good, 'ecdsa', 'default'), variant(lapsed, 'rsa', 'rsa-only')];
    const view = describeSample(result);
    expect(view.variants.map((v) => [v.label, v.offer, v.headline, v.timeLeft])).toEqual([
      ['ECDSA certificate', 'what browsers get', HEADLINE['stapled-good'], '3 days left'],
      ['RSA certificate', 'offered RSA only', HEADLINE['stapled-invalid'], 'staple expired 1 h ago'],
    ]);
    result.certificates = [variant(sampleResult('not-stapled'), 'ecdsa', 'default')];
    expect(describeSample(result).variants).toEqual([]);
  });
});

describe('the catalogue', () => {
  it('words every problem and error code', () => {
    for (const code of EXPLAINED_PROBLEM_CODES)
      for (const part of ['meaning', 'action'])
        expect(catalogueHas(CATALOGUE, messageKey('problem', code, part)), code).toBe(true);
    for (const code of EXPLAINED_ERROR_CODES)
      for (const part of ['meaning', 'action'])
        expect(catalogueHas(CATALOGUE, messageKey('error', code, part)), code).toBe(true);
  });

  it('fills placeholders as the browsers do; a substitution is never read again', () => {
    const t = catalogueTranslator({
      a: { message: 'x $WHO$ and $$1 and $2', placeholders: { who: { content: '$1' } } },
    });
    expect(t('a', ['$2', 'two'])).toBe('x $2 and $1 and two');
    expect(t('missing')).toBe('missing');
    expect(catalogueTranslator(null)('a')).toBe('a');
  });
});
