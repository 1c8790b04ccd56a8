// The real popup connector against a fake PageApi: which tab, what it sends, what it accepts.
import { describe, expect, it } from 'vitest';
import type { KeyValueArea, PageApi } from '../../src/extension/browser-api.js';
import { createConnector } from '../../src/extension/popup/connector.js';
import { FakeArea } from './fake-browser.js';
import type { TabView } from '../../src/extension/shared/tab-view.js';
import { asWire, sampleResult } from './sample-results.js';

const site = { host: 'example.com', port: 443 };

function fakePageApi(reply: (message: unknown) => unknown, activeTab: number | null = 7) {
  const sent: unknown[] = [];
  const listeners = new Set<(m: unknown) => void>();
  const noStorage: KeyValueArea = {
    get: () => Promise.resolve({}),
    set: () => Promise.resolve(),
    remove: () => Promise.resolve(),
  };
  const api: PageApi = {
    extensionId: 'x',
    sendMessage: (message) => {
      sent.push(message);
      return Promise.resolve(reply(message));
    },
    onMessage: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    activeTabId: () => Promise.resolve(activeTab),
    openOptionsPage: () => Promise.resolve(),
    local: noStorage,
    session: noStorage,
    requestNotifications: () => Promise.resolve(true),
    hasNotifications: () => Promise.resolve(true),
    onLocalChanged: () => () => undefined,
  };
  return { api, sent, emit: (m: unknown) => listeners.forEach((l) => l(m)) };
}

describe('createConnector', () => {
  it('asks about the active tab, starting a check on load', async () => {
    const checking: TabView = { state: 'checking', site, startedAt: 1 };
    const { api, sent } = fakePageApi(() => checking);
    const connector = createConnector(api, '');
    expect(await connector.load()).toEqual(checking);
    await connector.refresh();
    await connector.recheck();
    expect(sent).toEqual([
      { type: 'get-state', tabId: 7, start: true },
      { type: 'get-state', tabId: 7, start: false },
      { type: 'recheck', tabId: 7 },
    ]);
  });

  it('uses ?tabId=N when the popup is opened as a page', async () => {
    const { api, sent } = fakePageApi(() => ({ state: 'not-https', scheme: 'http:' }));
    await createConnector(api, '?tabId=12').load();
    expect(sent).toEqual([{ type: 'get-state', tabId: 12, start: true }]);
  });

  it('without a tab, says so without asking', async () => {
    const { api, sent } = fakePageApi(() => null, null);
    expect(await createConnector(api, '').load()).toEqual({ state: 'not-https', scheme: null });
    expect(sent).toEqual([]);
  });

  it('refuses an unreadable reply', async () => {
    const { api } = fakePageApi(() => ({ state: 'result', site, result: { verdict: 'stapled-good' } }));
    await expect(createConnector(api, '').load()).rejects.toThrow(/unreadable/);
  });

  it('passes on state notices for its own tab only', async () => {
    const { api, emit } = fakePageApi(() => ({ state: 'not-https', scheme: null }));
    const connector = createConnector(api, '?tabId=3');
    const seen: TabView[] = [];
    const unsubscribe = connector.subscribe((v) => seen.push(v));
    const view: TabView = { state: 'checking', site, startedAt: 1 };
    emit({ type: 'tab-state', tabId: 4, view });
    emit({ type: 'tab-state', tabId: 3, view });
    emit({ type: 'tab-state', tabId: 3, view: { state: 'bogus' } });
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual([view]);
    unsubscribe();
    emit({ type: 'tab-state', tabId: 3, view });
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toHaveLength(1);
  });

  it('watches through the background and reads the list from storage', async () => {
    const { api, sent } = fakePageApi((m) =>
      (m as { type: string }).type === 'watch-site' ? { ok: true, watched: true } : null,
    );
    api.local = new FakeArea();
    await api.local.set({ watchedSites: [{ site, addedAt: 1, last: null, alerted: null }] });
    const connector = createConnector(api, '?tabId=3');
    expect(await connector.isWatched(site)).toBe(true);
    expect(await connector.isWatched({ host: 'other.test', port: 443 })).toBe(false);
    expect(await connector.setWatched(site, true)).toEqual({ ok: true, watched: true });
    expect(sent).toEqual([{ type: 'watch-site', site, watch: true }]);
    expect(await connector.requestNotifications()).toBe(true);
    const broken = createConnector(fakePageApi(() => ({ ok: 'yes' })).api, '');
    await expect(broken.setWatched(site, true)).rejects.toThrow(/unreadable/);
  });

  describe('start: what the popup draws first, from storage alone', () => {
    const result = sampleResult('stapled-good');
    const stored = { state: 'result', site, result: asWire(result), fromCache: true, expiresAt: null };

    it('reads the tab’s stored state, the recent checks and the switches, sending nothing', async () => {
      const { api, sent } = fakePageApi(() => null);
      const session = new FakeArea();
      const local = new FakeArea();
      await session.set({ 'tab:12': stored, recent: [{ site, result: asWire(result) }] });
      await local.set({ popupDetailsOpen: true, excludedSites: ['example.com'] });
      const reads: string[] = [];
      const counted = (area: FakeArea, name: string): KeyValueArea => ({
        get: (keys) => (reads.push(name), area.get(keys)),
        set: (items) => area.set(items),
        remove: (keys) => area.remove(keys),
      });
      api.session = counted(session, 'session');
      api.local = counted(local, 'local');
      const start = await createConnector(api, '?tabId=12').start();
      // One read per storage area: each is a round trip to the browser before the first paint.
      expect(reads.sort()).toEqual(['local', 'session']);
      expect(start).toEqual({
        view: { state: 'result', site, result, fromCache: true, expiresAt: null },
        recent: [{ site, result }],
        detailsOpen: true,
        excluded: true,
        watched: false,
      });
      expect(sent).toEqual([]);
    });

    it('another tab’s state, or an unreadable one, is no start', async () => {
      const { api } = fakePageApi(() => null);
      api.session = new FakeArea();
      await api.session.set({ 'tab:7': stored, 'tab:12': { ...stored, result: { verdict: 'stapled-good' } } });
      const start = await createConnector(api, '?tabId=12').start();
      expect(start).toEqual({ view: null, recent: [], detailsOpen: false, excluded: null, watched: null });
    });

    it('a tab that opening the popup checks at once (host missing, auto-check off) starts empty', async () => {
      const { api } = fakePageApi(() => null);
      api.session = new FakeArea();
      const missing = { state: 'host-missing', site, message: 'not found', extensionId: 'x' };
      await api.session.set({ 'tab:1': missing, 'tab:2': { state: 'idle', site, reason: 'auto-check-off' } });
      await api.session.set({ 'tab:3': { state: 'idle', site, reason: 'excluded' } });
      expect((await createConnector(api, '?tabId=1').start()).view).toBeNull();
      expect((await createConnector(api, '?tabId=2').start()).view).toBeNull();
      expect((await createConnector(api, '?tabId=3').start()).view).toEqual({
        state: 'idle',
        site,
        reason: 'excluded',
      });
    });

    it('without a tab, starts from “not https”', async () => {
      const { api } = fakePageApi(() => null, null);
      expect((await createConnector(api, '').start()).view).toEqual({ state: 'not-https', scheme: null });
    });

    it('a storage that fails gives an empty start, never a rejection', async () => {
      const { api } = fakePageApi(() => null);
      api.session = { ...api.session, get: () => Promise.reject(new Error('no storage')) };
      const start = await createConnector(api, '?tabId=12').start();
      expect(start).toEqual({ view: null, recent: [], detailsOpen: false, excluded: null, watched: null });
    });
  });
});
