// The host's request handling in-process, with a fake check: concurrency limit, queue, ids, failures.
import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/core/result.js';
import { encodeFrame, FrameDecoder } from '../../src/protocol/framing.js';
import { HostSession, type HostOptions } from '../../src/host/host.js';
import type { CheckSiteOptions } from '../../src/probe/check-site.js';

function fakeResult(options: CheckSiteOptions): Result {
  return {
    host: options.host,
    port: options.port ?? 443,
    servername: null,
    address: null,
    checkedAt: new Date(0).toISOString(),
    verdict: 'no-ocsp',
    summary: 'fake',
    problems: [],
    tls: null,
    certificate: null,
    chain: null,
    ocsp: null,
    timing: { totalMs: 0 },
    error: null,
  };
}

function session(overrides: Partial<HostOptions> = {}) {
  const decoder = new FrameDecoder();
  const answers: Array<Record<string, unknown>> = [];
  const logs: string[] = [];
  const host = new HostSession({
    version: '9.9.9',
    check: async (o) => fakeResult(o),
    write: (frame) => {
      for (const f of decoder.push(frame).frames)
        answers.push(JSON.parse(Buffer.from(f).toString('utf8')) as Record<string, unknown>);
    },
    log: (m) => logs.push(m),
    ...overrides,
  });
  return { host, answers, logs };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('HostSession', () => {
  it('answers ping with the version', () => {
    const { host, answers } = session();
    host.receive(encodeFrame({ id: 1, type: 'ping' }));
    expect(answers).toEqual([{ id: 1, ok: true, result: { version: '9.9.9' } }]);
  });

  it('runs at most maxConcurrent checks and queues the rest, answering all', async () => {
    let running = 0;
    let peak = 0;
    const gates: Array<() => void> = [];
    const { host, answers } = session({
      maxConcurrent: 3,
      check: async (o) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((r) => gates.push(r));
        running--;
        return fakeResult(o);
      },
    });
    for (let i = 0; i < 10; i++) host.receive(encodeFrame({ id: i, type: 'check', host: `h${i}.example` }));
    await new Promise((r) => setTimeout(r, 10));
    expect(running).toBe(3);
    while (answers.length < 10) {
      gates.shift()?.();
      await new Promise((r) => setTimeout(r, 1));
    }
    await host.idle();
    expect(peak).toBe(3);
    expect(answers.map((a) => a.id).sort((a, b) => Number(a) - Number(b))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('answers out of order, by id', async () => {
    const slow = deferred<void>();
    const { host, answers } = session({
      check: async (o) => {
        if (o.host === 'slow.example') await slow.promise;
        return fakeResult(o);
      },
    });
    host.receive(
      Buffer.concat([
        encodeFrame({ id: 'slow', type: 'check', host: 'slow.example' }),
        encodeFrame({ id: 'fast', type: 'check', host: 'fast.example' }),
      ]),
    );
    await new Promise((r) => setTimeout(r, 10));
    expect(answers.map((a) => a.id)).toEqual(['fast']);
    slow.resolve();
    await host.idle();
    expect(answers.map((a) => a.id)).toEqual(['fast', 'slow']);
  });

  it('says busy when the queue is full', () => {
    const never = new Promise<Result>(() => undefined);
    const { host, answers } = session({ maxConcurrent: 1, maxQueued: 1, check: () => never });
    for (let i = 0; i < 3; i++) host.receive(encodeFrame({ id: i, type: 'check', host: 'a.example' }));
    expect(answers).toEqual([{ id: 2, ok: false, error: { code: 'busy', message: expect.any(String) as unknown } }]);
  });

  it('refuses a second request under an id still in flight', () => {
    const never = new Promise<Result>(() => undefined);
    const { host, answers } = session({ check: () => never });
    host.receive(encodeFrame({ id: 5, type: 'check', host: 'a.example' }));
    host.receive(encodeFrame({ id: 5, type: 'check', host: 'b.example' }));
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ id: 5, ok: false, error: { code: 'bad-request' } });
  });

  it('turns a check that throws into an internal error and keeps serving', async () => {
    const { host, answers, logs } = session({
      check: async () => {
        throw new Error('bug');
      },
    });
    host.receive(encodeFrame({ id: 1, type: 'check', host: 'a.example' }));
    await host.idle();
    host.receive(encodeFrame({ id: 2, type: 'ping' }));
    expect(answers[0]).toMatchObject({ id: 1, ok: false, error: { code: 'internal' } });
    expect(answers[1]).toMatchObject({ id: 2, ok: true });
    expect(logs.join('\n')).toContain('bug');
  });

  it('gives up on a check that outlives its timeout (watchdog)', async () => {
    const never = new Promise<Result>(() => undefined);
    const { host, answers } = session({ check: () => never, watchdogGraceMs: 0 });
    host.receive(encodeFrame({ id: 1, type: 'check', host: 'a.example', timeoutMs: 1000 }));
    await host.idle();
    expect(answers[0]).toMatchObject({ id: 1, ok: false, error: { code: 'internal' } });
  });

  it('replaces an answer above 1 MB, which browsers would refuse', async () => {
    const { host, answers } = session({
      check: async (o) => ({ ...fakeResult(o), summary: 'x'.repeat(1024 * 1024 + 1) }),
    });
    host.receive(encodeFrame({ id: 1, type: 'check', host: 'a.example' }));
    await host.idle();
    expect(answers[0]).toMatchObject({ id: 1, ok: false, error: { code: 'answer-too-large' } });
  });

  it('reports an oversized length once, as fatal', () => {
    const { host, answers } = session();
    const header = Buffer.alloc(4);
    header.writeUInt32LE(1024 * 1024 + 1);
    expect(host.receive(header)).toBe('fatal');
    expect(answers).toEqual([
      { id: null, ok: false, error: { code: 'frame-too-large', message: expect.any(String) as unknown } },
    ]);
  });
});
