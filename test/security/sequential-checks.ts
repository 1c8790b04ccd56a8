// Run by test/security/load.test.ts as
//   node --expose-gc --import tsx sequential-checks.ts PORT COUNT BUDGET_MS
// COUNT checks, one after another, of the loopback server on PORT, then one line of JSON with the
// heap (after forced collections) and the live handles before and after. A child process of its
// own, so the figures are the checks' and not the test runner's. On a machine too loaded to do
// COUNT within BUDGET_MS, both halves are cut to what the first half managed in half the budget
// (the JSON says how many ran).
import { checkSite } from '../../src/probe/check-site.js';

const WARM_UP_CHECKS = 200;
const WARM_UP_BUDGET_MS = 10_000;

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
  const budgetMs = Number(process.argv[4] ?? Infinity);
  const verdicts: Record<string, number> = {};
  let counting = false;
  const check = async () => {
    const result = await checkSite({ host: '127.0.0.1', port, timeoutMs: 5_000 });
    if (counting) verdicts[result.verdict] = (verdicts[result.verdict] ?? 0) + 1;
  };
  // Warm-up: caches, the JIT, the trust store; time-boxed like the run itself.
  const warmUpStarted = performance.now();
  for (let i = 0; i < WARM_UP_CHECKS && performance.now() - warmUpStarted < WARM_UP_BUDGET_MS; i++) await check();
  await settle();
  counting = true;
  const heapBefore = heapAfterGc();
  const resourcesBefore = resources();
  // Heap after settling and collecting at the half and at the end: the first checks fill caches
  // and the JIT (growth that stops), a leak keeps growing through the second half.
  let checkingMs = 0;
  const run = async (n: number, withinMs: number): Promise<number> => {
    const from = performance.now();
    let done = 0;
    while (done < n && performance.now() - from < withinMs) {
      await check();
      done++;
    }
    checkingMs += performance.now() - from;
    await settle();
    return done;
  };
  const firstHalf = await run(Math.floor(count / 2), budgetMs / 2);
  const heapAtHalf = heapAfterGc();
  const secondHalf = await run(firstHalf, Infinity);
  const heapAfter = heapAfterGc();
  const resourcesAfter = resources();
  process.stdout.write(
    `${JSON.stringify({
      count: firstHalf + secondHalf,
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
