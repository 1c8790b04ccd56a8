// Every key the extension stores, in one place (docs/architecture.md rule 14; Dark Reader's
// `user-storage.ts`). Nothing else names a storage key: the background and the options page read
// and write through the two views below, and everything read back is validated, since storage can
// hold whatever an older version or a hand edit left there (docs/architecture.md rule 4).
//
// - `storage.local` (kept across browser restarts): the user's options, one key per field of
//   `Options` (`autoCheck`, `excludedSites`, `cacheMinutes`, `keepHistory`, `watchLeftHours`);
//   `popupDetailsOpen` (the popup's disclosure was left open); `stapleHistory` (opt-in,
//   staple-history.ts); `watchedSites` (the sites the user watches, watch-list.ts).
// - `storage.session` (memory only, cleared when the browser closes; it outlives a stopped
//   service worker): `tab:<tabId>` → the tab's TabView, `cache:<host:port>` → a CacheEntry,
//   `recent` → this session's recent checks (recent-checks.ts).
//   A new kind of session state gets its own prefix here, and `parseSession` learns to read it.
import type { KeyValueArea } from '../browser-api.js';
import type { CacheEntry } from './cache-lifetime.js';
import { parseCacheEntry } from './cache-lifetime.js';
import type { Options } from './options.js';
import { parseOptions } from './options.js';
import type { RecentCheck } from './recent-checks.js';
import { parseRecentChecks } from './recent-checks.js';
import type { StapleHistory } from './staple-history.js';
import { parseStapleHistory } from './staple-history.js';
import type { TabView } from './tab-view.js';
import { parseTabView } from './tab-view.js';
import type { WatchList } from './watch-list.js';
import { parseWatchList } from './watch-list.js';

/** The storage.local keys of the options: the field names of `Options`. */
export const OPTION_KEYS = [
  'autoCheck',
  'excludedSites',
  'cacheMinutes',
  'keepHistory',
  'watchLeftHours',
] as const satisfies readonly (keyof Options)[];

const TAB_KEY_PREFIX = 'tab:';
const CACHE_KEY_PREFIX = 'cache:';
const RECENT_KEY = 'recent';
const DETAILS_OPEN_KEY = 'popupDetailsOpen';
const HISTORY_KEY = 'stapleHistory';
const WATCH_KEY = 'watchedSites';

export function tabKey(tabId: number): string {
  return TAB_KEY_PREFIX + tabId;
}

/** `siteKey`: `siteLabel(site)`, e.g. `example.com:443`. */
export function cacheKey(siteKey: string): string {
  return CACHE_KEY_PREFIX + siteKey;
}

/** The options in storage.local. */
export class OptionsStorage {
  constructor(private readonly local: KeyValueArea) {}

  /** Whatever is stored → valid options (bad or missing fields take their defaults). */
  async load(): Promise<Options> {
    return parseOptions(await this.local.get([...OPTION_KEYS]));
  }

  /** Writes every option (validated first, so a bad value never reaches storage). */
  save(options: Options): Promise<void> {
    return this.local.set({ ...parseOptions(options) });
  }

  /** Whether a storage.local change (its changed keys) touched the options. */
  isOptionsChange(changedKeys: readonly string[]): boolean {
    return changedKeys.some((key) => (OPTION_KEYS as readonly string[]).includes(key));
  }
}

/** What the popup remembers about itself in storage.local: whether its details were left open. */
export class PopupPrefsStorage {
  constructor(private readonly local: KeyValueArea) {}

  async detailsOpen(): Promise<boolean> {
    return (await this.local.get([DETAILS_OPEN_KEY]))[DETAILS_OPEN_KEY] === true;
  }

  setDetailsOpen(open: boolean): Promise<void> {
    return this.local.set({ [DETAILS_OPEN_KEY]: open });
  }

  /**
   * Everything of storage.local the popup's first paint needs, in one read: whether the details were
   * left open, the options (for "Don't check this site") and the watch list.
   */
  async readStart(): Promise<{ detailsOpen: boolean; options: Options; watchList: WatchList }> {
    const stored = await this.local.get([DETAILS_OPEN_KEY, ...OPTION_KEYS, WATCH_KEY]);
    return {
      detailsOpen: stored[DETAILS_OPEN_KEY] === true,
      options: parseOptions(stored),
      watchList: parseWatchList(stored[WATCH_KEY]),
    };
  }
}

/** The opt-in staple history in storage.local (one key: a bounded record, staple-history.ts). */
export class HistoryStorage {
  constructor(private readonly local: KeyValueArea) {}

  async load(): Promise<StapleHistory> {
    return parseStapleHistory((await this.local.get([HISTORY_KEY]))[HISTORY_KEY]);
  }

  save(history: StapleHistory): Promise<void> {
    return this.local.set({ [HISTORY_KEY]: history });
  }

  /** Opting out forgets what was kept. */
  clear(): Promise<void> {
    return this.local.remove([HISTORY_KEY]);
  }
}

/** The watched sites in storage.local (one key: a bounded list, watch-list.ts). */
export class WatchStorage {
  constructor(private readonly local: KeyValueArea) {}

  async load(): Promise<WatchList> {
    return parseWatchList((await this.local.get([WATCH_KEY]))[WATCH_KEY]);
  }

  save(list: WatchList): Promise<void> {
    return this.local.set({ [WATCH_KEY]: list });
  }

  /** Whether a storage.local change (its changed keys) touched the list (the options page follows it). */
  isWatchChange(changedKeys: readonly string[]): boolean {
    return changedKeys.includes(WATCH_KEY);
  }
}

/** What storage.session held, validated: what a restarted background starts from. */
export interface SessionSnapshot {
  tabs: Map<number, TabView>;
  /** By site key (`example.com:443`). */
  cache: Map<string, CacheEntry>;
  recent: RecentCheck[];
}

/** Everything read back from storage.session → the valid part; unknown keys and bad values are dropped. */
export function parseSession(stored: Record<string, unknown>): SessionSnapshot {
  const snapshot: SessionSnapshot = { tabs: new Map(), cache: new Map(), recent: [] };
  for (const [key, value] of Object.entries(stored)) {
    if (key === RECENT_KEY) {
      snapshot.recent = parseRecentChecks(value);
    } else if (key.startsWith(TAB_KEY_PREFIX)) {
      const tabId = Number(key.slice(TAB_KEY_PREFIX.length));
      const view = parseTabView(value);
      if (Number.isInteger(tabId) && view) snapshot.tabs.set(tabId, view);
    } else if (key.startsWith(CACHE_KEY_PREFIX)) {
      const entry = parseCacheEntry(value);
      if (entry) snapshot.cache.set(key.slice(CACHE_KEY_PREFIX.length), entry);
    }
  }
  return snapshot;
}

/** Tab states and cached results in storage.session. */
export class SessionStorageArea {
  constructor(private readonly session: KeyValueArea) {}

  async read(): Promise<SessionSnapshot> {
    return parseSession(await this.session.get(null));
  }

  /**
   * One tab's state (`null` when none is stored, or no tab) and this session's recent checks as the
   * background last stored them, validated, in one read: what the popup draws first.
   */
  async readTabAndRecent(tabId: number | null): Promise<{ view: TabView | null; recent: RecentCheck[] }> {
    const key = tabId === null ? null : tabKey(tabId);
    const stored = await this.session.get(key === null ? [RECENT_KEY] : [key, RECENT_KEY]);
    return { view: key === null ? null : parseTabView(stored[key]), recent: parseRecentChecks(stored[RECENT_KEY]) };
  }

  saveTab(tabId: number, view: TabView): Promise<void> {
    return this.session.set({ [tabKey(tabId)]: view });
  }

  removeTab(tabId: number): Promise<void> {
    return this.session.remove([tabKey(tabId)]);
  }

  saveCacheEntry(siteKey: string, entry: CacheEntry): Promise<void> {
    return this.session.set({ [cacheKey(siteKey)]: entry });
  }

  removeCacheEntry(siteKey: string): Promise<void> {
    return this.session.remove([cacheKey(siteKey)]);
  }

  saveRecent(recent: readonly RecentCheck[]): Promise<void> {
    return this.session.set({ [RECENT_KEY]: recent });
  }
}
