// This browsing session's checks, newest first (recent-checks.ts): in memory, written through to
// storage.session so a restarted service worker still has them, never to disk.
import type { Result } from '../../core/result.js';
import type { RecentCheck } from '../shared/recent-checks.js';
import { addRecent } from '../shared/recent-checks.js';
import type { Site } from '../shared/site.js';

export class RecentStore {
  private list: RecentCheck[] = [];

  constructor(private readonly save: (list: readonly RecentCheck[]) => void) {}

  get checks(): RecentCheck[] {
    return this.list;
  }

  /** What storage.session held when the background started. */
  restore(list: readonly RecentCheck[]): void {
    // Checks recorded before the restore (a popup was quick) stay first.
    for (const check of [...list].reverse())
      if (!this.list.some((c) => c.site.host === check.site.host && c.site.port === check.site.port))
        this.list.push(check);
  }

  record(site: Site, result: Result): void {
    this.list = addRecent(this.list, { site, result });
    this.save(this.list);
  }
}
