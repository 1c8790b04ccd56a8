// What each tab shows (Dark Reader's tab-manager): its TabView, kept in memory and mirrored to
// storage.session so a stopped service worker picks up where it left off, and a navigation count
// so a check that finishes after its tab moved on is recognised as stale. Whoever draws a tab's
// state (the badge, open pages) subscribes with `onChange`.
import type { SessionStorageArea } from '../shared/extension-storage.js';
import type { TabView } from '../shared/tab-view.js';

export type TabViewListener = (tabId: number, view: TabView) => void;

export class TabStore {
  private readonly views = new Map<number, TabView>();
  /** Bumped on every navigation of a tab: a check that finishes for an older page is dropped. */
  private readonly navigations = new Map<number, number>();
  private readonly listeners: TabViewListener[] = [];

  /** `persist`: runs a storage write in the background (its failure is logged, never thrown). */
  constructor(
    private readonly storage: SessionStorageArea,
    private readonly persist: (write: Promise<unknown>) => void,
  ) {}

  get(tabId: number): TabView | undefined {
    return this.views.get(tabId);
  }

  set(tabId: number, view: TabView): void {
    this.views.set(tabId, view);
    this.persist(this.storage.saveTab(tabId, view));
    for (const listener of this.listeners) listener(tabId, view);
  }

  onChange(listener: TabViewListener): void {
    this.listeners.push(listener);
  }

  /** The tab committed a new page. */
  navigated(tabId: number): void {
    this.navigations.set(tabId, this.navigation(tabId) + 1);
  }

  /** Which page the tab is on (compare before and after waiting for something). */
  navigation(tabId: number): number {
    return this.navigations.get(tabId) ?? 0;
  }

  /** The tab closed. */
  async forget(tabId: number): Promise<void> {
    this.views.delete(tabId);
    this.navigations.delete(tabId);
    await this.storage.removeTab(tabId).catch(() => {});
  }

  /** Takes back the views a previous background stored (already validated: see parseSession). */
  restore(views: ReadonlyMap<number, TabView>): void {
    for (const [tabId, view] of views) this.views.set(tabId, view);
  }
}
