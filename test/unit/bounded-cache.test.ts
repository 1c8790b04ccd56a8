// BoundedCache and bytesKey (src/core/bounded-cache.ts): every cache is bounded, and a key stands for
// exactly its bytes. Beyond the eviction case in der-reader.test.ts: updates, misses, and long keys.
import { describe, expect, it, vi } from 'vitest';
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

  it('is the same key where no decoder maps bytes one to one, and follows an array changed in place', async () => {
    // A runtime whose `latin1` decoder maps a byte otherwise (or has none) builds keys by hand,
    // remembering each array's key beside a copy of its bytes.
    const longBytes = Uint8Array.from({ length: 9_000 }, (_, i) => (i * 13) & 0xff);
    const Real = TextDecoder;
    // No `latin1` at all; a `latin1` that decodes as UTF-8 (bytes 0x80 and up are not one unit each).
    const noLatin1 = class extends Real {
      constructor(label?: string, options?: TextDecoderOptions) {
        if (label === 'latin1') throw new RangeError('no latin1 here');
        super(label, options);
      }
    };
    const utf8Latin1 = class extends Real {
      constructor(label?: string, options?: TextDecoderOptions) {
        super(label === 'latin1' ? 'utf-8' : label, options);
      }
    };
    for (const stand of [noLatin1, utf8Latin1]) {
      vi.resetModules();
      vi.stubGlobal('TextDecoder', stand);
      try {
        const fallback = (await import('../../src/core/bounded-cache.js')).bytesKey;
        const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff);
        for (const sample of [bytes, longBytes, new Uint8Array(0)]) expect(fallback(sample)).toBe(bytesKey(sample));
        expect(fallback(bytes)).toBe(bytesKey(bytes));
        bytes[5] = bytes[5]! ^ 1;
        expect(fallback(bytes)).toBe(bytesKey(bytes));
        expect(fallback(bytes).charCodeAt(5)).toBe(bytes[5]);
      } finally {
        vi.unstubAllGlobals();
      }
    }
  });
});
