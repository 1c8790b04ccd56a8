// When a tab's site is checked and what the tab shows meanwhile: automatic checks on navigation
// (unless turned off or the site is excluded), the popup's explicit requests, re-checks, and the
// guard that keeps a result for an earlier page off the page the tab shows now.
import type { ProbeMode } from '../../core/check-options.js';
import type { Options } from '../shared/options.js';
import type { Site } from '../shared/site.js';
import { isExcluded, sameSite, siteOfUrl } from '../shared/site.js';
import type { TabView } from '../shared/tab-view.js';
import { siteCheckedOnOpen } from '../shared/tab-view.js';
import type { Clock } from './clock.js';
import type { CheckOutcome, CheckScope, SiteChecker } from './site-checker.js';
import type { TabStore } from './tab-store.js';

/** What made us look at a tab: `popup` is an explicit request to check, `lookup` only asks. */
export type ShowTrigger = 'navigation' | 'popup' | 'lookup';

export interface TabChecksConfig {
  tabs: TabStore;
  checker: SiteChecker;
  clock: Clock;
  options: () => Options;
  /** The URL of the tab's top frame, `null` if unknown. */
  topFrameUrl: (tabId: number) => Promise<string | null>;
  /** Shown on the host-missing page, for the install command. */
  extensionId: string;
  /** Runs a check in the background (its failure is logged, never thrown). */
  track: (task: Promise<unknown>) => void;
}

const UNKNOWN_TAB: TabView = { state: 'not-https', scheme: null };

/**
 * Every check of a tab's page is of a site the browser itself connected to, started by a page (by
 * navigating): when its name also resolves to internal addresses besides public ones, the host
 * dials only the public ones, so a rebinding DNS answer cannot turn it towards this computer or its
 * networks (SECURITY.md "Network"). And the browser has loaded that page, so it placed the chain: a
 * chain the host cannot place (a root given to the browser only) is a note, not a warning
 * (PROTOCOL.md, `pageLoaded`). Watched sites (watch-keeper.ts) were added from a tab showing the
 * site, and are checked the same way.
 */
export const PAGE_CHECK_SCOPE: CheckScope = { addressPolicy: 'skip-internal-if-public', pageLoaded: true };

/**
 * The check a page load starts on its own (for the badge) makes one handshake, the normal offer's
 * (PROTOCOL.md `probe`); opening the popup on a tab not yet checked and re-checking ask for the
 * full probe (the other key type's certificate, the `Server` header).
 */
const AUTOMATIC_PROBE = 'default-offer';

export class TabChecks {
  constructor(private readonly config: TabChecksConfig) {}

  private get tabs(): TabStore {
    return this.config.tabs;
  }

  /** A tab's top frame committed `url`. */
  navigated(tabId: number, url: string): void {
    this.tabs.navigated(tabId);
    this.show(tabId, url, 'navigation');
  }

  /** The popup asks for a tab's state; `start`: it was opened, which is a request to check. */
  async stateOf(tabId: number, start: boolean): Promise<TabView> {
    const known = this.tabs.get(tabId);
    if (!known) {
      // A tab that loaded before the extension started (install, update, browser restart).
      this.show(tabId, await this.config.topFrameUrl(tabId), start ? 'popup' : 'lookup');
    } else if (start) {
      // Opening the popup is the explicit request that automatic checking waits for; after a
      // missing host, the user may just have run `staplecheck install` (siteCheckedOnOpen).
      const site = siteCheckedOnOpen(known);
      if (site) this.start(tabId, site, false, 'full');
    }
    return this.tabs.get(tabId) ?? UNKNOWN_TAB;
  }

  /** Checks the tab's site again, bypassing the cache (also for an excluded site: the user asked). */
  async recheck(tabId: number): Promise<TabView> {
    const url = await this.config.topFrameUrl(tabId);
    const where = siteOfUrl(url);
    const known = this.tabs.get(tabId);
    const site = where.kind === 'https' ? where.site : url === null && known && 'site' in known ? known.site : null;
    if (!site) {
      this.tabs.set(tabId, { state: 'not-https', scheme: where.kind === 'not-https' ? where.scheme : null });
    } else {
      this.start(tabId, site, true, 'full');
    }
    return this.tabs.get(tabId) ?? UNKNOWN_TAB;
  }

  /** Finishes a check that a stopped background left at `checking`. */
  resume(tabId: number, site: Site): void {
    this.start(tabId, site, false, 'full');
  }

  private show(tabId: number, url: string | null, trigger: ShowTrigger): void {
    const where = siteOfUrl(url);
    if (where.kind === 'not-https') {
      this.tabs.set(tabId, { state: 'not-https', scheme: where.scheme });
      return;
    }
    const { site } = where;
    const options = this.config.options();
    if (isExcluded(site, options.excludedSites)) {
      this.tabs.set(tabId, { state: 'idle', site, reason: 'excluded' });
    } else if (options.autoCheck || trigger === 'popup') {
      this.start(tabId, site, false, trigger === 'popup' ? 'full' : AUTOMATIC_PROBE);
    } else {
      this.tabs.set(tabId, { state: 'idle', site, reason: 'auto-check-off' });
    }
  }

  /** Shows a fresh cached result at once, or `checking` until the host answers. */
  private start(tabId: number, site: Site, force: boolean, probe: ProbeMode): void {
    const { checker } = this.config;
    if (force) {
      checker.forget(site);
    } else {
      const cached = checker.cached(site);
      if (cached) {
        this.tabs.set(tabId, {
          state: 'result',
          site,
          result: cached.result,
          fromCache: true,
          expiresAt: cached.expiresAt,
        });
        return;
      }
    }
    const navigation = this.tabs.navigation(tabId);
    this.tabs.set(tabId, { state: 'checking', site, startedAt: this.config.clock.now() });
    this.config.track(
      checker.check(site, { ...PAGE_CHECK_SCOPE, probe }).then((outcome) => {
        // The tab moved on (or closed) while we were checking: that page's result is not this page's.
        const current = this.tabs.get(tabId);
        if (this.tabs.navigation(tabId) !== navigation || current?.state !== 'checking') return;
        if (!sameSite(current.site, site)) return;
        this.tabs.set(tabId, viewOfOutcome(site, outcome, this.config.extensionId));
      }),
    );
  }
}

/** What a finished check shows, for a tab or a site typed into the popup. */
export function viewOfOutcome(site: Site, outcome: CheckOutcome, extensionId: string): TabView {
  switch (outcome.kind) {
    case 'result':
      return { state: 'result', site, result: outcome.result, fromCache: false, expiresAt: outcome.expiresAt };
    case 'host-missing':
      return { state: 'host-missing', site, message: outcome.message, extensionId };
    case 'failed':
      return { state: 'failed', site, code: outcome.code, message: outcome.message };
  }
}
