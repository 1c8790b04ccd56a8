// Seeded pseudo-random host input: JSON of every shape, near-miss requests, raw bytes under a
// correct length. Shared by test/host/host-fuzz.test.ts (bounded) and `npm run fuzz` (long runs).
import { frame, header } from './host-harness.js';

/** xorshift32: reproducible, so a failure can be replayed from its seed. */
export function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

export function randomValue(next: () => number, depth = 0): unknown {
  const pick = Math.floor(next() * (depth > 2 ? 6 : 8));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return next() < 0.5;
    case 2:
      return [0, -1, 1.5, 443, 65536, Number.MAX_VALUE, Number.MAX_SAFE_INTEGER][Math.floor(next() * 7)];
    case 3:
      return ['', 'ping', 'check', 'localhost', '127.0.0.1', '[::1]', 'é😀', '\u0000', 'x'.repeat(300)][
        Math.floor(next() * 9)
      ];
    case 4:
      return { id: randomValue(next, depth + 1), type: ['ping', 'check', 'nope'][Math.floor(next() * 3)] };
    case 5:
      // A near-miss check that never reaches the network: invalid host, port or timeout.
      return {
        id: Math.floor(next() * 1000),
        type: 'check',
        host: ['', 'bad host', '-x-.com', '::1::2', 'a'.repeat(300)][Math.floor(next() * 5)],
        port: [0, 70000, '443', -1][Math.floor(next() * 4)],
      };
    case 6:
      return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let i = 0; i < Math.floor(next() * 4); i++) object[`k${i}`] = randomValue(next, depth + 1);
      return object;
    }
  }
}

export function randomFrame(next: () => number): Buffer {
  const kind = next();
  if (kind < 0.6) return frame(randomValue(next));
  // Raw bytes under a correct length: not JSON, or not UTF-8.
  const bytes = Buffer.from(Array.from({ length: Math.floor(next() * 64) }, () => Math.floor(next() * 256)));
  return Buffer.concat([header(bytes.length), bytes]);
}

/** `frames` random frames as one stream, and the chunks to write it in (cut as pipes do). */
export function randomStream(next: () => number, frames: number): { frameCount: number; chunks: Buffer[] } {
  const stream = Buffer.concat(Array.from({ length: frames }, () => randomFrame(next)));
  const chunks: Buffer[] = [];
  for (let at = 0; at < stream.length;) {
    const size = 1 + Math.floor(next() * 200);
    chunks.push(stream.subarray(at, at + size));
    at += size;
  }
  return { frameCount: frames, chunks };
}
