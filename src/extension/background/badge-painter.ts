// The toolbar badge of each tab, drawn from the tab's state (Dark Reader's icon-manager). What a
// state looks like is shared/badge.ts (pure); this only puts it on the tab.
import type { BackgroundApi } from '../browser-api.js';
import { badgeFor } from '../shared/badge.js';
import type { TabView } from '../shared/tab-view.js';

export class BadgePainter {
  constructor(private readonly setBadge: BackgroundApi['setBadge']) {}

  async paint(tabId: number, view: TabView): Promise<void> {
    const badge = badgeFor(view);
    await this.setBadge(tabId, {
      text: badge.text,
      background: badge.background,
      textColour: badge.textColour,
      title: badge.title,
    });
  }

  /**
   * Chromium resets a tab's badge when it navigates; put ours back once the page has loaded.
   * Never fails: the tab may have closed meanwhile.
   */
  async repaint(tabId: number, view: TabView | undefined): Promise<void> {
    if (view) await this.paint(tabId, view).catch(() => {});
  }
}
