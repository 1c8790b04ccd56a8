// BoundedCache and bytesKey (src/core/bounded-cache.ts): every cache is bounded, and a key stands for
// exactly its bytes. Beyond the eviction case in der-reader.test.ts: updates, misses, and long keys.
import { describe, expect, it } from 'vitest';
import { BoundedCache, bytesKey } from '../../src/core/bounded-cache.js';

describe('BoundedCache', () => {
  it('setting a key again replaces its value and makes it the most recent', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 10);
    expect(cache.size).toBe(2);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([10, undefined, 3]);
  });

  it('a miss adds nothing and moves nothing', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    expect(cache.get('x')).toBeUndefined();
    expect(cache.size).toBe(1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 2, 3]);
  });

  it('holds exactly its capacity, never more', () => {
    const cache = new BoundedCache<number, number>(3);
    for (let i = 0; i < 10; i++) {
      cache.set(i, i);
      expect(cache.size).toBe(Math.min(i + 1, 3));
    }
    expect([7, 8, 9].map((i) => cache.get(i))).toEqual([7, 8, 9]);
    expect(cache.capacity).toBe(3);
  });
});

describe('bytesKey', () => {
  it('is one UTF-16 unit per byte, across the 4096-byte chunks', () => {
    const bytes = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7 + (i >> 12)) & 0xff);
    const key = bytesKey(bytes);
    expect(key.length).toBe(bytes.length);
    for (const i of [0, 1, 4095, 4096, 4097, 8191, 8192, 9999]) expect(key.charCodeAt(i), `at ${i}`).toBe(bytes[i]);
    expect(bytesKey(new Uint8Array(0))).toBe('');
  });
});
