// The popup's requests for quick checks while browsing, beside the tab requests of messages.ts and
// validated the same way on arrival (docs/architecture.md rule 4): check a site typed into the
// popup (no tab involved), this session's recent checks, a site's opt-in staple history, watching
// a site.
import type { RecentCheck } from './recent-checks.js';
import { parseRecentChecks } from './recent-checks.js';
import type { Site } from './site.js';
import type { HistoryPoint } from './staple-history.js';
import { parseStapleHistory } from './staple-history.js';
import type { TabView } from './tab-view.js';
import { parseTabView } from './tab-view.js';

export type SiteRequest =
  /** Check what the user typed (host, host:port, [v6]:port, a URL); `fresh`: not from the cache. */
  | { type: 'check-site'; target: string; fresh: boolean }
  /** This browsing session's checks, newest first. */
  | { type: 'recent-checks' }
  /** The site's staple history, or `null` while the user has not opted in. */
  | { type: 'staple-history'; site: Site }
  /** Watch the site (re-check it on a schedule, watch-list.ts), or stop watching it. */
  | { type: 'watch-site'; site: Site; watch: boolean };

export type SiteRequestType = SiteRequest['type'];

/** How a typed check ended: the site's state, or why the text names no site. */
export type CheckSiteReply = { ok: true; view: TabView } | { ok: false; message: string };

export type HistoryReply = { enabled: false } | { enabled: true; points: HistoryPoint[] };

/** Whether the site is watched now, or why it could not be added. */
export type WatchReply = { ok: true; watched: boolean } | { ok: false; reason: 'full' };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseSite(value: unknown): Site | null {
  const { host, port } = isRecord(value) ? value : {};
  if (typeof host !== 'string' || host.length === 0 || host.length > 253) return null;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host, port };
}

export type SiteRequestParse = { ok: true; request: SiteRequest } | { ok: false; reason: string };

export function parseSiteRequest(value: unknown): SiteRequestParse {
  if (!isRecord(value)) return { ok: false, reason: 'a message must be an object' };
  switch (value.type) {
    case 'check-site':
      if (typeof value.target !== 'string' || value.target.length > 2_048) {
        return { ok: false, reason: '"target" must be text' };
      }
      return { ok: true, request: { type: 'check-site', target: value.target, fresh: value.fresh === true } };
    case 'recent-checks':
      return { ok: true, request: { type: 'recent-checks' } };
    case 'staple-history': {
      const site = parseSite(value.site);
      if (!site) return { ok: false, reason: 'bad site' };
      return { ok: true, request: { type: 'staple-history', site } };
    }
    case 'watch-site': {
      const site = parseSite(value.site);
      if (!site || typeof value.watch !== 'boolean') return { ok: false, reason: 'bad site' };
      return { ok: true, request: { type: 'watch-site', site, watch: value.watch } };
    }
    default:
      return { ok: false, reason: 'unknown message type' };
  }
}

export function parseCheckSiteReply(value: unknown): CheckSiteReply | null {
  if (!isRecord(value)) return null;
  if (value.ok === false && typeof value.message === 'string')
    return { ok: false, message: value.message.slice(0, 500) };
  const view = value.ok === true ? parseTabView(value.view) : null;
  return view ? { ok: true, view } : null;
}

export function parseRecentReply(value: unknown): RecentCheck[] {
  return parseRecentChecks(value);
}

export function parseWatchReply(value: unknown): WatchReply | null {
  if (!isRecord(value)) return null;
  if (value.ok === true && typeof value.watched === 'boolean') return { ok: true, watched: value.watched };
  if (value.ok === false && value.reason === 'full') return { ok: false, reason: 'full' };
  return null;
}

export function parseHistoryReply(value: unknown): HistoryReply | null {
  if (!isRecord(value)) return null;
  if (value.enabled === false) return { enabled: false };
  if (value.enabled !== true) return null;
  const points = parseStapleHistory({ site: value.points }).site ?? [];
  return { enabled: true, points };
}
