// Cache lifetime: never past the staple's nextUpdate, never past the user's maximum.
import { describe, expect, it } from 'vitest';
import { CheckCache } from '../../src/extension/background/check-cache.js';
import { ERROR_CACHE_MS, cacheExpiry } from '../../src/extension/shared/cache-lifetime.js';
import { SessionStorageArea } from '../../src/extension/shared/extension-storage.js';
import { FakeArea } from './fake-browser.js';
import { NOW, sampleResult } from './sample-results.js';

const now = NOW.getTime();
const MIN = 60_000;
const site = { host: 'example.com', port: 443 };

/** A cache mirrored to storage.session the way the background wires it. */
function mirroredCache(area: FakeArea): CheckCache {
  const session = new SessionStorageArea(area);
  return new CheckCache({
    save: (key, entry) => void session.saveCacheEntry(key, entry),
    remove: (key) => void session.removeCacheEntry(key),
  });
}

/** Storage writes are promises; let them land. */
async function flush(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
}

function withNextUpdate(offsetMs: number | null) {
  const result = sampleResult('stapled-good');
  result.ocsp = { ...result.ocsp!, nextUpdate: offsetMs === null ? null : new Date(now + offsetMs).toISOString() };
  return result;
}

describe('cacheExpiry', () => {
  it('uses the maximum when the staple is valid for longer', () => {
    expect(cacheExpiry(withNextUpdate(3 * 24 * 60 * MIN), now, 10 * MIN)).toBe(now + 10 * MIN);
  });

  it('stops at nextUpdate when that comes first', () => {
    expect(cacheExpiry(withNextUpdate(2 * MIN), now, 10 * MIN)).toBe(now + 2 * MIN);
  });

  it('never caches a staple past its nextUpdate', () => {
    for (const nextUpdate of [-MIN, 0]) expect(cacheExpiry(withNextUpdate(nextUpdate), now, 10 * MIN)).toBeNull();
  });

  it('uses the maximum when there is no nextUpdate, or no staple', () => {
    expect(cacheExpiry(withNextUpdate(null), now, 10 * MIN)).toBe(now + 10 * MIN);
    expect(cacheExpiry(sampleResult('not-stapled'), now, 10 * MIN)).toBe(now + 10 * MIN);
  });

  it('keeps a failed check only briefly', () => {
    expect(cacheExpiry(sampleResult('error'), now, 10 * MIN)).toBe(now + ERROR_CACHE_MS);
  });

  it('takes the earliest nextUpdate over every address', () => {
    const result = withNextUpdate(60 * MIN);
    result.addresses = [
      { address: 'a', verdict: 'stapled-good', summary: '', problems: [], error: null, ocsp: result.ocsp, tls: null },
      {
        address: 'b',
        verdict: 'stapled-good',
        summary: '',
        problems: [],
        error: null,
        ocsp: { ...result.ocsp!, nextUpdate: new Date(now + 3 * MIN).toISOString() },
        tls: null,
      },
    ];
    expect(cacheExpiry(result, now, 10 * MIN)).toBe(now + 3 * MIN);
  });

  it('does not cache with a maximum of 0, or an unreadable date', () => {
    expect(cacheExpiry(withNextUpdate(60 * MIN), now, 0)).toBeNull();
    const result = withNextUpdate(60 * MIN);
    result.ocsp = { ...result.ocsp!, nextUpdate: 'garbage' };
    expect(cacheExpiry(result, now, 10 * MIN)).toBeNull();
  });
});

describe('CheckCache', () => {
  it('serves an entry until nextUpdate and not a millisecond longer', () => {
    const cache = new CheckCache();
    const expiry = cache.put(site, withNextUpdate(2 * MIN), now, 10 * MIN);
    expect(expiry).toBe(now + 2 * MIN);
    expect(cache.get(site, now + 2 * MIN - 1, 10 * MIN)).not.toBeNull();
    expect(cache.get(site, now + 2 * MIN, 10 * MIN)).toBeNull();
    expect(cache.size).toBe(0);
  });

  it('applies a lowered maximum to entries stored earlier', () => {
    const cache = new CheckCache();
    cache.put(site, withNextUpdate(60 * MIN), now, 30 * MIN);
    expect(cache.get(site, now + 5 * MIN, 30 * MIN)).not.toBeNull();
    expect(cache.get(site, now + 5 * MIN, 2 * MIN)).toBeNull();
  });

  it('drops expired entries when storing new ones', async () => {
    const area = new FakeArea();
    const cache = mirroredCache(area);
    cache.put(site, withNextUpdate(MIN), now, 10 * MIN);
    await flush();
    expect([...area.data.keys()]).toEqual(['cache:example.com:443']);
    cache.put({ host: 'other.test', port: 443 }, withNextUpdate(60 * MIN), now + 2 * MIN, 10 * MIN);
    await flush();
    expect(cache.size).toBe(1);
    expect([...area.data.keys()]).toEqual(['cache:other.test:443']);
  });

  it('keys by host and port', () => {
    const cache = new CheckCache();
    cache.put(site, withNextUpdate(60 * MIN), now, 10 * MIN);
    expect(cache.get({ host: 'example.com', port: 8443 }, now, 10 * MIN)).toBeNull();
    expect(cache.get({ host: 'www.example.com', port: 443 }, now, 10 * MIN)).toBeNull();
  });

  it('mirrors entries to storage and restores only valid ones', async () => {
    const area = new FakeArea();
    const cache = mirroredCache(area);
    cache.put(site, withNextUpdate(60 * MIN), now, 10 * MIN);
    await flush();
    expect([...area.data.keys()]).toEqual(['cache:example.com:443']);

    await area.set({
      'cache:evil.example:443': { storedAt: now, expiresAt: now + MIN, result: { verdict: 'stapled-good' } },
    });
    const restored = new CheckCache();
    for (const [key, entry] of (await new SessionStorageArea(area).read()).cache) restored.restore(key, entry);
    expect(restored.get(site, now + MIN, 10 * MIN)?.result.verdict).toBe('stapled-good');
    expect(restored.get({ host: 'evil.example', port: 443 }, now, 10 * MIN)).toBeNull();
  });

  it('mirrors by site key: removals too', () => {
    const mirror: string[] = [];
    const cache = new CheckCache({ save: (k) => mirror.push(`save ${k}`), remove: (k) => mirror.push(`remove ${k}`) });
    cache.put(site, withNextUpdate(60 * MIN), now, 10 * MIN);
    cache.delete(site);
    cache.delete(site);
    expect(mirror).toEqual(['save example.com:443', 'remove example.com:443']);
  });
});
