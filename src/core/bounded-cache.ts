// A least-recently-used map with a fixed cap (issue: every cache is bounded). Only pure facts go in
// (parsed structures, signature validity), keyed by the bytes they came from; nothing that depends
// on the clock. Pure.
import { sameBytes } from './encoding.js';

export class BoundedCache<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly capacity: number) {}

  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    // Map keeps insertion order: re-inserting marks the entry most recently used.
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}

// One check keys the same arrays again and again (its leaf by the key-type probe, the judge, the
// chain description and the completeness check; a cached staple's signature fields on every check),
// and building a key allocates several times the bytes (String.fromCharCode.apply spreads them): the
// host's largest allocation per check (issue 11). Each array's key is kept beside a copy of the bytes
// it stands for, and reused only while the array still holds exactly those bytes, so an array
// changed in place gets a new key. Held weakly: it goes with the array.
const keysByArray = new WeakMap<Uint8Array, { bytes: Uint8Array; key: string }>();

/** A string that stands for exactly these bytes (one UTF-16 unit per byte), to key a Map by content. */
export function bytesKey(bytes: Uint8Array): string {
  const known = keysByArray.get(bytes);
  if (known && sameBytes(known.bytes, bytes)) return known.key;
  let key = '';
  for (let i = 0; i < bytes.length; i += 4096) {
    key += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096) as unknown as number[]);
  }
  keysByArray.set(bytes, { bytes: bytes.slice(), key });
  return key;
}
