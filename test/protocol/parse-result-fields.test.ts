// parseResult field by field (src/protocol/parse-result.ts): every field of docs/contract.md §2 that
// breaks its rule is refused with a reason naming its path, every optional field that passes is kept,
// and nothing a hostile host sends can make it throw. Built on the hand-written sample results.
import { describe, expect, it } from 'vitest';
import { parseResult } from '../../src/protocol/parse-result.js';
import { asWire, sampleResult } from '../extension/sample-results.js';

type Wire = Record<string, unknown>;
type Verdict = Parameters<typeof sampleResult>[0];

const wire = (verdict: Verdict = 'stapled-revoked'): Wire => asWire(sampleResult(verdict)) as Wire;
const at = (r: Wire, key: string): Wire => r[key] as Wire;

/** A stapled-revoked result (it has every section: tls, certificate, chain, ocsp) changed by `change`. */
function changed(change: (r: Wire) => void, verdict: Verdict = 'stapled-revoked'): Wire {
  const r = wire(verdict);
  change(r);
  return r;
}

function reasonOf(value: unknown): string {
  const parsed = parseResult(value);
  return parsed.ok ? 'accepted' : parsed.reason;
}

const address = (more: Wire = {}): Wire => ({
  address: '203.0.113.7',
  verdict: 'not-stapled',
  summary: 's',
  problems: [],
  error: null,
  ocsp: null,
  tls: null,
  ...more,
});

describe('each field that breaks its rule is refused, by its path', () => {
  const rows: [string, (r: Wire) => void, string][] = [
    ['host', (r) => (r.host = 5), 'result.host must be a string'],
    ['servername', (r) => (r.servername = 5), 'result.servername must be a string'],
    ['address', (r) => (r.address = 5), 'result.address must be a string'],
    ['port as text', (r) => (r.port = '443'), 'result.port must be a number'],
    ['port 0', (r) => (r.port = 0), 'result.port must be 1-65535'],
    ['port 65536', (r) => (r.port = 65536), 'result.port must be 1-65535'],
    ['a fractional port', (r) => (r.port = 443.5), 'result.port must be 1-65535'],
    ['checkedAt', (r) => (r.checkedAt = 'yesterday'), 'result.checkedAt must be an ISO-8601 date'],
    ['checkedAt as a number', (r) => (r.checkedAt = 0), 'result.checkedAt must be a string'],
    ['verdict', (r) => (r.verdict = 'stapled-great'), 'result.verdict is not a known verdict'],
    ['summary', (r) => delete r.summary, 'result.summary must be a string'],
    ['problems', (r) => (r.problems = 'none'), 'result.problems must be an array'],
    [
      'problems, 201 of them',
      (r) => (r.problems = Array(201).fill({ code: 'x', severity: 'info', message: 'm' })),
      'result.problems has more than 200 entries',
    ],
    ['a problem', (r) => (r.problems = [null]), 'result.problems[0] must be an object'],
    [
      'a problem code with markup',
      (r) =>
        (r.problems = [
          { code: 'a', severity: 'info', message: 'm' },
          { code: '<b>', severity: 'info', message: 'm' },
        ]),
      'result.problems[1].code must be a problem code',
    ],
    [
      'a problem code of 65 characters',
      (r) => (r.problems = [{ code: 'a'.repeat(65), severity: 'info', message: 'm' }]),
      'result.problems[0].code must be a problem code',
    ],
    [
      'an empty problem code',
      (r) => (r.problems = [{ code: '', severity: 'info', message: 'm' }]),
      'result.problems[0].code must be a problem code',
    ],
    [
      'a problem code with text around it',
      (r) => (r.problems = [{ code: 'x expired', severity: 'info', message: 'm' }]),
      'result.problems[0].code must be a problem code',
    ],
    [
      'a problem severity',
      (r) => (r.problems = [{ code: 'x', severity: 'fatal', message: 'm' }]),
      'result.problems[0].severity must be one of error, warning, info',
    ],
    [
      'a problem message',
      (r) => (r.problems = [{ code: 'x', severity: 'info', message: 5 }]),
      'result.problems[0].message must be a string',
    ],
    ['tls', (r) => (r.tls = 'TLSv1.3'), 'result.tls must be an object'],
    ['tls.protocol', (r) => (at(r, 'tls').protocol = 5), 'result.tls.protocol must be a string'],
    ['tls.cipher', (r) => (at(r, 'tls').cipher = 5), 'result.tls.cipher must be a string'],
    ['certificate', (r) => (r.certificate = []), 'result.certificate must be an object'],
    ['certificate.subject', (r) => (at(r, 'certificate').subject = 5), 'result.certificate.subject must be a string'],
    ['certificate.issuer', (r) => (at(r, 'certificate').issuer = 5), 'result.certificate.issuer must be a string'],
    [
      'certificate.serialNumber',
      (r) => (at(r, 'certificate').serialNumber = 5),
      'result.certificate.serialNumber must be a string',
    ],
    [
      'certificate.notBefore',
      (r) => (at(r, 'certificate').notBefore = 'x'),
      'result.certificate.notBefore must be an ISO-8601 date',
    ],
    [
      'certificate.notAfter',
      (r) => (at(r, 'certificate').notAfter = 'x'),
      'result.certificate.notAfter must be an ISO-8601 date',
    ],
    [
      'certificate.subjectAltNames',
      (r) => (at(r, 'certificate').subjectAltNames = ['a', 5]),
      'result.certificate.subjectAltNames[1] must be a string',
    ],
    [
      'certificate.mustStaple',
      (r) => (at(r, 'certificate').mustStaple = 'yes'),
      'result.certificate.mustStaple must be true or false',
    ],
    [
      'certificate.ocspUrls',
      (r) => (at(r, 'certificate').ocspUrls = 'http://ocsp.example.com/'),
      'result.certificate.ocspUrls must be an array',
    ],
    ['certificate.sha256', (r) => (at(r, 'certificate').sha256 = null), 'result.certificate.sha256 must be a string'],
    ['chain', (r) => (r.chain = 2), 'result.chain must be an object'],
    ['chain.length', (r) => (at(r, 'chain').length = '2'), 'result.chain.length must be a number'],
    ['chain.length NaN', (r) => (at(r, 'chain').length = NaN), 'result.chain.length must be a number'],
    ['chain.complete', (r) => (at(r, 'chain').complete = 1), 'result.chain.complete must be true or false'],
    ['chain.trusted', (r) => (at(r, 'chain').trusted = 'no'), 'result.chain.trusted must be true or false'],
    ['chain.trustError', (r) => (at(r, 'chain').trustError = 5), 'result.chain.trustError must be a string'],
    [
      'chain.certificates[0]',
      (r) => (at(r, 'chain').certificates = [5]),
      'result.chain.certificates[0] must be an object',
    ],
    [
      'chain.certificates[0].subject',
      (r) => (at(r, 'chain').certificates = [{ issuer: 'i', notAfter: '2026-01-01T00:00:00Z', sha256: 'h' }]),
      'result.chain.certificates[0].subject must be a string',
    ],
    [
      'chain.certificates[0].issuer',
      (r) => (at(r, 'chain').certificates = [{ subject: 's', notAfter: '2026-01-01T00:00:00Z', sha256: 'h' }]),
      'result.chain.certificates[0].issuer must be a string',
    ],
    [
      'chain.certificates[0].notAfter',
      (r) => (at(r, 'chain').certificates = [{ subject: 's', issuer: 'i', notAfter: 'soon', sha256: 'h' }]),
      'result.chain.certificates[0].notAfter must be an ISO-8601 date',
    ],
    [
      'chain.certificates[0].sha256',
      (r) => (at(r, 'chain').certificates = [{ subject: 's', issuer: 'i', notAfter: '2026-01-01T00:00:00Z' }]),
      'result.chain.certificates[0].sha256 must be a string',
    ],
    ['ocsp', (r) => (r.ocsp = 'good'), 'result.ocsp must be an object'],
    [
      'ocsp.responseStatus',
      (r) => (at(r, 'ocsp').responseStatus = 'fine'),
      'result.ocsp.responseStatus must be one of successful, malformedRequest, internalError, tryLater, sigRequired, unauthorized, unrecognized',
    ],
    [
      'ocsp.certStatus',
      (r) => (at(r, 'ocsp').certStatus = 5),
      'result.ocsp.certStatus must be one of good, revoked, unknown',
    ],
    ['ocsp.producedAt', (r) => (at(r, 'ocsp').producedAt = 'x'), 'result.ocsp.producedAt must be an ISO-8601 date'],
    ['ocsp.thisUpdate', (r) => (at(r, 'ocsp').thisUpdate = 'x'), 'result.ocsp.thisUpdate must be an ISO-8601 date'],
    ['ocsp.nextUpdate', (r) => (at(r, 'ocsp').nextUpdate = 'x'), 'result.ocsp.nextUpdate must be an ISO-8601 date'],
    [
      'ocsp.revocationTime',
      (r) => (at(r, 'ocsp').revocationTime = 'x'),
      'result.ocsp.revocationTime must be an ISO-8601 date',
    ],
    [
      'ocsp.revocationReason',
      (r) => (at(r, 'ocsp').revocationReason = 'stolen'),
      expect.stringMatching(
        /^result\.ocsp\.revocationReason must be one of unspecified, keyCompromise, /,
      ) as unknown as string,
    ],
    ['ocsp.signer', (r) => (at(r, 'ocsp').signer = 'CA'), 'result.ocsp.signer must be an object'],
    [
      'ocsp.signer.type',
      (r) => (at(r, 'ocsp').signer = { type: 'ca', subject: null }),
      'result.ocsp.signer.type must be one of issuer, delegated, unknown',
    ],
    [
      'ocsp.signer.subject',
      (r) => (at(r, 'ocsp').signer = { type: 'issuer', subject: 5 }),
      'result.ocsp.signer.subject must be a string',
    ],
    [
      'ocsp.signer.notAfter',
      (r) => (at(r, 'ocsp').signer = { type: 'delegated', subject: null, notAfter: 'x' }),
      'result.ocsp.signer.notAfter must be an ISO-8601 date',
    ],
    ['ocsp.sizeBytes', (r) => delete at(r, 'ocsp').sizeBytes, 'result.ocsp.sizeBytes must be a number'],
    ['timing', (r) => (r.timing = null), 'result.timing must be an object'],
    ['timing.totalMs', (r) => (r.timing = { totalMs: '5' }), 'result.timing.totalMs must be a number'],
    [
      'timing.handshakes',
      (r) => (r.timing = { totalMs: 5, handshakes: 'one' }),
      'result.timing.handshakes must be a number',
    ],
    ['error', (r) => (r.error = 'refused'), 'result.error must be an object'],
    [
      'error.code with markup',
      (r) => (r.error = { code: '<refused>', message: 'm' }),
      'result.error.code must be an error code',
    ],
    [
      'error.code of 65 characters',
      (r) => (r.error = { code: 'a'.repeat(65), message: 'm' }),
      'result.error.code must be an error code',
    ],
    ['error.code empty', (r) => (r.error = { code: '', message: 'm' }), 'result.error.code must be an error code'],
    [
      'error.code with text around it',
      (r) => (r.error = { code: 'a b', message: 'm' }),
      'result.error.code must be an error code',
    ],
    ['error.code as a number', (r) => (r.error = { code: 5, message: 'm' }), 'result.error.code must be a string'],
    ['error.message', (r) => (r.error = { code: 'dns', message: null }), 'result.error.message must be a string'],
    ['addresses', (r) => (r.addresses = {}), 'result.addresses must be an array'],
    ['addresses[0]', (r) => (r.addresses = ['203.0.113.7']), 'result.addresses[0] must be an object'],
    [
      'addresses[0].address',
      (r) => (r.addresses = [address({ address: 5 })]),
      'result.addresses[0].address must be a string',
    ],
    [
      'addresses[0].verdict',
      (r) => (r.addresses = [address({ verdict: 'fine' })]),
      'result.addresses[0].verdict is not a known verdict',
    ],
    [
      'addresses[0].summary',
      (r) => (r.addresses = [address({ summary: 5 })]),
      'result.addresses[0].summary must be a string',
    ],
    [
      'addresses[0].problems',
      (r) => (r.addresses = [address({ problems: [{ code: 'x', severity: 'loud', message: 'm' }] })]),
      'result.addresses[0].problems[0].severity must be one of error, warning, info',
    ],
    [
      'addresses[0].error',
      (r) => (r.addresses = [address({ error: { code: 'x' } })]),
      'result.addresses[0].error.message must be a string',
    ],
    [
      'addresses[0].ocsp',
      (r) => (r.addresses = [address({ ocsp: { sizeBytes: 'big' } })]),
      'result.addresses[0].ocsp.sizeBytes must be a number',
    ],
    [
      'addresses[0].tls',
      (r) => (r.addresses = [address({ tls: { protocol: 1.3 } })]),
      'result.addresses[0].tls.protocol must be a string',
    ],
    [
      'an address saying stapled-good without a staple',
      (r) => (r.addresses = [address({ verdict: 'stapled-good' })]),
      'result.addresses[0] says stapled-good but carries no staple',
    ],
    ['responder', (r) => (r.responder = 'http://ocsp'), 'result.responder must be an object'],
    ['responder.url', (r) => (r.responder = { url: 5 }), 'result.responder.url must be a string'],
    [
      'responder.certStatus',
      (r) => (r.responder = { url: 'u', certStatus: 'fine' }),
      'result.responder.certStatus must be one of good, revoked, unknown',
    ],
    [
      'responder.thisUpdate',
      (r) => (r.responder = { url: 'u', thisUpdate: 'x' }),
      'result.responder.thisUpdate must be an ISO-8601 date',
    ],
    [
      'responder.nextUpdate',
      (r) => (r.responder = { url: 'u', nextUpdate: 'x' }),
      'result.responder.nextUpdate must be an ISO-8601 date',
    ],
    ['responder.error', (r) => (r.responder = { url: 'u', error: 5 }), 'result.responder.error must be a string'],
  ];
  it.each(rows)('%s', (_what, change, reason) => {
    expect(reasonOf(changed(change))).toEqual(reason);
  });

  it('a result that is no object', () => {
    for (const value of [null, undefined, [], 'stapled-good', 5])
      expect(reasonOf(value)).toBe('result must be an object');
  });

  it('never throws, even when reading a field throws', () => {
    const hostile = {
      ...wire(),
      get verdict(): never {
        throw new Error('boom');
      },
    };
    expect(parseResult(hostile)).toEqual({ ok: false, reason: 'the result could not be read' });
  });
});

describe('stapled-good needs its evidence: the reason says which is missing', () => {
  const good = (change: (r: Wire) => void) => reasonOf(changed(change, 'stapled-good'));

  it.each<[string, (r: Wire) => void, string]>([
    ['no staple', (r) => (r.ocsp = null), 'result says stapled-good but carries no staple'],
    [
      'a staple that says unknown',
      (r) => (at(r, 'ocsp').certStatus = 'unknown'),
      'result says stapled-good but its staple does not say good',
    ],
    [
      'an unsuccessful staple that says good',
      (r) => (at(r, 'ocsp').responseStatus = 'internalError'),
      'result says stapled-good but its staple does not say good',
    ],
    [
      'an invalidating problem after a warning',
      (r) =>
        (r.problems = [
          { code: 'expiring-soon', severity: 'warning', message: 'm' },
          { code: 'issuer-unavailable', severity: 'error', message: 'm' },
        ]),
      'result says stapled-good despite the problem issuer-unavailable',
    ],
    [
      'an address that answered otherwise',
      (r) => (r.addresses = [address({ verdict: 'error', error: { code: 'refused', message: 'm' } }), address()]),
      'result says stapled-good although an address that answered is not',
    ],
    [
      'no address that answered',
      (r) => (r.addresses = [address({ verdict: 'error', error: { code: 'refused', message: 'm' } })]),
      'result says stapled-good although an address that answered is not',
    ],
  ])('%s', (_what, change, reason) => {
    expect(good(change)).toBe(reason);
  });

  it('a verdict other than stapled-good needs no staple, whatever its addresses', () => {
    expect(reasonOf(changed((r) => (r.addresses = [address()]), 'not-stapled'))).toBe('accepted');
    expect(reasonOf(changed((r) => (r.addresses = []), 'not-stapled'))).toBe('accepted');
  });
});

describe('what passes is rebuilt: optional fields kept, absent ones filled, long text capped', () => {
  it('keeps chain.trustError and chain.certificates, signer.notAfter, timing.handshakes, responder', () => {
    const chainCertificate = {
      subject: 'CN=CA',
      issuer: 'CN=Root',
      notAfter: '2027-01-01T00:00:00.000Z',
      sha256: 'cd',
    };
    const responder = {
      url: 'http://ocsp.example.com/',
      certStatus: 'revoked',
      thisUpdate: '2026-11-24T08:00:00.000Z',
      nextUpdate: null,
      error: 'late',
    };
    const parsed = parseResult(
      changed((r) => {
        r.chain = {
          length: 2,
          complete: false,
          trusted: false,
          trustError: 'UNABLE_TO_GET_ISSUER_CERT',
          certificates: [chainCertificate],
        };
        at(r, 'ocsp').signer = {
          type: 'delegated',
          subject: 'CN=Responder',
          notAfter: '2026-12-01T00:00:00.000Z',
          extra: 1,
        };
        r.responder = responder;
      }),
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.result.chain).toEqual({
      length: 2,
      complete: false,
      trusted: false,
      trustError: 'UNABLE_TO_GET_ISSUER_CERT',
      certificates: [chainCertificate],
    });
    expect(parsed.result.ocsp?.signer).toEqual({
      type: 'delegated',
      subject: 'CN=Responder',
      notAfter: '2026-12-01T00:00:00.000Z',
    });
    expect(parsed.result.timing).toEqual({ totalMs: 123.4, handshakes: 1 });
    expect(parsed.result.responder).toEqual(responder);
  });

  it('leaves out what was absent, reads absent lists as empty and absent texts as null', () => {
    const parsed = parseResult(
      changed((r) => {
        delete r.host;
        r.port = null;
        r.chain = { length: 1, complete: true, trusted: true, trustError: null };
        at(r, 'ocsp').signer = { type: 'issuer', subject: null, notAfter: null };
        delete at(r, 'certificate').subjectAltNames;
        delete at(r, 'certificate').ocspUrls;
        r.timing = { totalMs: 1 };
        r.responder = null;
        r.addresses = [{ address: '203.0.113.7', verdict: 'not-stapled' }];
      }),
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.result).toMatchObject({ host: null, port: null, responder: null });
    expect(parsed.result.chain).toEqual({ length: 1, complete: true, trusted: true, trustError: null });
    expect(parsed.result.ocsp?.signer).toEqual({ type: 'issuer', subject: null });
    expect(parsed.result.certificate).toMatchObject({ subjectAltNames: [], ocspUrls: [] });
    expect(parsed.result.timing).toEqual({ totalMs: 1 });
    expect(parsed.result.addresses).toEqual([
      { address: '203.0.113.7', verdict: 'not-stapled', summary: '', problems: [], error: null, ocsp: null, tls: null },
    ]);
    expect(parseResult(wire())).not.toMatchObject({ result: { responder: expect.anything() } });
    // A responder comparison without an error has no error field, not a null one.
    const answered = parseResult(
      changed((r) => (r.responder = { url: 'http://ocsp.example.com/', certStatus: 'good' })),
    );
    expect(answered.ok && Object.keys(answered.result.responder ?? {})).toEqual([
      'url',
      'certStatus',
      'thisUpdate',
      'nextUpdate',
    ]);
  });

  it('keeps 200 list entries, ports 1 and 65535, and cuts text at 4000 characters with an ellipsis', () => {
    const many = Array.from({ length: 200 }, () => ({ code: 'x', severity: 'info', message: 'm' }));
    const parsed = parseResult(
      changed((r) => {
        r.problems = many;
        r.summary = 'y'.repeat(4_001);
        r.host = 'h'.repeat(4_000);
        r.port = 1;
      }),
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.result.problems).toHaveLength(200);
    expect(parsed.result.summary).toBe(`${'y'.repeat(4_000)}…`);
    expect(parsed.result.host).toBe('h'.repeat(4_000));
    expect(reasonOf(changed((r) => (r.port = 65535)))).toBe('accepted');
  });
});
