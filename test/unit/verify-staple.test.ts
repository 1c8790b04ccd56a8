// verifyStaple: the RFC 6960 rules, one by one, on freshly minted responses. The clock is fixed
// (NOW) and injected; nothing here reads the real time or the network.
import * as pkijs from 'pkijs';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { INVALIDATING_CODES, type Problem } from '../../src/core/result.js';
import { CLOCK_SKEW_MS, verifyStaple, type StapleInput } from '../../src/core/verify-staple.js';
import {
  CRL_REASON,
  DAY,
  HOUR,
  MINUTE,
  OID,
  RESPONSE_STATUS,
  SECOND,
  encodeOcspResponse,
  garbage,
  generateKeyPair,
  mintBasicOcspResponse,
  mintIntermediateCa,
  mintLeaf,
  mintOcspResponse,
  mintResponder,
  mintRootCa,
  mintScenario,
  mintUnsuccessfulResponse,
  shift,
  truncate,
  withTrailingBytes,
  type CrlReasonName,
  type MintedCertificate,
  type OcspResponseOptions,
  type ResponseStatusName,
  type Scenario,
  type SingleResponseOptions,
} from '../support/mint.js';

const NOW = new Date('2026-01-15T12:00:00Z');
const crypto = globalThis.crypto;

let s: Scenario;
let otherLeaf: MintedCertificate;
let otherRoot: MintedCertificate;
let responderNoEku: MintedCertificate;
let responderExpired: MintedCertificate;
let responderNotYetValid: MintedCertificate;
let responderOtherCa: MintedCertificate;
/** A CA with the intermediate's exact name but its own key, and a "responder" it issued. */
let impostorCa: MintedCertificate;
let responderFromImpostor: MintedCertificate;
/** A responder issued by the root (the intermediate's issuer), not by the intermediate. */
let responderFromRoot: MintedCertificate;

beforeAll(async () => {
  s = await mintScenario({ now: NOW });
  const validNow = { notBefore: shift(NOW, -DAY), notAfter: shift(NOW, 30 * DAY) };
  otherLeaf = await mintLeaf({ issuer: s.intermediate, commonName: 'other.test', ...validNow, serialNumber: 0x3004n });
  otherRoot = await mintRootCa({ commonName: 'Unrelated Root', organization: 'Somebody Else', ...validNow });
  responderNoEku = await mintResponder({
    issuer: s.intermediate,
    commonName: 'Not A Responder',
    ...validNow,
    extendedKeyUsages: [OID.serverAuth, OID.clientAuth],
  });
  responderExpired = await mintResponder({
    issuer: s.intermediate,
    commonName: 'Expired Responder',
    notBefore: shift(NOW, -60 * DAY),
    notAfter: shift(NOW, -DAY),
  });
  responderNotYetValid = await mintResponder({
    issuer: s.intermediate,
    commonName: 'Future Responder',
    notBefore: shift(NOW, HOUR),
    notAfter: shift(NOW, 30 * DAY),
  });
  responderOtherCa = await mintResponder({ issuer: otherRoot, commonName: 'Unrelated Responder', ...validNow });
  impostorCa = await mintIntermediateCa({
    issuer: otherRoot,
    commonName: 'Staple Check Test Intermediate',
    ...validNow,
  });
  responderFromImpostor = await mintResponder({ issuer: impostorCa, commonName: 'Impostor Responder', ...validNow });
  responderFromRoot = await mintResponder({ issuer: s.root, commonName: 'Root Responder', ...validNow });
});

/** One SingleResponse about the scenario's leaf, current at NOW. */
function about(more: Partial<SingleResponseOptions> = {}): SingleResponseOptions {
  return {
    certificate: s.leaf,
    issuer: s.intermediate,
    thisUpdate: shift(NOW, -HOUR),
    nextUpdate: shift(NOW, 4 * DAY),
    ...more,
  };
}

/** A response signed by the intermediate (the leaf's issuer), unless `more` says otherwise. */
function respond(more: Partial<OcspResponseOptions> = {}): Promise<Uint8Array> {
  return mintOcspResponse({ producedAt: shift(NOW, -HOUR), signer: s.intermediate, responses: [about()], ...more });
}

function verify(response: Uint8Array, more: Partial<StapleInput> = {}) {
  return verifyStaple({
    response,
    issuer: s.intermediate.cert,
    certificate: s.leaf.cert,
    at: NOW,
    crypto,
    ...more,
  });
}

const codes = (problems: Problem[], severity?: Problem['severity']) =>
  problems.filter((p) => !severity || p.severity === severity).map((p) => p.code);

/** Asserts an untrustworthy assessment whose errors are exactly `expected`. */
async function expectErrors(response: Uint8Array, expected: string[], more: Partial<StapleInput> = {}) {
  const assessment = await verify(response, more);
  expect(codes(assessment.problems, 'error').sort()).toEqual([...expected].sort());
  expect(assessment.trustworthy).toBe(false);
  return assessment;
}

async function expectTrustworthy(response: Uint8Array, more: Partial<StapleInput> = {}) {
  const assessment = await verify(response, more);
  expect(codes(assessment.problems, 'error'), assessment.problems.map((p) => p.message).join('\n')).toEqual([]);
  expect(assessment.trustworthy).toBe(true);
  return assessment;
}

describe('a good response signed by the issuer', () => {
  it('is trustworthy and says everything it knows', async () => {
    const response = await respond();
    const { ocsp, problems } = await expectTrustworthy(response);
    expect(problems).toEqual([]);
    expect(ocsp).toMatchObject({
      responseStatus: 'successful',
      certStatus: 'good',
      producedAt: shift(NOW, -HOUR).toISOString(),
      thisUpdate: shift(NOW, -HOUR).toISOString(),
      nextUpdate: shift(NOW, 4 * DAY).toISOString(),
      revocationTime: null,
      revocationReason: null,
      sizeBytes: response.length,
      certIdHashAlgorithm: 'SHA-1',
      singleResponseCount: 1,
      signatureAlgorithm: 'ecdsa-with-SHA256',
    });
    expect(ocsp.signer).toMatchObject({
      type: 'issuer',
      subject: 'O=Staple Check Test, CN=Staple Check Test Intermediate',
      responderId: { byName: 'O=Staple Check Test, CN=Staple Check Test Intermediate' },
    });
  });

  it('trap: verifies with NO certificates in the response (pkijs BasicOCSPResponse.verify() throws on that)', async () => {
    const response = await respond({ certificates: [] });
    const outer = pkijs.OCSPResponse.fromBER(Uint8Array.from(response).buffer);
    const inner = Uint8Array.from(outer.responseBytes?.response.valueBlock.valueHexView ?? []);
    const basic = pkijs.BasicOCSPResponse.fromBER(inner.buffer);
    expect(basic.certs ?? []).toHaveLength(0);
    await expect(basic.verify()).rejects.toThrow();
    const { ocsp } = await expectTrustworthy(response);
    expect(ocsp.signer?.type).toBe('issuer');
  });

  it('also verifies when the issuer includes its own certificate', async () => {
    const { ocsp } = await expectTrustworthy(await respond({ certificates: [s.intermediate] }));
    expect(ocsp.signer?.type).toBe('issuer');
  });

  it('verifies RSA (sha256WithRSAEncryption) as well as ECDSA, and a SHA-384 signature', async () => {
    const dates = { notBefore: shift(NOW, -DAY), notAfter: shift(NOW, DAY * 30) };
    const root = await mintRootCa({ commonName: 'RSA Root', ...dates, keyType: 'rsa-2048' });
    const leaf = await mintLeaf({ issuer: root, commonName: 'rsa.test', ...dates, keyType: 'rsa-2048' });
    const rsa = await mintOcspResponse({
      producedAt: NOW,
      signer: root,
      responses: [about({ certificate: leaf, issuer: root })],
    });
    const { ocsp } = await expectTrustworthy(rsa, { issuer: root.cert, certificate: leaf.cert });
    expect(ocsp.signatureAlgorithm).toBe('sha256WithRSAEncryption');

    const sha384 = await expectTrustworthy(await respond({ signatureHash: 'SHA-384' }));
    expect(sha384.ocsp.signatureAlgorithm).toBe('ecdsa-with-SHA384');
  });
});

describe('responderID (RFC 6960 §4.2.2.3)', () => {
  it('byName, the issuer', async () => {
    const { ocsp } = await expectTrustworthy(await respond({ responderId: 'byName' }));
    expect(ocsp.signer?.responderId).toEqual({ byName: 'O=Staple Check Test, CN=Staple Check Test Intermediate' });
  });

  it('byKey, the issuer: SHA-1 of its subjectPublicKey BIT STRING value', async () => {
    const { ocsp } = await expectTrustworthy(await respond({ responderId: 'byKey' }));
    const keyHash = createHash('sha1')
      .update(s.intermediate.cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)
      .digest('hex');
    expect(ocsp.signer).toMatchObject({ type: 'issuer', responderId: { byKeyHash: keyHash } });
  });

  it('byKey, a delegated responder', async () => {
    const { ocsp } = await expectTrustworthy(await respond({ signer: s.responder, responderId: 'byKey' }));
    expect(ocsp.signer?.type).toBe('delegated');
  });

  it('naming nobody the client has is unauthorized-signer (signed by an unrelated CA that sent no certificate)', async () => {
    const assessment = await expectErrors(await respond({ signer: otherRoot, certificates: [] }), [
      'unauthorized-signer',
    ]);
    expect(assessment.ocsp.signer).toMatchObject({ type: 'unknown', subject: null });
  });

  it('naming the issuer while another key signed is bad-signature', async () => {
    const stranger = await generateKeyPair();
    await expectErrors(await respond({ signingKey: stranger.privateKey }), ['bad-signature']);
  });
});

describe('delegated responder (RFC 6960 §4.2.2.2)', () => {
  it('is trusted when issued by the issuer with id-kp-OCSPSigning', async () => {
    const { ocsp } = await expectTrustworthy(await respond({ signer: s.responder }));
    expect(ocsp.signer).toMatchObject({
      type: 'delegated',
      subject: 'O=Staple Check Test, CN=Staple Check Test OCSP Responder',
      notAfter: s.responder.cert.notAfter.value.toISOString(),
    });
  });

  it('is trusted without id-pkix-ocsp-nocheck too', async () => {
    const plain = await mintResponder({
      issuer: s.intermediate,
      commonName: 'Plain Responder',
      notBefore: shift(NOW, -DAY),
      notAfter: shift(NOW, DAY),
      noCheck: false,
    });
    await expectTrustworthy(await respond({ signer: plain }));
  });

  it('is found among several certificates in the response', async () => {
    await expectTrustworthy(await respond({ signer: s.responder, certificates: [otherRoot, s.root, s.responder] }));
  });

  it('cannot be verified when its certificate is not in the response: unauthorized-signer', async () => {
    await expectErrors(await respond({ signer: s.responder, certificates: [] }), ['unauthorized-signer']);
  });
});

describe('unauthorized signers (pkijs ≤ 3.4.0 accepted these)', () => {
  it('a certificate of the issuer without id-kp-OCSPSigning', async () => {
    const assessment = await expectErrors(await respond({ signer: responderNoEku }), ['unauthorized-signer']);
    expect(assessment.problems.find((p) => p.code === 'unauthorized-signer')?.message).toMatch(/OCSPSigning/);
    expect(assessment.ocsp.certStatus).toBe('good'); // what it claims, not what it proves
  });

  it('a responder with id-kp-OCSPSigning issued by another CA', async () => {
    const assessment = await expectErrors(await respond({ signer: responderOtherCa }), ['unauthorized-signer']);
    expect(assessment.problems[0]?.message).toMatch(/not issued by/);
  });

  it('a responder issued by a CA that bears the issuer’s name but not its key', async () => {
    const assessment = await expectErrors(await respond({ signer: responderFromImpostor }), ['unauthorized-signer']);
    expect(assessment.problems[0]?.message).toMatch(/signature of the issuer/);
  });

  it('a certificate with the issuer’s name but another key, signing in its place', async () => {
    await expectErrors(await respond({ signer: impostorCa, certificates: [impostorCa] }), ['unauthorized-signer']);
  });

  it('a responder issued by the root, not by the intermediate that issued the leaf', async () => {
    await expectErrors(await respond({ signer: responderFromRoot }), ['unauthorized-signer']);
  });

  it('the root itself, the issuer’s issuer', async () => {
    await expectErrors(await respond({ signer: s.root, certificates: [s.root] }), ['unauthorized-signer']);
  });

  it('the leaf signing its own status', async () => {
    const assessment = await expectErrors(await respond({ signer: s.leaf, certificates: [s.leaf] }), [
      'unauthorized-signer',
    ]);
    expect(assessment.ocsp.signer?.subject).toBe('O=Staple Check Test, CN=localhost');
  });

  it('an unrelated CA, its certificate included', async () => {
    await expectErrors(await respond({ signer: otherRoot, certificates: [otherRoot] }), ['unauthorized-signer']);
  });

  it('an expired delegated responder', async () => {
    const assessment = await expectErrors(await respond({ signer: responderExpired }), ['unauthorized-signer']);
    expect(assessment.problems[0]?.message).toMatch(/expired/);
  });

  it('a delegated responder not yet valid', async () => {
    await expectErrors(await respond({ signer: responderNotYetValid }), ['unauthorized-signer']);
  });

  it('an unauthorized signer with a broken signature too: both are said', async () => {
    await expectErrors(await respond({ signer: s.leaf, certificates: [s.leaf], corruptSignature: true }), [
      'bad-signature',
      'unauthorized-signer',
    ]);
  });
});

describe('signature', () => {
  it('a flipped bit in the issuer’s signature is bad-signature', async () => {
    const assessment = await expectErrors(await respond({ corruptSignature: true }), ['bad-signature']);
    expect(assessment.ocsp.certStatus).toBe('good'); // parsed, but not to be believed
  });

  it('a flipped bit in a delegated responder’s signature is bad-signature', async () => {
    await expectErrors(await respond({ signer: s.responder, corruptSignature: true }), ['bad-signature']);
  });

  it('a delegated responder certificate signed with another key is bad-signature', async () => {
    const stranger = await generateKeyPair();
    await expectErrors(await respond({ signer: s.responder, signingKey: stranger.privateKey }), ['bad-signature']);
  });
});

describe('CertID (RFC 6960 §4.1.1)', () => {
  it.each(['SHA-1', 'SHA-256'] as const)('hashed with %s matches', async (hashAlgorithm) => {
    const { ocsp } = await expectTrustworthy(await respond({ responses: [about({ hashAlgorithm })] }));
    expect(ocsp.certIdHashAlgorithm).toBe(hashAlgorithm);
  });

  it('another serial is cert-id-mismatch', async () => {
    const assessment = await expectErrors(await respond({ responses: [about({ serialNumber: 0x3999n })] }), [
      'cert-id-mismatch',
    ]);
    expect(assessment.problems[0]?.message).toContain('3999');
    expect(assessment.ocsp.certStatus).toBeNull();
  });

  it('a wrong issuerNameHash is cert-id-mismatch', async () => {
    await expectErrors(await respond({ responses: [about({ issuerNameHash: new Uint8Array(20).fill(1) })] }), [
      'cert-id-mismatch',
    ]);
  });

  it('a wrong issuerKeyHash is cert-id-mismatch', async () => {
    await expectErrors(await respond({ responses: [about({ issuerKeyHash: new Uint8Array(20).fill(2) })] }), [
      'cert-id-mismatch',
    ]);
  });

  it('hashes of another CA are cert-id-mismatch', async () => {
    await expectErrors(await respond({ responses: [about({ issuer: otherRoot })] }), ['cert-id-mismatch']);
  });

  it('a valid response about another certificate is cert-id-mismatch, never "unknown"', async () => {
    for (const certStatus of ['good', 'unknown'] as const) {
      const assessment = await expectErrors(
        await respond({ responses: [about({ certificate: otherLeaf, certStatus })] }),
        ['cert-id-mismatch'],
      );
      expect(assessment.ocsp.certStatus).toBeNull();
    }
  });

  it('without the certificate, the serial is not checked (and that is said)', async () => {
    const { problems, ocsp } = await expectTrustworthy(
      await respond({ responses: [about({ certificate: otherLeaf })] }),
      { certificate: null },
    );
    expect(codes(problems)).toEqual(['serial-not-checked']);
    expect(problems[0]?.severity).toBe('info');
    expect(ocsp.certStatus).toBe('good');
  });
});

describe('several SingleResponses', () => {
  it('finds the matching one when it is not first', async () => {
    const response = await respond({
      responses: [
        about({ certificate: otherLeaf, certStatus: { revokedAt: shift(NOW, -DAY), reason: 'keyCompromise' } }),
        about({ hashAlgorithm: 'SHA-256', serialNumber: 0x3998n, certStatus: 'unknown' }),
        about(),
      ],
    });
    const { ocsp, problems } = await expectTrustworthy(response);
    expect(ocsp.certStatus).toBe('good');
    expect(ocsp.revocationTime).toBeNull();
    expect(ocsp.singleResponseCount).toBe(3);
    expect(problems.find((p) => p.code === 'several-single-responses')).toMatchObject({ severity: 'info' });
  });

  it('none about this certificate is cert-id-mismatch', async () => {
    const response = await respond({
      responses: [about({ certificate: otherLeaf }), about({ serialNumber: 0x3998n, certStatus: 'unknown' })],
    });
    const assessment = await expectErrors(response, ['cert-id-mismatch']);
    expect(codes(assessment.problems)).toContain('several-single-responses');
  });

  it('matching ones that disagree (good, revoked): the revoked one counts, with a warning', async () => {
    const response = await respond({
      responses: [about(), about({ certStatus: { revokedAt: shift(NOW, -DAY), reason: 'superseded' } })],
    });
    const { ocsp, problems } = await expectTrustworthy(response);
    expect(ocsp.certStatus).toBe('revoked');
    expect(ocsp.revocationReason).toBe('superseded');
    expect(problems.find((p) => p.code === 'single-responses-disagree')).toMatchObject({ severity: 'warning' });
  });

  it('matching ones that disagree (good, unknown): unknown counts', async () => {
    const { ocsp } = await expectTrustworthy(
      await respond({ responses: [about(), about({ hashAlgorithm: 'SHA-256', certStatus: 'unknown' })] }),
    );
    expect(ocsp.certStatus).toBe('unknown');
  });

  it('matching ones that agree raise no disagreement', async () => {
    const { problems } = await expectTrustworthy(
      await respond({ responses: [about(), about({ hashAlgorithm: 'SHA-256' })] }),
    );
    expect(codes(problems)).toEqual(['several-single-responses']);
  });
});

describe('freshness (RFC 6960 §4.2.2.1) and clock skew', () => {
  it('nextUpdate passed is expired', async () => {
    const response = await respond({
      producedAt: shift(NOW, -8 * DAY),
      responses: [about({ thisUpdate: shift(NOW, -8 * DAY), nextUpdate: shift(NOW, -DAY) })],
    });
    const assessment = await expectErrors(response, ['expired']);
    expect(assessment.ocsp.nextUpdate).toBe(shift(NOW, -DAY).toISOString());
  });

  it('thisUpdate in the future is not-yet-valid', async () => {
    await expectErrors(await respond({ responses: [about({ thisUpdate: shift(NOW, HOUR) })] }), ['not-yet-valid']);
  });

  it('tolerates thisUpdate up to 5 minutes ahead, not a second more', async () => {
    expect(CLOCK_SKEW_MS).toBe(5 * MINUTE);
    await expectTrustworthy(await respond({ responses: [about({ thisUpdate: shift(NOW, 4 * MINUTE) })] }));
    await expectTrustworthy(await respond({ responses: [about({ thisUpdate: shift(NOW, 5 * MINUTE) })] }));
    await expectErrors(await respond({ responses: [about({ thisUpdate: shift(NOW, 5 * MINUTE + SECOND) })] }), [
      'not-yet-valid',
    ]);
  });

  it('tolerates nextUpdate up to 5 minutes past, not a second more', async () => {
    const at = (nextUpdate: Date) => respond({ responses: [about({ thisUpdate: shift(NOW, -4 * DAY), nextUpdate })] });
    await expectTrustworthy(await at(shift(NOW, -4 * MINUTE)));
    await expectTrustworthy(await at(shift(NOW, -5 * MINUTE)));
    await expectErrors(await at(shift(NOW, -5 * MINUTE - SECOND)), ['expired']);
  });

  it('absent nextUpdate: trustworthy, with a no-next-update warning', async () => {
    const { ocsp, problems } = await expectTrustworthy(await respond({ responses: [about({ nextUpdate: null })] }));
    expect(ocsp.nextUpdate).toBeNull();
    expect(problems).toEqual([expect.objectContaining({ code: 'no-next-update', severity: 'warning' })]);
  });

  it('warns expiring-soon when most of the validity is used and less than a day is left', async () => {
    const old = await respond({
      responses: [about({ thisUpdate: shift(NOW, -6 * DAY), nextUpdate: shift(NOW, 30 * MINUTE) })],
    });
    const { problems } = await expectTrustworthy(old);
    expect(problems).toEqual([expect.objectContaining({ code: 'expiring-soon', severity: 'warning' })]);
    // A short-lived response early in its life is not "expiring soon".
    const young = await respond({
      responses: [about({ thisUpdate: shift(NOW, -MINUTE), nextUpdate: shift(NOW, 4 * HOUR) })],
    });
    expect((await expectTrustworthy(young)).problems).toEqual([]);
  });

  it('nextUpdate before thisUpdate is malformed', async () => {
    const response = await respond({
      responses: [about({ thisUpdate: shift(NOW, -HOUR), nextUpdate: shift(NOW, -2 * HOUR) })],
    });
    const assessment = await verify(response);
    expect(codes(assessment.problems, 'error')).toContain('malformed');
    expect(assessment.trustworthy).toBe(false);
  });
});

describe('certStatus', () => {
  it('revoked: time and reason', async () => {
    const revokedAt = shift(NOW, -3 * DAY);
    const { ocsp } = await expectTrustworthy(
      await respond({ responses: [about({ certStatus: { revokedAt, reason: 'keyCompromise' } })] }),
    );
    expect(ocsp).toMatchObject({
      certStatus: 'revoked',
      revocationTime: revokedAt.toISOString(),
      revocationReason: 'keyCompromise',
    });
  });

  it('revoked without a reason', async () => {
    const { ocsp } = await expectTrustworthy(
      await respond({ responses: [about({ certStatus: { revokedAt: shift(NOW, -DAY) } })] }),
    );
    expect(ocsp.certStatus).toBe('revoked');
    expect(ocsp.revocationReason).toBeNull();
  });

  it.each(Object.keys(CRL_REASON) as CrlReasonName[])('revoked for %s (RFC 5280 §5.3.1)', async (reason) => {
    const { ocsp } = await expectTrustworthy(
      await respond({ responses: [about({ certStatus: { revokedAt: shift(NOW, -DAY), reason } })] }),
    );
    expect(ocsp.revocationReason).toBe(reason);
  });

  it('unknown', async () => {
    const { ocsp, problems } = await expectTrustworthy(
      await respond({ responses: [about({ certStatus: 'unknown' })] }),
    );
    expect(ocsp.certStatus).toBe('unknown');
    expect(problems).toEqual([]);
  });
});

describe('unsuccessful responses (RFC 6960 §2.3)', () => {
  const statuses = (Object.keys(RESPONSE_STATUS) as ResponseStatusName[]).filter((n) => n !== 'successful') as Exclude<
    ResponseStatusName,
    'successful'
  >[];

  it.each(statuses)('%s is unsuccessful-response', async (status) => {
    const assessment = await expectErrors(mintUnsuccessfulResponse(status), ['unsuccessful-response']);
    expect(assessment.ocsp.responseStatus).toBe(status);
    expect(assessment.ocsp.certStatus).toBeNull();
  });

  it('a status number RFC 6960 does not define is unrecognized', async () => {
    for (const status of [4, 7, 99]) {
      const assessment = await expectErrors(encodeOcspResponse(status), ['unsuccessful-response']);
      expect(assessment.ocsp.responseStatus).toBe('unrecognized');
    }
  });

  it('tryLater carrying responseBytes anyway is still unsuccessful', async () => {
    const basic = await mintBasicOcspResponse({ producedAt: NOW, signer: s.intermediate, responses: [about()] });
    await expectErrors(encodeOcspResponse('tryLater', basic), ['unsuccessful-response']);
  });
});

describe('malformed staples never throw', () => {
  it.each([
    ['garbage', () => garbage(64)],
    ['empty', () => new Uint8Array(0)],
    ['one byte', () => Uint8Array.from([0x30])],
    ['an empty SEQUENCE', () => Uint8Array.from([0x30, 0x00])],
    ['a certificate instead', () => s.leaf.der],
  ])('%s is malformed', async (_name, bytes) => {
    const assessment = await expectErrors(bytes(), ['malformed']);
    expect(assessment.ocsp.responseStatus).toBeNull();
    expect(assessment.ocsp.sizeBytes).toBe(bytes().length);
  });

  it('a truncated response is malformed', async () => {
    await expectErrors(truncate(await respond()), ['malformed']);
  });

  it('trailing bytes after the response are malformed', async () => {
    await expectErrors(withTrailingBytes(await respond()), ['malformed']);
  });

  it('successful without responseBytes is malformed', async () => {
    await expectErrors(encodeOcspResponse('successful'), ['malformed']);
  });

  it('responseBytes of another type than id-pkix-ocsp-basic is malformed', async () => {
    const basic = await mintBasicOcspResponse({ producedAt: NOW, signer: s.intermediate, responses: [about()] });
    await expectErrors(encodeOcspResponse('successful', basic, '1.3.6.1.5.5.7.48.1.99'), ['malformed']);
  });

  it('a BasicOCSPResponse that does not parse, or has trailing bytes, is malformed', async () => {
    await expectErrors(encodeOcspResponse('successful', garbage(40)), ['malformed']);
    const basic = await mintBasicOcspResponse({ producedAt: NOW, signer: s.intermediate, responses: [about()] });
    await expectErrors(encodeOcspResponse('successful', withTrailingBytes(basic)), ['malformed']);
  });

  it('no cut of a good response, and no flipped bit, throws', async () => {
    const good = await respond();
    for (let keep = 0; keep < good.length; keep++) {
      const assessment = await verify(good.slice(0, keep));
      expect(assessment.trustworthy).toBe(false);
    }
    for (let i = 0; i < good.length; i += 3) {
      const mutated = Uint8Array.from(good);
      mutated[i] = (mutated[i] ?? 0) ^ 0x55;
      await expect(verify(mutated)).resolves.toBeDefined();
    }
  });
});

describe('issuer missing', () => {
  it('is issuer-unavailable, and what could be read is still reported', async () => {
    const assessment = await expectErrors(await respond(), ['issuer-unavailable'], { issuer: null });
    expect(assessment.ocsp.producedAt).toBe(shift(NOW, -HOUR).toISOString());
    expect(assessment.ocsp.singleResponseCount).toBe(1);
  });
});

describe('every invalidating code', () => {
  it('is one of docs/contract.md §2', () => {
    expect([...INVALIDATING_CODES].sort()).toEqual(
      [
        'bad-signature',
        'cert-id-mismatch',
        'expired',
        'issuer-unavailable',
        'malformed',
        'not-yet-valid',
        'unauthorized-signer',
        'unsuccessful-response',
      ].sort(),
    );
  });
});

// asn1js does not hold a constructed value's children to its length, and pkijs ignores a BIT
// STRING's unused bits and reads an ECDSA signature loosely; src/core/der.ts checks what they do
// not. None of these is a forgery (the signed bytes are untouched), but a checker that says "good"
// where a DER-strict client (OpenSSL, Firefox's mozilla::pkix) says "bad" would be wrong.
describe('strict DER: what OpenSSL refuses is never good', () => {
  /** Flip bit `bit` of byte `index` (counted from the end when negative). */
  const flip = (bytes: Uint8Array, index: number, bit: number) => {
    const out = Uint8Array.from(bytes);
    const i = index < 0 ? out.length + index : index;
    out[i] = (out[i] ?? 0) ^ (1 << bit);
    return out;
  };
  /** Offset of the signature BIT STRING: the last `03 len 00 30` before an ECDSA-Sig-Value. */
  const signatureBitString = (der: Uint8Array) => {
    // P-256 ECDSA-Sig-Value is 70-72 bytes: the BIT STRING starts 73-75 bytes from the end.
    for (let i = der.length - 80; i < der.length - 8; i++) {
      if (der[i] === 0x03 && der[i + 2] === 0x00 && der[i + 3] === 0x30 && der[i + 1] === der.length - i - 2) return i;
    }
    throw new Error('no signature BIT STRING found');
  };

  it('an outer SEQUENCE length shorter than its content (OpenSSL: "too long") is malformed', async () => {
    const good = await respond();
    expect([good[1], good[2]]).toEqual([0x82, 0x01]); // two length octets follow: 0x01xx
    const shorter = Uint8Array.from(good);
    shorter[2] = 0x00; // the declared length loses 256 bytes; the content is unchanged
    await expectErrors(shorter, ['malformed']);
  });

  it('a signature BIT STRING with unused bits (OpenSSL: "invalid bit string bits left") is not trusted', async () => {
    const good = await respond();
    const at = signatureBitString(good);
    const assessment = await verify(flip(good, at + 2, 0));
    expect(assessment.trustworthy).toBe(false);
  });

  it('an ECDSA signature whose INTEGER is tagged ENUMERATED (OpenSSL: signature failure) is bad-signature', async () => {
    const good = await respond();
    const at = signatureBitString(good);
    expect(good[at + 5]).toBe(0x02); // INTEGER r
    await expectErrors(flip(good, at + 5, 3), ['bad-signature']);
  });

  it('parses the unmodified response as good (the control)', async () => {
    await expectTrustworthy(await respond());
  });
});
