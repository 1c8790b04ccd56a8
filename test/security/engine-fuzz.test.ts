// Bounded fuzzing of the engine in every test run (issue 8): a few seconds of seeded mutations of
// real signed staples through inspectStaple and judgeStapling. Nothing may throw, and no mutated
// staple may be judged good. Long runs: `npm run fuzz -- --seconds 600 --seed N` (scripts/fuzz.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectStaple } from '../../src/index.js';
import { fuzzEngine, fuzzOne, lengthOffsets, mintCorpus, MUTATIONS, planCase, type FuzzCorpus } from './staple-fuzz.js';

/** Fixed, so CI runs the same cases every time (as far as the time box reaches). */
const SEED = 20260301;
const FUZZ_MS = 4_000;
const at = new Date('2026-03-01T12:00:00Z');
let corpus: FuzzCorpus;

beforeAll(async () => {
  corpus = await mintCorpus(at);
});

describe('engine fuzz', () => {
  it('the seeds themselves are good (else the oracle proves nothing)', async () => {
    for (const seed of corpus.seeds) {
      const result = await inspectStaple({
        response: seed.der,
        issuer: corpus.scenario.intermediate.der,
        certificate: corpus.scenario.leaf.der,
        at,
      });
      expect(result.verdict, seed.name).toBe('stapled-good');
      expect(lengthOffsets(seed.der).length).toBeGreaterThan(20);
    }
  });

  it('every mutation kind, one case each, holds', async () => {
    // Case indices are seeded, so walk until each mutation kind has been seen once.
    const seen = new Set<string>();
    for (let index = 0; seen.size < MUTATIONS.length && index < 500; index++) {
      const { mutation } = planCase(corpus, SEED + 1, index);
      if (seen.has(mutation)) continue;
      seen.add(mutation);
      expect(await fuzzOne(corpus, SEED + 1, index)).toBeNull();
    }
  });

  it(`${FUZZ_MS / 1000} s of seeded mutations: never a throw, never stapled-good`, async () => {
    const run = await fuzzEngine(corpus, { seed: SEED, durationMs: FUZZ_MS });
    console.log(
      `engine fuzz: seed ${SEED}, ${run.cases} cases in ${run.durationMs.toFixed(0)} ms ${JSON.stringify(run.byMutation)}`,
    );
    // A failure carries its staple, leaf and issuer (keys are minted per run) and its seed and index.
    expect(run.failures).toEqual([]);
    expect(run.cases).toBeGreaterThan(50);
  }, 30_000);
});
