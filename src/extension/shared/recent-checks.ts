// The checks of this browsing session, newest first, for the popup's "Recent checks" list: each
// with its whole result, so a click shows that very verdict. Kept in storage.session only (memory,
// cleared when the browser closes; extension-storage.ts owns the key). Pure.
import type { Result } from '../../core/result.js';
import { parseResult } from '../../protocol/parse-result.js';
import type { Site } from './site.js';
import { sameSite } from './site.js';

export interface RecentCheck {
  site: Site;
  result: Result;
}

/** The list stays short: it is a glance back, not a log. */
export const MAX_RECENT = 6;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `check` first; an older entry for the same site goes; at most `MAX_RECENT`. */
export function addRecent(list: readonly RecentCheck[], check: RecentCheck): RecentCheck[] {
  return [check, ...list.filter((c) => !sameSite(c.site, check.site))].slice(0, MAX_RECENT);
}

/** Whatever storage or a message held → the valid entries (docs/architecture.md rule 4). */
export function parseRecentChecks(value: unknown): RecentCheck[] {
  if (!Array.isArray(value)) return [];
  const out: RecentCheck[] = [];
  for (const item of value.slice(0, MAX_RECENT)) {
    if (!isRecord(item) || !isRecord(item.site)) continue;
    const { host, port } = item.site;
    if (typeof host !== 'string' || host.length === 0 || host.length > 253) continue;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) continue;
    const parsed = parseResult(item.result);
    if (parsed.ok) out.push({ site: { host, port }, result: parsed.result });
  }
  return out;
}
