// Watched sites: the sites the user asked, one by one, to have re-checked on a schedule (the
// popup's "Watch this site"), each with what its last check found and which alert was last
// notified, so a lapse notifies once and not at every check. Nothing else is ever checked on a
// schedule. Kept in storage.local (extension-storage.ts owns the key), bounded to `MAX_WATCHED`
// sites. Pure: the list in, a new list out, and everything read back validated (docs/architecture.md
// rule 4).
import type { Result, Verdict } from '../../core/result.js';
import { isRecord } from '../../protocol/is-record.js';
import type { Site } from './site.js';
import { sameSite } from './site.js';

/** The most sites one browser watches: each costs a TLS check per period. */
export const MAX_WATCHED = 50;

/** How often watched sites are checked: far more often than a staple's usual days of validity. */
export const WATCH_PERIOD_MINUTES = 60;

/** What a watched site's last check found: a verdict, or why there was none. */
export type WatchOutcome = Verdict | 'excluded' | 'host-missing' | 'failed';

export interface WatchStatus {
  /** When the check ran (ms since the epoch). */
  checkedAt: number;
  outcome: WatchOutcome;
  /** The staple's nextUpdate (ms since the epoch); `null`: no staple, or none with an end. */
  nextUpdate: number | null;
}

/** Why a watched site deserves a notification (the verdicts of docs/contract.md §2, or time running out). */
export type WatchAlert = 'not-stapled' | 'stapled-invalid' | 'stapled-revoked' | 'must-staple-violation' | 'expiring';

const ALERT_VERDICTS: readonly WatchAlert[] = [
  'not-stapled',
  'stapled-invalid',
  'stapled-revoked',
  'must-staple-violation',
];
const WATCH_ALERTS: readonly WatchAlert[] = [...ALERT_VERDICTS, 'expiring'];

export interface WatchedSite {
  site: Site;
  addedAt: number;
  /** `null`: not checked since it was added. */
  last: WatchStatus | null;
  /** The alert last notified and still standing; `null` once the site is fine again. */
  alerted: WatchAlert | null;
}

export type WatchList = WatchedSite[];

/**
 * Whether `result` deserves a notification: the staple is missing, cannot be trusted or says
 * revoked, or a staple that verifies has less than `thresholdMs` left before its nextUpdate.
 */
export function watchAlertOf(result: Result, now: number, thresholdMs: number): WatchAlert | null {
  const verdict = ALERT_VERDICTS.find((v) => v === result.verdict);
  if (verdict) return verdict;
  if (result.verdict !== 'stapled-good' && result.verdict !== 'stapled-unknown') return null;
  const next = result.ocsp?.nextUpdate ? Date.parse(result.ocsp.nextUpdate) : NaN;
  return Number.isFinite(next) && next - now < thresholdMs ? 'expiring' : null;
}

/** What a finished check leaves in the list. */
export function watchStatusOf(result: Result, now: number): WatchStatus {
  const next = result.ocsp?.nextUpdate ? Date.parse(result.ocsp.nextUpdate) : NaN;
  return { checkedAt: now, outcome: result.verdict, nextUpdate: Number.isFinite(next) ? next : null };
}

export function isWatched(list: WatchList, site: Site): boolean {
  return list.some((w) => sameSite(w.site, site));
}

export type WatchAdd = { ok: true; list: WatchList } | { ok: false; reason: 'full' };

/** The list with `site` added at the end (already there: unchanged); refused beyond `MAX_WATCHED`. */
export function addWatched(list: WatchList, site: Site, now: number): WatchAdd {
  if (isWatched(list, site)) return { ok: true, list };
  if (list.length >= MAX_WATCHED) return { ok: false, reason: 'full' };
  return {
    ok: true,
    list: [...list, { site: { host: site.host, port: site.port }, addedAt: now, last: null, alerted: null }],
  };
}

export function removeWatched(list: WatchList, site: Site): WatchList {
  return list.filter((w) => !sameSite(w.site, site));
}

/** The list with the entry for `site` replaced by `update(entry)`; a site no longer watched stays out. */
export function updateWatched(list: WatchList, site: Site, update: (entry: WatchedSite) => WatchedSite): WatchList {
  return list.map((w) => (sameSite(w.site, site) ? update(w) : w));
}

const OUTCOMES: readonly WatchOutcome[] = [
  'stapled-good',
  'stapled-revoked',
  'stapled-unknown',
  'stapled-invalid',
  'not-stapled',
  'no-ocsp',
  'must-staple-violation',
  'error',
  'excluded',
  'host-missing',
  'failed',
];

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function parseSite(value: unknown): Site | null {
  if (!isRecord(value)) return null;
  const { host, port } = value;
  if (typeof host !== 'string' || host.length === 0 || host.length > 253) return null;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host, port };
}

function parseStatus(value: unknown): WatchStatus | null {
  if (!isRecord(value) || !isTime(value.checkedAt)) return null;
  const outcome = OUTCOMES.find((o) => o === value.outcome);
  if (!outcome) return null;
  const nextUpdate = isTime(value.nextUpdate) ? value.nextUpdate : null;
  return { checkedAt: value.checkedAt, outcome, nextUpdate };
}

/** Whatever storage held → a valid list of at most `MAX_WATCHED` distinct sites. */
export function parseWatchList(value: unknown): WatchList {
  if (!Array.isArray(value)) return [];
  const out: WatchList = [];
  for (const item of value.slice(0, MAX_WATCHED)) {
    if (!isRecord(item)) continue;
    const site = parseSite(item.site);
    if (!site || !isTime(item.addedAt) || isWatched(out, site)) continue;
    const alerted = WATCH_ALERTS.find((a) => a === item.alerted) ?? null;
    out.push({ site, addedAt: item.addedAt, last: parseStatus(item.last), alerted });
  }
  return out;
}
