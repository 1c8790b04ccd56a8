// The engine's figures: verifyStaple and inspectResponse against one signature verification (the
// floor), and what many inspections leave on the heap against a loop doing only that verification.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { certificateFacts } from '../src/core/certificate.js';
import { inspectResponse } from '../src/core/inspect.js';
import { readBasicResponse, readOcspResponse } from '../src/core/ocsp-response.js';
import { nodeVerifier } from '../src/probe/node-verifier.js';
import { verifyStaple } from '../src/core/verify-staple.js';
import { DAY, HOUR, mintOcspResponse, mintScenario, shift } from '../src/pki/mint.js';
import { median, ms, type Row } from './table.js';

const crypto = globalThis.crypto;

/** Times `subject` and `reference` in alternating blocks (noise hits both alike); medians per op. */
async function interleaved(
  rounds: number,
  perRound: number,
  subject: () => Promise<unknown>,
  reference: () => Promise<unknown>,
): Promise<{ subject: number; reference: number }> {
  const timeBlock = async (op: () => Promise<unknown>) => {
    const started = performance.now();
    for (let i = 0; i < perRound; i++) await op();
    return (performance.now() - started) / perRound;
  };
  // warm the JIT
  for (let i = 0; i < 20; i++) {
    await subject();
    await reference();
  }
  const s: number[] = [];
  const r: number[] = [];
  for (let round = 0; round < rounds; round++) {
    r.push(await timeBlock(reference));
    s.push(await timeBlock(subject));
  }
  return { subject: median(s), reference: median(r) };
}

function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

export async function engineFigures(short: boolean): Promise<Row[]> {
  const now = new Date();
  const scenario = await mintScenario({ now });
  const response = await mintOcspResponse({
    responses: [
      {
        certificate: scenario.leaf,
        issuer: scenario.intermediate,
        thisUpdate: shift(now, -HOUR),
        nextUpdate: shift(now, DAY),
      },
    ],
    producedAt: shift(now, -HOUR),
    signer: scenario.intermediate,
  });

  // The floor: verifying the response's signature and nothing else.
  const outer = new pkijs.OCSPResponse({ schema: asn1js.fromBER(response.slice().buffer).result });
  const basicDer = outer.responseBytes!.response.valueBlock.valueHexView.slice();
  const basic = new pkijs.BasicOCSPResponse({ schema: asn1js.fromBER(basicDer.buffer).result });
  const publicKey = await crypto.subtle.importKey(
    'spki',
    scenario.intermediate.cert.subjectPublicKeyInfo.toSchema().toBER(false),
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['verify'],
  );
  const tbs = new Uint8Array(basic.tbsResponseData.tbsView);
  const rawSignature = derEcdsaToRaw(basic.signature.valueBlock.valueHexView);
  const floor = () => crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, publicKey, rawSignature, tbs);

  const rows: Row[] = [];
  const rounds = short ? 3 : 9;
  const verify = await interleaved(
    rounds,
    short ? 20 : 60,
    async () => {
      const verdict = await verifyStaple({
        response,
        issuer: scenario.intermediate.cert,
        certificate: scenario.leaf.cert,
        at: now,
        crypto,
      });
      return verdict;
    },
    floor,
  );
  rows.push({
    figure: 'verifyStaple, a good staple',
    reference: 'one WebCrypto verify of its signature',
    measured: ms(verify.subject),
    ratio: `${(verify.subject / verify.reference).toFixed(2)}×`,
    // The `node:crypto.verify` reference and its ≤ 3× target come with the engine's rewrite.
    target: '≤ 25×',
    met: verify.subject / verify.reference <= 25,
    broken: null,
  });
  rows.push(await verifyNeverSeen(scenario, now, short));
  const inspect = await interleaved(
    rounds,
    short ? 10 : 30,
    () =>
      inspectResponse({ response, issuer: scenario.intermediate.der, certificate: scenario.leaf.der, at: now, crypto }),
    floor,
  );
  rows.push({
    figure: 'inspectResponse with the certificate',
    reference: 'one WebCrypto verify of its signature',
    measured: ms(inspect.subject),
    ratio: `${(inspect.subject / inspect.reference).toFixed(2)}×`,
    target: '≤ 40×',
    met: inspect.subject / inspect.reference <= 40,
    broken: null,
  });

  // Memory: what many inspections leave behind, after a warm-up (what V8 keeps for compiled code
  // and inline caches is not a leak), against the floor loop doing the same count.
  const loops = short ? 1000 : 4000;
  const inspectOnce = () =>
    inspectResponse({ response, issuer: scenario.intermediate.der, certificate: scenario.leaf.der, at: now, crypto });
  for (let i = 0; i < 1000; i++) await inspectOnce();
  const before = heapUsed();
  for (let i = 0; i < loops; i++) await floor();
  const floorGrowth = Math.max(heapUsed() - before, 0);
  const start = heapUsed();
  for (let i = 0; i < loops; i++) await inspectOnce();
  const perOp = (heapUsed() - start - floorGrowth) / loops;
  // A leak keeps hundreds of bytes per inspection at least.
  rows.push({
    figure: `heap kept per inspection (${loops})`,
    reference: 'the verify-only loop',
    measured: `${perOp.toFixed(1)} B/op`,
    ratio: '—',
    target: '< 64 B/op',
    met: perOp < 64,
    broken: perOp < 1024 ? null : `${perOp.toFixed(0)} B kept per inspection`,
  });
  return rows;
}

/**
 * verifyStaple (with the probe's node:crypto verifier) on staples never seen before, against one
 * node:crypto.verify of each staple's signature. Every staple is distinct (its own thisUpdate, so its
 * own bytes and signature); the issuer is one the process has met, as a CA is across sites.
 */
async function verifyNeverSeen(
  scenario: Awaited<ReturnType<typeof mintScenario>>,
  now: Date,
  short: boolean,
): Promise<Row> {
  const count = short ? 60 : 300;
  const staples: Uint8Array[] = [];
  for (let i = 0; i < count + 20; i++) {
    staples.push(
      await mintOcspResponse({
        responses: [
          {
            certificate: scenario.leaf,
            issuer: scenario.intermediate,
            thisUpdate: shift(now, -HOUR - i * 1000),
            nextUpdate: shift(now, DAY),
          },
        ],
        producedAt: shift(now, -HOUR),
        signer: scenario.intermediate,
      }),
    );
  }
  const key = createPublicKey({
    key: Buffer.from(certificateFacts(scenario.intermediate.cert).publicKey),
    format: 'der',
    type: 'spki',
  });
  const signed = staples.map((staple) => {
    const basic = readBasicResponse(readOcspResponse(staple)!.response!)!;
    return { tbs: basic.tbs.slice(), signature: basic.signature.slice() };
  });
  const verifyOne = (staple: Uint8Array) =>
    verifyStaple({
      response: staple,
      issuer: scenario.intermediate.cert,
      certificate: scenario.leaf.cert,
      at: now,
      crypto,
      verifier: nodeVerifier,
    });
  // Warm the JIT and the issuer's caches on staples that are not timed.
  for (let i = count; i < count + 20; i++) {
    nodeVerify('sha256', signed[i]!.tbs, key, signed[i]!.signature);
    await verifyOne(staples[i]!);
  }
  // Interleaved blocks of ten: the reference, then the subject on other never-seen staples.
  const reference: number[] = [];
  const subject: number[] = [];
  let broken: string | null = null;
  for (let block = 0; block < count; block += 10) {
    let started = performance.now();
    for (let i = block; i < block + 10; i++) {
      if (!nodeVerify('sha256', signed[i]!.tbs, key, signed[i]!.signature)) broken ??= 'the reference failed';
    }
    reference.push((performance.now() - started) / 10);
    started = performance.now();
    for (let i = block; i < block + 10; i++) {
      if (!(await verifyOne(staples[i]!)).trustworthy) broken ??= 'a good staple did not verify';
    }
    subject.push((performance.now() - started) / 10);
  }
  const ratio = median(subject) / median(reference);
  return {
    figure: 'verifyStaple, a staple never seen before',
    reference: `one node:crypto.verify, ${ms(median(reference))}`,
    measured: ms(median(subject)),
    ratio: `${ratio.toFixed(2)}×`,
    target: '≤ 3×',
    met: ratio <= 3,
    broken,
  };
}

/** ECDSA-Sig-Value (DER SEQUENCE of r, s) → the raw r‖s WebCrypto wants (P-256: 32 + 32 bytes). */
function derEcdsaToRaw(der: Uint8Array): Uint8Array<ArrayBuffer> {
  const sequence = asn1js.fromBER(der.slice().buffer).result as asn1js.Sequence;
  const out = new Uint8Array(64);
  sequence.valueBlock.value.forEach((item, i) => {
    let bytes = (item as asn1js.Integer).valueBlock.valueHexView;
    while (bytes.length > 32 && bytes[0] === 0) bytes = bytes.subarray(1);
    out.set(bytes, i * 32 + (32 - bytes.length));
  });
  return out;
}
