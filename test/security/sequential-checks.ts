// Run by test/security/load.test.ts as `node --expose-gc --import tsx sequential-checks.ts PORT COUNT`:
// COUNT checks, one after another, of the loopback server on PORT, then one line of JSON with the
// heap (after forced collections) and the live handles before and after. A child process of its
// own, so the figures are the checks' and not the test runner's.
import { checkSite } from '../../src/probe/check-site.js';

const WARM_UP_CHECKS = 200;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const collect: () => void = gc;

function heapAfterGc(): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

/** Live handles and requests by type, e.g. { TCPSocketWrap: 1, Timeout: 0 }. */
function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

const total = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

// A check closes its socket politely and destroys it within a second (src/probe/handshake.ts):
// let those timers and sockets finish before counting.
const settle = () => new Promise((resolve) => setTimeout(resolve, 1_200));

async function main(): Promise<void> {
  const port = Number(process.argv[2]);
  const count = Number(process.argv[3]);
  const verdicts: Record<string, number> = {};
  let counting = false;
  const check = async () => {
    const result = await checkSite({ host: '127.0.0.1', port, timeoutMs: 5_000 });
    if (counting) verdicts[result.verdict] = (verdicts[result.verdict] ?? 0) + 1;
  };
  for (let i = 0; i < WARM_UP_CHECKS; i++) await check();
  await settle();
  counting = true;
  const heapBefore = heapAfterGc();
  const resourcesBefore = resources();
  // Heap after settling and collecting at the half and at the end: the first checks fill caches
  // and the JIT (growth that stops), a leak keeps growing through the second half.
  let checkingMs = 0;
  const run = async (n: number) => {
    const from = performance.now();
    for (let i = 0; i < n; i++) await check();
    checkingMs += performance.now() - from;
    await settle();
  };
  await run(Math.floor(count / 2));
  const heapAtHalf = heapAfterGc();
  await run(count - Math.floor(count / 2));
  const heapAfter = heapAfterGc();
  const resourcesAfter = resources();
  process.stdout.write(
    `${JSON.stringify({
      count,
      checkingMs,
      heapBefore,
      heapAtHalf,
      heapAfter,
      resourcesBefore,
      resourcesAfter,
      handlesBefore: total(resourcesBefore),
      handlesAfter: total(resourcesAfter),
      verdicts,
    })}\n`,
  );
}

await main();
