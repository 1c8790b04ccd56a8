// Results per host:port, reused until they expire. An entry's lifetime comes from cacheExpiry
// (never past the staple's nextUpdate); the user's current maximum is applied again on every
// read, so lowering it in the options takes effect at once. Where entries are mirrored to is the
// caller's business (storage keys belong to shared/extension-storage.ts).
import type { Result } from '../../core/result.js';
import type { CacheEntry } from '../shared/cache-lifetime.js';
import { cacheExpiry, isFresh } from '../shared/cache-lifetime.js';
import type { Site } from '../shared/site.js';
import { siteLabel } from '../shared/site.js';

export type { CacheEntry } from '../shared/cache-lifetime.js';

/** Where the entries are mirrored, by site key (`siteLabel`), so a restarted service worker keeps them. */
export interface CacheMirror {
  save(siteKey: string, entry: CacheEntry): void;
  remove(siteKey: string): void;
}

const NO_MIRROR: CacheMirror = { save: () => {}, remove: () => {} };

export class CheckCache {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(private readonly mirror: CacheMirror = NO_MIRROR) {}

  /** The entry for `site` if it is still fresh at `nowMs` under the maximum `maxMs`. */
  get(site: Site, nowMs: number, maxMs: number): CacheEntry | null {
    const key = siteLabel(site);
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (isFresh(Math.min(entry.expiresAt, entry.storedAt + maxMs), nowMs)) return entry;
    this.entries.delete(key);
    this.mirror.remove(key);
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
    this.mirror.save(key, entry);
    return expiresAt;
  }

  /** Drops every expired entry, so storage.session (10 MB in Chromium) does not fill up with old sites. */
  prune(nowMs: number, maxMs: number): void {
    for (const [key, entry] of this.entries) {
      if (!isFresh(Math.min(entry.expiresAt, entry.storedAt + maxMs), nowMs)) {
        this.entries.delete(key);
        this.mirror.remove(key);
      }
    }
  }

  delete(site: Site): void {
    const key = siteLabel(site);
    if (this.entries.delete(key)) this.mirror.remove(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Takes back what the mirror saved (already validated: see parseSession). */
  restore(siteKey: string, entry: CacheEntry): void {
    this.entries.set(siteKey, entry);
  }
}
