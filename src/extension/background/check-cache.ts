// Results per host:port, reused until they expire. An entry's lifetime comes from cacheExpiry
// (never past the staple's nextUpdate); the user's current maximum is applied again on every
// read, so lowering it in the options takes effect at once.
import type { Result } from '../../core/result.js';
import { cacheExpiry, isFresh } from '../shared/cache-lifetime.js';
import { parseResult } from '../shared/parse-result.js';
import type { Site } from '../shared/site.js';
import { siteLabel } from '../shared/site.js';

export interface CacheEntry {
  result: Result;
  storedAt: number;
  expiresAt: number;
}

export const CACHE_KEY_PREFIX = 'cache:';

export class CheckCache {
  private readonly entries = new Map<string, CacheEntry>();

  /** `persist`: mirror of the entries (storage.session), so a restarted service worker keeps them. */
  constructor(
    private readonly persist: {
      save(key: string, entry: CacheEntry): void;
      remove(key: string): void;
    } = { save: () => {}, remove: () => {} },
  ) {}

  /** The entry for `site` if it is still fresh at `nowMs` under the maximum `maxMs`. */
  get(site: Site, nowMs: number, maxMs: number): CacheEntry | null {
    const key = siteLabel(site);
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (isFresh(Math.min(entry.expiresAt, entry.storedAt + maxMs), nowMs)) return entry;
    this.entries.delete(key);
    this.persist.remove(CACHE_KEY_PREFIX + key);
    return null;
  }

  /** Stores `result` if it may be cached at all; returns its expiry (or `null`). */
  put(site: Site, result: Result, nowMs: number, maxMs: number): number | null {
    this.prune(nowMs, maxMs);
    const key = siteLabel(site);
    const expiresAt = cacheExpiry(result, nowMs, maxMs);
    if (expiresAt === null) {
      this.delete(site);
      return null;
    }
    const entry: CacheEntry = { result, storedAt: nowMs, expiresAt };
    this.entries.set(key, entry);
    this.persist.save(CACHE_KEY_PREFIX + key, entry);
    return expiresAt;
  }

  /** Drops every expired entry, so storage.session (10 MB in Chromium) does not fill up with old sites. */
  prune(nowMs: number, maxMs: number): void {
    for (const [key, entry] of this.entries) {
      if (!isFresh(Math.min(entry.expiresAt, entry.storedAt + maxMs), nowMs)) {
        this.entries.delete(key);
        this.persist.remove(CACHE_KEY_PREFIX + key);
      }
    }
  }

  delete(site: Site): void {
    const key = siteLabel(site);
    if (this.entries.delete(key)) this.persist.remove(CACHE_KEY_PREFIX + key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Takes back what `persist` saved (validated: storage is another boundary). */
  restore(key: string, value: unknown): void {
    if (!key.startsWith(CACHE_KEY_PREFIX)) return;
    const v = value as Partial<CacheEntry> | null;
    if (!v || typeof v.storedAt !== 'number' || typeof v.expiresAt !== 'number') return;
    const parsed = parseResult(v.result);
    if (!parsed.ok) return;
    this.entries.set(key.slice(CACHE_KEY_PREFIX.length), {
      result: parsed.result,
      storedAt: v.storedAt,
      expiresAt: v.expiresAt,
    });
  }
}
