// Whom the response names: the ResponderID (RFC 6960 §4.2.2.3: the signer's name, or the SHA-1 of
// its public key) and the CertID's hash algorithm (§4.1.1). A byKey ResponderID that names another
// key must find no signer; a CertID hashed with an algorithm we do not know must match nothing.
import * as asn1js from 'asn1js';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyStaple } from '../../src/index.js';
import {
  DAY,
  HOUR,
  generateKeyPair,
  mintOcspResponse,
  mintScenario,
  shift,
  type MintedCertificate,
  type OcspResponseOptions,
  type Scenario,
} from '../support/mint.js';
import { bufferOf, rewriteStaple } from '../support/rewrite.js';

const NOW = new Date('2026-05-05T12:00:00Z');
let s: Scenario;

beforeAll(async () => {
  s = await mintScenario({ now: NOW });
});

function respond(options: Partial<OcspResponseOptions> = {}) {
  return mintOcspResponse({
    responses: [
      { certificate: s.leaf, issuer: s.intermediate, thisUpdate: shift(NOW, -HOUR), nextUpdate: shift(NOW, DAY) },
    ],
    producedAt: shift(NOW, -HOUR),
    signer: s.intermediate,
    ...options,
  });
}

async function verify(response: Uint8Array) {
  const assessment = await verifyStaple({
    response,
    issuer: s.intermediate.cert,
    certificate: s.leaf.cert,
    at: NOW,
    crypto: globalThis.crypto,
  });
  return { ...assessment, codes: assessment.problems.map((p) => p.code) };
}

const digest = async (name: string, bytes: Uint8Array) =>
  new Uint8Array(await globalThis.crypto.subtle.digest(name, bufferOf(bytes)));
const issuerKeyBits = () => s.intermediate.cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView;

describe('a byKey ResponderID', () => {
  it('naming the issuer key (SHA-1): trustworthy (the control)', async () => {
    expect((await verify(await respond({ responderId: 'byKey' }))).trustworthy).toBe(true);
  });

  it('naming another key, signed by the issuer: no authorized signer', async () => {
    // The ResponderID is the hash of the leaf's key; the issuer's key signs; the leaf is not sent.
    const response = await respond({
      signer: s.leaf,
      signingKey: s.intermediate.keys.privateKey,
      responderId: 'byKey',
      certificates: [],
    });
    const assessment = await verify(response);
    expect(assessment.trustworthy).toBe(false);
    expect(assessment.codes).toEqual(['unauthorized-signer']);
    expect(assessment.problems[0]?.message).toMatch(/names neither the issuer nor any certificate/);
    expect(assessment.ocsp.signer).toMatchObject({ type: 'unknown', subject: null });
  });

  it('naming a responder certificate in the response, but signed by the issuer: bad signature', async () => {
    const response = await respond({
      signer: s.responder,
      signingKey: s.intermediate.keys.privateKey,
      responderId: 'byKey',
      certificates: [s.responder],
    });
    const assessment = await verify(response);
    expect(assessment.trustworthy).toBe(false);
    expect(assessment.codes).toContain('bad-signature');
  });

  it('naming a stranger key that also signs, with its certificate sent: not the issuer, not a delegate', async () => {
    const strangerKeys = await generateKeyPair();
    const stranger: MintedCertificate = { ...s.responder, keys: strangerKeys };
    const response = await respond({ signer: stranger, responderId: 'byKey', certificates: [] });
    expect((await verify(response)).trustworthy).toBe(false);
  });

  it('the issuer key hashed with SHA-256 instead of SHA-1: names no one', async () => {
    const response = await rewriteStaple(await respond({ responderId: 'byKey' }), {
      change: async (basic) => {
        basic.tbsResponseData.responderID = new asn1js.OctetString({
          valueHex: bufferOf(await digest('SHA-256', issuerKeyBits())),
        });
      },
      resignWith: s.intermediate.keys.privateKey,
    });
    const assessment = await verify(response);
    expect(assessment.trustworthy).toBe(false);
    expect(assessment.codes).toEqual(['unauthorized-signer']);
  });

  it('the responder named by key: trustworthy, with the key hash reported', async () => {
    const assessment = await verify(await respond({ signer: s.responder, responderId: 'byKey' }));
    expect(assessment.trustworthy).toBe(true);
    expect(assessment.ocsp.signer).toMatchObject({ type: 'delegated' });
    const hash = Buffer.from(
      await digest('SHA-1', s.responder.cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView),
    ).toString('hex');
    expect(JSON.stringify(assessment.ocsp.signer?.responderId).toLowerCase()).toContain(hash);
  });
});

describe("the CertID's hash algorithm", () => {
  /** The response's CertID rewritten to `algorithmId` with hashes made by `hashName` (or SHA-1's kept). */
  async function withCertIdHash(algorithmId: string, hashName: string | null) {
    return rewriteStaple(await respond(), {
      change: async (basic) => {
        const certId = basic.tbsResponseData.responses[0]?.certID;
        if (!certId) throw new Error('no CertID');
        certId.hashAlgorithm.algorithmId = algorithmId;
        if (hashName) {
          const name = await digest(hashName, new Uint8Array(s.intermediate.cert.subject.toSchema().toBER(false)));
          certId.issuerNameHash = new asn1js.OctetString({ valueHex: bufferOf(name) });
          certId.issuerKeyHash = new asn1js.OctetString({
            valueHex: bufferOf(await digest(hashName, issuerKeyBits())),
          });
        }
      },
      resignWith: s.intermediate.keys.privateKey,
    });
  }

  it.each<[string, string, string]>([
    // RFC 5758 §2 / NIST: id-sha256, id-sha384, id-sha512.
    ['SHA-256', '2.16.840.1.101.3.4.2.1', 'SHA-256'],
    ['SHA-384', '2.16.840.1.101.3.4.2.2', 'SHA-384'],
    ['SHA-512', '2.16.840.1.101.3.4.2.3', 'SHA-512'],
  ])('%s: matches', async (_name, oid, hashName) => {
    const assessment = await verify(await withCertIdHash(oid, hashName));
    expect(assessment.codes).toEqual([]);
    expect(assessment.trustworthy).toBe(true);
    expect(assessment.ocsp.certIdHashAlgorithm).toBe(hashName);
  });

  it.each<[string, string]>([
    ['MD5', '1.2.840.113549.2.5'],
    ['SHA-224', '2.16.840.1.101.3.4.2.4'],
    ['an arbitrary OID', '1.2.3.4'],
  ])('%s, with SHA-1 hashes inside: not read as SHA-1, matches nothing', async (_name, oid) => {
    const assessment = await verify(await withCertIdHash(oid, null));
    expect(assessment.trustworthy).toBe(false);
    expect(assessment.codes).toEqual(['cert-id-mismatch']);
    expect(assessment.ocsp.certStatus).toBeNull();
  });
});
