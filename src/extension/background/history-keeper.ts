// The opt-in staple history (staple-history.ts): each fresh result adds a point while the user has
// opted in; opting out forgets everything kept. Reads and writes go through HistoryStorage (the
// key's one owner), one at a time, so two results finishing together do not lose a point.
import type { Result } from '../../core/result.js';
import type { HistoryStorage } from '../shared/extension-storage.js';
import type { Site } from '../shared/site.js';
import { siteLabel } from '../shared/site.js';
import type { HistoryPoint } from '../shared/staple-history.js';
import { addHistoryPoint, historyPointOf } from '../shared/staple-history.js';

export class HistoryKeeper {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly storage: HistoryStorage,
    private readonly enabled: () => boolean,
  ) {}

  /** Adds the result's point if the user opted in; resolves when it is stored. */
  record(site: Site, result: Result): Promise<void> {
    if (!this.enabled()) return Promise.resolve();
    const point = historyPointOf(result);
    if (!point) return Promise.resolve();
    return this.serially(async () => {
      const history = await this.storage.load();
      await this.storage.save(addHistoryPoint(history, siteLabel(site), point));
    });
  }

  /** The site's points, or `null` while the user has not opted in. */
  async pointsOf(site: Site): Promise<HistoryPoint[] | null> {
    if (!this.enabled()) return null;
    await this.queue;
    return (await this.storage.load())[siteLabel(site)] ?? [];
  }

  /** The options changed: opted out means forget. */
  follow(): Promise<void> {
    return this.enabled() ? Promise.resolve() : this.serially(() => this.storage.clear());
  }

  private serially(task: () => Promise<void>): Promise<void> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
