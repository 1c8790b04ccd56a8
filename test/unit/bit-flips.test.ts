// A verdict is a security statement: no damaged staple may ever verify. Flipped bits of a good
// response (issuer-signed, and delegated with the responder certificate inside) must come out
// untrustworthy, and nothing may throw. Each verification costs milliseconds, so not every case
// flips every bit: each title says what it flips. "Every bit" covers each of the 8 bits of each
// byte in the range; "one bit of every other byte" flips bit (offset mod 8) of each byte outside it
// (the wrapper, the signatureAlgorithm, the certificates).
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyStaple } from '../../src/core/verify-staple.js';
import { DAY, HOUR, mintOcspResponse, mintScenario, shift, type Scenario } from '../../src/pki/mint.js';
import { basicOf } from '../support/rewrite.js';

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

/** Where `part` sits in `whole` (it must sit there exactly once). */
function offsetOf(whole: Uint8Array, part: Uint8Array): number {
  const found: number[] = [];
  for (let i = 0; i + part.length <= whole.length; i++) {
    let at = 0;
    while (at < part.length && whole[i + at] === part[at]) at++;
    if (at === part.length) found.push(i);
  }
  if (found.length !== 1) throw new Error(`found ${found.length} times`);
  return found[0] as number;
}

type Part = 'tbsResponseData' | 'signature';

/** The byte ranges of the signed bytes (tbsResponseData) and of the signature value. */
function rangesOf(response: Uint8Array, parts: readonly Part[]): [number, number][] {
  const basic = basicOf(response);
  return parts.map((part) => {
    const bytes = part === 'tbsResponseData' ? basic.tbsResponseData.tbsView : basic.signature.valueBlock.valueHexView;
    const at = offsetOf(response, bytes);
    return [at, at + bytes.length];
  });
}

describe.each([
  ['ECDSA, signed by the issuer', 'ecdsa', false, ['tbsResponseData', 'signature']],
  ['ECDSA, signed by a delegated responder', 'ecdsa', true, ['signature']],
  ['RSA, signed by the issuer', 'rsa', false, ['signature']],
] as const)('bit flips of a good response (%s)', (_name, keyType, delegated, everyBitOf) => {
  it(
    `every bit of ${everyBitOf.join(' and ')}, one bit of every other byte: never trustworthy, never throws`,
    { timeout: 240_000 },
    async () => {
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
      const ranges = rangesOf(good, everyBitOf);
      const signed = (index: number) => ranges.some(([start, end]) => index >= start && index < end);
      const survivors: string[] = [];
      let flips = 0;
      for (let index = 0; index < good.length; index++) {
        const bits = signed(index) ? [0, 1, 2, 3, 4, 5, 6, 7] : [index % 8];
        for (const bit of bits) {
          const damaged = Uint8Array.from(good);
          damaged[index] = (damaged[index] ?? 0) ^ (1 << bit);
          flips++;
          if ((await check(damaged)).trustworthy) survivors.push(`byte ${index} bit ${bit}`);
        }
      }
      expect(survivors).toEqual([]);
      const signedBytes = ranges.reduce((n, [start, end]) => n + end - start, 0);
      expect(flips).toBe(signedBytes * 8 + (good.length - signedBytes));
    },
  );
});
