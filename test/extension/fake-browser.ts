// A fake of the narrow BackgroundApi (src/extension/browser-api.ts) with a scriptable native host
// and a manual clock: the background's logic runs here exactly as in a browser, minus the browser.
import type {
  BackgroundApi,
  BadgeDetails,
  KeyValueArea,
  MessageSender,
  NativePort,
  NotificationDetails,
} from '../../src/extension/browser-api.js';
import type { Clock, TimerHandle } from '../../src/extension/background/clock.js';
import { CHROMIUM_EXTENSION_ID } from '../../src/protocol/extension-ids.js';
import { NOW, asWire, sampleResult } from './sample-results.js';

export class ManualClock implements Clock {
  private time: number;
  private timers: { id: number; at: number; callback: () => void }[] = [];
  private nextId = 1;

  constructor(start = NOW.getTime()) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.push({ id, at: this.time + ms, callback });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Move time on, firing due timers in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.callback();
    }
    this.time = end;
  }
}

export type HostRequest =
  { id: number; type: 'ping' } | { id: number; type: 'check'; host: string; port: number; timeoutMs: number };

/** What the fake host does with one request. */
export type HostBehaviour =
  | { reply: unknown } // sent as is (may be malformed on purpose)
  | { silent: true } // never answers
  | { exit: string | null }; // the host process goes away

export function goodAnswer(request: HostRequest): unknown {
  if (request.type === 'ping') return { id: request.id, ok: true, result: { version: '0.1.0' } };
  const result = asWire(sampleResult('stapled-good')) as Record<string, unknown>;
  return {
    id: request.id,
    ok: true,
    result: { ...result, host: request.host, port: request.port, servername: request.host },
  };
}

export class FakePort implements NativePort {
  readonly posted: HostRequest[] = [];
  disconnectedByUs = false;
  gone = false;
  private messageListeners: ((message: unknown) => void)[] = [];
  private disconnectListeners: ((error: string | null) => void)[] = [];

  constructor(private readonly host: FakeHost) {}

  postMessage(message: unknown): void {
    if (this.gone) throw new Error('Attempting to use a disconnected port object');
    const request = message as HostRequest;
    this.posted.push(request);
    const behaviour = this.host.behave(request);
    // Answers arrive asynchronously, as from a real process.
    queueMicrotask(() => {
      if (this.gone) return;
      if ('reply' in behaviour) this.deliver(behaviour.reply);
      else if ('exit' in behaviour) this.exit(behaviour.exit);
    });
  }

  disconnect(): void {
    this.disconnectedByUs = true;
    this.gone = true;
  }

  onMessage(listener: (message: unknown) => void): void {
    this.messageListeners.push(listener);
  }

  onDisconnect(listener: (error: string | null) => void): void {
    this.disconnectListeners.push(listener);
  }

  deliver(message: unknown): void {
    for (const l of this.messageListeners) l(message);
  }

  exit(error: string | null): void {
    if (this.gone) return;
    this.gone = true;
    for (const l of this.disconnectListeners) l(error);
  }
}

export class FakeHost {
  installed = true;
  /** What the browser says when the host is not installed. */
  missingMessage = 'Specified native messaging host not found.';
  ports: FakePort[] = [];
  behave: (request: HostRequest) => HostBehaviour = (request) => ({ reply: goodAnswer(request) });

  connect(): FakePort {
    const port = new FakePort(this);
    this.ports.push(port);
    if (!this.installed) {
      // Chromium and Firefox report a missing host as an immediate disconnect, not a throw.
      queueMicrotask(() => port.exit(this.missingMessage));
    }
    return port;
  }

  get requests(): HostRequest[] {
    return this.ports.flatMap((p) => p.posted);
  }
}

/** A storage area in memory; values are cloned on the way in and out, as the browser does. */
export class FakeArea implements KeyValueArea {
  readonly data = new Map<string, unknown>();

  get(keys: string[] | null): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of this.data) if (keys === null || keys.includes(k)) out[k] = structuredClone(v);
    return Promise.resolve(out);
  }

  set(items: Record<string, unknown>): Promise<void> {
    for (const [k, v] of Object.entries(items)) this.data.set(k, structuredClone(v));
    return Promise.resolve();
  }

  remove(keys: string[]): Promise<void> {
    for (const k of keys) this.data.delete(k);
    return Promise.resolve();
  }
}

export class FakeBrowser implements BackgroundApi {
  extensionId = CHROMIUM_EXTENSION_ID;
  readonly host = new FakeHost();
  readonly badges = new Map<number, BadgeDetails>();
  readonly urls = new Map<number, string>();
  readonly broadcasts: unknown[] = [];
  readonly local = new FakeArea();
  readonly session = new FakeArea();
  /** Alarms by name: their period in minutes. */
  readonly alarms = new Map<string, number>();
  /** Notifications shown, by id (a second one with the same id replaces the first, as in browsers). */
  readonly notifications = new Map<string, NotificationDetails>();
  /** Every notification shown, in order. */
  readonly notified: { id: string; details: NotificationDetails }[] = [];
  /** Whether the user granted the optional `notifications` permission. */
  notificationsAllowed = true;
  private alarmListeners: ((name: string) => void)[] = [];
  private committed: ((tabId: number, url: string) => void)[] = [];
  private completed: ((tabId: number) => void)[] = [];
  private removed: ((tabId: number) => void)[] = [];
  private localChanged: ((keys: string[]) => void)[] = [];
  private handler: ((message: unknown, sender: MessageSender) => Promise<unknown> | undefined) | null = null;

  connectNative(hostName: string): NativePort {
    if (hostName !== 'dev.staplecheck.host') throw new Error(`unexpected host ${hostName}`);
    return this.host.connect();
  }

  setBadge(tabId: number, badge: BadgeDetails): Promise<void> {
    this.badges.set(tabId, badge);
    return Promise.resolve();
  }

  topFrameUrl(tabId: number): Promise<string | null> {
    return Promise.resolve(this.urls.get(tabId) ?? null);
  }

  onTopFrameCommitted(listener: (tabId: number, url: string) => void): void {
    this.committed.push(listener);
  }

  onTopFrameCompleted(listener: (tabId: number) => void): void {
    this.completed.push(listener);
  }

  onTabRemoved(listener: (tabId: number) => void): void {
    this.removed.push(listener);
  }

  onMessage(handler: (message: unknown, sender: MessageSender) => Promise<unknown> | undefined): void {
    this.handler = handler;
  }

  broadcast(message: unknown): Promise<void> {
    this.broadcasts.push(structuredClone(message));
    return Promise.resolve();
  }

  onLocalChanged(listener: (changedKeys: string[]) => void): void {
    this.localChanged.push(listener);
  }

  ensureAlarm(name: string, periodMinutes: number): Promise<void> {
    this.alarms.set(name, periodMinutes);
    return Promise.resolve();
  }

  clearAlarm(name: string): Promise<void> {
    this.alarms.delete(name);
    return Promise.resolve();
  }

  onAlarm(listener: (name: string) => void): void {
    this.alarmListeners.push(listener);
  }

  notify(id: string, details: NotificationDetails): Promise<boolean> {
    if (!this.notificationsAllowed) return Promise.resolve(false);
    this.notifications.set(id, details);
    this.notified.push({ id, details });
    return Promise.resolve(true);
  }

  // --- driving it ---

  /** The browser fires an alarm (as `alarms.onAlarm` does when its time comes). */
  fireAlarm(name: string): void {
    if (!this.alarms.has(name)) throw new Error(`no alarm ${name}`);
    for (const l of this.alarmListeners) l(name);
  }

  /** A tab's top frame commits a navigation to `url`. Chromium resets the tab's badge then. */
  navigate(tabId: number, url: string): void {
    this.urls.set(tabId, url);
    this.badges.delete(tabId);
    for (const l of this.committed) l(tabId, url);
  }

  complete(tabId: number): void {
    for (const l of this.completed) l(tabId);
  }

  closeTab(tabId: number): void {
    this.urls.delete(tabId);
    this.badges.delete(tabId);
    for (const l of this.removed) l(tabId);
  }

  async setOptions(options: Record<string, unknown>): Promise<void> {
    await this.local.set(options);
    for (const l of this.localChanged) l(Object.keys(options));
  }

  /** A message from one of our pages (or, with another `senderId`, from someone else). */
  send(message: unknown, senderId: string | null = this.extensionId): Promise<unknown> | undefined {
    if (!this.handler) throw new Error('no message handler registered');
    return this.handler(structuredClone(message), { id: senderId });
  }
}
