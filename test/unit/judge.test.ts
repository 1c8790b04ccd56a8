// judgeStapling: from evidence (leaf, issuer candidates, staple bytes, a fixed clock) to the
// verdict of docs/contract.md §2. Every verdict the engine can give is here.
import { beforeAll, describe, expect, it } from 'vitest';
import { judgeStapling, selectIssuer, summarize, type StaplingEvidence } from '../../src/core/judge.js';
import { VERDICTS, type OcspInfo, type Problem, type Verdict } from '../../src/core/result.js';
import {
  DAY,
  HOUR,
  garbage,
  mintIntermediateCa,
  mintLeaf,
  mintOcspResponse,
  mintRootCa,
  mintScenario,
  mintUnsuccessfulResponse,
  shift,
  truncate,
  withTrailingBytes,
  type MintedCertificate,
  type OcspResponseOptions,
  type Scenario,
  type SingleResponseOptions,
} from '../support/mint.js';

const NOW = new Date('2026-01-15T12:00:00Z');
const crypto = globalThis.crypto;

let s: Scenario;
let otherLeaf: MintedCertificate;
let otherRoot: MintedCertificate;
/** The intermediate's name, another key: it did not sign the leaf. */
let impostorCa: MintedCertificate;
/** Must-Staple and no OCSP URL at all. */
let mustStapleNoOcsp: MintedCertificate;

beforeAll(async () => {
  s = await mintScenario({ now: NOW });
  const validNow = { notBefore: shift(NOW, -DAY), notAfter: shift(NOW, 90 * DAY) };
  otherLeaf = await mintLeaf({ issuer: s.intermediate, commonName: 'other.test', ...validNow, serialNumber: 0x3004n });
  otherRoot = await mintRootCa({ commonName: 'Unrelated Root', ...validNow });
  impostorCa = await mintIntermediateCa({
    issuer: otherRoot,
    commonName: 'Staple Check Test Intermediate',
    ...validNow,
  });
  mustStapleNoOcsp = await mintLeaf({
    issuer: s.intermediate,
    commonName: 'strict.test',
    ...validNow,
    ocspUrl: null,
    mustStaple: true,
  });
});

function about(leaf: MintedCertificate, more: Partial<SingleResponseOptions> = {}): SingleResponseOptions {
  return {
    certificate: leaf,
    issuer: s.intermediate,
    thisUpdate: shift(NOW, -HOUR),
    nextUpdate: shift(NOW, 4 * DAY),
    ...more,
  };
}

function staple(leaf: MintedCertificate, more: Partial<OcspResponseOptions> = {}): Promise<Uint8Array> {
  return mintOcspResponse({ producedAt: shift(NOW, -HOUR), signer: s.intermediate, responses: [about(leaf)], ...more });
}

/** What the probe hands over: the leaf, what the server sent after it, the staple or nothing. */
function judge(leaf: MintedCertificate, stapled: Uint8Array | null, more: Partial<StaplingEvidence> = {}) {
  return judgeStapling({
    leaf: leaf.der,
    issuerCandidates: [s.intermediate.der, s.root.der],
    staple: stapled,
    at: NOW,
    crypto,
    ...more,
  });
}

const codes = (problems: Problem[], severity?: Problem['severity']) =>
  problems.filter((p) => !severity || p.severity === severity).map((p) => p.code);

describe('nothing stapled', () => {
  it('a certificate naming an OCSP responder: not-stapled', async () => {
    const j = await judge(s.leaf, null);
    expect(j.verdict).toBe('not-stapled');
    expect(j.ocsp).toBeNull();
    expect(j.problems).toEqual([]);
    expect(j.certificate?.ocspUrls).toEqual([s.ocspUrl]);
  });

  it('no OCSP URL (CRL-only): no-ocsp', async () => {
    const j = await judge(s.noOcspLeaf, null);
    expect(j.verdict).toBe('no-ocsp');
    expect(j.problems).toEqual([]);
  });

  it('Must-Staple: must-staple-violation', async () => {
    const j = await judge(s.mustStapleLeaf, null);
    expect(j.verdict).toBe('must-staple-violation');
    expect(j.certificate?.mustStaple).toBe(true);
    expect(j.problems).toEqual([expect.objectContaining({ code: 'must-staple', severity: 'info' })]);
  });

  it('Must-Staple without an OCSP URL is still a violation, not no-ocsp', async () => {
    expect((await judge(mustStapleNoOcsp, null)).verdict).toBe('must-staple-violation');
  });

  it('a TLS Feature without 5 is not Must-Staple', async () => {
    const leaf = await mintLeaf({
      issuer: s.intermediate,
      commonName: 'v2.test',
      notBefore: shift(NOW, -DAY),
      notAfter: shift(NOW, 90 * DAY),
      tlsFeatures: [17],
    });
    const j = await judge(leaf, null);
    expect(j.verdict).toBe('not-stapled');
    expect(j.certificate?.mustStaple).toBe(false);
  });
});

describe('a staple that verifies', () => {
  it('good: stapled-good, with the certificate and its issuer described', async () => {
    const j = await judge(s.leaf, await staple(s.leaf));
    expect(j.verdict).toBe('stapled-good');
    expect(j.problems).toEqual([]);
    expect(j.ocsp?.certStatus).toBe('good');
    expect(j.certificate).toMatchObject({ serialNumber: '3001', mustStaple: false });
    expect(j.issuer?.subject).toBe('O=Staple Check Test, CN=Staple Check Test Intermediate');
    expect(j.summary).toMatch(/good/);
  });

  it('revoked: stapled-revoked, the reason in the summary', async () => {
    const response = await staple(s.leaf, {
      responses: [about(s.leaf, { certStatus: { revokedAt: shift(NOW, -DAY), reason: 'keyCompromise' } })],
    });
    const j = await judge(s.leaf, response);
    expect(j.verdict).toBe('stapled-revoked');
    expect(j.ocsp).toMatchObject({ revocationReason: 'keyCompromise', revocationTime: shift(NOW, -DAY).toISOString() });
    expect(j.summary).toContain('keyCompromise');
  });

  it('unknown: stapled-unknown', async () => {
    const j = await judge(s.leaf, await staple(s.leaf, { responses: [about(s.leaf, { certStatus: 'unknown' })] }));
    expect(j.verdict).toBe('stapled-unknown');
  });

  it('delegated responder: stapled-good', async () => {
    const j = await judge(s.leaf, await staple(s.leaf, { signer: s.responder }));
    expect(j.verdict).toBe('stapled-good');
    expect(j.ocsp?.signer?.type).toBe('delegated');
  });

  it('Must-Staple with a good staple: stapled-good (and the info)', async () => {
    const j = await judge(s.mustStapleLeaf, await staple(s.mustStapleLeaf));
    expect(j.verdict).toBe('stapled-good');
    expect(codes(j.problems)).toEqual(['must-staple']);
  });

  it('Must-Staple with a revoked staple: stapled-revoked (revocation is the bigger news)', async () => {
    const response = await staple(s.mustStapleLeaf, {
      responses: [about(s.mustStapleLeaf, { certStatus: { revokedAt: shift(NOW, -DAY) } })],
    });
    expect((await judge(s.mustStapleLeaf, response)).verdict).toBe('stapled-revoked');
  });

  it('absent nextUpdate: stapled-good with a warning', async () => {
    const j = await judge(s.leaf, await staple(s.leaf, { responses: [about(s.leaf, { nextUpdate: null })] }));
    expect(j.verdict).toBe('stapled-good');
    expect(codes(j.problems, 'warning')).toEqual(['no-next-update']);
  });

  it('no OCSP URL but a staple anyway: the staple is judged', async () => {
    expect((await judge(s.noOcspLeaf, await staple(s.noOcspLeaf))).verdict).toBe('stapled-good');
  });
});

describe('a staple that must not be trusted', () => {
  it.each([
    ['expired', -8 * DAY, -DAY],
    ['not-yet-valid', HOUR, 8 * DAY],
  ] as const)('%s: stapled-invalid', async (code, thisUpdate, nextUpdate) => {
    const response = await staple(s.leaf, {
      responses: [about(s.leaf, { thisUpdate: shift(NOW, thisUpdate), nextUpdate: shift(NOW, nextUpdate) })],
    });
    const j = await judge(s.leaf, response);
    expect(j.verdict).toBe('stapled-invalid');
    expect(codes(j.problems, 'error')).toEqual([code]);
    expect(j.summary).toContain(j.problems[0]?.message ?? '???');
  });

  it('bad-signature: stapled-invalid', async () => {
    const j = await judge(s.leaf, await staple(s.leaf, { corruptSignature: true }));
    expect(j.verdict).toBe('stapled-invalid');
    expect(codes(j.problems, 'error')).toEqual(['bad-signature']);
  });

  it('unauthorized-signer (the leaf signs its own status): stapled-invalid', async () => {
    const j = await judge(s.leaf, await staple(s.leaf, { signer: s.leaf, certificates: [s.leaf] }));
    expect(j.verdict).toBe('stapled-invalid');
    expect(codes(j.problems, 'error')).toEqual(['unauthorized-signer']);
  });

  it('a response about another certificate: stapled-invalid cert-id-mismatch, never unknown', async () => {
    const j = await judge(
      s.leaf,
      await staple(otherLeaf, { responses: [about(otherLeaf, { certStatus: 'unknown' })] }),
    );
    expect(j.verdict).toBe('stapled-invalid');
    expect(codes(j.problems, 'error')).toEqual(['cert-id-mismatch']);
  });

  it('tryLater: stapled-invalid unsuccessful-response', async () => {
    const j = await judge(s.leaf, mintUnsuccessfulResponse('tryLater'));
    expect(j.verdict).toBe('stapled-invalid');
    expect(codes(j.problems, 'error')).toEqual(['unsuccessful-response']);
    expect(j.ocsp?.responseStatus).toBe('tryLater');
  });

  it.each([
    ['garbage', async () => garbage(100)],
    ['truncated', async () => truncate(await staple(s.leaf))],
    ['trailing bytes', async () => withTrailingBytes(await staple(s.leaf))],
    ['empty', async () => new Uint8Array(0)],
  ])('%s: stapled-invalid malformed, never throws', async (_name, bytes) => {
    const j = await judge(s.leaf, await bytes());
    expect(j.verdict).toBe('stapled-invalid');
    expect(codes(j.problems, 'error')).toEqual(['malformed']);
  });
});

describe('Must-Staple and an invalid staple', () => {
  it.each([
    [
      'expired',
      () =>
        staple(s.mustStapleLeaf, {
          responses: [about(s.mustStapleLeaf, { nextUpdate: shift(NOW, -DAY), thisUpdate: shift(NOW, -8 * DAY) })],
        }),
    ],
    ['bad-signature', () => staple(s.mustStapleLeaf, { corruptSignature: true })],
    ['malformed', async () => garbage(50)],
    ['unsuccessful-response', async () => mintUnsuccessfulResponse('tryLater')],
  ])('%s: must-staple-violation, the reason kept', async (code, bytes) => {
    const j = await judge(s.mustStapleLeaf, await bytes());
    expect(j.verdict).toBe('must-staple-violation');
    expect(codes(j.problems, 'error')).toEqual([code]);
    expect(j.summary).toContain('Must-Staple');
  });

  it('judging a saved file keeps to the stapled-* verdicts (docs/contract.md §3)', async () => {
    const j = await judge(s.mustStapleLeaf, await staple(s.mustStapleLeaf, { corruptSignature: true }), {
      subject: 'file',
    });
    expect(j.verdict).toBe('stapled-invalid');
  });
});

describe('the issuer', () => {
  it('missing (the server sent only the leaf): issuer-unavailable', async () => {
    const j = await judge(s.leaf, await staple(s.leaf), { issuerCandidates: [] });
    expect(j.verdict).toBe('stapled-invalid');
    expect(codes(j.problems, 'error')).toEqual(['issuer-unavailable']);
    expect(j.problems[0]?.message).toMatch(/not found/);
    expect(j.issuer).toBeNull();
  });

  it('only unrelated certificates and junk: issuer-unavailable', async () => {
    const j = await judge(s.leaf, await staple(s.leaf), { issuerCandidates: [otherRoot.der, garbage(30), s.root.der] });
    expect(codes(j.problems, 'error')).toEqual(['issuer-unavailable']);
  });

  it('one with the right name but another key: issuer-unavailable, and that is said', async () => {
    const j = await judge(s.leaf, await staple(s.leaf), { issuerCandidates: [impostorCa.der] });
    expect(codes(j.problems, 'error')).toEqual(['issuer-unavailable']);
    expect(j.problems[0]?.message).toMatch(/key did not sign/);
  });

  it('found after an impostor and junk', async () => {
    const j = await judge(s.leaf, await staple(s.leaf), {
      issuerCandidates: [garbage(30), impostorCa.der, s.root.der, s.intermediate.der],
    });
    expect(j.verdict).toBe('stapled-good');
  });

  it('selectIssuer picks the candidate whose key signed the leaf', async () => {
    const choice = await selectIssuer(s.leaf.cert, [impostorCa.der, s.intermediate.der], crypto);
    expect(choice.problem).toBeNull();
    expect(choice.der).toBe(s.intermediate.der);
    const none = await selectIssuer(s.leaf.cert, [s.root.der], crypto);
    expect(none).toMatchObject({ issuer: null, der: null });
    expect(none.problem).toMatch(/Staple Check Test Intermediate/);
  });
});

describe('the certificate itself', () => {
  const leafValid = (notBefore: Date, notAfter: Date) =>
    mintLeaf({ issuer: s.intermediate, commonName: 'dated.test', notBefore, notAfter, serialNumber: 0x3100n });

  it('expired: a warning; the staple still decides', async () => {
    const leaf = await leafValid(shift(NOW, -90 * DAY), shift(NOW, -DAY));
    const j = await judge(leaf, await staple(leaf));
    expect(j.verdict).toBe('stapled-good');
    expect(codes(j.problems, 'warning')).toEqual(['certificate-expired']);
  });

  it('not yet valid: a warning', async () => {
    const leaf = await leafValid(shift(NOW, DAY), shift(NOW, 90 * DAY));
    const j = await judge(leaf, null);
    expect(j.verdict).toBe('not-stapled');
    expect(codes(j.problems, 'warning')).toEqual(['certificate-not-yet-valid']);
  });

  it('expiring within 14 days: a warning', async () => {
    const leaf = await leafValid(shift(NOW, -80 * DAY), shift(NOW, 10 * DAY));
    expect(codes((await judge(leaf, null)).problems, 'warning')).toEqual(['certificate-expiring']);
  });

  it('does not parse: error without a staple, stapled-invalid malformed with one', async () => {
    const broken = { ...s.leaf, der: truncate(s.leaf.der) };
    const without = await judge(broken, null);
    expect(without.verdict).toBe('error');
    expect(without.certificate).toBeNull();
    const withStaple = await judge(broken, await staple(s.leaf));
    expect(withStaple.verdict).toBe('stapled-invalid');
    expect(codes(withStaple.problems, 'error')).toEqual(['malformed']);
  });
});

describe('summarize', () => {
  it('says one plain sentence for every verdict, site or file', () => {
    for (const verdict of VERDICTS) {
      for (const subject of ['site', 'file'] as const) {
        const text = summarize(verdict as Verdict, null, [], subject);
        expect(text.length, verdict).toBeGreaterThan(10);
        expect(text.endsWith('.'), `${verdict}: ${text}`).toBe(true);
      }
    }
  });

  it('names the first error of an invalid staple', () => {
    const problems: Problem[] = [
      { code: 'no-next-update', severity: 'warning', message: 'A warning.' },
      { code: 'expired', severity: 'error', message: 'It expired.' },
    ];
    expect(summarize('stapled-invalid', null, problems)).toContain('It expired.');
    expect(summarize('must-staple-violation', null, problems)).toContain('It expired.');
  });
});

describe('leaf-not-signed-by-issuer', () => {
  it('a certificate with the issuer name whose key did not sign the leaf: a warning, with a staple or without', async () => {
    const withStaple = await judge(s.leaf, await staple(s.leaf), { issuerCandidates: [impostorCa.der] });
    expect(withStaple.problems.find((p) => p.code === 'leaf-not-signed-by-issuer')?.severity).toBe('warning');
    const without = await judge(s.leaf, null, { issuerCandidates: [impostorCa.der] });
    expect(codes(without.problems, 'warning')).toContain('leaf-not-signed-by-issuer');
    expect(without.verdict).toBe('not-stapled');
  });

  it('not said when the real issuer is found, nor when no candidate has the name', async () => {
    const found = await judge(s.leaf, await staple(s.leaf), { issuerCandidates: [impostorCa.der, s.intermediate.der] });
    expect(codes(found.problems)).not.toContain('leaf-not-signed-by-issuer');
    const missing = await judge(s.leaf, await staple(s.leaf), { issuerCandidates: [] });
    expect(codes(missing.problems)).not.toContain('leaf-not-signed-by-issuer');
  });
});

describe('summarize, word for word (the sentence the CLI, --json and the popup show)', () => {
  const expired: Problem = { code: 'expired', severity: 'error', message: 'It expired.' };
  const warned: Problem = { code: 'no-next-update', severity: 'warning', message: 'A warning.' };
  const revoked = { revocationReason: 'keyCompromise' } as OcspInfo;

  it.each<[Verdict, 'site' | 'file', string]>([
    ['stapled-good', 'site', 'The server staples a valid, fresh OCSP response that says the certificate is good.'],
    ['stapled-good', 'file', 'This is a valid, fresh OCSP response that says the certificate is good.'],
    ['stapled-revoked', 'site', 'The server staples a valid OCSP response that says the certificate is REVOKED.'],
    [
      'stapled-unknown',
      'file',
      'This is a valid OCSP response, but the responder does not know this certificate (status unknown).',
    ],
    ['stapled-invalid', 'site', 'The server staples an OCSP response that must not be trusted. It does not verify.'],
    ['not-stapled', 'site', 'The server sent no OCSP staple, though the certificate names an OCSP responder.'],
    ['no-ocsp', 'site', 'The certificate names no OCSP responder, so there is nothing to staple.'],
    [
      'must-staple-violation',
      'site',
      'The certificate requires stapling (Must-Staple) but no valid staple came. Firefox will refuse this site.',
    ],
    ['error', 'site', 'The check could not be done.'],
  ])('%s (%s), no findings', (verdict, subject, sentence) => {
    expect(summarize(verdict, null, [], subject)).toBe(sentence);
  });

  it('the site is the default subject', () => {
    expect(summarize('stapled-good', null, [])).toMatch(/^The server staples /);
  });

  it('names the revocation reason, and the first error only (never a warning)', () => {
    expect(summarize('stapled-revoked', revoked, [], 'file')).toBe(
      'This is a valid OCSP response that says the certificate is REVOKED (keyCompromise).',
    );
    expect(summarize('stapled-revoked', { ...revoked, revocationReason: null }, [])).toMatch(/REVOKED\.$/);
    expect(summarize('stapled-invalid', null, [warned, expired], 'file')).toBe(
      'This is an OCSP response that must not be trusted. It expired.',
    );
    expect(summarize('stapled-invalid', null, [warned])).toMatch(/must not be trusted\. It does not verify\.$/);
    expect(summarize('must-staple-violation', null, [warned, expired])).toBe(
      'The certificate requires stapling (Must-Staple) but no valid staple came: It expired. Firefox will refuse this site.',
    );
    expect(summarize('must-staple-violation', null, [warned])).toMatch(/came\. Firefox/);
  });
});

describe('the certificate’s own dates, exactly', () => {
  const dated = (notBefore: Date, notAfter: Date) =>
    mintLeaf({ issuer: s.intermediate, commonName: 'dated.test', notBefore, notAfter, serialNumber: 0x3101n });

  it('expiring: under 14 days left warns, 14 days or more does not', async () => {
    const inside = await dated(shift(NOW, -80 * DAY), shift(NOW, 14 * DAY - 1000));
    const j = await judge(inside, null);
    expect(j.problems).toEqual([
      {
        code: 'certificate-expiring',
        severity: 'warning',
        message: `The certificate expires on ${j.certificate?.notAfter}.`,
      },
    ]);
    const outside = await dated(shift(NOW, -80 * DAY), shift(NOW, 14 * DAY));
    expect((await judge(outside, null)).problems).toEqual([]);
  });

  it('expired and not yet valid say the date that decides', async () => {
    const old = await judge(await dated(shift(NOW, -90 * DAY), shift(NOW, -DAY)), null);
    expect(old.problems).toEqual([
      {
        code: 'certificate-expired',
        severity: 'warning',
        message: `The certificate expired on ${old.certificate?.notAfter}.`,
      },
    ]);
    const early = await judge(await dated(shift(NOW, DAY), shift(NOW, 90 * DAY)), null);
    expect(early.problems).toEqual([
      {
        code: 'certificate-not-yet-valid',
        severity: 'warning',
        message: `The certificate is valid only from ${early.certificate?.notBefore}.`,
      },
    ]);
  });
});

describe('the messages a person reads for the certificate and its issuer', () => {
  it('Must-Staple says what browsers do', async () => {
    const j = await judge(s.mustStapleLeaf, null);
    expect(j.problems).toEqual([
      {
        code: 'must-staple',
        severity: 'info',
        message:
          'The certificate is Must-Staple (RFC 7633): browsers that honour it refuse the site without a valid staple.',
      },
    ]);
  });

  it('an issuer of that name whose key did not sign: named in the warning', async () => {
    const j = await judge(s.leaf, null, { issuerCandidates: [impostorCa.der] });
    expect(j.problems).toEqual([
      {
        code: 'leaf-not-signed-by-issuer',
        severity: 'warning',
        message:
          'A certificate named as the issuer (O=Staple Check Test, CN=Staple Check Test Intermediate) was found, but its key did not sign this certificate.',
      },
    ]);
  });

  it('only issuer-unavailable says why the issuer is missing; other staple problems keep their own words', async () => {
    const missing = await judge(s.leaf, await staple(s.leaf), { issuerCandidates: [] });
    expect(missing.problems).toEqual([
      {
        code: 'issuer-unavailable',
        severity: 'error',
        message:
          'The issuer (O=Staple Check Test, CN=Staple Check Test Intermediate) was not found: the server did not send it and it is no known root. The staple cannot be verified.',
      },
    ]);
    const junk = await judge(s.leaf, garbage(40), { issuerCandidates: [] });
    expect(junk.problems.map((p) => p.code)).toEqual(['malformed']);
    expect(junk.problems[0]?.message).not.toContain('issuer');
    const late = await staple(s.leaf, {
      responses: [about(s.leaf, { thisUpdate: shift(NOW, -8 * DAY), nextUpdate: shift(NOW, -DAY) })],
    });
    const expired = await judge(s.leaf, late);
    expect(expired.problems.map((p) => p.code)).toEqual(['expired']);
    expect(expired.problems[0]?.message).not.toContain('cannot be verified');
  });
});
