// The background: per-tab state, automatic checks on navigation, the cache, the badge and the
// popup's requests, over one shared HostClient. Everything browser-specific comes in through
// BackgroundApi, so tests drive it with a fake (test/extension/background.test.ts).
import type { Result } from '../../core/result.js';
import { HOST_NAME } from '../../host/extension-ids.js';
import type { BackgroundApi, MessageSender } from '../browser-api.js';
import { badgeFor } from '../shared/badge.js';
import { parseResult } from '../shared/parse-result.js';
import type { PingReply, Request, RequestType } from '../shared/messages.js';
import { parseRequest } from '../shared/messages.js';
import type { Options } from '../shared/options.js';
import { DEFAULT_OPTIONS, OPTION_KEYS, parseOptions } from '../shared/options.js';
import { parsePingResult } from '../shared/host-answer.js';
import type { Site } from '../shared/site.js';
import { isExcluded, sameSite, siteLabel, siteOfUrl } from '../shared/site.js';
import type { TabView } from '../shared/tab-view.js';
import { parseTabView } from '../shared/tab-view.js';
import { CheckCache } from './check-cache.js';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { HostOutcome } from './native-port.js';
import { DEFAULT_IDLE_MS, HostClient } from './native-port.js';

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

export const DEFAULT_CHECK_TIMEOUT_MS = 10_000;
export const DEFAULT_ANSWER_GRACE_MS = 5_000;
const PING_TIMEOUT_MS = 5_000;
const TAB_KEY_PREFIX = 'tab:';

type CheckOutcome =
  | { kind: 'result'; result: Result; expiresAt: number | null }
  | { kind: 'host-missing'; message: string }
  | { kind: 'failed'; code: Extract<TabView, { state: 'failed' }>['code']; message: string };

type Handlers = { [K in RequestType]: (request: Extract<Request, { type: K }>) => Promise<unknown> };

export class Background {
  readonly ready: Promise<void>;
  readonly client: HostClient;
  private options: Options = DEFAULT_OPTIONS;
  private readonly tabs = new Map<number, TabView>();
  /** Bumped on every navigation of a tab: a check that finishes for an older page is dropped. */
  private readonly navigations = new Map<number, number>();
  private readonly inflight = new Map<string, Promise<CheckOutcome>>();
  private readonly tasks = new Set<Promise<void>>();
  private readonly cache: CheckCache;
  private readonly api: BackgroundApi;
  private readonly clock: Clock;
  private readonly checkTimeoutMs: number;
  private readonly answerGraceMs: number;
  private readonly log: (message: string) => void;

  /** Popup and options requests, by type (refined-github's one map of named handlers). */
  readonly handlers: Handlers = {
    'get-state': (request) => this.getState(request.tabId, request.start),
    recheck: (request) => this.recheck(request.tabId),
    'ping-host': () => this.pingHost(),
  };

  constructor(config: BackgroundConfig) {
    this.api = config.api;
    this.clock = config.clock ?? systemClock;
    this.checkTimeoutMs = config.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
    this.answerGraceMs = config.answerGraceMs ?? DEFAULT_ANSWER_GRACE_MS;
    this.log = config.log ?? (() => {});
    const { api } = this;
    this.client = new HostClient(
      () => api.connectNative(HOST_NAME),
      this.clock,
      {
        idleMs: config.idleMs ?? DEFAULT_IDLE_MS,
      },
      this.log,
    );
    this.cache = new CheckCache({
      save: (key, entry) => this.persist(api.session.set({ [key]: entry })),
      remove: (key) => this.persist(api.session.remove([key])),
    });

    // MV3: listeners are registered synchronously at start-up, or a woken service worker misses
    // the event that woke it. Each waits for the stored state before acting.
    api.onTopFrameCommitted((tabId, url) => this.track(this.onCommitted(tabId, url)));
    api.onTopFrameCompleted((tabId) => this.track(this.reapplyBadge(tabId)));
    api.onTabRemoved((tabId) => this.track(this.forgetTab(tabId)));
    api.onLocalChanged((keys) => {
      if (keys.some((k) => (OPTION_KEYS as readonly string[]).includes(k))) this.track(this.loadOptions());
    });
    api.onMessage((message, sender) => this.onMessage(message, sender));
    this.ready = this.restore();
  }

  /** Resolves when every check and update started so far has finished (for tests). */
  async settled(): Promise<void> {
    while (this.tasks.size > 0) await Promise.all([...this.tasks]);
  }

  viewOf(tabId: number): TabView | undefined {
    return this.tabs.get(tabId);
  }

  // --- events -----------------------------------------------------------------------------------

  private async onCommitted(tabId: number, url: string): Promise<void> {
    await this.ready;
    this.navigations.set(tabId, (this.navigations.get(tabId) ?? 0) + 1);
    await this.showUrl(tabId, url, 'navigation');
  }

  private onMessage(message: unknown, sender: MessageSender): Promise<unknown> | undefined {
    // Only our own pages: no content scripts, no `externally_connectable`, but check anyway.
    if (sender.id !== this.api.extensionId) return undefined;
    const parsed = parseRequest(message);
    if (!parsed.ok) return undefined; // e.g. our own `tab-state` notices seen by another page
    const { request } = parsed;
    const handler = this.handlers[request.type] as (r: Request) => Promise<unknown>;
    return this.ready.then(() => handler(request));
  }

  // --- handlers ---------------------------------------------------------------------------------

  async getState(tabId: number, start: boolean): Promise<TabView> {
    await this.ready;
    const known = this.tabs.get(tabId);
    if (!known) {
      // A tab that loaded before the extension started (install, update, browser restart).
      await this.showUrl(tabId, await this.api.topFrameUrl(tabId), start ? 'popup' : 'lookup');
    } else if (start && known.state === 'idle' && known.reason === 'auto-check-off') {
      // Opening the popup is the explicit request that automatic checking waits for.
      this.startCheck(tabId, known.site, false);
    } else if (start && known.state === 'host-missing' && known.site) {
      // The user may just have run `staplecheck install`: opening the popup tries again.
      this.startCheck(tabId, known.site, false);
    }
    return this.tabs.get(tabId) ?? { state: 'not-https', scheme: null };
  }

  async recheck(tabId: number): Promise<TabView> {
    await this.ready;
    const url = await this.api.topFrameUrl(tabId);
    const where = siteOfUrl(url);
    const known = this.tabs.get(tabId);
    const site = where.kind === 'https' ? where.site : url === null && known && 'site' in known ? known.site : null;
    if (!site) {
      this.setView(tabId, { state: 'not-https', scheme: where.kind === 'not-https' ? where.scheme : null });
    } else {
      this.startCheck(tabId, site, true);
    }
    return this.tabs.get(tabId) ?? { state: 'not-https', scheme: null };
  }

  async pingHost(): Promise<PingReply> {
    const outcome = await this.client.request({ type: 'ping' }, PING_TIMEOUT_MS);
    const extensionId = this.api.extensionId;
    if (outcome.kind === 'host-missing')
      return { ok: false, state: 'host-missing', message: outcome.message, extensionId };
    if (outcome.kind === 'failed') return { ok: false, state: 'failed', message: outcome.message, extensionId };
    if (outcome.answer.kind === 'failure') {
      return { ok: false, state: 'failed', message: `${outcome.answer.code}: ${outcome.answer.message}`, extensionId };
    }
    const version = parsePingResult(outcome.answer.result);
    return version === null
      ? { ok: false, state: 'failed', message: 'The helper sent an invalid ping answer.', extensionId }
      : { ok: true, version };
  }

  // --- checking ---------------------------------------------------------------------------------

  private async showUrl(tabId: number, url: string | null, trigger: 'navigation' | 'popup' | 'lookup') {
    const where = siteOfUrl(url);
    if (where.kind === 'not-https') {
      this.setView(tabId, { state: 'not-https', scheme: where.scheme });
      return;
    }
    const { site } = where;
    if (isExcluded(site, this.options.excludedSites)) {
      this.setView(tabId, { state: 'idle', site, reason: 'excluded' });
    } else if (this.options.autoCheck || trigger === 'popup') {
      this.startCheck(tabId, site, false);
    } else {
      this.setView(tabId, { state: 'idle', site, reason: 'auto-check-off' });
    }
  }

  private get maxCacheMs(): number {
    return this.options.cacheMinutes * 60_000;
  }

  /** Shows a fresh cached result at once, or `checking` until the host answers. */
  private startCheck(tabId: number, site: Site, force: boolean): void {
    const now = this.clock.now();
    if (force) {
      this.cache.delete(site);
    } else {
      const cached = this.cache.get(site, now, this.maxCacheMs);
      if (cached) {
        this.setView(tabId, {
          state: 'result',
          site,
          result: cached.result,
          fromCache: true,
          expiresAt: cached.expiresAt,
        });
        return;
      }
    }
    const navigation = this.navigations.get(tabId) ?? 0;
    this.setView(tabId, { state: 'checking', site, startedAt: now });
    this.track(
      this.check(site).then((outcome) => {
        // The tab moved on (or closed) while we were checking: that page's result is not this page's.
        const current = this.tabs.get(tabId);
        if ((this.navigations.get(tabId) ?? 0) !== navigation || current?.state !== 'checking') return;
        if (!sameSite(current.site, site)) return;
        this.setView(tabId, this.viewFromOutcome(site, outcome));
      }),
    );
  }

  private viewFromOutcome(site: Site, outcome: CheckOutcome): TabView {
    switch (outcome.kind) {
      case 'result':
        return { state: 'result', site, result: outcome.result, fromCache: false, expiresAt: outcome.expiresAt };
      case 'host-missing':
        return { state: 'host-missing', site, message: outcome.message, extensionId: this.api.extensionId };
      case 'failed':
        return { state: 'failed', site, code: outcome.code, message: outcome.message };
    }
  }

  /** One host request per site at a time; tabs showing the same site share it. */
  private check(site: Site): Promise<CheckOutcome> {
    const key = siteLabel(site);
    const running = this.inflight.get(key);
    // A forced re-check may join a running check: that one asks the site afresh as well.
    if (running) return running;
    const promise = this.askHost(site).finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return promise;
  }

  private async askHost(site: Site): Promise<CheckOutcome> {
    const outcome: HostOutcome = await this.client.request(
      { type: 'check', host: site.host, port: site.port, timeoutMs: this.checkTimeoutMs },
      this.checkTimeoutMs + this.answerGraceMs,
    );
    if (outcome.kind !== 'answer') return outcome;
    const { answer } = outcome;
    if (answer.kind === 'failure') {
      return { kind: 'failed', code: 'host-error', message: `${answer.code}: ${answer.message}` };
    }
    const parsed = parseResult(answer.result);
    if (!parsed.ok) {
      this.log(`malformed result from the host: ${parsed.reason}`);
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
    const expiresAt = this.cache.put(site, result, this.clock.now(), this.maxCacheMs);
    return { kind: 'result', result, expiresAt };
  }

  // --- state, badge, storage --------------------------------------------------------------------

  private setView(tabId: number, view: TabView): void {
    this.tabs.set(tabId, view);
    this.persist(this.api.session.set({ [TAB_KEY_PREFIX + tabId]: view }));
    this.persist(this.applyBadge(tabId, view));
    void this.api.broadcast({ type: 'tab-state', tabId, view });
  }

  private async applyBadge(tabId: number, view: TabView): Promise<void> {
    const badge = badgeFor(view);
    await this.api.setBadge(tabId, {
      text: badge.text,
      background: badge.background,
      textColour: badge.textColour,
      title: badge.title,
    });
  }

  /** Chromium resets a tab's badge when it navigates; put ours back once the page has loaded. */
  private async reapplyBadge(tabId: number): Promise<void> {
    await this.ready;
    const view = this.tabs.get(tabId);
    if (view) await this.applyBadge(tabId, view).catch(() => {});
  }

  private async forgetTab(tabId: number): Promise<void> {
    await this.ready;
    this.tabs.delete(tabId);
    this.navigations.delete(tabId);
    await this.api.session.remove([TAB_KEY_PREFIX + tabId]).catch(() => {});
  }

  private async loadOptions(): Promise<void> {
    try {
      this.options = parseOptions(await this.api.local.get([...OPTION_KEYS]));
    } catch (err) {
      this.log(`could not read the options: ${String(err)}`);
    }
  }

  private async restore(): Promise<void> {
    await this.loadOptions();
    let stored: Record<string, unknown> = {};
    try {
      stored = await this.api.session.get(null);
    } catch (err) {
      this.log(`could not read session state: ${String(err)}`);
    }
    const interrupted: [number, Site][] = [];
    for (const [key, value] of Object.entries(stored)) {
      if (key.startsWith(TAB_KEY_PREFIX)) {
        const tabId = Number(key.slice(TAB_KEY_PREFIX.length));
        const view = parseTabView(value);
        if (!Number.isInteger(tabId) || !view) continue;
        this.tabs.set(tabId, view);
        // The worker was stopped mid-check: nobody will finish that one.
        if (view.state === 'checking') interrupted.push([tabId, view.site]);
      } else {
        this.cache.restore(key, value);
      }
    }
    for (const [tabId, site] of interrupted) this.startCheck(tabId, site, false);
  }

  private track(task: Promise<unknown>): void {
    const tracked = task.then(
      () => {},
      (err: unknown) =>
        this.log(`background task failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
    );
    this.tasks.add(tracked);
    void tracked.finally(() => this.tasks.delete(tracked));
  }

  private persist(write: Promise<unknown>): void {
    this.track(write.catch((err: unknown) => this.log(`storage/badge update failed: ${String(err)}`)));
  }
}
