// How long a check result may be reused. Pure: the result, `now` and the user's maximum in; the
// instant it stops being valid out. The rule: never past the staple's nextUpdate (RFC 6960 §2.4:
// after nextUpdate newer information is available, and a staple past it is `expired`), never
// longer than the user's maximum, and only briefly for a failed check.
import type { Result } from '../../core/result.js';
import { parseResult } from '../../protocol/parse-result.js';

/** A check that could not be done is retried soon: the site may be back in a moment. */
export const ERROR_CACHE_MS = 30_000;

interface CacheableResult {
  verdict: string;
  ocsp: { nextUpdate: string | null } | null;
  addresses?: { ocsp: { nextUpdate: string | null } | null }[];
}

/** Epoch ms until which `result` may be shown again without a new check; `null`: do not cache. */
export function cacheExpiry(result: CacheableResult, nowMs: number, maxMs: number): number | null {
  let expiry = nowMs + Math.max(0, maxMs);
  if (result.verdict === 'error') expiry = Math.min(expiry, nowMs + ERROR_CACHE_MS);
  const nextUpdates = [result.ocsp?.nextUpdate, ...(result.addresses ?? []).map((a) => a.ocsp?.nextUpdate)];
  for (const nextUpdate of nextUpdates) {
    if (!nextUpdate) continue;
    const at = Date.parse(nextUpdate);
    // An unreadable date cannot promise anything: do not cache at all.
    if (Number.isNaN(at)) return null;
    expiry = Math.min(expiry, at);
  }
  return expiry > nowMs ? expiry : null;
}

export function isFresh(expiresAt: number, nowMs: number): boolean {
  return nowMs < expiresAt;
}

/** One cached check: the result, when it was stored and when it stops being valid (epoch ms). */
export interface CacheEntry {
  result: Result;
  storedAt: number;
  expiresAt: number;
}

/** A cache entry read back from storage → a valid one, or `null` (storage is another boundary). */
export function parseCacheEntry(value: unknown): CacheEntry | null {
  if (typeof value !== 'object' || value === null) return null;
  const { storedAt, expiresAt, result } = value as Partial<Record<keyof CacheEntry, unknown>>;
  if (typeof storedAt !== 'number' || typeof expiresAt !== 'number') return null;
  const parsed = parseResult(result);
  return parsed.ok ? { result: parsed.result, storedAt, expiresAt } : null;
}
