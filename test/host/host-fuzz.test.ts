// No input on stdin may crash the host or put anything but frames on stdout (PROTOCOL.md).
// Seeded pseudo-random frames: bytes, JSON of every shape, near-miss requests, split anywhere.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, HostProcess, parseAllFrames } from './host-harness.js';
import { random, randomStream } from './random-frames.js';

const hosts: HostProcess[] = [];
beforeAll(() => assertBuilt());
afterEach(() => {
  for (const host of hosts.splice(0)) host.kill();
});

describe('the host under random input', () => {
  it.each([1, 2, 3, 4, 5])('seed %i: only frames on stdout, an answer per frame, exit 0 on EOF', async (seed) => {
    const next = random(seed * 7919);
    const host = HostProcess.start();
    hosts.push(host);
    // Cut the stream at random places, as pipes do.
    const { frameCount, chunks } = randomStream(next, 60);
    for (const chunk of chunks) host.send(chunk);
    host.end();
    const exit = await host.exited;
    expect(exit.code, host.stderr).toBe(0);
    const answers = parseAllFrames(host.stdout); // throws on anything but frames
    expect(answers).toHaveLength(frameCount);
    for (const answer of answers) expect(typeof answer.ok).toBe('boolean');
  });
});
