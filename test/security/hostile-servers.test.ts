// A site is hostile (docs/architecture.md): it may stall, trickle, hang up, reset, or send bytes built
// to hurt a parser. Each such server is real and on loopback; each is checked through the library
// (`checkSite`) and through the native host as a child process speaking real frames. For each:
// the verdict is `error` or `stapled-invalid` with the right code (never green, never a throw),
// the timeout holds within ±10 %, and memory stays bounded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSite } from '../../src/probe/check-site.js';
import type { Result } from '../../src/core/result.js';
import { assertBuilt, HostProcess } from '../host/host-harness.js';
import type { RunningServer } from '../support/servers.js';
import {
  mintHostilePki,
  startPresentingServer,
  startRawHostile,
  type HostilePki,
  type RawBehaviour,
} from './hostile-servers.js';
import { heapAfterGc, MB, megabytes, residentBytes, timeoutTolerance, withPeakHeap } from './measure.js';

type Expected =
  { verdict: 'error'; errorCode: string; message?: RegExp } | { verdict: 'stapled-invalid'; problem: string };

interface HostileCase {
  name: string;
  timeoutMs: number;
  /** The check should run into its timeout (elapsed ≈ timeoutMs), not fail earlier. */
  timesOut: boolean;
  expected: Expected;
  server: () => RunningServer;
}

const servers = new Map<string, RunningServer>();
let pki: HostilePki;
let plainServer: RunningServer;

const raw = (behaviour: RawBehaviour, timeoutMs: number, expected: Expected, timesOut = false): HostileCase => ({
  name: `${behaviour}${timesOut ? ` (timeout ${timeoutMs} ms)` : ''}`,
  timeoutMs,
  timesOut,
  expected,
  server: () => servers.get(behaviour) as RunningServer,
});

type TlsCaseName = Exclude<keyof HostilePki, 'scenario' | 'costlyCertificates'> | 'garbageStapleTls12';

const tlsCase = (name: TlsCaseName, expected: string | Expected): HostileCase => ({
  name,
  timeoutMs: 3_000,
  timesOut: false,
  expected: typeof expected === 'string' ? { verdict: 'stapled-invalid', problem: expected } : expected,
  server: () => servers.get(name) as RunningServer,
});

const CASES: HostileCase[] = [
  raw('trickle', 2_000, { verdict: 'error', errorCode: 'timeout' }, true),
  raw('silent', 1_000, { verdict: 'error', errorCode: 'timeout' }, true),
  raw('silent', 300, { verdict: 'error', errorCode: 'timeout' }, true),
  raw('alert', 2_000, { verdict: 'error', errorCode: 'tls-handshake' }),
  raw('half-close', 2_000, { verdict: 'error', errorCode: 'tls-handshake' }),
  raw('reset', 2_000, { verdict: 'error', errorCode: 'tls-handshake' }),
  tlsCase('garbageStaple', 'malformed'),
  // TLS 1.2 carries the staple in its own CertificateStatus message, and OpenSSL's client refuses
  // one over 16 KiB (statem_clnt.c: the max size for TLS_ST_CR_CERT_STATUS is
  // SSL3_RT_MAX_PLAIN_LENGTH): the handshake fails before the engine sees a byte. Not green, and
  // the error says why; TLS 1.3 (the Certificate message) lets the same staple through to be judged.
  tlsCase('garbageStapleTls12', { verdict: 'error', errorCode: 'tls-handshake', message: /excessive message size/ }),
  tlsCase('nestedStaple', 'malformed'),
  tlsCase('longChain', 'bad-signature'),
  tlsCase('manyExtensions', 'cert-id-mismatch'),
];

/** Figures printed at the end, for SECURITY.md. */
const figures: string[] = [];

beforeAll(async () => {
  pki = await mintHostilePki(new Date());
  // The trickle relays a real, well-behaved TLS server.
  plainServer = await startPresentingServer({
    certChainPem: pki.scenario.chainPem(pki.scenario.leaf),
    keyPem: pki.scenario.keys.leaf.privateKeyPem,
    staple: pki.garbageStaple.staple,
  });
  servers.set('trickle', await startRawHostile('trickle', plainServer.port));
  for (const behaviour of ['silent', 'alert', 'half-close', 'reset'] as const) {
    servers.set(behaviour, await startRawHostile(behaviour));
  }
  for (const name of ['garbageStaple', 'nestedStaple', 'longChain', 'manyExtensions'] as const) {
    servers.set(name, await startPresentingServer(pki[name]));
  }
  servers.set('garbageStapleTls12', await startPresentingServer(pki.garbageStaple, 'TLSv1.2'));
});

afterAll(async () => {
  await Promise.all([...servers.values(), plainServer].map((s) => s?.stop()));
  if (figures.length > 0) console.log(`hostile servers:\n${figures.join('\n')}`);
});

/** The verdict, codes and timing every hostile case must meet, whichever way it was checked. */
function expectHeld(c: HostileCase, result: Result, elapsedMs: number, extraSlackMs = 0): void {
  expect(result.verdict).not.toBe('stapled-good');
  expect(result.verdict).toBe(c.expected.verdict);
  if (c.expected.verdict === 'error') {
    expect(result.error?.code).toBe(c.expected.errorCode);
    if (c.expected.message) expect(result.error?.message).toMatch(c.expected.message);
  } else {
    expect(result.problems.filter((p) => p.severity === 'error').map((p) => p.code)).toContain(c.expected.problem);
  }
  const tolerance = timeoutTolerance(c.timeoutMs) + extraSlackMs;
  if (c.timesOut) expect(Math.abs(elapsedMs - c.timeoutMs)).toBeLessThanOrEqual(tolerance);
  else expect(elapsedMs).toBeLessThanOrEqual(c.timeoutMs + tolerance);
}

describe('hostile servers through checkSite', () => {
  beforeAll(async () => {
    // Load the trust store, the parsers and the JIT once, so the heap figures are the cases' own.
    await checkSite({ host: '127.0.0.1', port: plainServer.port, timeoutMs: 5_000 });
  });

  it.each(CASES)('$name', async (c) => {
    const before = heapAfterGc();
    const started = performance.now();
    const { value: result, peakHeap } = await withPeakHeap(() =>
      checkSite({ host: '127.0.0.1', port: c.server().port, timeoutMs: c.timeoutMs }),
    );
    const elapsedMs = performance.now() - started;
    // Sockets closed politely are destroyed within a second at most (src/probe/handshake.ts).
    const retained = heapAfterGc() - before;
    figures.push(
      `  library ${c.name.padEnd(26)} ${result.verdict}/${result.error?.code ?? result.problems[0]?.code} ` +
        `elapsed ${elapsedMs.toFixed(0)} ms of ${c.timeoutMs} (${((elapsedMs / c.timeoutMs - 1) * 100).toFixed(1)} %) ` +
        `peak +${megabytes(peakHeap - before)} retained ${megabytes(retained)}`,
    );
    expectHeld(c, result, elapsedMs);
    expect(peakHeap - before).toBeLessThan(64 * MB);
    expect(retained).toBeLessThan(4 * MB);
  });
});

describe('hostile servers through the host (child process, real frames)', () => {
  let host: HostProcess | undefined;

  beforeAll(async () => {
    assertBuilt();
    const started = HostProcess.start();
    host = started;
    started.request({ id: 'warm', type: 'check', host: '127.0.0.1', port: plainServer.port, timeoutMs: 5_000 });
    await started.answerFor('warm');
  });

  afterAll(async () => {
    if (!host) return;
    host.end();
    expect((await host.exited).code).toBe(0);
  });

  it('answers every case in time, with the right code, and its memory stays bounded', async () => {
    if (!host) throw new Error('no host');
    const rssBefore = residentBytes(host.child.pid as number);
    // One at a time: the host runs eight checks at once and queues the rest, and a queued check's
    // clock starts only when it runs; sequential requests measure the check, not the queue.
    for (const [index, c] of CASES.entries()) {
      const id = `hostile-${index}`;
      const started = performance.now();
      host.request({ id, type: 'check', host: '127.0.0.1', port: c.server().port, timeoutMs: c.timeoutMs });
      const answer = await host.answerFor(id, c.timeoutMs + 10_000);
      const elapsedMs = performance.now() - started;
      expect(answer.ok, JSON.stringify(answer)).toBe(true);
      const result = answer.result as unknown as Result;
      figures.push(
        `  host    ${c.name.padEnd(26)} ${result.verdict}/${result.error?.code ?? result.problems[0]?.code} ` +
          `elapsed ${elapsedMs.toFixed(0)} ms of ${c.timeoutMs} (${((elapsedMs / c.timeoutMs - 1) * 100).toFixed(1)} %)`,
      );
      // The timeout is the host's to hold: judge it by the host's own clock (result.timing.totalMs,
      // from the request's arrival to its answer). The frame round trip through two pipes and a
      // second process's event loop comes on top; on a loaded machine it varies, so it is bounded
      // separately and loosely, never excused from the budget check itself.
      expectHeld(c, result, result.timing.totalMs);
      expect(elapsedMs).toBeLessThanOrEqual(c.timeoutMs + timeoutTolerance(c.timeoutMs) + 1_000);
    }
    const rssAfter = residentBytes(host.child.pid as number);
    if (rssBefore !== null && rssAfter !== null) {
      figures.push(`  host RSS ${megabytes(rssBefore)} -> ${megabytes(rssAfter)}`);
      expect(rssAfter - rssBefore).toBeLessThan(64 * MB);
    }
  });
});

describe('the budget after the handshake', () => {
  // The deadline bounds DNS and the handshakes; judging the evidence afterwards (pkijs parsing the
  // leaf: wantsStaple, judgeStapling, isChainComplete, describeChainCertificate) is synchronous
  // work no timer can interrupt. A server that finishes its handshake just before the deadline and
  // sends a certificate that is costly to parse (a 60 KB leaf with 2,000 extensions) made the check
  // overrun its timeout by half the cost of judging. Held now by the engine's certificate limits
  // (src/core/certificate-limits.ts: such a leaf is refused before pkijs sees it) and by checkSite
  // answering `timeout` when the deadline passed before judging.
  it('a costly certificate that arrives mid-budget keeps within the timeout', async () => {
    let holdMs = 0;
    const [measured, timed] = pki.costlyCertificates;
    const measuringServer = await startPresentingServer(measured);
    const timedServer = await startPresentingServer(timed, undefined, () => holdMs);
    try {
      // What this machine needs for the whole check of such a certificate (handshake: tens of ms;
      // judging: the rest), measured on the first leaf. The timed check meets the second, whose
      // bytes differ, so no cache makes it cheaper. A timeout of that much, with the handshake held
      // for half of it, leaves half the cost of judging over the budget unless the check holds it.
      const unhurried = performance.now();
      await checkSite({ host: '127.0.0.1', port: measuringServer.port, timeoutMs: 10_000 });
      // At least a second: the handshake of a 60 KB leaf alone costs 50-150 ms of CPU here (the
      // server is in this process too), and under the full suite's load (browsers, nginx) a
      // 200 ms budget's 40 ms slack measured the machine, not the check.
      const timeoutMs = Math.max(1_000, Math.round(performance.now() - unhurried));
      holdMs = timeoutMs / 2;
      const started = performance.now();
      const result = await checkSite({ host: '127.0.0.1', port: timedServer.port, timeoutMs });
      const elapsedMs = performance.now() - started;
      figures.push(
        `  library costly certificate (handshake held ${holdMs.toFixed(0)} ms): ` +
          `${result.verdict}/${result.error?.code ?? result.problems[0]?.code} ` +
          `elapsed ${elapsedMs.toFixed(0)} ms of ${timeoutMs} (${((elapsedMs / timeoutMs - 1) * 100).toFixed(1)} %)`,
      );
      expect(result.verdict).not.toBe('stapled-good');
      expect(elapsedMs).toBeLessThanOrEqual(timeoutMs + timeoutTolerance(timeoutMs));
    } finally {
      await Promise.all([measuringServer.stop(), timedServer.stop()]);
    }
  });
});
