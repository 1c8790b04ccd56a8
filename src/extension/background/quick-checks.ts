// A site typed into the popup ("Check a site"): parsed like the CLI's target, checked through the
// same site checker as a tab's site (cache, one request per site), but with no tab involved, so it
// works from the new-tab page or any other page.
import type { Result } from '../../core/result.js';
import type { Site } from '../shared/site.js';
import { parseSiteInput } from '../shared/site.js';
import type { CheckSiteReply } from '../shared/page-requests.js';
import { msg } from '../shared/i18n.js';
import type { SiteChecker } from './site-checker.js';
import { viewOfOutcome } from './tab-checks.js';

export class QuickChecks {
  /** `shown`: told of a cached answer too (a fresh one reaches the recent list through the checker). */
  constructor(
    private readonly checker: SiteChecker,
    private readonly extensionId: string,
    private readonly shown: (site: Site, result: Result) => void = () => {},
  ) {}

  /** `fresh`: the user pressed Re-check, so the cache is bypassed. */
  async check(target: string, fresh: boolean): Promise<CheckSiteReply> {
    const parsed = parseSiteInput(target);
    if (!parsed.ok) return { ok: false, message: msg(parsed.key) };
    const { site } = parsed;
    if (fresh) this.checker.forget(site);
    else {
      const cached = this.checker.cached(site);
      if (cached) {
        this.shown(site, cached.result);
        return {
          ok: true,
          view: { state: 'result', site, result: cached.result, fromCache: true, expiresAt: cached.expiresAt },
        };
      }
    }
    return { ok: true, view: viewOfOutcome(site, await this.checker.check(site), this.extensionId) };
  }
}
