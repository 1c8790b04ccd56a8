// `serve` in-process, on a PassThrough stream in place of stdin: when the host exits and with which
// status (EOF, an unframeable stream, a failed stdin, the idle exit), and that every accepted request
// is answered first. Fake timers stand in for the idle wait; host-process.test.ts runs the real one.
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { blankResult, type Result } from '../../src/core/result.js';
import { encodeFrame, FrameDecoder } from '../../src/protocol/framing.js';
import { HostSession, serve, type HostOptions } from '../../src/host/host.js';
import type { CheckSiteOptions } from '../../src/probe/check-site.js';

function fakeResult(options: CheckSiteOptions): Result {
  return {
    ...blankResult(new Date(0), { host: options.host, port: options.port ?? 443 }),
    verdict: 'no-ocsp',
    summary: 'fake',
  };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Starts `serve` on a fresh stream; `status` records when (and how) it ends. */
function start(idleExitMs: number | undefined, overrides: Partial<HostOptions> = {}) {
  const input = new PassThrough();
  const decoder = new FrameDecoder();
  const answers: Array<Record<string, unknown>> = [];
  const logs: string[] = [];
  let status: number | undefined;
  const done = serve(
    { input, idleExitMs },
    {
      version: '9.9.9',
      check: async (o) => fakeResult(o),
      write: (frame) => {
        for (const f of decoder.push(frame).frames)
          answers.push(JSON.parse(Buffer.from(f).toString('utf8')) as Record<string, unknown>);
      },
      log: (m) => logs.push(m),
      ...overrides,
    },
  ).then((s) => {
    status = s;
    return s;
  });
  return { input, answers, logs, done, status: () => status };
}

/** Lets the stream deliver what was written and the promise chains settle. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
}

function lengthHeader(length: number): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32LE(length);
  return header;
}

/** `start`, with every check held until `gate` is resolved (a check still running). */
function startHeld(idleExitMs: number | undefined) {
  const gate = deferred<void>();
  const host = start(idleExitMs, {
    check: async (o) => {
      await gate.promise;
      return fakeResult(o);
    },
  });
  return { host, gate };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('serve', () => {
  it('exits 0 at EOF, only after the check still running is answered', async () => {
    const { host, gate } = startHeld(undefined);
    host.input.write(encodeFrame({ id: 'c', type: 'check', host: 'a.example' }));
    host.input.write(encodeFrame({ id: 'p', type: 'ping' }));
    host.input.end();
    await settle();
    expect(host.answers.map((a) => a.id)).toEqual(['p']);
    expect(host.status()).toBeUndefined();
    gate.resolve();
    expect(await host.done).toBe(0);
    expect(host.answers.map((a) => a.id)).toEqual(['p', 'c']);
    expect(host.logs).toEqual([]);
  });

  it('takes text chunks as UTF-8 (a stream with an encoding set)', async () => {
    const host = start(undefined);
    host.input.setEncoding('utf8');
    host.input.end(encodeFrame({ id: 'é', type: 'ping' }));
    expect(await host.done).toBe(0);
    expect(host.answers).toEqual([{ id: 'é', ok: true, result: { version: '9.9.9' } }]);
  });

  it('says how many bytes a frame cut short by EOF held, and still exits 0', async () => {
    const host = start(undefined);
    host.input.write(encodeFrame({ id: 1, type: 'ping' }));
    host.input.end(Buffer.concat([lengthHeader(10), Buffer.from('{"id"')]));
    expect(await host.done).toBe(0);
    expect(host.answers).toEqual([{ id: 1, ok: true, result: { version: '9.9.9' } }]);
    expect(host.logs).toEqual(['input ended inside a frame (9 bytes dropped)']);
  });

  it('stops reading at an oversized length and exits 1 once the accepted checks are answered', async () => {
    const { host, gate } = startHeld(undefined);
    host.input.write(encodeFrame({ id: 'c', type: 'check', host: 'a.example' }));
    host.input.write(lengthHeader(1024 * 1024 + 1));
    await settle();
    // Nothing after a bad length can be framed: a later ping is not read, let alone answered.
    host.input.write(encodeFrame({ id: 'later', type: 'ping' }));
    await settle();
    expect(host.answers).toEqual([
      { id: null, ok: false, error: { code: 'frame-too-large', message: expect.any(String) as unknown } },
    ]);
    expect(host.status()).toBeUndefined();
    gate.resolve();
    expect(await host.done).toBe(1);
    expect(host.answers.map((a) => a.id)).toEqual([null, 'c']);
  });

  it('exits 1 when stdin fails, after answering what it accepted', async () => {
    const { host, gate } = startHeld(undefined);
    host.input.write(encodeFrame({ id: 'c', type: 'check', host: 'a.example' }));
    await settle();
    host.input.emit('error', new Error('EIO'));
    await settle();
    expect(host.status()).toBeUndefined();
    gate.resolve();
    expect(await host.done).toBe(1);
    expect(host.answers.map((a) => a.id)).toEqual(['c']);
    expect(host.logs).toEqual(['stdin failed: EIO']);
  });

  it('exits 0 after idleExitMs with no input, and not before', async () => {
    vi.useFakeTimers();
    const host = start(1000);
    await vi.advanceTimersByTimeAsync(999);
    expect(host.status()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(host.status()).toBe(0);
    expect(host.logs).toEqual(['idle for 1000 ms; exiting']);
  });

  it('never exits on its own without idleExitMs', async () => {
    vi.useFakeTimers();
    const host = start(undefined);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(host.status()).toBeUndefined();
    host.input.end();
    await vi.advanceTimersByTimeAsync(0);
    expect(host.status()).toBe(0);
  });

  it('counts the idle time from the last input, not from the start', async () => {
    vi.useFakeTimers();
    const host = start(1000);
    await vi.advanceTimersByTimeAsync(600);
    host.input.write(encodeFrame({ id: 1, type: 'ping' }));
    await vi.advanceTimersByTimeAsync(600);
    expect(host.answers).toHaveLength(1);
    expect(host.status()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(399);
    expect(host.status()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(host.status()).toBe(0);
  });

  it('does not count a running check as idle: the wait starts once it is answered', async () => {
    vi.useFakeTimers();
    const { host, gate } = startHeld(1000);
    host.input.write(encodeFrame({ id: 'c', type: 'check', host: 'a.example', timeoutMs: 60_000 }));
    await vi.advanceTimersByTimeAsync(5000);
    expect(host.status()).toBeUndefined();
    gate.resolve();
    await vi.advanceTimersByTimeAsync(999);
    expect(host.answers.map((a) => a.id)).toEqual(['c']);
    expect(host.status()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(host.status()).toBe(0);
  });

  it('counts from the last input even when earlier input was waiting on a check', async () => {
    vi.useFakeTimers();
    const { host, gate } = startHeld(1000);
    host.input.write(encodeFrame({ id: 'c', type: 'check', host: 'a.example', timeoutMs: 60_000 }));
    await vi.advanceTimersByTimeAsync(500);
    host.input.write(encodeFrame({ id: 'p1', type: 'ping' }));
    await vi.advanceTimersByTimeAsync(300);
    gate.resolve();
    await vi.advanceTimersByTimeAsync(700);
    host.input.write(encodeFrame({ id: 'p2', type: 'ping' }));
    // The wait that began with the first chunk must not end the host 1000 ms after the check.
    await vi.advanceTimersByTimeAsync(999);
    expect(host.answers.map((a) => a.id)).toEqual(['p1', 'c', 'p2']);
    expect(host.status()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(host.status()).toBe(0);
    expect(host.logs).toEqual(['idle for 1000 ms; exiting']);
  });

  it('keeps one idle wait at a time, however many requests come while a check runs (bounded memory)', async () => {
    vi.useFakeTimers();
    const idle = vi.spyOn(HostSession.prototype, 'idle');
    const { host, gate } = startHeld(1000);
    host.input.write(encodeFrame({ id: 'c', type: 'check', host: 'a.example', timeoutMs: 60_000 }));
    await vi.advanceTimersByTimeAsync(10);
    for (let i = 0; i < 50; i++) {
      host.input.write(encodeFrame({ id: i, type: 'ping' }));
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(host.answers).toHaveLength(50);
    // The wait from the start, and the one the first chunk began; not one per chunk.
    expect(idle.mock.calls.length).toBeLessThanOrEqual(2);
    gate.resolve();
    await vi.advanceTimersByTimeAsync(999);
    expect(host.status()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(host.status()).toBe(0);
    idle.mockRestore();
  });

  it('says nothing more once it has exited: a later EOF inside a frame is not reported', async () => {
    vi.useFakeTimers();
    const host = start(1000);
    host.input.write(Buffer.concat([lengthHeader(10), Buffer.from('{"id"')]));
    await vi.advanceTimersByTimeAsync(1000);
    expect(host.status()).toBe(0);
    host.input.end();
    await vi.advanceTimersByTimeAsync(0);
    expect(host.input.readableEnded).toBe(true);
    expect(host.logs).toEqual(['idle for 1000 ms; exiting']);
  });

  it('exits once, with the first reason: EOF before the idle time is up', async () => {
    vi.useFakeTimers();
    const host = start(1000);
    host.input.end();
    await vi.advanceTimersByTimeAsync(0);
    expect(host.status()).toBe(0);
    await vi.advanceTimersByTimeAsync(2000);
    expect(host.logs).toEqual([]);
  });
});
