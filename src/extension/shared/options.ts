// The user's settings (options page → storage.local → background). Pure: defaults and run-time
// validation, since storage can hold anything an older version or a hand edit left there. Where
// they are stored is extension-storage.ts's business.
import { parseExcludePattern } from './site.js';
import { isRecord } from '../../protocol/is-record.js';

export interface Options {
  /** Check every https: page when it commits. */
  autoCheck: boolean;
  /** Sites never checked automatically, one pattern a line (see parseExcludePattern). */
  excludedSites: string[];
  /** The longest a result is reused; a staple's nextUpdate can make it shorter, never longer. */
  cacheMinutes: number;
  /** Opt-in: keep each site's staple age on this device, for the popup's chart (staple-history.ts). */
  keepHistory: boolean;
  /** A watched site (watch-list.ts) whose staple has less than this many hours left notifies. */
  watchLeftHours: number;
}

export const DEFAULT_OPTIONS: Options = {
  autoCheck: true,
  excludedSites: [],
  cacheMinutes: 10,
  keepHistory: false,
  watchLeftHours: 48,
};

export const MAX_CACHE_MINUTES = 24 * 60;
/** 30 days: longer than any staple lives (browsers distrust answers valid over 10 days). */
export const MAX_WATCH_LEFT_HOURS = 30 * 24;
const MAX_EXCLUDED = 500;

/** Whatever storage returned → valid options; bad or missing fields take their defaults. */
export function parseOptions(value: unknown): Options {
  const record = isRecord(value) ? value : {};
  const autoCheck = typeof record.autoCheck === 'boolean' ? record.autoCheck : DEFAULT_OPTIONS.autoCheck;
  const excludedSites = Array.isArray(record.excludedSites)
    ? record.excludedSites.filter((s): s is string => typeof s === 'string' && s.length <= 300).slice(0, MAX_EXCLUDED)
    : DEFAULT_OPTIONS.excludedSites;
  const minutes = record.cacheMinutes;
  const cacheMinutes =
    typeof minutes === 'number' && Number.isFinite(minutes) && minutes >= 0 && minutes <= MAX_CACHE_MINUTES
      ? minutes
      : DEFAULT_OPTIONS.cacheMinutes;
  const keepHistory = record.keepHistory === true;
  const hours = record.watchLeftHours;
  const watchLeftHours =
    typeof hours === 'number' && Number.isInteger(hours) && hours >= 1 && hours <= MAX_WATCH_LEFT_HOURS
      ? hours
      : DEFAULT_OPTIONS.watchLeftHours;
  return { autoCheck, excludedSites, cacheMinutes, keepHistory, watchLeftHours };
}

/** The watch threshold as typed: whole hours 1-720, or why not (a message key and its substitutions). */
export type HoursParse = { ok: true; hours: number } | { ok: false; key: string; substitutions: string[] };

export function parseWatchHoursText(text: string): HoursParse {
  const trimmed = text.trim();
  const max = String(MAX_WATCH_LEFT_HOURS);
  if (!/^\d+$/.test(trimmed)) return { ok: false, key: 'options_watch_hours_invalid', substitutions: [trimmed, max] };
  const hours = Number(trimmed);
  if (hours < 1 || hours > MAX_WATCH_LEFT_HOURS) {
    return { ok: false, key: 'options_watch_hours_invalid', substitutions: [trimmed, max] };
  }
  return { ok: true, hours };
}

/** The cache field as typed: minutes, or why not (a message key and its substitutions). */
export type MinutesParse = { ok: true; minutes: number } | { ok: false; key: string; substitutions: string[] };

export function parseCacheMinutesText(text: string): MinutesParse {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, key: 'options_cache_empty', substitutions: [String(MAX_CACHE_MINUTES)] };
  if (!/^\d+$/.test(trimmed)) {
    return { ok: false, key: 'options_cache_not_whole', substitutions: [trimmed, String(MAX_CACHE_MINUTES)] };
  }
  const minutes = Number(trimmed);
  if (minutes > MAX_CACHE_MINUTES) {
    return { ok: false, key: 'options_cache_too_long', substitutions: [trimmed, String(MAX_CACHE_MINUTES)] };
  }
  return { ok: true, minutes };
}

/** The pattern the popup's "Don't check this site" switch adds: the host, its port if not 443. */
export function excludePatternOf(site: { host: string; port: number }): string {
  const host = site.host.includes(':') ? `[${site.host}]` : site.host;
  return site.port === 443 ? host : `${host}:${site.port}`;
}

/**
 * The list without the lines that name exactly this site (its host, with its port or none). A
 * wider line (`example.com` for `www.example.com`) stays: the user wrote it, the options page
 * changes it.
 */
export function withoutSite(patterns: readonly string[], site: { host: string; port: number }): string[] {
  return patterns.filter((line) => {
    const p = parseExcludePattern(line);
    return !(p && p.host === site.host && (p.port === null || p.port === site.port));
  });
}

export interface ExcludedParse {
  patterns: string[];
  /** Lines that are no host name, IP address or URL. */
  invalid: string[];
}

/** The options page's textarea: one pattern a line, blank lines and `#` comments ignored. */
export function parseExcludedText(text: string): ExcludedParse {
  const patterns: string[] = [];
  const invalid: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.length === 0 || line.startsWith('#')) continue;
    if (parseExcludePattern(line)) {
      if (!patterns.includes(line)) patterns.push(line);
    } else invalid.push(line);
  }
  return { patterns, invalid };
}
