// Checks one site (host:port) through the native host: the cache first, one host request per site
// at a time however many ask, and every answer validated before it counts. Knows nothing about
// tabs, so a check asked for by a tab, a typed host name or a restart goes the same way.
import type { AddressPolicy, ProbeMode } from '../../core/check-options.js';
import type { Result } from '../../core/result.js';
import type { CacheEntry } from '../shared/cache-lifetime.js';
import { ANSWER_GRACE_MS, DEFAULT_TIMEOUT_MS } from '../../protocol/limits.js';
import { parseResult } from '../../protocol/parse-result.js';
import type { Site } from '../shared/site.js';
import { siteLabel } from '../shared/site.js';
import type { FailureCode } from '../shared/tab-view.js';
import type { CheckCache } from './check-cache.js';
import type { Clock } from './clock.js';
import type { HostClient, HostOutcome } from './native-port.js';

/** The budget the host gets for one check, and how much longer to wait for its answer (PROTOCOL.md). */
export { DEFAULT_TIMEOUT_MS as DEFAULT_CHECK_TIMEOUT_MS, ANSWER_GRACE_MS as DEFAULT_ANSWER_GRACE_MS };

/** How asking the host about a site ended (docs/architecture.md rule 3: outcomes are data). */
export type CheckOutcome =
  | { kind: 'result'; result: Result; expiresAt: number | null }
  | { kind: 'host-missing'; message: string }
  | { kind: 'failed'; code: FailureCode; message: string };

/** How a check asks (PROTOCOL.md, the check request's fields); empty for a site typed into the popup. */
export interface CheckScope {
  addressPolicy?: AddressPolicy;
  pageLoaded?: boolean;
  /** `default-offer` for the automatic check on navigation (one handshake); absent, the full probe. */
  probe?: ProbeMode;
}

export interface SiteCheckerConfig {
  client: HostClient;
  cache: CheckCache;
  clock: Clock;
  /** The user's longest reuse of a result, read at every use (the options may change). */
  maxCacheMs: () => number;
  checkTimeoutMs?: number;
  answerGraceMs?: number;
  log?: (message: string) => void;
  /** Told of every fresh, valid result (not cached ones): the recent list, the opt-in history. */
  onFreshResult?: (site: Site, result: Result) => void;
}

export class SiteChecker {
  private readonly inflight = new Map<string, Promise<CheckOutcome>>();
  private readonly checkTimeoutMs: number;
  private readonly answerGraceMs: number;
  private readonly log: (message: string) => void;

  constructor(private readonly config: SiteCheckerConfig) {
    this.checkTimeoutMs = config.checkTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.answerGraceMs = config.answerGraceMs ?? ANSWER_GRACE_MS;
    this.log = config.log ?? (() => {});
  }

  /** A fresh cached result for `site`, or `null`. */
  cached(site: Site): CacheEntry | null {
    return this.config.cache.get(site, this.config.clock.now(), this.config.maxCacheMs());
  }

  /** Drops the cached result, so the next check asks the site afresh (re-check). */
  forget(site: Site): void {
    this.config.cache.delete(site);
  }

  /**
   * Asks the host; callers asking about the same site (and scope) while a request runs share it.
   * `scope.addressPolicy`: which of the site's addresses the host may dial (PROTOCOL.md); absent,
   * the host's default (every address). `scope.pageLoaded`: the browser already loaded this page,
   * so a chain the host cannot place is a note (PROTOCOL.md). `scope.probe`: `default-offer` for the
   * automatic check on navigation (one handshake, PROTOCOL.md); absent, the host's default (the full
   * probe).
   */
  check(site: Site, scope: CheckScope = {}): Promise<CheckOutcome> {
    const key = [siteLabel(site), scope.addressPolicy ?? '', scope.pageLoaded ? 'loaded' : '', scope.probe ?? '']
      .join(' ')
      .trimEnd();
    const running = this.inflight.get(key);
    // A forced re-check may join a running check: that one asks the site afresh as well.
    if (running) return running;
    const promise = this.askHost(site, scope).finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return promise;
  }

  private async askHost(site: Site, scope: CheckScope): Promise<CheckOutcome> {
    const answer = await this.config.client.request(
      {
        type: 'check',
        host: site.host,
        port: site.port,
        timeoutMs: this.checkTimeoutMs,
        ...(scope.addressPolicy ? { addressPolicy: scope.addressPolicy } : {}),
        ...(scope.pageLoaded ? { pageLoaded: true } : {}),
        ...(scope.probe ? { probe: scope.probe } : {}),
      },
      this.checkTimeoutMs + this.answerGraceMs,
    );
    const outcome = checkOutcomeOf(site, answer, this.log);
    if (outcome.kind !== 'result') return outcome;
    const expiresAt = this.config.cache.put(site, outcome.result, this.config.clock.now(), this.config.maxCacheMs());
    this.config.onFreshResult?.(site, outcome.result);
    return { kind: 'result', result: outcome.result, expiresAt };
  }
}

/**
 * What the host's outcome means for `site`. Pure: a result only if the answer is a valid result
 * about the very site asked about (docs/architecture.md rule 4: the host's answer is untrusted).
 */
export function checkOutcomeOf(
  site: Site,
  outcome: HostOutcome,
  log: (message: string) => void = () => {},
): Exclude<CheckOutcome, { kind: 'result' }> | { kind: 'result'; result: Result } {
  if (outcome.kind !== 'answer') return outcome;
  const { answer } = outcome;
  if (answer.kind === 'failure') {
    return { kind: 'failed', code: 'host-error', message: `${answer.code}: ${answer.message}` };
  }
  const parsed = parseResult(answer.result);
  if (!parsed.ok) {
    log(`malformed result from the host: ${parsed.reason}`);
    return {
      kind: 'failed',
      code: 'malformed-answer',
      message: `The helper’s answer is not a valid result (${parsed.reason}).`,
    };
  }
  const { result } = parsed;
  // An answer about another site than the one asked about is no answer about this one.
  if (
    (result.port !== null && result.port !== site.port) ||
    (result.host !== null && result.host.toLowerCase() !== site.host)
  ) {
    return {
      kind: 'failed',
      code: 'malformed-answer',
      message: `The helper answered about ${result.host ?? '?'}:${result.port ?? '?'} instead of ${siteLabel(site)}.`,
    };
  }
  return { kind: 'result', result };
}
