// The connector's twin for tests and for looking at every state without a browser: it answers
// with the views it is given and records what the popup asked for.
import type { CheckSiteReply, HistoryReply, WatchReply } from '../shared/page-requests.js';
import type { RecentCheck } from '../shared/recent-checks.js';
import { isExcluded, parseSiteInput, sameSite, siteLabel } from '../shared/site.js';
import type { Site } from '../shared/site.js';
import { MAX_WATCHED } from '../shared/watch-list.js';
import { excludePatternOf, withoutSite } from '../shared/options.js';
import type { TabView } from '../shared/tab-view.js';
import type { PopupConnector } from './connector.js';

export interface MockConnector extends PopupConnector {
  /** Push a new state, as the background would after a check finishes. */
  emit(view: TabView): void;
  /** What the popup called, in order. */
  calls: string[];
  copied: string[];
  /** The view `recheck` answers with (default: `checking` for the same site, or the current view). */
  nextRecheck: TabView | null;
  /** What a typed check answers with, by site label; default: a failed check. */
  sites: Map<string, TabView>;
  /** Every `checkSite` call: the text and whether it was fresh. */
  checkedSites: { target: string; fresh: boolean }[];
  recent: RecentCheck[];
  history: HistoryReply;
  excludedSites: string[];
  detailsWereOpen: boolean;
  watched: Site[];
  /** What the notifications prompt answers. */
  notificationsGranted: boolean;
}

export function createMockConnector(initial: TabView, options: { now?: Date; failCopy?: boolean } = {}): MockConnector {
  let current = initial;
  const listeners = new Set<(view: TabView) => void>();
  const mock: MockConnector = {
    calls: [],
    copied: [],
    nextRecheck: null,
    sites: new Map(),
    checkedSites: [],
    recent: [],
    history: { enabled: false },
    excludedSites: [],
    detailsWereOpen: false,
    watched: [],
    notificationsGranted: true,
    start() {
      const site = 'site' in current ? current.site : null;
      return Promise.resolve({
        view: current,
        recent: mock.recent,
        detailsOpen: mock.detailsWereOpen,
        excluded: site ? isExcluded(site, mock.excludedSites) : null,
        watched: site ? mock.watched.some((w) => sameSite(w, site)) : null,
      });
    },
    isWatched: (site) => Promise.resolve(mock.watched.some((w) => sameSite(w, site))),
    setWatched(site, watch) {
      mock.calls.push(`watch-${String(watch)}`);
      const others = mock.watched.filter((w) => !sameSite(w, site));
      if (watch && others.length >= MAX_WATCHED) return Promise.resolve<WatchReply>({ ok: false, reason: 'full' });
      mock.watched = watch ? [...others, site] : others;
      return Promise.resolve<WatchReply>({ ok: true, watched: watch });
    },
    requestNotifications() {
      mock.calls.push('request-notifications');
      return Promise.resolve(mock.notificationsGranted);
    },
    checkSite(target, fresh) {
      mock.calls.push('check-site');
      mock.checkedSites.push({ target, fresh });
      const parsed = parseSiteInput(target);
      if (!parsed.ok) return Promise.resolve<CheckSiteReply>({ ok: false, message: parsed.key });
      const label = siteLabel(parsed.site);
      const view: TabView = mock.sites.get(label) ?? {
        state: 'failed',
        site: parsed.site,
        code: 'timeout',
        message: 'no answer',
      };
      return Promise.resolve<CheckSiteReply>({ ok: true, view });
    },
    recentChecks: () => Promise.resolve(mock.recent),
    stapleHistory: () => Promise.resolve(mock.history),
    detailsOpen: () => Promise.resolve(mock.detailsWereOpen),
    setDetailsOpen(open) {
      mock.calls.push(`details-${open ? 'open' : 'closed'}`);
      mock.detailsWereOpen = open;
      return Promise.resolve();
    },
    isExcluded: (site) => Promise.resolve(isExcluded(site, mock.excludedSites)),
    setExcluded(site, excluded) {
      mock.calls.push(`exclude-${String(excluded)}`);
      mock.excludedSites = excluded
        ? [...mock.excludedSites, excludePatternOf(site)]
        : withoutSite(mock.excludedSites, site);
      return Promise.resolve(isExcluded(site, mock.excludedSites));
    },
    load() {
      mock.calls.push('load');
      return Promise.resolve(current);
    },
    refresh() {
      mock.calls.push('refresh');
      return Promise.resolve(current);
    },
    recheck() {
      mock.calls.push('recheck');
      const site = 'site' in current ? current.site : null;
      current =
        mock.nextRecheck ??
        (site ? { state: 'checking', site, startedAt: (options.now ?? new Date()).getTime() } : current);
      return Promise.resolve(current);
    },
    subscribe(listener) {
      mock.calls.push('subscribe');
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    copyText(text) {
      mock.calls.push('copy');
      if (options.failCopy) return Promise.reject(new Error('copy refused'));
      mock.copied.push(text);
      return Promise.resolve();
    },
    openOptions() {
      mock.calls.push('options');
      return Promise.resolve();
    },
    now: () => options.now ?? new Date(),
    emit(view) {
      current = view;
      for (const listener of listeners) listener(view);
    },
  };
  return mock;
}
