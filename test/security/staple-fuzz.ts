// Seeded fuzzing of the engine: staples a hostile server could send, made from real signed OCSP
// responses by bit flips, truncations, length-field rewrites, splices, insertions and deletions,
// plus random bytes and random DER trees. Used by test/security/engine-fuzz.test.ts (a few seconds
// in every run) and by `npm run fuzz` (scripts/fuzz.ts, as long as you like).
//
// The oracle: nothing throws; every verdict is one of docs/contract.md §2's; and a staple whose
// bytes differ from a signed response is never `stapled-good` (strict DER has one encoding per
// value, so different bytes mean a different signed part, or a broken signature, or no DER).
import { judgeStapling } from '../../src/core/judge.js';
import { VERDICTS, type Verdict } from '../../src/core/result.js';
import { inspectStaple } from '../../src/index.js';
import { DAY, HOUR, mintOcspResponse, mintScenario, shift, type Scenario } from '../support/mint.js';

/** xorshift32: reproducible, so every case can be replayed from (seed, index). */
export function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

/** One generator per case: a failure names its seed and index and nothing else is needed. */
export function caseRandom(seed: number, index: number): () => number {
  const next = random((seed * 0x9e3779b1) ^ (index * 0x85ebca6b));
  for (let i = 0; i < 4; i++) next(); // mix the two inputs before use
  return next;
}

export interface FuzzCorpus {
  at: Date;
  scenario: Scenario;
  /** Real, signed, `stapled-good` responses for the scenario's leaf. */
  seeds: { name: string; der: Uint8Array }[];
}

export async function mintCorpus(at: Date): Promise<FuzzCorpus> {
  const scenario = await mintScenario({ now: at });
  const single = {
    certificate: scenario.leaf,
    issuer: scenario.intermediate,
    thisUpdate: shift(at, -HOUR),
    nextUpdate: shift(at, DAY),
  };
  const seeds = [
    {
      name: 'issuer-signed',
      der: await mintOcspResponse({ responses: [single], producedAt: shift(at, -HOUR), signer: scenario.intermediate }),
    },
    {
      // Carries the responder certificate: its own signature and extensions are fuzzed too.
      name: 'delegated',
      der: await mintOcspResponse({
        responses: [single],
        producedAt: shift(at, -HOUR),
        signer: scenario.responder,
        responderId: 'byKey',
      }),
    },
    {
      name: 'sha256-certid',
      der: await mintOcspResponse({
        responses: [{ ...single, hashAlgorithm: 'SHA-256' }],
        producedAt: shift(at, -HOUR),
        signer: scenario.intermediate,
      }),
    },
  ];
  return { at, scenario, seeds };
}

const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
const below = (next: () => number, n: number): number => Math.floor(next() * n);

/** Offsets of every DER length field in `der` (first length octet), found by walking the TLVs. */
export function lengthOffsets(der: Uint8Array): number[] {
  const offsets: number[] = [];
  const walk = (start: number, end: number, depth: number): void => {
    let at = start;
    while (at < end && depth < 32) {
      const tag = der[at] ?? 0;
      let p = at + 1;
      if ((tag & 0x1f) === 0x1f) while (p < end && ((der[p++] ?? 0) & 0x80) !== 0);
      if (p >= end) return;
      offsets.push(p);
      const first = der[p] ?? 0;
      let length = first;
      p++;
      if (first & 0x80) {
        length = 0;
        for (let i = 0; i < (first & 0x7f); i++) length = length * 256 + (der[p++] ?? 0);
      }
      if (p + length > end) return;
      // Constructed, or an OCTET/BIT STRING that wraps DER (extnValue, responseBytes, keys).
      if (tag & 0x20) walk(p, p + length, depth + 1);
      else if ((tag === 0x04 || tag === 0x03) && (der[p + (tag === 0x03 ? 1 : 0)] ?? 0) === 0x30) {
        walk(p + (tag === 0x03 ? 1 : 0), p + length, depth + 1);
      }
      at = p + length;
    }
  };
  walk(0, der.length, 0);
  return offsets;
}

export const MUTATIONS = [
  'bit-flip',
  'byte-set',
  'truncate',
  'length',
  'splice',
  'insert',
  'delete',
  'duplicate',
  'random-bytes',
  'random-der',
] as const;
export type Mutation = (typeof MUTATIONS)[number];

/** A random DER-looking tree: real tags and lengths, random depth and contents. */
function randomDer(next: () => number, depth = 0): Uint8Array {
  const constructed = depth < 40 && next() < 0.6;
  let body: Uint8Array;
  if (constructed) {
    const children = Array.from({ length: below(next, depth > 4 ? 2 : 4) + 1 }, () => randomDer(next, depth + 1));
    body = concat(children);
  } else {
    body = Uint8Array.from({ length: below(next, 24) }, () => below(next, 256));
  }
  const tag = constructed
    ? pick(next, [0x30, 0x31, 0xa0, 0xa1, 0xa2, 0xa3])
    : pick(next, [0x02, 0x03, 0x04, 0x05, 0x06, 0x0a, 0x0c, 0x17, 0x18, 0x80, 0x82]);
  const n = body.length;
  const header = n < 0x80 ? [tag, n] : n < 0x100 ? [tag, 0x81, n] : [tag, 0x82, n >> 8, n & 0xff];
  return concat([Uint8Array.from(header), body]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** One mutation of `der` (or a fresh input); `other` is another seed to splice from. */
export function mutate(
  der: Uint8Array,
  other: Uint8Array,
  next: () => number,
  mutation: Mutation = pick(next, MUTATIONS),
): Uint8Array {
  const out = Uint8Array.from(der);
  const at = below(next, der.length);
  switch (mutation) {
    case 'bit-flip': {
      for (let i = 0, flips = 1 + below(next, 3); i < flips; i++) {
        const where = below(next, out.length);
        out[where] = (out[where] ?? 0) ^ (1 << below(next, 8));
      }
      return out;
    }
    case 'byte-set':
      out[at] = pick(next, [0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0xff, below(next, 256)]);
      return out;
    case 'truncate':
      return der.slice(0, at);
    case 'length': {
      // Rewrite one length field: off by one, zero, indefinite (BER, forbidden in DER), huge.
      const where = pick(next, lengthOffsets(der));
      const old = out[where] ?? 0;
      out[where] = pick(next, [old + 1, old - 1, 0x00, 0x7f, 0x80, 0x81, 0x84, 0xff]) & 0xff;
      return out;
    }
    case 'splice': {
      // A head of one response joined to a tail of another (both real, both signed).
      const cut = below(next, other.length);
      return concat([der.slice(0, at), other.slice(cut)]);
    }
    case 'insert':
      return concat([
        der.slice(0, at),
        Uint8Array.from({ length: 1 + below(next, 8) }, () => below(next, 256)),
        der.slice(at),
      ]);
    case 'delete':
      return concat([der.slice(0, at), der.slice(Math.min(der.length, at + 1 + below(next, 8)))]);
    case 'duplicate': {
      const end = Math.min(der.length, at + 1 + below(next, 64));
      return concat([der.slice(0, end), der.slice(at, end), der.slice(end)]);
    }
    case 'random-bytes':
      return Uint8Array.from({ length: below(next, 512) }, () => below(next, 256));
    case 'random-der':
      return randomDer(next);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

export interface FuzzFailure {
  seed: number;
  index: number;
  mutation: Mutation;
  seedName: string;
  reason: string;
  /**
   * The staple, base64: keys are minted fresh on every run, so (seed, index) replays the mutation
   * plan but not these bytes; replay a failure with these bytes and `leafPem`/`issuerPem`.
   */
  stapleBase64: string;
  leafPem: string;
  issuerPem: string;
}

const KNOWN_VERDICTS: readonly string[] = VERDICTS;

/** What case `index` of `seed` starts from and does (the first draws of its generator). */
export function planCase(corpus: FuzzCorpus, seed: number, index: number) {
  const next = caseRandom(seed, index);
  const base = pick(next, corpus.seeds);
  const other = pick(next, corpus.seeds);
  const mutation = pick(next, MUTATIONS);
  return { next, base, other, mutation };
}

/** Run case `index` of `seed`; null when the engine held. */
export async function fuzzOne(corpus: FuzzCorpus, seed: number, index: number): Promise<FuzzFailure | null> {
  const { next, base, other, mutation } = planCase(corpus, seed, index);
  let staple = mutate(base.der, other.der, next, mutation);
  // Sometimes stack a second mutation, as real damage rarely comes alone.
  if (next() < 0.25) staple = mutate(staple, other.der, next);
  const fail = (reason: string): FuzzFailure => ({
    seed,
    index,
    mutation,
    seedName: base.name,
    reason,
    stapleBase64: Buffer.from(staple).toString('base64'),
    leafPem: corpus.scenario.leaf.pem,
    issuerPem: corpus.scenario.intermediate.pem,
  });
  const mutated = !corpus.seeds.some((s) => sameBytes(s.der, staple));
  const { scenario, at } = corpus;
  const verdicts: [string, Verdict][] = [];
  try {
    const withCertificate = await inspectStaple({
      response: staple,
      issuer: scenario.intermediate.der,
      certificate: scenario.leaf.der,
      at,
    });
    verdicts.push(['inspectStaple', withCertificate.verdict]);
    const withoutCertificate = await inspectStaple({ response: staple, issuer: scenario.intermediate.der, at });
    verdicts.push(['inspectStaple without certificate', withoutCertificate.verdict]);
    const judged = await judgeStapling({
      leaf: scenario.leaf.der,
      issuerCandidates: [scenario.intermediate.der, scenario.root.der],
      staple,
      at,
      crypto: globalThis.crypto,
    });
    verdicts.push(['judgeStapling', judged.verdict]);
    for (const problem of [...withCertificate.problems, ...judged.problems]) {
      if (typeof problem.message !== 'string' || problem.message.length === 0)
        return fail(`a problem without a message: ${problem.code}`);
    }
  } catch (err) {
    return fail(`threw: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
  for (const [where, verdict] of verdicts) {
    if (!KNOWN_VERDICTS.includes(verdict)) return fail(`${where}: unknown verdict ${verdict}`);
    if (mutated && verdict === 'stapled-good') return fail(`${where}: a mutated staple was judged stapled-good`);
  }
  return null;
}

export interface FuzzRun {
  cases: number;
  failures: FuzzFailure[];
  byMutation: Record<string, number>;
  durationMs: number;
}

/** Cases 0, 1, 2… of `seed` until `durationMs` has passed or `maxCases` ran. */
export async function fuzzEngine(
  corpus: FuzzCorpus,
  options: { seed: number; durationMs: number; maxCases?: number; firstCase?: number },
): Promise<FuzzRun> {
  const started = performance.now();
  const failures: FuzzFailure[] = [];
  const byMutation: Record<string, number> = {};
  let index = options.firstCase ?? 0;
  let cases = 0;
  while (performance.now() - started < options.durationMs && cases < (options.maxCases ?? Infinity)) {
    const failure = await fuzzOne(corpus, options.seed, index);
    if (failure) failures.push(failure);
    index++;
    cases++;
  }
  // Count mutations afterwards from the seeds, so the loop stays lean.
  for (let i = options.firstCase ?? 0; i < index; i++) {
    const { mutation } = planCase(corpus, options.seed, i);
    byMutation[mutation] = (byMutation[mutation] ?? 0) + 1;
  }
  return { cases, failures, byMutation, durationMs: performance.now() - started };
}
