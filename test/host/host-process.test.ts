// The host as browsers run it: a child process speaking real frames on stdin/stdout, checking a
// real TLS server on loopback. Needs the build (npm test builds first).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_EXTENSION_ID, FIREFOX_EXTENSION_ID } from '../../src/protocol/extension-ids.js';
import {
  assertBuilt,
  BUILT_HOST,
  frame,
  header,
  HostProcess,
  mintSelfSigned,
  parseAllFrames,
  startStaplingServer,
  tempDir,
  type StaplingServer,
} from './host-harness.js';
import { closedPort } from '../support/servers.js';

const VERSION = (await import('../../package.json', { with: { type: 'json' } })).default.version;

let dir: ReturnType<typeof tempDir>;
let fast: StaplingServer;
let slow: StaplingServer;
const hosts: HostProcess[] = [];

function start(args: string[] = [], script?: string): HostProcess {
  const host = HostProcess.start({ args, ...(script ? { script } : {}) });
  hosts.push(host);
  return host;
}

beforeAll(async () => {
  assertBuilt();
  dir = tempDir('host');
  const { certPem, keyPem } = mintSelfSigned(dir.path);
  fast = await startStaplingServer({ certPem, keyPem });
  slow = await startStaplingServer({ certPem, keyPem, delayMs: 1_500 });
});

afterEach(() => {
  for (const host of hosts.splice(0)) host.kill();
});

afterAll(async () => {
  await fast?.stop();
  await slow?.stop();
  dir?.remove();
});

describe('staplecheck-host as a child process', () => {
  it('answers ping with the package version, and exits 0 on EOF', async () => {
    const host = start();
    host.request({ id: 1, type: 'ping' });
    expect(await host.answerFor(1)).toEqual({ id: 1, ok: true, result: { version: VERSION } });
    host.end();
    expect(await host.exited).toEqual({ code: 0, signal: null });
    expect(parseAllFrames(host.stdout)).toHaveLength(1);
  });

  it('exits 0 on its own once idle (after its answers), with stdin still open', async () => {
    const host = HostProcess.start({ env: { ...process.env, STAPLECHECK_HOST_IDLE_MS: '300' } });
    host.request({ id: 1, type: 'ping' });
    expect(await host.answerFor(1)).toEqual({ id: 1, ok: true, result: { version: VERSION } });
    expect(await host.exited).toEqual({ code: 0, signal: null });
    expect(host.stderr).toMatch(/idle for 300 ms; exiting/);
    expect(parseAllFrames(host.stdout)).toHaveLength(1);
  });

  it('checks a loopback TLS server that staples and returns a Result', async () => {
    const host = start();
    host.request({ id: 'c1', type: 'check', host: '127.0.0.1', port: fast.port, timeoutMs: 5000 });
    const answer = await host.answerFor('c1');
    expect(answer.ok).toBe(true);
    const result = answer.result as Record<string, unknown>;
    expect(typeof result.verdict).toBe('string');
    expect(result.host).toBe('127.0.0.1');
    expect(result.port).toBe(fast.port);
    expect(result.verdict).not.toBe('error');
    expect(result.tls).toMatchObject({ protocol: expect.stringMatching(/^TLS/) as unknown });
    host.end();
    expect((await host.exited).code).toBe(0);
  });

  it('normalises an IDN host to punycode (checked at a given address, so no DNS)', async () => {
    const host = start();
    host.request({
      id: 2,
      type: 'check',
      host: 'Bücher.example',
      address: '127.0.0.1',
      port: fast.port,
      timeoutMs: 5000,
    });
    const answer = await host.answerFor(2);
    expect(answer.ok).toBe(true);
    expect(answer.result).toMatchObject({
      host: 'xn--bcher-kva.example',
      servername: 'xn--bcher-kva.example',
      address: '127.0.0.1',
    });
    host.end();
    await host.exited;
  });

  it('serves several requests at once and answers by id, out of order', async () => {
    const host = start();
    host.send(
      Buffer.concat([
        frame({ id: 'slow', type: 'check', host: '127.0.0.1', port: slow.port, timeoutMs: 10000 }),
        frame({ id: 'fast', type: 'check', host: '127.0.0.1', port: fast.port, timeoutMs: 10000 }),
        frame({ id: 'ping', type: 'ping' }),
      ]),
    );
    const answers = await host.waitFor((all) => all.length === 3);
    expect(answers.map((a) => a.id)).toEqual(['ping', 'fast', 'slow']);
    expect(answers.every((a) => a.ok)).toBe(true);
    expect((answers[2]?.result as { port: number }).port).toBe(slow.port);
    host.end();
    expect((await host.exited).code).toBe(0);
  });

  it('answers many concurrent checks (more than the concurrency limit), each once', async () => {
    const host = start();
    const ids = Array.from({ length: 20 }, (_, i) => i);
    host.send(Buffer.concat(ids.map((id) => frame({ id, type: 'check', host: '127.0.0.1', port: fast.port }))));
    const answers = await host.waitFor((all) => all.length === ids.length, 40_000);
    expect(answers.map((a) => a.id).sort((a, b) => Number(a) - Number(b))).toEqual(ids);
    expect(answers.every((a) => a.ok && typeof a.result?.verdict === 'string')).toBe(true);
    host.end();
    await host.exited;
  });

  it('waits for checks in flight before exiting on EOF', async () => {
    const host = start();
    host.request({ id: 'late', type: 'check', host: '127.0.0.1', port: slow.port, timeoutMs: 10000 });
    host.end();
    expect((await host.exited).code).toBe(0);
    expect(parseAllFrames(host.stdout).map((a) => a.id)).toEqual(['late']);
  });

  it('answers every kind of malformed request with bad-request and keeps serving', async () => {
    const host = start();
    const bad: Array<[unknown, unknown]> = [
      [Buffer.from('this is not json'), null],
      [Buffer.from([0x22, 0xff, 0xfe, 0x22]), null], // not UTF-8
      [Buffer.alloc(0), null], // zero-length frame
      [[{ id: 1, type: 'ping' }], null], // array instead of object
      [{ type: 'ping' }, null], // missing id
      [{ id: { nested: true }, type: 'ping' }, null],
      [{ id: 10, type: 'check', host: 'exa mple.com' }, 10],
      [{ id: 11, type: 'check', host: '-bad-.example' }, 11],
      [{ id: 12, type: 'check', host: 'example.com', port: 0 }, 12],
      [{ id: 13, type: 'check', host: 'example.com', port: 70000 }, 13],
      [{ id: 14, type: 'check', host: 'example.com', port: '443' }, 14],
      [{ id: 15, type: 'check', host: 'example.com', timeoutMs: 10 }, 15],
      [{ id: 16, type: 'check', host: 'example.com', timeoutMs: 600000 }, 16],
      [{ id: 17, type: 'launch-missiles' }, 17],
      [{ id: 18, type: 'check' }, 18], // no host
      [{ id: 19, type: 'check', host: 'example.com', address: 'not-an-ip' }, 19],
    ];
    for (const [payload] of bad) host.send(frame(payload));
    host.request({ id: 'after', type: 'ping' });
    const answers = await host.waitFor((all) => all.some((a) => a.id === 'after'));
    expect(answers).toHaveLength(bad.length + 1);
    for (const [i, [, id]] of bad.entries()) {
      expect(answers[i]).toMatchObject({ id, ok: false, error: { code: 'bad-request' } });
      expect(typeof answers[i]?.error?.message).toBe('string');
    }
    expect(answers[bad.length]).toMatchObject({ id: 'after', ok: true });
    const messageOf = (id: number): string | undefined => answers.find((a) => a.id === id)?.error?.message;
    expect(messageOf(12)).toMatch(/port/);
    expect(messageOf(14)).toMatch(/port/);
    expect(messageOf(15)).toMatch(/timeoutMs/);
    expect(messageOf(17)).toMatch(/launch-missiles/);
    host.end();
    expect((await host.exited).code).toBe(0);
  });

  it('answers an oversized length once, then exits non-zero', async () => {
    const host = start();
    host.request({ id: 1, type: 'ping' });
    host.send(Buffer.concat([header(1024 * 1024 + 1), Buffer.from('{"id":2,"type":"ping"}')]));
    const exit = await host.exited;
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    const answers = parseAllFrames(host.stdout);
    expect(answers).toEqual([
      { id: 1, ok: true, result: { version: VERSION } },
      {
        id: null,
        ok: false,
        error: { code: 'frame-too-large', message: expect.stringContaining('1048577') as unknown },
      },
    ]);
  });

  it('after an oversized length, still answers the check already accepted, then exits non-zero', async () => {
    const host = start();
    const port = await closedPort();
    host.request({ id: 'in-flight', type: 'check', host: '127.0.0.1', port, timeoutMs: 2000 });
    host.send(header(1024 * 1024 + 1));
    const exit = await host.exited;
    expect(exit.code).toBe(1);
    const answers = parseAllFrames(host.stdout) as { id: unknown; ok: boolean; result?: { verdict?: string } }[];
    expect(answers.map((a) => a.id).sort()).toEqual(['in-flight', null].sort());
    expect(answers.find((a) => a.id === 'in-flight')?.result?.verdict).toBe('error');
  });

  it('takes requests split byte by byte and coalesced', async () => {
    const host = start();
    const bytes = Buffer.concat([frame({ id: 'é', type: 'ping' }), frame({ id: '😀', type: 'ping' })]);
    for (let i = 0; i < 7; i++) host.send(bytes.subarray(i, i + 1));
    await new Promise((r) => setTimeout(r, 50));
    host.send(bytes.subarray(7));
    const answers = await host.waitFor((all) => all.length === 2);
    expect(answers.map((a) => a.id)).toEqual(['é', '😀']);
    host.end();
    await host.exited;
  });

  it('exits 0 on a stream truncated inside a frame, saying so on stderr', async () => {
    const host = start();
    host.send(frame({ id: 1, type: 'ping' }).subarray(0, 10));
    host.end();
    expect((await host.exited).code).toBe(0);
    expect(host.stdout.length).toBe(0);
    expect(host.stderr).toMatch(/inside a frame/);
  });

  it('exits 0 on immediate EOF', async () => {
    const host = start();
    host.end();
    expect(await host.exited).toEqual({ code: 0, signal: null });
    expect(host.stdout.length).toBe(0);
  });

  it('runs for our Chromium origin and our Firefox add-on', async () => {
    for (const args of [
      [`chrome-extension://${CHROMIUM_EXTENSION_ID}/`],
      ['/tmp/dev.staplecheck.host.json', FIREFOX_EXTENSION_ID],
    ]) {
      const host = start(args);
      host.request({ id: 1, type: 'ping' });
      expect((await host.answerFor(1)).ok).toBe(true);
      host.end();
      expect((await host.exited).code).toBe(0);
    }
  });

  it('refuses another extension: non-zero exit, a stderr message, nothing on stdout', async () => {
    for (const args of [
      [`chrome-extension://${'b'.repeat(32)}/`],
      ['/tmp/dev.staplecheck.host.json', 'other@example.com'],
    ]) {
      const host = start(args);
      host.request({ id: 1, type: 'ping' });
      const exit = await host.exited;
      expect(exit.code).not.toBe(0);
      expect(host.stdout.length).toBe(0);
      expect(host.stderr).toMatch(/refusing/);
    }
  });

  it('keeps stray console output and uncaught errors off stdout, and keeps serving', async () => {
    // Something in the process (a library, say) writes to stdout and throws after the host started.
    const script = join(dir.path, 'noisy-host.mjs');
    writeFileSync(
      script,
      [
        'setTimeout(() => {',
        "  console.log('stray console.log');",
        "  console.info('stray console.info');",
        "  process.stdout.write('stray stdout write\\n');",
        '}, 20);',
        "setTimeout(() => { throw new Error('stray exception'); }, 30);",
        "setTimeout(() => { Promise.reject(new Error('stray rejection')); }, 40);",
        `await import(${JSON.stringify(BUILT_HOST)});`,
      ].join('\n'),
    );
    const host = start([], script);
    await new Promise((r) => setTimeout(r, 300));
    host.request({ id: 'still-alive', type: 'ping' });
    await host.answerFor('still-alive');
    host.end();
    expect((await host.exited).code).toBe(0);
    expect(parseAllFrames(host.stdout)).toEqual([{ id: 'still-alive', ok: true, result: { version: VERSION } }]);
    expect(host.stderr).toContain('stray console.log');
    expect(host.stderr).toContain('stray stdout write');
    expect(host.stderr).toContain('stray exception');
    expect(host.stderr).toContain('stray rejection');
  });
});
