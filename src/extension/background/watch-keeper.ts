// Watched sites (shared/watch-list.ts): the user adds a site from the popup, and the background
// re-checks every watched site when the browser's alarm goes off (alarms.create, which wakes a
// stopped service worker or event page), through the same site checker as a tab's check: the same
// host request path, the same address policy, and never a site on the excluded list. A site whose
// staple is missing, untrusted, revoked or close to its end notifies once (notifications, an
// optional permission the popup asks for), and again only after it was fine in between or the
// reason changed. The list lives in storage.local (WatchStorage); changes to it go one at a time.
import type { Result } from '../../core/result.js';
import type { NotificationDetails } from '../browser-api.js';
import type { WatchStorage } from '../shared/extension-storage.js';
import type { WatchReply } from '../shared/page-requests.js';
import { msg } from '../shared/i18n.js';
import type { Options } from '../shared/options.js';
import type { Site } from '../shared/site.js';
import { isExcluded, siteLabel } from '../shared/site.js';
import type { WatchAlert, WatchList, WatchStatus } from '../shared/watch-list.js';
import {
  WATCH_PERIOD_MINUTES,
  addWatched,
  removeWatched,
  updateWatched,
  watchAlertOf,
  watchStatusOf,
} from '../shared/watch-list.js';
import { timeLeftUntil } from '../../view/staple-time-left.js';
import type { Clock } from './clock.js';
import type { CheckOutcome, SiteChecker } from './site-checker.js';
import { PAGE_CHECK_SCOPE } from './tab-checks.js';

/** The one alarm of the extension. */
export const WATCH_ALARM = 'staplecheck-watch';

export interface WatchKeeperConfig {
  storage: WatchStorage;
  checker: SiteChecker;
  clock: Clock;
  options: () => Options;
  ensureAlarm: (name: string, periodMinutes: number) => Promise<void>;
  clearAlarm: (name: string) => Promise<void>;
  notify: (id: string, details: NotificationDetails) => Promise<boolean>;
  log?: (message: string) => void;
}

/** The notification's words for an alert (the catalogue's `watch_alert_*`). */
export function alertWords(alert: WatchAlert, site: Site, status: WatchStatus, now: number): NotificationDetails {
  const title = msg('watch_notification_title', [siteLabel(site)]);
  if (alert === 'expiring') {
    const left = status.nextUpdate === null ? '' : timeLeftUntil(status.nextUpdate, now, msg);
    return { title, message: msg('watch_alert_expiring', [left]) };
  }
  return { title, message: msg(`watch_alert_${alert.replace(/-/g, '_')}`) };
}

export class WatchKeeper {
  private queue: Promise<unknown> = Promise.resolve();
  private running: Promise<void> | null = null;
  private readonly log: (message: string) => void;

  constructor(private readonly config: WatchKeeperConfig) {
    this.log = config.log ?? (() => {});
  }

  /** Start-up: the alarm is there exactly while something is watched (browsers may drop alarms on restart). */
  start(): Promise<void> {
    return this.serially(async () => this.syncAlarm(await this.config.storage.load()));
  }

  /**
   * Adds or removes a site. An added site starts from the result the popup is showing (the cached
   * one), so what the user just saw does not notify; the alarm checks it a period later.
   */
  setWatched(site: Site, watch: boolean): Promise<WatchReply> {
    return this.serially(async () => {
      const list = await this.config.storage.load();
      let next: WatchList;
      if (watch) {
        const added = addWatched(list, site, this.config.clock.now());
        if (!added.ok) return added;
        next = added.list;
        const cached = this.config.checker.cached(site);
        if (cached && next !== list) next = this.recorded(next, site, cached.result, false).list;
      } else {
        next = removeWatched(list, site);
      }
      await this.config.storage.save(next);
      await this.syncAlarm(next);
      return { ok: true, watched: watch };
    });
  }

  /** An alarm went off: ours checks every watched site. */
  onAlarm(name: string): Promise<void> {
    return name === WATCH_ALARM ? this.checkAll() : Promise.resolve();
  }

  /** Checks every watched site, one after another; a run already going is joined, not doubled. */
  checkAll(): Promise<void> {
    this.running ??= this.runChecks().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runChecks(): Promise<void> {
    // The alarm again as it should be: a browser may have dropped it, or replaced it with a one-off.
    const list = await this.serially(async () => {
      const stored = await this.config.storage.load();
      await this.syncAlarm(stored);
      return stored;
    });
    for (const { site } of list) {
      const now = this.config.clock.now();
      // The user's excluded list wins over the watch list: an excluded site is never dialled.
      if (isExcluded(site, this.config.options().excludedSites)) {
        await this.apply(site, { checkedAt: now, outcome: 'excluded', nextUpdate: null });
        continue;
      }
      this.config.checker.forget(site);
      const outcome = await this.config.checker.check(site, PAGE_CHECK_SCOPE);
      await this.applyOutcome(site, outcome);
    }
  }

  private async applyOutcome(site: Site, outcome: CheckOutcome): Promise<void> {
    const now = this.config.clock.now();
    if (outcome.kind === 'result') {
      const notice = await this.serially(async () => {
        const { list, notify } = this.recorded(await this.config.storage.load(), site, outcome.result, true);
        await this.config.storage.save(list);
        return notify;
      });
      if (notice) {
        const shown = await this.config.notify(`watch:${siteLabel(site)}`, notice).catch((err: unknown) => {
          this.log(`could not notify: ${String(err)}`);
          return false;
        });
        if (!shown) this.log(`${siteLabel(site)}: ${notice.message} (notifications are not allowed)`);
      }
      return;
    }
    await this.apply(site, {
      checkedAt: now,
      outcome: outcome.kind === 'host-missing' ? 'host-missing' : 'failed',
      nextUpdate: null,
    });
  }

  /** A status without a verdict (excluded, no host, failed): the standing alert stays as it was. */
  private apply(site: Site, status: WatchStatus): Promise<void> {
    return this.serially(async () => {
      const list = await this.config.storage.load();
      await this.config.storage.save(updateWatched(list, site, (entry) => ({ ...entry, last: status })));
    });
  }

  /**
   * `list` with `result` recorded for `site`, and the notification it calls for: a new alert, when
   * `notify`; a site that is fine again clears its alert, so the next lapse notifies again.
   */
  private recorded(
    list: WatchList,
    site: Site,
    result: Result,
    notify: boolean,
  ): { list: WatchList; notify: NotificationDetails | null } {
    const now = this.config.clock.now();
    const status = watchStatusOf(result, now);
    const alert = watchAlertOf(result, now, this.config.options().watchLeftHours * 3_600_000);
    let notice: NotificationDetails | null = null;
    const next = updateWatched(list, site, (entry) => {
      if (notify && alert !== null && alert !== entry.alerted) notice = alertWords(alert, site, status, now);
      return { ...entry, last: status, alerted: alert };
    });
    return { list: next, notify: notice };
  }

  private async syncAlarm(list: WatchList): Promise<void> {
    if (list.length > 0) await this.config.ensureAlarm(WATCH_ALARM, WATCH_PERIOD_MINUTES);
    else await this.config.clearAlarm(WATCH_ALARM);
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
