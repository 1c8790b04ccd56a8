// A verdict is a security statement: no damaged staple may ever verify. Every single-bit flip of
// a good response (issuer-signed, and delegated with the responder certificate inside) must come
// out untrustworthy, and nothing may throw.
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyStaple } from '../../src/core/verify-staple.js';
import { DAY, HOUR, mintOcspResponse, mintScenario, shift, type Scenario } from '../../src/pki/mint.js';

const now = new Date('2026-03-01T12:00:00Z');
let ecdsa: Scenario;
let rsa: Scenario;

beforeAll(async () => {
  ecdsa = await mintScenario({ now });
  rsa = await mintScenario({ now, keyType: 'rsa-2048' });
});

async function goodResponse(scenario: Scenario, delegated: boolean): Promise<Uint8Array> {
  return mintOcspResponse({
    responses: [
      {
        certificate: scenario.leaf,
        issuer: scenario.intermediate,
        thisUpdate: shift(now, -HOUR),
        nextUpdate: shift(now, DAY),
      },
    ],
    producedAt: shift(now, -HOUR),
    signer: delegated ? scenario.responder : scenario.intermediate,
  });
}

describe.each([
  ['ECDSA, signed by the issuer', 'ecdsa', false],
  ['ECDSA, signed by a delegated responder', 'ecdsa', true],
  ['RSA, signed by the issuer', 'rsa', false],
] as const)('every bit flip of a good response (%s)', (_name, keyType, delegated) => {
  it('is never trustworthy and never throws', async () => {
    const scenario = keyType === 'rsa' ? rsa : ecdsa;
    const good = await goodResponse(scenario, delegated);
    const check = (response: Uint8Array) =>
      verifyStaple({
        response,
        issuer: scenario.intermediate.cert,
        certificate: scenario.leaf.cert,
        at: now,
        crypto: globalThis.crypto,
      });
    expect((await check(good)).trustworthy).toBe(true);
    const survivors: number[] = [];
    for (let index = 0; index < good.length; index++) {
      const damaged = Uint8Array.from(good);
      damaged[index] = (damaged[index] ?? 0) ^ (1 << (index % 8));
      const assessment = await check(damaged);
      if (assessment.trustworthy) survivors.push(index);
    }
    expect(survivors).toEqual([]);
  });
});
