// What the extension knows about one tab: the background keeps it, the badge and the popup render
// it. A discriminated union of states (docs/architecture.md rule 3), JSON-safe because it crosses
// runtime.sendMessage and lives in storage.session across service-worker restarts.
import type { Result } from '../../core/result.js';
import { parseResult } from '../../protocol/parse-result.js';
import type { Site } from './site.js';
import { isRecord } from '../../protocol/is-record.js';

/** Why a check produced no result although the host may be installed. Append-only. */
export type FailureCode =
  | 'timeout' // the host did not answer in time
  | 'host-exited' // the host went away while a check was pending
  | 'malformed-answer' // the host answered something that is not a valid result
  | 'host-error' // the host answered `ok: false`
  | 'internal'; // a bug on our side

export const FAILURE_CODES: readonly FailureCode[] = [
  'timeout',
  'host-exited',
  'malformed-answer',
  'host-error',
  'internal',
];

export type TabView =
  /** `http:`, `file:`, browser-internal pages: no TLS handshake to check. */
  | { state: 'not-https'; scheme: string | null }
  /** An https: page that is not checked automatically (auto-check off, or an excluded site). */
  | { state: 'idle'; site: Site; reason: 'auto-check-off' | 'excluded' }
  | { state: 'checking'; site: Site; startedAt: number }
  | { state: 'result'; site: Site; result: Result; fromCache: boolean; expiresAt: number | null }
  /** connectNative failed: the host is not registered for this browser (or cannot start). */
  | { state: 'host-missing'; site: Site | null; message: string; extensionId: string }
  | { state: 'failed'; site: Site; code: FailureCode; message: string };

export type TabState = TabView['state'];

/**
 * The site that opening the popup checks at once (background/tab-checks.ts, `stateOf`), or `null`:
 * a tab idle because automatic checking is off (opening the popup is the request it waits for),
 * and a tab whose host was missing (the user may just have run `staplecheck install`). The popup
 * does not draw such a tab's stored state first: it would be replaced by "Checking…" a moment later.
 */
export function siteCheckedOnOpen(view: TabView): Site | null {
  if (view.state === 'idle' && view.reason === 'auto-check-off') return view.site;
  if (view.state === 'host-missing') return view.site;
  return null;
}

function parseSite(value: unknown): Site | null {
  if (!isRecord(value)) return null;
  const { host, port } = value;
  if (typeof host !== 'string' || host.length === 0 || host.length > 253) return null;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host, port };
}

function shortText(value: unknown, max = 1_000): string | null {
  return typeof value === 'string' ? value.slice(0, max) : null;
}

/** A TabView that crossed a message or storage boundary → a valid one, or `null`. */
export function parseTabView(value: unknown): TabView | null {
  if (!isRecord(value)) return null;
  switch (value.state) {
    case 'not-https': {
      const scheme = value.scheme === null ? null : shortText(value.scheme, 64);
      return { state: 'not-https', scheme };
    }
    case 'idle': {
      const site = parseSite(value.site);
      if (!site || (value.reason !== 'auto-check-off' && value.reason !== 'excluded')) return null;
      return { state: 'idle', site, reason: value.reason };
    }
    case 'checking': {
      const site = parseSite(value.site);
      if (!site || typeof value.startedAt !== 'number') return null;
      return { state: 'checking', site, startedAt: value.startedAt };
    }
    case 'result': {
      const site = parseSite(value.site);
      const parsed = parseResult(value.result);
      if (!site || !parsed.ok) return null;
      const expiresAt = typeof value.expiresAt === 'number' ? value.expiresAt : null;
      return { state: 'result', site, result: parsed.result, fromCache: value.fromCache === true, expiresAt };
    }
    case 'host-missing': {
      const site = value.site === null ? null : parseSite(value.site);
      const message = shortText(value.message);
      const extensionId = shortText(value.extensionId, 128);
      if ((value.site !== null && !site) || message === null || extensionId === null) return null;
      return { state: 'host-missing', site, message, extensionId };
    }
    case 'failed': {
      const site = parseSite(value.site);
      const message = shortText(value.message);
      const code = FAILURE_CODES.find((c) => c === value.code);
      if (!site || message === null || !code) return null;
      return { state: 'failed', site, code, message };
    }
    default:
      return null;
  }
}
