// The tab store: memory, mirrored to storage.session, listeners told of every change, and a
// navigation count per tab.
import { describe, expect, it } from 'vitest';
import { TabStore } from '../../src/extension/background/tab-store.js';
import { SessionStorageArea } from '../../src/extension/shared/extension-storage.js';
import type { TabView } from '../../src/extension/shared/tab-view.js';
import { FakeArea } from './fake-browser.js';

const site = { host: 'example.com', port: 443 };
const checking: TabView = { state: 'checking', site, startedAt: 1 };

function setup() {
  const area = new FakeArea();
  const writes: Promise<unknown>[] = [];
  const store = new TabStore(new SessionStorageArea(area), (write) => writes.push(write));
  return { area, writes, store };
}

describe('TabStore', () => {
  it('keeps a view per tab, mirrors it to storage.session and tells every listener', async () => {
    const { area, writes, store } = setup();
    const seen: [number, string][] = [];
    store.onChange((tabId, view) => seen.push([tabId, view.state]));
    store.onChange((tabId) => seen.push([tabId, 'second listener']));
    store.set(1, checking);
    store.set(2, { state: 'not-https', scheme: 'http:' });
    await Promise.all(writes);
    expect(store.get(1)).toEqual(checking);
    expect(store.get(3)).toBeUndefined();
    expect(area.data.get('tab:1')).toEqual(checking);
    expect(seen).toEqual([
      [1, 'checking'],
      [1, 'second listener'],
      [2, 'not-https'],
      [2, 'second listener'],
    ]);
  });

  it('counts navigations per tab', () => {
    const { store } = setup();
    expect(store.navigation(1)).toBe(0);
    store.navigated(1);
    store.navigated(1);
    store.navigated(2);
    expect(store.navigation(1)).toBe(2);
    expect(store.navigation(2)).toBe(1);
  });

  it('forgets a closed tab: view, navigation count and stored state', async () => {
    const { area, writes, store } = setup();
    store.set(1, checking);
    store.navigated(1);
    await Promise.all(writes);
    await store.forget(1);
    expect(store.get(1)).toBeUndefined();
    expect(store.navigation(1)).toBe(0);
    expect(area.data.has('tab:1')).toBe(false);
  });

  it('forgetting never fails, even when storage does', async () => {
    const { area, store } = setup();
    area.remove = () => Promise.reject(new Error('storage gone'));
    await expect(store.forget(1)).resolves.toBeUndefined();
  });

  it('takes back restored views without writing or notifying again', () => {
    const { writes, store } = setup();
    let notified = 0;
    store.onChange(() => notified++);
    store.restore(new Map([[5, checking]]));
    expect(store.get(5)).toEqual(checking);
    expect(writes).toHaveLength(0);
    expect(notified).toBe(0);
  });
});
