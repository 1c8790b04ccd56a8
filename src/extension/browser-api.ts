// The only module that touches the WebExtension API (docs/architecture.md rule 6; eslint.config.js enforces it).
// Everything else gets the narrow interfaces below, so the background and the pages run in tests
// against fakes, and Chromium/Firefox differences stay in src/extension/quirks/.
import browser from 'webextension-polyfill';
import { chromiumLastErrorMessage, chromiumNoAnswer, chromiumReply } from './quirks/chromium.js';
import { firefoxPortErrorMessage } from './quirks/firefox.js';
import { setMessageLookup } from './shared/i18n.js';

/** A native-messaging port (runtime.connectNative). */
export interface NativePort {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage(listener: (message: unknown) => void): void;
  /** `error`: the browser's reason (host not found, exited…), or `null` when none was given. */
  onDisconnect(listener: (error: string | null) => void): void;
}

export interface KeyValueArea {
  get(keys: string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

export interface BadgeDetails {
  text: string;
  background: string;
  textColour: string;
  title: string;
}

export interface MessageSender {
  /** The sending extension's ID: ours for our own pages. */
  id: string | null;
}

/** A system notification (notifications.create, type `basic`). */
export interface NotificationDetails {
  title: string;
  message: string;
}

/** What the background needs. */
export interface BackgroundApi {
  extensionId: string;
  /** May throw (e.g. the permission is missing); a missing host shows up as a disconnect instead. */
  connectNative(hostName: string): NativePort;
  setBadge(tabId: number, badge: BadgeDetails): Promise<void>;
  /** The URL of the tab's top frame (webNavigation.getFrame), `null` if unknown. */
  topFrameUrl(tabId: number): Promise<string | null>;
  /** A top-frame, cross-document navigation committed (the TLS connection exists by now). */
  onTopFrameCommitted(listener: (tabId: number, url: string) => void): void;
  /** A top-frame load completed: Chromium has reset tab-specific badges by then. */
  onTopFrameCompleted(listener: (tabId: number) => void): void;
  onTabRemoved(listener: (tabId: number) => void): void;
  /** `handler` returns a reply promise, or `undefined` to not answer. */
  onMessage(handler: (message: unknown, sender: MessageSender) => Promise<unknown> | undefined): void;
  /** runtime.sendMessage to the extension's open pages; never rejects (nobody listening is normal). */
  broadcast(message: unknown): Promise<void>;
  local: KeyValueArea;
  session: KeyValueArea;
  onLocalChanged(listener: (changedKeys: string[]) => void): void;
  /** A repeating alarm (alarms.create) unless one of that name with that period exists already. */
  ensureAlarm(name: string, periodMinutes: number): Promise<void>;
  clearAlarm(name: string): Promise<void>;
  /** An alarm went off; it wakes a stopped background (registered at start-up, like every listener). */
  onAlarm(listener: (name: string) => void): void;
  /**
   * Shows (or replaces, by `id`) a notification; resolves `false` without one while the user has
   * not granted the optional `notifications` permission.
   */
  notify(id: string, details: NotificationDetails): Promise<boolean>;
}

/** What the popup and the options page need. */
export interface PageApi {
  extensionId: string;
  sendMessage(message: unknown): Promise<unknown>;
  /** Returns a function that removes the listener. */
  onMessage(listener: (message: unknown) => void): () => void;
  /** The active tab of the current window (its id only: no `tabs` permission, no URL). */
  activeTabId(): Promise<number | null>;
  openOptionsPage(): Promise<void>;
  local: KeyValueArea;
  /** What the background keeps across service-worker restarts; the popup draws from it first. */
  session: KeyValueArea;
  /**
   * Asks for the optional `notifications` permission; call it straight from a click (browsers grant
   * optional permissions only during a user gesture). Resolves whether it is granted.
   */
  requestNotifications(): Promise<boolean>;
  /** Whether `notifications` is granted (no prompt). */
  hasNotifications(): Promise<boolean>;
  onLocalChanged(listener: (changedKeys: string[]) => void): () => void;
}

const NOTIFICATIONS = { permissions: ['notifications'] } as const;

function hasNotifications(): Promise<boolean> {
  return browser.permissions.contains({ permissions: [...NOTIFICATIONS.permissions] }).catch(() => false);
}

function area(storage: browser.Storage.StorageArea): KeyValueArea {
  return {
    get: (keys) => storage.get(keys) as Promise<Record<string, unknown>>,
    set: (items) => storage.set(items),
    remove: (keys) => storage.remove(keys),
  };
}

function wrapPort(port: browser.Runtime.Port): NativePort {
  return {
    postMessage: (message) => port.postMessage(message),
    disconnect: () => port.disconnect(),
    onMessage: (listener) => port.onMessage.addListener((message: unknown) => listener(message)),
    onDisconnect: (listener) =>
      port.onDisconnect.addListener((closed) => {
        listener(firefoxPortErrorMessage(closed) ?? chromiumLastErrorMessage());
      }),
  };
}

export function createBackgroundApi(): BackgroundApi {
  return {
    extensionId: browser.runtime.id,
    connectNative: (hostName) => wrapPort(browser.runtime.connectNative(hostName)),
    async setBadge(tabId, badge) {
      await Promise.all([
        browser.action.setBadgeText({ tabId, text: badge.text }),
        browser.action.setBadgeBackgroundColor({ tabId, color: badge.background }),
        // setBadgeTextColor: Chromium 110+, Firefox 63+; amber needs dark text to stay readable.
        browser.action.setBadgeTextColor?.({ tabId, color: badge.textColour }),
        browser.action.setTitle({ tabId, title: badge.title }),
      ]);
    },
    async topFrameUrl(tabId) {
      try {
        const frame = await browser.webNavigation.getFrame({ tabId, frameId: 0 });
        return frame?.url ?? null;
      } catch {
        return null; // the tab is gone
      }
    },
    onTopFrameCommitted(listener) {
      browser.webNavigation.onCommitted.addListener((details) => {
        // Prerendered pages commit in a hidden tab context; they are checked when shown.
        const lifecycle = (details as { documentLifecycle?: string }).documentLifecycle;
        if (details.frameId === 0 && lifecycle !== 'prerender') listener(details.tabId, details.url);
      });
    },
    onTopFrameCompleted(listener) {
      browser.webNavigation.onCompleted.addListener((details) => {
        if (details.frameId === 0) listener(details.tabId);
      });
    },
    onTabRemoved(listener) {
      browser.tabs.onRemoved.addListener((tabId) => listener(tabId));
    },
    onMessage(handler) {
      browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
        return handler(message, { id: sender.id ?? null });
      });
    },
    async broadcast(message) {
      try {
        await browser.runtime.sendMessage(message);
      } catch {
        // "Receiving end does not exist": no popup is open. Nothing to do.
      }
    },
    local: area(browser.storage.local),
    session: area(browser.storage.session),
    onLocalChanged(listener) {
      browser.storage.onChanged.addListener((changes, areaName) => {
        if (areaName === 'local') listener(Object.keys(changes));
      });
    },
    async ensureAlarm(name, periodMinutes) {
      const existing = await browser.alarms.get(name);
      if (existing?.periodInMinutes === periodMinutes) return;
      // The first check one period from now: the site was just looked at when it was added.
      await browser.alarms.create(name, { periodInMinutes: periodMinutes, delayInMinutes: periodMinutes });
    },
    async clearAlarm(name) {
      await browser.alarms.clear(name);
    },
    onAlarm(listener) {
      browser.alarms.onAlarm.addListener((alarm) => listener(alarm.name));
    },
    async notify(id, details) {
      // Without the permission `browser.notifications` is missing altogether.
      if (!(await hasNotifications()) || !browser.notifications) return false;
      await browser.notifications.create(id, {
        type: 'basic',
        iconUrl: browser.runtime.getURL('icons/icon-128.png'),
        title: details.title,
        message: details.message,
      });
      return true;
    },
  };
}

export function createPageApi(): PageApi {
  return {
    extensionId: browser.runtime.id,
    sendMessage: (message) => browser.runtime.sendMessage(message).then(chromiumReply, chromiumNoAnswer),
    onMessage(listener) {
      const wrapped = (message: unknown): undefined => {
        listener(message);
        return undefined;
      };
      browser.runtime.onMessage.addListener(wrapped);
      return () => browser.runtime.onMessage.removeListener(wrapped);
    },
    async activeTabId() {
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
      return tab?.id ?? null;
    },
    openOptionsPage: () => browser.runtime.openOptionsPage(),
    local: area(browser.storage.local),
    // Extension pages are trusted contexts, which storage.session admits by default.
    session: area(browser.storage.session),
    async requestNotifications() {
      try {
        return await browser.permissions.request({ permissions: [...NOTIFICATIONS.permissions] });
      } catch {
        // Refused outside a gesture, or not optional in this build: what counts is whether it is granted.
        return hasNotifications();
      }
    },
    hasNotifications,
    onLocalChanged(listener) {
      const wrapped = (changes: Record<string, unknown>, areaName: string): void => {
        if (areaName === 'local') listener(Object.keys(changes));
      };
      browser.storage.onChanged.addListener(wrapped);
      return () => browser.storage.onChanged.removeListener(wrapped);
    },
  };
}

/**
 * Let the extension's words come from the browser's i18n (the user's language, from
 * `_locales/<lang>/messages.json`), falling back to the bundled English. Entry points call this once.
 */
export function installBrowserMessages(): void {
  setMessageLookup((key, substitutions) => browser.i18n.getMessage(key, substitutions));
}
