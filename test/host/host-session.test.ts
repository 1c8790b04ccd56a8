// The host's request handling in-process, with a fake check: concurrency limit, queue, ids, failures.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { blankResult, type Result } from '../../src/core/result.js';
import { encodeFrame, FrameDecoder } from '../../src/protocol/framing.js';
import { MAX_ANSWER_BYTES, MAX_CONCURRENT_CHECKS, MAX_QUEUED_CHECKS } from '../../src/protocol/limits.js';
import { HostSession, type HostOptions } from '../../src/host/host.js';
import { successAnswer } from '../../src/protocol/answer.js';
import type { CheckSiteOptions } from '../../src/probe/check-site.js';

function fakeResult(options: CheckSiteOptions): Result {
  return {
    ...blankResult(new Date(0), { host: options.host, port: options.port ?? 443 }),
    verdict: 'no-ocsp',
    summary: 'fake',
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
    expect(host.receive(encodeFrame({ id: 1, type: 'ping' }))).toBe('continue');
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

describe('HostSession, answers and bounds', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is idle at once with nothing accepted, and after a ping', async () => {
    const { host, answers } = session({ check: () => new Promise<Result>(() => undefined) });
    await host.idle();
    host.receive(encodeFrame({ id: 1, type: 'ping' }));
    await host.idle();
    expect(answers).toHaveLength(1);
  });

  it('runs MAX_CONCURRENT_CHECKS at once, queues MAX_QUEUED_CHECKS, then says busy (the defaults)', () => {
    let started = 0;
    const { host, answers } = session({
      check: () => {
        started++;
        return new Promise<Result>(() => undefined);
      },
    });
    const total = MAX_CONCURRENT_CHECKS + MAX_QUEUED_CHECKS;
    for (let i = 0; i <= total; i++) host.receive(encodeFrame({ id: i, type: 'check', host: 'a.example' }));
    expect(started).toBe(MAX_CONCURRENT_CHECKS);
    expect(answers).toEqual([
      {
        id: total,
        ok: false,
        error: { code: 'busy', message: `${MAX_QUEUED_CHECKS} checks are already waiting; try again later.` },
      },
    ]);
  });

  it('runs a queued check as soon as a slot frees, and is idle only after the last answer', async () => {
    const gates: Array<() => void> = [];
    const order: string[] = [];
    const { host, answers } = session({
      maxConcurrent: 1,
      check: async (o) => {
        order.push(o.host);
        await new Promise<void>((r) => gates.push(r));
        return fakeResult(o);
      },
    });
    let idle = false;
    host.receive(
      Buffer.concat([
        encodeFrame({ id: 1, type: 'check', host: 'a.example' }),
        encodeFrame({ id: 2, type: 'check', host: 'b.example' }),
      ]),
    );
    void host.idle().then(() => (idle = true));
    expect(order).toEqual(['a.example']);
    gates.shift()?.();
    await new Promise((r) => setTimeout(r, 5));
    expect(order).toEqual(['a.example', 'b.example']);
    expect(answers.map((a) => a.id)).toEqual([1]);
    expect(idle).toBe(false);
    gates.shift()?.();
    await host.idle();
    expect(answers.map((a) => a.id)).toEqual([1, 2]);
    expect(idle).toBe(true);
  });

  it('names the id still in flight, and takes it again once answered', async () => {
    const gate = deferred<void>();
    const { host, answers } = session({
      check: async (o) => {
        await gate.promise;
        return fakeResult(o);
      },
    });
    host.receive(encodeFrame({ id: 'x', type: 'check', host: 'a.example' }));
    host.receive(encodeFrame({ id: 'x', type: 'check', host: 'b.example' }));
    expect(answers).toEqual([
      { id: 'x', ok: false, error: { code: 'bad-request', message: 'A request with id "x" is still running.' } },
    ]);
    gate.resolve();
    await host.idle();
    host.receive(encodeFrame({ id: 'x', type: 'check', host: 'c.example' }));
    await host.idle();
    expect(answers.slice(1)).toMatchObject([
      { id: 'x', ok: true, result: { host: 'a.example' } },
      { id: 'x', ok: true, result: { host: 'c.example' } },
    ]);
  });

  it('answers a frame that is not JSON with id null, and a bad request with its own id', () => {
    const { host, answers } = session();
    const notJson = Buffer.from('{nope', 'utf8');
    const header = Buffer.alloc(4);
    header.writeUInt32LE(notJson.length);
    host.receive(Buffer.concat([header, notJson]));
    host.receive(encodeFrame({ id: 7, type: 'launch' }));
    expect(answers).toMatchObject([
      { id: null, ok: false, error: { code: 'bad-request', message: 'The message is not valid JSON.' } },
      { id: 7, ok: false, error: { code: 'bad-request' } },
    ]);
  });

  it('answers the frames before an oversized length first, then names the length and the limit', () => {
    const { host, answers } = session();
    const header = Buffer.alloc(4);
    header.writeUInt32LE(2_000_000);
    expect(host.receive(Buffer.concat([encodeFrame({ id: 1, type: 'ping' }), header]))).toBe('fatal');
    expect(answers).toEqual([
      { id: 1, ok: true, result: { version: '9.9.9' } },
      {
        id: null,
        ok: false,
        error: {
          code: 'frame-too-large',
          message: 'A message announced 2000000 bytes; the limit is 1048576. The host stops.',
        },
      },
    ]);
  });

  it('gives up after the check timeout plus the grace, not before, and leaves no timer behind', async () => {
    vi.useFakeTimers();
    const { host, answers } = session({ check: () => new Promise<Result>(() => undefined), watchdogGraceMs: 500 });
    host.receive(encodeFrame({ id: 1, type: 'check', host: 'a.example', timeoutMs: 1000 }));
    await vi.advanceTimersByTimeAsync(1499);
    expect(answers).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(answers).toEqual([
      { id: 1, ok: false, error: { code: 'internal', message: 'The check did not finish within 1000 ms.' } },
    ]);
    await host.idle();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('waits HOST_WATCHDOG_GRACE_MS (5 s) past the timeout by default', async () => {
    vi.useFakeTimers();
    const { host, answers } = session({ check: () => new Promise<Result>(() => undefined) });
    host.receive(encodeFrame({ id: 1, type: 'check', host: 'a.example', timeoutMs: 1000 }));
    await vi.advanceTimersByTimeAsync(5999);
    expect(answers).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(answers).toMatchObject([{ id: 1, ok: false, error: { code: 'internal' } }]);
  });

  it('clears the watchdog of a check that finished', async () => {
    vi.useFakeTimers();
    const { host, answers } = session();
    host.receive(encodeFrame({ id: 1, type: 'check', host: 'a.example' }));
    await host.idle();
    expect(answers).toMatchObject([{ id: 1, ok: true }]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('logs what a check threw (the stack of an Error, the text of anything else)', async () => {
    const { host, answers, logs } = session({
      check: async (o) => {
        if (o.host === 'error.example') throw new Error('bug in the probe');
        throw 'a bare string';
      },
    });
    host.receive(encodeFrame({ id: 1, type: 'check', host: 'error.example' }));
    host.receive(encodeFrame({ id: 2, type: 'check', host: 'string.example' }));
    await host.idle();
    expect(answers).toEqual([
      { id: 1, ok: false, error: { code: 'internal', message: 'The check failed inside the host.' } },
      { id: 2, ok: false, error: { code: 'internal', message: 'The check failed inside the host.' } },
    ]);
    expect(logs[0]).toMatch(/^check 1 failed: Error: bug in the probe\n\s+at /);
    expect(logs[1]).toBe('check 2 failed: a bare string');
  });

  it('logs an Error without a stack by its message', async () => {
    const { host, logs } = session({
      check: async () => {
        const err = new Error('no stack here');
        err.stack = undefined;
        throw err;
      },
    });
    host.receive(encodeFrame({ id: 'e', type: 'check', host: 'a.example' }));
    await host.idle();
    expect(logs).toEqual(['check "e" failed: no stack here']);
  });

  it('answers internal for a result JSON cannot encode, and logs why', async () => {
    const { host, answers, logs } = session({
      check: async (o) => ({ ...fakeResult(o), timing: { totalMs: 10n as unknown as number } }),
    });
    host.receive(encodeFrame({ id: 1, type: 'check', host: 'a.example' }));
    await host.idle();
    expect(answers).toEqual([{ id: 1, ok: false, error: { code: 'internal', message: 'Unencodable answer.' } }]);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^cannot encode answer: TypeError: .*BigInt/);
  });

  it('sends an answer of exactly MAX_ANSWER_BYTES, and replaces one a byte longer, naming its size', async () => {
    const base = encodeFrame(successAnswer(1, { ...fakeResult({ host: 'fits.example' }), summary: '' })).length - 4;
    // 'fits.example' and 'over.example' are as long as each other, and so are the ids 1 and 2.
    const fill = MAX_ANSWER_BYTES - base;
    const { host, answers } = session({
      check: async (o) => ({ ...fakeResult(o), summary: 'x'.repeat(o.host === 'fits.example' ? fill : fill + 1) }),
    });
    host.receive(encodeFrame({ id: 1, type: 'check', host: 'fits.example' }));
    host.receive(encodeFrame({ id: 2, type: 'check', host: 'over.example' }));
    await host.idle();
    expect(answers[0]).toMatchObject({ id: 1, ok: true });
    expect((answers[0]?.result as Result).summary).toHaveLength(fill);
    expect(answers[1]).toEqual({
      id: 2,
      ok: false,
      error: {
        code: 'answer-too-large',
        message: `The answer is ${MAX_ANSWER_BYTES + 1} bytes; browsers take 1 MB at most.`,
      },
    });
  });
});
