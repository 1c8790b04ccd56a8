// The background's wiring, and nothing else (Dark Reader's `extension.ts`): it builds the parts,
// connects them to the browser's events and answers the pages' requests through one map of named
// handlers (refined-github). The parts, each with its own tests:
//   tab-store.ts       what each tab shows (memory + storage.session)
//   tab-checks.ts      when a tab's site is checked, and what the tab shows meanwhile
//   site-checker.ts    one site through the host: cache, one request per site, validated answers
//   badge-painter.ts   the toolbar badge per tab
//   current-options.ts the options in force, following storage.onChanged
//   quick-checks.ts    a site typed into the popup, checked without a tab
//   recent-store.ts    this session's checks (storage.session)
//   history-keeper.ts  the opt-in staple history (storage.local)
//   watch-keeper.ts    the watched sites, re-checked when the alarm goes off (storage.local)
//   ../shared/extension-storage.ts  every storage key
// Everything browser-specific comes in through BackgroundApi, so tests drive it with a fake
// (test/extension/fake-browser.ts).
import { HOST_NAME } from '../../protocol/extension-ids.js';
import type { BackgroundApi, MessageSender } from '../browser-api.js';
import type { SessionSnapshot } from '../shared/extension-storage.js';
import { HistoryStorage, OptionsStorage, SessionStorageArea, WatchStorage } from '../shared/extension-storage.js';
import type { Request, RequestType, TabStateNotice } from '../shared/messages.js';
import { parseRequest } from '../shared/messages.js';
import type { HistoryReply, SiteRequest, SiteRequestType } from '../shared/page-requests.js';
import { parseSiteRequest } from '../shared/page-requests.js';
import type { TabView } from '../shared/tab-view.js';
import { BackgroundTasks } from './background-tasks.js';
import { BadgePainter } from './badge-painter.js';
import { CheckCache } from './check-cache.js';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import { CurrentOptions } from './current-options.js';
import { HistoryKeeper } from './history-keeper.js';
import { pingHost } from './host-ping.js';
import { DEFAULT_IDLE_MS, HostClient } from './native-port.js';
import { QuickChecks } from './quick-checks.js';
import { RecentStore } from './recent-store.js';
import { SiteChecker } from './site-checker.js';
import { TabChecks } from './tab-checks.js';
import { TabStore } from './tab-store.js';
import { WatchKeeper } from './watch-keeper.js';

export { DEFAULT_ANSWER_GRACE_MS, DEFAULT_CHECK_TIMEOUT_MS } from './site-checker.js';

export interface BackgroundConfig {
  api: BackgroundApi;
  clock?: Clock;
  /** The budget the host gets for one check (PROTOCOL.md `timeoutMs`; the host accepts 0.1-120 s). */
  checkTimeoutMs?: number;
  /** How much longer than `checkTimeoutMs` to wait for the answer (host start-up, queueing). */
  answerGraceMs?: number;
  /** Close the native port after this long without requests. */
  idleMs?: number;
  log?: (message: string) => void;
}

/** One handler per request type; a new request type is one more entry. */
export type MessageHandlers = {
  [K in RequestType]: (request: Extract<Request, { type: K }>) => Promise<unknown>;
} & {
  [K in SiteRequestType]: (request: Extract<SiteRequest, { type: K }>) => Promise<unknown>;
};

export class Background {
  /** Resolves once the options and the stored session state are read back. */
  readonly ready: Promise<void>;
  readonly client: HostClient;
  /** Popup and options requests, by type (refined-github's one map of named handlers). */
  readonly handlers: MessageHandlers;
  /** The watched sites (exposed for tests). */
  readonly watch: WatchKeeper;
  private readonly tasks: BackgroundTasks;
  private readonly tabs: TabStore;
  private readonly extensionId: string;

  constructor(config: BackgroundConfig) {
    const { api } = config;
    const clock = config.clock ?? systemClock;
    const log = config.log ?? (() => {});
    const tasks = new BackgroundTasks(log);
    const session = new SessionStorageArea(api.session);
    const optionsStorage = new OptionsStorage(api.local);
    const options = new CurrentOptions(optionsStorage, log);
    const history = new HistoryKeeper(new HistoryStorage(api.local), () => options.value.keepHistory);
    const recent = new RecentStore((list) => tasks.persist(session.saveRecent(list)));
    const client = new HostClient(
      () => api.connectNative(HOST_NAME),
      clock,
      { idleMs: config.idleMs ?? DEFAULT_IDLE_MS },
      log,
    );
    const cache = new CheckCache({
      save: (siteKey, entry) => tasks.persist(session.saveCacheEntry(siteKey, entry)),
      remove: (siteKey) => tasks.persist(session.removeCacheEntry(siteKey)),
    });
    const checker = new SiteChecker({
      client,
      cache,
      clock,
      maxCacheMs: () => options.maxCacheMs,
      ...(config.checkTimeoutMs !== undefined ? { checkTimeoutMs: config.checkTimeoutMs } : {}),
      ...(config.answerGraceMs !== undefined ? { answerGraceMs: config.answerGraceMs } : {}),
      log,
      onFreshResult: (site, result) => {
        recent.record(site, result);
        tasks.persist(history.record(site, result));
      },
    });
    // A typed check answered from the cache still moves its site to the top of the recent list.
    const quick = new QuickChecks(checker, api.extensionId, (site, result) => recent.record(site, result));
    const tabs = new TabStore(session, (write) => tasks.persist(write));
    const painter = new BadgePainter((tabId, badge) => api.setBadge(tabId, badge));
    const checks = new TabChecks({
      tabs,
      checker,
      clock,
      options: () => options.value,
      topFrameUrl: (tabId) => api.topFrameUrl(tabId),
      extensionId: api.extensionId,
      track: (task) => tasks.track(task),
    });
    const watch = new WatchKeeper({
      storage: new WatchStorage(api.local),
      checker,
      clock,
      options: () => options.value,
      ensureAlarm: (name, period) => api.ensureAlarm(name, period),
      clearAlarm: (name) => api.clearAlarm(name),
      notify: (id, details) => api.notify(id, details),
      log,
    });
    this.tasks = tasks;
    this.tabs = tabs;
    this.watch = watch;
    this.client = client;
    this.extensionId = api.extensionId;

    // Every change of a tab's state reaches its badge and any open page.
    tabs.onChange((tabId, view) => {
      tasks.persist(painter.paint(tabId, view));
      const notice: TabStateNotice = { type: 'tab-state', tabId, view };
      void api.broadcast(notice);
    });

    this.handlers = {
      'get-state': (request) => checks.stateOf(request.tabId, request.start),
      recheck: (request) => checks.recheck(request.tabId),
      'ping-host': () => pingHost(client, api.extensionId),
      'check-site': (request) => quick.check(request.target, request.fresh),
      'recent-checks': () => Promise.resolve(recent.checks),
      'staple-history': async (request): Promise<HistoryReply> => {
        const points = await history.pointsOf(request.site);
        return points === null ? { enabled: false } : { enabled: true, points };
      },
      'watch-site': (request) => watch.setWatched(request.site, request.watch),
    };

    // MV3: listeners are registered synchronously at start-up, or a woken service worker misses
    // the event that woke it. Each waits for the stored state before acting.
    const whenReady = (action: () => unknown) => tasks.track(this.ready.then(action));
    api.onTopFrameCommitted((tabId, url) => whenReady(() => checks.navigated(tabId, url)));
    api.onTopFrameCompleted((tabId) => whenReady(() => painter.repaint(tabId, tabs.get(tabId))));
    api.onTabRemoved((tabId) => whenReady(() => tabs.forget(tabId)));
    api.onLocalChanged((keys) =>
      tasks.track(
        options.follow(keys).then(() => (optionsStorage.isOptionsChange(keys) ? history.follow() : undefined)),
      ),
    );
    api.onAlarm((name) => whenReady(() => watch.onAlarm(name)));
    api.onMessage((message, sender) => this.onMessage(message, sender));

    this.ready = (async () => {
      await options.load();
      tasks.track(watch.start());
      let snapshot: SessionSnapshot;
      try {
        snapshot = await session.read();
      } catch (err) {
        log(`could not read session state: ${String(err)}`);
        return;
      }
      tabs.restore(snapshot.tabs);
      recent.restore(snapshot.recent);
      for (const [siteKey, entry] of snapshot.cache) cache.restore(siteKey, entry);
      for (const [tabId, view] of snapshot.tabs) {
        // The worker was stopped mid-check: nobody will finish that one.
        if (view.state === 'checking') checks.resume(tabId, view.site);
      }
    })();
  }

  /** Resolves when every check and update started so far has finished (for tests). */
  settled(): Promise<void> {
    return this.tasks.settled();
  }

  viewOf(tabId: number): TabView | undefined {
    return this.tabs.get(tabId);
  }

  private onMessage(message: unknown, sender: MessageSender): Promise<unknown> | undefined {
    // Only our own pages: no content scripts, no `externally_connectable`, but check anyway.
    if (sender.id !== this.extensionId) return undefined;
    const parsed = parseRequest(message);
    const site = parsed.ok ? null : parseSiteRequest(message);
    const request = parsed.ok ? parsed.request : site?.ok ? site.request : null;
    if (!request) return undefined; // e.g. our own `tab-state` notices seen by another page
    const handler = this.handlers[request.type] as (r: Request | SiteRequest) => Promise<unknown>;
    return this.ready.then(() => handler(request));
  }
}
