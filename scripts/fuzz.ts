// `npm run fuzz -- [--seconds 60] [--seed N] [--target all|engine|host] [--out DIR]`: long, seeded
// fuzzing. The test run does a few seconds of the same (test/security/engine-fuzz.test.ts,
// test/host/host-fuzz.test.ts); this runs as long as asked, with a new seed when none is given.
//
//   engine  mutated signed OCSP staples through inspectStaple and judgeStapling: never a throw,
//           never `stapled-good` for different bytes (test/security/staple-fuzz.ts)
//   host    random frames, cut at random places, into the built host as a child process: only
//           frames on stdout, one answer per frame, exit 0 at EOF (test/host/random-frames.ts)
//
// Failures are written to DIR (default .tmp/fuzz-failures) as staple.der + leaf.pem + issuer.pem
// (`staplecheck inspect` reads them) or as the host input stream; the exit status is 1.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { assertBuilt, HostProcess, parseAllFrames, ROOT } from '../test/host/host-harness.js';
import { random, randomStream } from '../test/host/random-frames.js';
import { fuzzEngine, mintCorpus } from '../test/security/staple-fuzz.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    seed: { type: 'string' },
    target: { type: 'string', default: 'all' },
    out: { type: 'string', default: join(ROOT, '.tmp', 'fuzz-failures') },
  },
});
const seconds = Number(values.seconds);
const seed = values.seed === undefined ? Math.floor(Math.random() * 0x7fff_ffff) : Number(values.seed);
const target = values.target;
if (
  !Number.isFinite(seconds) ||
  seconds <= 0 ||
  !Number.isInteger(seed) ||
  !['all', 'engine', 'host'].includes(target)
) {
  console.error('usage: npm run fuzz -- [--seconds N] [--seed N] [--target all|engine|host] [--out DIR]');
  process.exit(2);
}
const budgetMs = (seconds * 1000) / (target === 'all' ? 2 : 1);
let failed = false;

function save(name: string, files: Record<string, string | Uint8Array>): string {
  const dir = join(values.out, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
  return dir;
}

async function fuzzEngineLong(): Promise<void> {
  const corpus = await mintCorpus(new Date());
  let firstCase = 0;
  const started = performance.now();
  let cases = 0;
  // In slices, so progress shows and failures are saved as they come.
  while (performance.now() - started < budgetMs) {
    const run = await fuzzEngine(corpus, {
      seed,
      firstCase,
      durationMs: Math.min(10_000, budgetMs - (performance.now() - started)),
    });
    firstCase += run.cases;
    cases += run.cases;
    for (const f of run.failures) {
      failed = true;
      const dir = save(`engine-${seed}-${f.index}`, {
        'staple.der': Buffer.from(f.stapleBase64, 'base64'),
        'leaf.pem': f.leafPem,
        'issuer.pem': f.issuerPem,
        'why.txt': `${f.mutation} of ${f.seedName}: ${f.reason}\n`,
      });
      console.error(`engine case ${f.index} (${f.mutation} of ${f.seedName}): ${f.reason.split('\n')[0]} -> ${dir}`);
    }
    console.log(`engine: seed ${seed}, ${cases} cases, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
}

async function fuzzHostLong(): Promise<void> {
  assertBuilt();
  const started = performance.now();
  let round = 0;
  let frames = 0;
  while (performance.now() - started < budgetMs) {
    const next = random(seed + round);
    const { frameCount, chunks } = randomStream(next, 200);
    const host = HostProcess.start();
    for (const chunk of chunks) host.send(chunk);
    host.end();
    const exit = await host.exited;
    let problem: string | null = exit.code === 0 ? null : `exit ${exit.code} ${exit.signal ?? ''}: ${host.stderr}`;
    if (!problem) {
      try {
        const answers = parseAllFrames(host.stdout);
        if (answers.length !== frameCount) problem = `${answers.length} answers to ${frameCount} frames`;
      } catch (err) {
        problem = `stdout is not only frames: ${(err as Error).message}`;
      }
    }
    if (problem) {
      failed = true;
      const dir = save(`host-${seed}-${round}`, { 'stdin.bin': Buffer.concat(chunks), 'why.txt': `${problem}\n` });
      console.error(`host round ${round}: ${problem.split('\n')[0]} -> ${dir}`);
    }
    round++;
    frames += frameCount;
    if (round % 20 === 0) console.log(`host: seed ${seed}, ${round} processes, ${frames} frames`);
  }
  console.log(`host: seed ${seed}, ${round} processes, ${frames} frames`);
}

if (target !== 'host') await fuzzEngineLong();
if (target !== 'engine') await fuzzHostLong();
console.log(failed ? `FAILURES (seed ${seed}); see ${values.out}` : `no failures (seed ${seed})`);
process.exit(failed ? 1 : 0);
