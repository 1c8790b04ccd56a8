// The popup's only way to the rest of the extension (Dark Reader's connector pattern): it asks the
// background for its tab's state, asks for re-checks, and hears about changes. The view never
// touches a browser API; tests use connector-mock.ts instead.
import type { PageApi } from '../browser-api.js';
import { OptionsStorage, PopupPrefsStorage, SessionStorageArea, WatchStorage } from '../shared/extension-storage.js';
import { parseTabStateNotice } from '../shared/messages.js';
import { excludePatternOf, withoutSite } from '../shared/options.js';
import type { CheckSiteReply, HistoryReply, WatchReply } from '../shared/page-requests.js';
import { parseCheckSiteReply, parseHistoryReply, parseRecentReply, parseWatchReply } from '../shared/page-requests.js';
import type { RecentCheck } from '../shared/recent-checks.js';
import type { Site } from '../shared/site.js';
import { isExcluded } from '../shared/site.js';
import type { TabView } from '../shared/tab-view.js';
import { parseTabView, siteCheckedOnOpen } from '../shared/tab-view.js';
import { isWatched } from '../shared/watch-list.js';

/**
 * What the popup draws first, read from storage alone: the background keeps every tab's state and
 * the recent checks in storage.session, so the popup needs no message round trip (which may have
 * to wake a stopped service worker) before its first paint. `load()` then brings the live state.
 */
export interface PopupStart {
  /** The tab's state as last stored; `null`: none stored yet (the popup shows it is loading). */
  view: TabView | null;
  recent: RecentCheck[];
  detailsOpen: boolean;
  /** Whether the stored view's site is excluded / watched; `null`: no site, or unknown. */
  excluded: boolean | null;
  watched: boolean | null;
}

export interface PopupConnector {
  /** What to draw before anything else; never rejects (a failed read gives an empty start). */
  start(): Promise<PopupStart>;
  /** This popup's tab state; starts a check if the tab's https: site was never checked. */
  load(): Promise<TabView>;
  /** The current state without starting anything (polled while a check runs). */
  refresh(): Promise<TabView>;
  /** Check again, bypassing the cache. */
  recheck(): Promise<TabView>;
  /** Called with every new state of this popup's tab; returns an unsubscribe function. */
  subscribe(listener: (view: TabView) => void): () => void;
  copyText(text: string): Promise<void>;
  openOptions(): Promise<void>;
  now(): Date;
  /** Checks a typed site (no tab involved); `fresh`: bypass the cache. */
  checkSite(target: string, fresh: boolean): Promise<CheckSiteReply>;
  /** This browsing session's checks, newest first. */
  recentChecks(): Promise<RecentCheck[]>;
  stapleHistory(site: Site): Promise<HistoryReply>;
  detailsOpen(): Promise<boolean>;
  setDetailsOpen(open: boolean): Promise<void>;
  /** Whether `site` is on the excluded list (the options page's list). */
  isExcluded(site: Site): Promise<boolean>;
  /** Adds the site to the excluded list, or takes the lines naming exactly it off; the new state. */
  setExcluded(site: Site, excluded: boolean): Promise<boolean>;
  /** Whether `site` is on the watch list. */
  isWatched(site: Site): Promise<boolean>;
  /** Adds the site to the watch list (the background re-checks it on a schedule) or takes it off. */
  setWatched(site: Site, watch: boolean): Promise<WatchReply>;
  /**
   * Asks for the optional `notifications` permission (a prompt the first time). Call it first
   * thing in the click that asks for it: browsers grant it only during a user gesture.
   */
  requestNotifications(): Promise<boolean>;
}

const NO_TAB: TabView = { state: 'not-https', scheme: null };

/** `?tabId=N` picks the tab (the popup opened as a page, as tests do); else the active tab. */
export function tabIdFromSearch(search: string): number | null {
  const raw = new URLSearchParams(search).get('tabId');
  if (raw === null || !/^\d{1,10}$/.test(raw)) return null;
  return Number(raw);
}

/** Copies with the async Clipboard API, falling back to a hidden textarea + execCommand. */
export async function copyToClipboard(text: string, doc: Document = document): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // Firefox and Chromium may refuse writeText without focus; the old way still works in a popup.
  }
  const area = doc.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  doc.body.append(area);
  area.select();
  const copied = doc.execCommand('copy');
  area.remove();
  if (!copied) throw new Error('The browser did not allow copying.');
}

export function createConnector(api: PageApi, search: string): PopupConnector {
  let tabIdPromise: Promise<number | null> | null = null;
  const tabId = (): Promise<number | null> => {
    tabIdPromise ??= (async () => tabIdFromSearch(search) ?? (await api.activeTabId().catch(() => null)))();
    return tabIdPromise;
  };

  async function ask(message: (id: number) => unknown): Promise<TabView> {
    const id = await tabId();
    if (id === null) return NO_TAB;
    const reply = await api.sendMessage(message(id));
    const view = parseTabView(reply);
    if (!view) throw new Error('The extension’s background sent an unreadable state.');
    return view;
  }

  const options = new OptionsStorage(api.local);
  const prefs = new PopupPrefsStorage(api.local);
  const watched = new WatchStorage(api.local);
  const session = new SessionStorageArea(api.session);

  return {
    async start() {
      try {
        // Two reads, one per storage area, at once; the tab's state waits only for the tab's id.
        const [id, tab, local] = await Promise.all([
          tabId(),
          tabId().then((id) => session.readTabAndRecent(id)),
          prefs.readStart(),
        ]);
        // A tab that opening the popup checks at once has no stored state worth drawing.
        const view = id === null ? NO_TAB : tab.view && siteCheckedOnOpen(tab.view) ? null : tab.view;
        const { recent } = tab;
        const site = view && 'site' in view ? view.site : null;
        return {
          view,
          recent,
          detailsOpen: local.detailsOpen,
          excluded: site ? isExcluded(site, local.options.excludedSites) : null,
          watched: site ? isWatched(local.watchList, site) : null,
        };
      } catch {
        return { view: null, recent: [], detailsOpen: false, excluded: null, watched: null };
      }
    },
    load: () => ask((id) => ({ type: 'get-state', tabId: id, start: true })),
    refresh: () => ask((id) => ({ type: 'get-state', tabId: id, start: false })),
    recheck: () => ask((id) => ({ type: 'recheck', tabId: id })),
    subscribe(listener) {
      let active = true;
      const remove = api.onMessage((message) => {
        const notice = parseTabStateNotice(message);
        if (!notice || !active) return;
        void tabId().then((id) => {
          if (active && id === notice.tabId) listener(notice.view);
        });
      });
      return () => {
        active = false;
        remove();
      };
    },
    copyText: (text) => copyToClipboard(text),
    openOptions: () => api.openOptionsPage(),
    now: () => new Date(),
    async checkSite(target, fresh) {
      const reply = parseCheckSiteReply(await api.sendMessage({ type: 'check-site', target, fresh }));
      if (!reply) throw new Error('The extension’s background sent an unreadable state.');
      return reply;
    },
    async recentChecks() {
      return parseRecentReply(await api.sendMessage({ type: 'recent-checks' }));
    },
    async stapleHistory(site) {
      return parseHistoryReply(await api.sendMessage({ type: 'staple-history', site })) ?? { enabled: false };
    },
    detailsOpen: () => prefs.detailsOpen(),
    setDetailsOpen: (open) => prefs.setDetailsOpen(open),
    async isExcluded(site) {
      return isExcluded(site, (await options.load()).excludedSites);
    },
    async setExcluded(site, excluded) {
      const current = await options.load();
      const list = excluded
        ? isExcluded(site, current.excludedSites)
          ? current.excludedSites
          : [...current.excludedSites, excludePatternOf(site)]
        : withoutSite(current.excludedSites, site);
      await options.save({ ...current, excludedSites: list });
      return isExcluded(site, list);
    },
    async isWatched(site) {
      return isWatched(await watched.load(), site);
    },
    async setWatched(site, watch) {
      const reply = parseWatchReply(await api.sendMessage({ type: 'watch-site', site, watch }));
      if (!reply) throw new Error('The extension’s background sent an unreadable answer.');
      return reply;
    },
    requestNotifications: () => api.requestNotifications(),
  };
}
