// Every storage key in one module: the options in storage.local, tab states and cached results in
// storage.session under their prefixes; what is read back is validated, the rest dropped.
import { describe, expect, it } from 'vitest';
import {
  OPTION_KEYS,
  OptionsStorage,
  SessionStorageArea,
  cacheKey,
  parseSession,
  tabKey,
} from '../../src/extension/shared/extension-storage.js';
import { DEFAULT_OPTIONS } from '../../src/extension/shared/options.js';
import type { TabView } from '../../src/extension/shared/tab-view.js';
import { FakeArea } from './fake-browser.js';
import { NOW, asWire, sampleResult } from './sample-results.js';

const site = { host: 'example.com', port: 443 };
const now = NOW.getTime();
const resultView: TabView = {
  state: 'result',
  site,
  result: sampleResult('stapled-good'),
  fromCache: false,
  expiresAt: null,
};
const cacheEntry = { result: sampleResult('stapled-good'), storedAt: now, expiresAt: now + 60_000 };

describe('the keys', () => {
  it('options are stored under their field names', () => {
    expect([...OPTION_KEYS].sort()).toEqual(Object.keys(DEFAULT_OPTIONS).sort());
  });

  it('tab states under tab:<id>, cached results under cache:<host:port>', () => {
    expect(tabKey(12)).toBe('tab:12');
    expect(cacheKey('[::1]:8443')).toBe('cache:[::1]:8443');
  });
});

describe('OptionsStorage', () => {
  it('reads defaults from an empty storage, and what was saved', async () => {
    const area = new FakeArea();
    const storage = new OptionsStorage(area);
    expect(await storage.load()).toEqual(DEFAULT_OPTIONS);
    await storage.save({
      autoCheck: false,
      excludedSites: ['example.com'],
      cacheMinutes: 5,
      keepHistory: true,
      watchLeftHours: 24,
    });
    expect(Object.fromEntries(area.data)).toEqual({
      autoCheck: false,
      excludedSites: ['example.com'],
      cacheMinutes: 5,
      keepHistory: true,
      watchLeftHours: 24,
    });
    expect(await storage.load()).toEqual({
      autoCheck: false,
      excludedSites: ['example.com'],
      cacheMinutes: 5,
      keepHistory: true,
      watchLeftHours: 24,
    });
  });

  it('never writes an invalid value, and reads a bad stored one as its default', async () => {
    const area = new FakeArea();
    const storage = new OptionsStorage(area);
    await storage.save({ autoCheck: true, excludedSites: [], cacheMinutes: -3, keepHistory: false, watchLeftHours: 0 });
    expect(area.data.get('watchLeftHours')).toBe(DEFAULT_OPTIONS.watchLeftHours);
    expect(area.data.get('cacheMinutes')).toBe(DEFAULT_OPTIONS.cacheMinutes);
    await area.set({ autoCheck: 'yes', unrelated: 1 });
    expect(await storage.load()).toEqual(DEFAULT_OPTIONS);
  });

  it('knows which storage.local changes are option changes', () => {
    const storage = new OptionsStorage(new FakeArea());
    expect(storage.isOptionsChange(['cacheMinutes'])).toBe(true);
    expect(storage.isOptionsChange(['something-else', 'excludedSites'])).toBe(true);
    expect(storage.isOptionsChange(['something-else'])).toBe(false);
    expect(storage.isOptionsChange([])).toBe(false);
  });
});

describe('SessionStorageArea', () => {
  it('writes, reads back and removes tab states and cache entries', async () => {
    const area = new FakeArea();
    const session = new SessionStorageArea(area);
    await session.saveTab(3, resultView);
    await session.saveCacheEntry('example.com:443', cacheEntry);
    expect([...area.data.keys()].sort()).toEqual(['cache:example.com:443', 'tab:3']);
    const snapshot = await session.read();
    expect(snapshot.tabs.get(3)).toMatchObject({ state: 'result', site });
    expect(snapshot.cache.get('example.com:443')).toMatchObject({ storedAt: now, expiresAt: now + 60_000 });
    await session.removeTab(3);
    await session.removeCacheEntry('example.com:443');
    expect(area.data.size).toBe(0);
  });
});

describe('parseSession', () => {
  it('keeps the valid part and drops the rest', () => {
    const snapshot = parseSession({
      'tab:1': JSON.parse(JSON.stringify(resultView)),
      'tab:2': { state: 'result', site, result: { verdict: 'stapled-good' } }, // no evidence: refused
      'tab:x': { state: 'not-https', scheme: null }, // not a tab id
      'tab:4': { state: 'not-https', scheme: 'http:' },
      'cache:example.com:443': JSON.parse(JSON.stringify(cacheEntry)),
      'cache:bad.test:443': { storedAt: 'then', expiresAt: now, result: asWire(sampleResult('stapled-good')) },
      'cache:worse.test:443': { storedAt: now, expiresAt: now, result: { verdict: 'stapled-good' } },
      'other:1': { state: 'not-https', scheme: null },
    });
    expect([...snapshot.tabs.keys()]).toEqual([1, 4]);
    expect([...snapshot.cache.keys()]).toEqual(['example.com:443']);
  });

  it('reads an empty storage as nothing', () => {
    const snapshot = parseSession({});
    expect(snapshot.tabs.size + snapshot.cache.size).toBe(0);
  });
});
