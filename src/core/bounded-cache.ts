// A map with a fixed cap that drops entries nobody has used lately (issue: every cache is bounded).
// Only pure facts go in (parsed structures, signature validity), keyed by the bytes they came from;
// nothing that depends on the clock. Pure.
import { sameBytes } from './encoding.js';

interface Entry<V> {
  value: V;
  /** Read since it was stored or last passed over by eviction (the "second chance" bit). */
  used: boolean;
}

/**
 * Evicts like least-recently-used, by second chance (the CLOCK approximation): a hit only marks its
 * entry; when the cap is passed, the oldest entries that were hit since are moved to the newest end
 * (unmarked) and the first unmarked one goes. A hit therefore costs one lookup, not three (issue 11:
 * every check hits these caches a dozen times with fresh key strings, and each Map lookup hashes and
 * compares a key of 0.3-1.5 KB), and an entry read since it was stored outlives one that was not.
 */
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, Entry<V>>();

  constructor(readonly capacity: number) {}

  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    entry.used = true;
    return entry.value;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, used: false });
    // Each pass unmarks what it moves, so this ends within one round of the entries.
    while (this.#entries.size > this.capacity) {
      const oldest = this.#entries.entries().next();
      if (oldest.done) break;
      const [oldestKey, entry] = oldest.value;
      this.#entries.delete(oldestKey);
      if (entry.used) {
        entry.used = false;
        this.#entries.set(oldestKey, entry);
      }
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}

/**
 * A decoder that turns each byte into the UTF-16 unit of the same value, when this runtime has one
 * (Node's `latin1`; checked on all 256 byte values, so a decoder that maps any byte otherwise is not
 * used). It builds a key in one native pass with no other allocation than the key itself.
 */
const byteDecoder: TextDecoder | null = (() => {
  try {
    const decoder = new TextDecoder('latin1');
    const text = decoder.decode(Uint8Array.from({ length: 256 }, (_, i) => i));
    if (text.length !== 256) return null;
    for (let i = 0; i < 256; i++) if (text.charCodeAt(i) !== i) return null;
    return decoder;
  } catch {
    return null;
  }
})();

// Without such a decoder, building a key allocates several times the bytes
// (String.fromCharCode.apply spreads them), and one check keys the same arrays again and again (its
// leaf by the key-type probe, the judge, the chain description and the completeness check): each
// array's key is then kept beside a copy of the bytes it stands for, and reused only while the array
// still holds exactly those bytes, so an array changed in place gets a new key. Held weakly.
const keysByArray = new WeakMap<Uint8Array, { bytes: Uint8Array; key: string }>();

/** A string that stands for exactly these bytes (one UTF-16 unit per byte), to key a Map by content. */
export function bytesKey(bytes: Uint8Array): string {
  // Decoding afresh costs less than comparing a kept copy (issue 11: ~2 us against ~4.5 us for a
  // 563-byte certificate, with the host's HOST_V8_FLAGS), and the key is always the bytes as they are now.
  if (byteDecoder) return byteDecoder.decode(bytes);
  const known = keysByArray.get(bytes);
  if (known && sameBytes(known.bytes, bytes)) return known.key;
  let key = '';
  for (let i = 0; i < bytes.length; i += 4096) {
    key += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096) as unknown as number[]);
  }
  keysByArray.set(bytes, { bytes: bytes.slice(), key });
  return key;
}
