// Load (issue 8): many checks at once on one host connection, and many in a row without growth.
// Real loopback TLS server stapling a real, signed OCSP response; the host is the built child
// process the browsers run; the sequential run is a child node with --expose-gc.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, HostProcess, ROOT } from '../host/host-harness.js';
import { DAY, HOUR, mintOcspResponse, mintScenario, shift } from '../support/mint.js';
import { startTlsServer, type RunningServer } from '../support/servers.js';
import { megabytes, residentBytes } from './measure.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const IN_FLIGHT = 200;
const SEQUENTIAL = 2_000;
// Checking time allowed for the sequential run. A check costs a few milliseconds of CPU on each
// side, so 2,000 fit easily on an idle machine; on one shared with other jobs the run is cut to
// what fits (at least MIN_SEQUENTIAL, so the second half still shows a leak of a few bytes a check).
const SEQUENTIAL_BUDGET_MS = 80_000;
const MIN_SEQUENTIAL = 400;

let server: RunningServer;
const figures: string[] = [];

beforeAll(async () => {
  const now = new Date();
  const scenario = await mintScenario({ now });
  const staple = await mintOcspResponse({
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
  server = await startTlsServer({
    certChainPem: scenario.chainPem(scenario.leaf),
    keyPem: scenario.keys.leaf.privateKeyPem,
    staple,
  });
});

afterAll(async () => {
  await server?.stop();
  if (figures.length > 0) console.log(`load:\n${figures.join('\n')}`);
});

describe('load', () => {
  it(`${IN_FLIGHT} checks in flight on one host connection are all answered, once each, by id`, async () => {
    assertBuilt();
    const host = HostProcess.start();
    try {
      // Loaded and ready before the figures start.
      host.request({ id: 'ready', type: 'ping' });
      await host.answerFor('ready');
      const ids = Array.from({ length: IN_FLIGHT }, (_, i) => (i % 2 === 0 ? i : `check-${i}`));
      const rssBefore = residentBytes(host.child.pid as number);
      const started = performance.now();
      // All at once, in one write: the host queues what it does not run yet (PROTOCOL.md).
      host.send(
        Buffer.concat(
          ids.map((id) => {
            const body = Buffer.from(
              JSON.stringify({ id, type: 'check', host: '127.0.0.1', port: server.port, timeoutMs: 10_000 }),
            );
            const header = Buffer.alloc(4);
            header.writeUInt32LE(body.length);
            return Buffer.concat([header, body]);
          }),
        ),
      );
      const answers = (await host.waitFor((all) => all.length >= IN_FLIGHT + 1, 100_000)).slice(1);
      const durationMs = performance.now() - started;
      const rssAfter = residentBytes(host.child.pid as number);
      host.end();
      expect((await host.exited).code).toBe(0);
      expect(host.answers()).toHaveLength(IN_FLIGHT + 1); // the ping, then nothing more
      expect(answers.map((a) => a.id).sort()).toEqual([...ids].sort());
      for (const answer of answers) {
        expect(answer.ok, JSON.stringify(answer)).toBe(true);
        expect(answer.result?.verdict).toBe('stapled-good');
      }
      figures.push(
        `  ${IN_FLIGHT} in flight on one host: ${durationMs.toFixed(0)} ms ` +
          `(${(durationMs / IN_FLIGHT).toFixed(1)} ms/check), host RSS ${rssBefore === null ? '?' : megabytes(rssBefore)} -> ` +
          `${rssAfter === null ? '?' : megabytes(rssAfter)}`,
      );
    } finally {
      host.kill();
    }
  }, 110_000);

  it(
    `${SEQUENTIAL} sequential checks leave no heap or handle growth`,
    async () => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          '--expose-gc',
          '--import',
          'tsx',
          join(HERE, 'sequential-checks.ts'),
          String(server.port),
          String(SEQUENTIAL),
          String(SEQUENTIAL_BUDGET_MS),
        ],
        // The warm-up and the settling pauses come on top of the checking budget.
        { cwd: ROOT, timeout: SEQUENTIAL_BUDGET_MS + 60_000 },
      );
      const run = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
        count: number;
        checkingMs: number;
        heapBefore: number;
        heapAtHalf: number;
        heapAfter: number;
        handlesBefore: number;
        handlesAfter: number;
        resourcesAfter: Record<string, number>;
        verdicts: Record<string, number>;
      };
      const secondHalf = run.heapAfter - run.heapAtHalf;
      figures.push(
        `  ${run.count} sequential: ${run.checkingMs.toFixed(0)} ms (${(run.checkingMs / run.count).toFixed(2)} ms/check), ` +
          `heap ${megabytes(run.heapBefore)} -> ${megabytes(run.heapAtHalf)} -> ${megabytes(run.heapAfter)} ` +
          `(second half ${(secondHalf / 1024).toFixed(0)} KB, ${(secondHalf / (SEQUENTIAL / 2)).toFixed(0)} B/check), ` +
          `handles ${run.handlesBefore} -> ${run.handlesAfter} ${JSON.stringify(run.resourcesAfter)}`,
      );
      expect(run.count).toBeGreaterThanOrEqual(MIN_SEQUENTIAL);
      expect(run.verdicts).toEqual({ 'stapled-good': run.count });
      expect(run.handlesAfter).toBeLessThanOrEqual(run.handlesBefore);
      // Caches and the JIT settle in the first half. The heap after a forced gc still moves by
      // about ±370 KB between runs of this loop (seen: -365 KB on Node 20, +356 KB on Node 22,
      // +56 KB on Node 24), so the bound sits above that noise: a leak of 1 KiB a check would show
      // as 1 MiB over the second half.
      expect(secondHalf).toBeLessThan(1024 * 1024);
      expect(run.heapAfter - run.heapBefore).toBeLessThan(2 * 1024 * 1024);
    },
    SEQUENTIAL_BUDGET_MS + 65_000,
  );
});
