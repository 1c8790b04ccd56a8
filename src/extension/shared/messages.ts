// Messages between the extension's pages (popup, options) and the background, validated on
// arrival (docs/architecture.md rule 4). Requests go popup → background with runtime.sendMessage and get a
// reply; `tab-state` goes background → pages when a tab's state changes.
import type { TabView } from './tab-view.js';
import { parseTabView } from './tab-view.js';
import { isRecord } from '../../protocol/is-record.js';

export type Request =
  /** The tab's state; `start: true` also starts a check if the tab's https: site was never checked. */
  | { type: 'get-state'; tabId: number; start: boolean }
  /** Check the tab's site again, bypassing the cache. */
  | { type: 'recheck'; tabId: number }
  /** Is the host there? (options page) */
  | { type: 'ping-host' };

export type RequestType = Request['type'];

export type PingReply =
  { ok: true; version: string } | { ok: false; state: 'host-missing' | 'failed'; message: string; extensionId: string };

export interface TabStateNotice {
  type: 'tab-state';
  tabId: number;
  view: TabView;
}

function isTabId(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

export type RequestParse = { ok: true; request: Request } | { ok: false; reason: string };

export function parseRequest(value: unknown): RequestParse {
  if (!isRecord(value)) return { ok: false, reason: 'a message must be an object' };
  switch (value.type) {
    case 'get-state':
      if (!isTabId(value.tabId)) return { ok: false, reason: '"tabId" must be a tab id' };
      return { ok: true, request: { type: 'get-state', tabId: value.tabId, start: value.start === true } };
    case 'recheck':
      if (!isTabId(value.tabId)) return { ok: false, reason: '"tabId" must be a tab id' };
      return { ok: true, request: { type: 'recheck', tabId: value.tabId } };
    case 'ping-host':
      return { ok: true, request: { type: 'ping-host' } };
    default:
      return { ok: false, reason: 'unknown message type' };
  }
}

export function parseTabStateNotice(value: unknown): TabStateNotice | null {
  if (!isRecord(value) || value.type !== 'tab-state' || !isTabId(value.tabId)) return null;
  const view = parseTabView(value.view);
  return view ? { type: 'tab-state', tabId: value.tabId, view } : null;
}

export function parsePingReply(value: unknown): PingReply | null {
  if (!isRecord(value)) return null;
  if (value.ok === true && typeof value.version === 'string') return { ok: true, version: value.version.slice(0, 64) };
  if (
    value.ok === false &&
    (value.state === 'host-missing' || value.state === 'failed') &&
    typeof value.message === 'string' &&
    typeof value.extensionId === 'string'
  ) {
    return { ok: false, state: value.state, message: value.message.slice(0, 1_000), extensionId: value.extensionId };
  }
  return null;
}
