// The signature rules a lenient reader skips, through verifyStaple: every staple here still verifies
// with pkijs alone (checked in each case), so only the strict checks (src/core/signatures.ts,
// src/core/der.ts) stand between it and a "valid" verdict. The AlgorithmIdentifier and the BIT
// STRING wrapper lie outside the signed bytes: anyone on the path may rewrite them.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyStaple } from '../../src/index.js';
import {
  DAY,
  HOUR,
  mintOcspResponse,
  mintScenario,
  shift,
  type MintedCertificate,
  type Scenario,
} from '../support/mint.js';
import { basicOf, bufferOf, reencodeEcdsa, rewriteStaple, signatureBytes } from '../support/rewrite.js';

const NOW = new Date('2026-02-10T12:00:00Z');
const engine = new pkijs.CryptoEngine({ name: 'lenient-reference', crypto: globalThis.crypto });
let ecdsa: Scenario;
let rsa: Scenario;

beforeAll(async () => {
  [ecdsa, rsa] = await Promise.all([mintScenario({ now: NOW }), mintScenario({ now: NOW, keyType: 'rsa-2048' })]);
});

function staple(s: Scenario, signer: MintedCertificate = s.intermediate, certificates?: MintedCertificate[]) {
  return mintOcspResponse({
    responses: [
      { certificate: s.leaf, issuer: s.intermediate, thisUpdate: shift(NOW, -HOUR), nextUpdate: shift(NOW, DAY) },
    ],
    producedAt: shift(NOW, -HOUR),
    signer,
    ...(certificates ? { certificates } : {}),
  });
}

function verify(s: Scenario, response: Uint8Array) {
  return verifyStaple({
    response,
    issuer: s.intermediate.cert,
    certificate: s.leaf.cert,
    at: NOW,
    crypto: globalThis.crypto,
  });
}

/** What pkijs says on its own: the signature checks out with the issuer's key, form aside. */
function lenientlyVerifies(s: Scenario, response: Uint8Array): Promise<boolean> {
  const basic = basicOf(response);
  return engine.verifyWithPublicKey(
    bufferOf(basic.tbsResponseData.tbsView),
    basic.signature,
    s.intermediate.cert.subjectPublicKeyInfo,
    basic.signatureAlgorithm,
  );
}

async function expectRefused(s: Scenario, response: Uint8Array, code = 'bad-signature') {
  expect(await lenientlyVerifies(s, response)).toBe(true);
  const assessment = await verify(s, response);
  expect(assessment.trustworthy).toBe(false);
  expect(assessment.problems.map((p) => p.code)).toContain(code);
}

function withSignature(signature: asn1js.BitString) {
  return { change: () => {}, after: (basic: pkijs.BasicOCSPResponse) => void (basic.signature = signature) };
}

describe('ECDSA', () => {
  it('the untouched staple is trustworthy (the control)', async () => {
    expect((await verify(ecdsa, await staple(ecdsa))).trustworthy).toBe(true);
  });

  it('refuses AlgorithmIdentifier parameters (RFC 5758 §3.2: absent)', async () => {
    const response = await rewriteStaple(await staple(ecdsa), {
      change: (basic) => void (basic.signatureAlgorithm.algorithmParams = new asn1js.Null()),
    });
    await expectRefused(ecdsa, response);
  });

  it('refuses unused bits in the signature BIT STRING', async () => {
    const good = await staple(ecdsa);
    const bytes = signatureBytes(basicOf(good));
    const response = await rewriteStaple(
      good,
      withSignature(new asn1js.BitString({ valueHex: bufferOf(bytes), unusedBits: 1 })),
    );
    await expectRefused(ecdsa, response);
  });

  it('refuses an r or s with a needless leading zero', async () => {
    // An INTEGER that needs no zero gets one (one that has a needed zero is left alone: pkijs would
    // refuse 34 octets for P-256 itself). A fresh signature until at least one can be padded.
    let good = await staple(ecdsa);
    const integers = () => {
      const found: Uint8Array[] = [];
      reencodeEcdsa(signatureBytes(basicOf(good)), (i) => (found.push(i), i));
      return found;
    };
    for (let tries = 0; integers().every((i) => i[0] === 0x00) && tries < 20; tries++) good = await staple(ecdsa);
    const padded = reencodeEcdsa(signatureBytes(basicOf(good)), (integer) =>
      integer[0] === 0x00 ? integer : Uint8Array.from([0x00, ...integer]),
    );
    const response = await rewriteStaple(good, withSignature(new asn1js.BitString({ valueHex: bufferOf(padded) })));
    await expectRefused(ecdsa, response);
  });

  it('refuses a signature value with trailing bytes', async () => {
    const good = await staple(ecdsa);
    const longer = Uint8Array.from([...signatureBytes(basicOf(good)), 0x00, 0x00]);
    const response = await rewriteStaple(good, withSignature(new asn1js.BitString({ valueHex: bufferOf(longer) })));
    const assessment = await verify(ecdsa, response);
    expect(assessment.trustworthy).toBe(false);
    expect(assessment.problems.map((p) => p.code)).toContain('bad-signature');
  });
});

describe('RSA PKCS #1 v1.5', () => {
  it('the untouched staple (NULL parameters) is trustworthy (the control)', async () => {
    const good = await staple(rsa);
    expect(basicOf(good).signatureAlgorithm.algorithmParams).toBeInstanceOf(asn1js.Null);
    expect((await verify(rsa, good)).trustworthy).toBe(true);
  });

  it('accepts absent parameters (RFC 4055 §5 allows NULL or nothing)', async () => {
    const response = await rewriteStaple(await staple(rsa), {
      change: (basic) =>
        void (basic.signatureAlgorithm = new pkijs.AlgorithmIdentifier({
          algorithmId: basic.signatureAlgorithm.algorithmId,
        })),
    });
    expect(basicOf(response).signatureAlgorithm.algorithmParams).toBeUndefined();
    expect((await verify(rsa, response)).trustworthy).toBe(true);
  });

  it.each<[string, () => asn1js.AsnType]>([
    ['an INTEGER', () => new asn1js.Integer({ value: 0 })],
    ['an empty SEQUENCE', () => new asn1js.Sequence()],
    ['an OCTET STRING', () => new asn1js.OctetString({ valueHex: new Uint8Array([5, 0]).buffer })],
  ])('refuses parameters other than NULL: %s', async (_name, params) => {
    const response = await rewriteStaple(await staple(rsa), {
      change: (basic) => void (basic.signatureAlgorithm.algorithmParams = params()),
    });
    await expectRefused(rsa, response);
  });

  it('refuses unused bits in the signature BIT STRING', async () => {
    const good = await staple(rsa);
    const bytes = signatureBytes(basicOf(good));
    const response = await rewriteStaple(
      good,
      withSignature(new asn1js.BitString({ valueHex: bufferOf(bytes), unusedBits: 3 })),
    );
    await expectRefused(rsa, response);
  });
});

describe("a certificate's outer signatureAlgorithm (RFC 5280 §4.1.1.2)", () => {
  /** The responder certificate with its outer signatureAlgorithm's NULL parameters dropped: the
   * issuer's signature still verifies, but the field no longer equals the one inside tbsCertificate. */
  function withOuterAlgorithmChanged(responder: MintedCertificate): MintedCertificate {
    const cert = pkijs.Certificate.fromBER(bufferOf(responder.der));
    expect(cert.signature.algorithmParams).toBeInstanceOf(asn1js.Null);
    cert.signatureAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: cert.signatureAlgorithm.algorithmId });
    const der = new Uint8Array(cert.toSchema().toBER(false));
    return { ...responder, der, cert: pkijs.Certificate.fromBER(bufferOf(der)) };
  }

  it('a delegated responder whose outer algorithm differs from the inner one is not authorized', async () => {
    const changed = withOuterAlgorithmChanged(rsa.responder);
    expect(changed.cert.signatureAlgorithm.isEqual(changed.cert.signature)).toBe(false);
    // pkijs alone: the issuer's signature on the changed certificate still verifies.
    expect(
      await engine.verifyWithPublicKey(
        bufferOf(changed.cert.tbsView),
        changed.cert.signatureValue,
        rsa.intermediate.cert.subjectPublicKeyInfo,
        changed.cert.signatureAlgorithm,
      ),
    ).toBe(true);
    // The control: the same response with the untouched responder certificate is trustworthy.
    expect((await verify(rsa, await staple(rsa, rsa.responder))).trustworthy).toBe(true);

    const assessment = await verify(rsa, await staple(rsa, changed, [changed]));
    expect(assessment.trustworthy).toBe(false);
    expect(assessment.problems).toContainEqual(
      expect.objectContaining({
        code: 'unauthorized-signer',
        message: expect.stringContaining('does not carry a valid signature of the issuer'),
      }),
    );
  });
});
