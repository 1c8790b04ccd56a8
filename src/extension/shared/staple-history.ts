// Opt-in (Options.keepHistory, off by default): how old each site's staple was at every fresh
// check, kept on this device in storage.local (extension-storage.ts owns the key), so the popup can
// draw "this server stopped refreshing its staple three days ago" instead of leaving it to be
// computed. Bounded: `MAX_POINTS` per site, `MAX_SITES` sites (the least recently checked go).
// Pure.
import type { Result } from '../../core/result.js';

export interface HistoryPoint {
  /** When the check ran (ms since the epoch). */
  at: number;
  /** How old the staple was then, in seconds (check time − thisUpdate); `null`: no staple. */
  ageSeconds: number | null;
}

/** By site key (`example.com:443`), oldest point first. */
export type StapleHistory = Record<string, HistoryPoint[]>;

export const MAX_POINTS = 60;
export const MAX_SITES = 200;

/** The point a result adds, or `null` for a result that says nothing about a staple (an error). */
export function historyPointOf(result: Result): HistoryPoint | null {
  const at = Date.parse(result.checkedAt);
  if (!Number.isFinite(at) || result.verdict === 'error' || result.host === null) return null;
  const made = result.ocsp?.thisUpdate ?? result.ocsp?.producedAt ?? null;
  const madeAt = made ? Date.parse(made) : NaN;
  return { at, ageSeconds: Number.isFinite(madeAt) ? Math.round((at - madeAt) / 1000) : null };
}

function lastAt(points: readonly HistoryPoint[]): number {
  return points[points.length - 1]?.at ?? 0;
}

/** `history` with `point` added for `siteKey`, trimmed to the bounds. */
export function addHistoryPoint(history: StapleHistory, siteKey: string, point: HistoryPoint): StapleHistory {
  const points = [...(history[siteKey] ?? []).filter((p) => p.at < point.at), point].slice(-MAX_POINTS);
  const entries = Object.entries({ ...history, [siteKey]: points });
  if (entries.length > MAX_SITES) entries.sort((a, b) => lastAt(b[1]) - lastAt(a[1])).splice(MAX_SITES);
  return Object.fromEntries(entries);
}

function parsePoint(value: unknown): HistoryPoint | null {
  if (typeof value !== 'object' || value === null) return null;
  const { at, ageSeconds } = value as Record<string, unknown>;
  if (typeof at !== 'number' || !Number.isFinite(at)) return null;
  if (ageSeconds !== null && (typeof ageSeconds !== 'number' || !Number.isFinite(ageSeconds))) return null;
  return { at, ageSeconds };
}

/** Whatever storage held → a valid, bounded history (docs/architecture.md rule 4). */
export function parseStapleHistory(value: unknown): StapleHistory {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const out: StapleHistory = {};
  for (const [key, points] of Object.entries(value as Record<string, unknown>).slice(0, MAX_SITES)) {
    if (key.length > 300 || !Array.isArray(points)) continue;
    const valid = points
      .slice(-MAX_POINTS)
      .map(parsePoint)
      .filter((p): p is HistoryPoint => p !== null);
    if (valid.length > 0) out[key] = valid;
  }
  return out;
}
