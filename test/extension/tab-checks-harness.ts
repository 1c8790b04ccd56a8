// The background's tab checks wired from real parts (tab store, site checker, HostClient) over the
// scripted host, shared by the tab-check tests and the address-policy wiring tests.
import { BackgroundTasks } from '../../src/extension/background/background-tasks.js';
import { CheckCache } from '../../src/extension/background/check-cache.js';
import { HostClient } from '../../src/extension/background/native-port.js';
import { SiteChecker } from '../../src/extension/background/site-checker.js';
import { TabChecks } from '../../src/extension/background/tab-checks.js';
import { TabStore } from '../../src/extension/background/tab-store.js';
import { SessionStorageArea } from '../../src/extension/shared/extension-storage.js';
import { DEFAULT_OPTIONS, type Options } from '../../src/extension/shared/options.js';
import { FakeArea, FakeHost, ManualClock } from './fake-browser.js';

const clients: HostClient[] = [];

/** Close every HostClient made since the last call (for `afterEach`). */
export function closeTabCheckClients(): void {
  for (const c of clients.splice(0)) c.close();
}

export function wireTabChecks(options: Partial<Options> = {}) {
  const host = new FakeHost();
  const clock = new ManualClock();
  const tasks = new BackgroundTasks();
  const client = new HostClient(() => host.connect(), clock);
  clients.push(client);
  const checker = new SiteChecker({ client, cache: new CheckCache(), clock, maxCacheMs: () => 600_000 });
  const tabs = new TabStore(new SessionStorageArea(new FakeArea()), (write) => tasks.persist(write));
  const urls = new Map<number, string>();
  const checks = new TabChecks({
    tabs,
    checker,
    clock,
    options: () => ({ ...DEFAULT_OPTIONS, ...options }),
    topFrameUrl: (tabId) => Promise.resolve(urls.get(tabId) ?? null),
    extensionId: 'our-id',
    track: (task) => tasks.track(task),
  });
  return { host, clock, tasks, checker, tabs, urls, checks, settled: () => tasks.settled() };
}
