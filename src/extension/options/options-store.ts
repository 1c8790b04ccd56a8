// The options page's connector: reads and writes the settings in storage.local (through
// extension-storage.ts, which owns the keys; the background follows them through
// storage.onChanged), reads the watched sites and follows their changes, and asks the background
// whether the helper answers and to stop watching a site.
import type { PageApi } from '../browser-api.js';
import { OptionsStorage, WatchStorage } from '../shared/extension-storage.js';
import type { PingReply } from '../shared/messages.js';
import { parsePingReply } from '../shared/messages.js';
import type { Options } from '../shared/options.js';
import { parseWatchReply } from '../shared/page-requests.js';
import type { Site } from '../shared/site.js';
import type { WatchList } from '../shared/watch-list.js';

export interface OptionsStore {
  load(): Promise<Options>;
  save(options: Options): Promise<void>;
  pingHost(): Promise<PingReply>;
  /** The watched sites and what their last check found. */
  watchList(): Promise<WatchList>;
  /** Calls `listener` whenever the list changes (a check finished, a site added); returns an unsubscribe. */
  onWatchChange(listener: () => void): () => void;
  /** Takes a site off the watch list (through the background, which also stops the alarm when none is left). */
  unwatch(site: Site): Promise<void>;
  hasNotifications(): Promise<boolean>;
  /** From a click: asks for the optional permission. */
  requestNotifications(): Promise<boolean>;
  now(): number;
}

export function createOptionsStore(api: PageApi): OptionsStore {
  const storage = new OptionsStorage(api.local);
  const watched = new WatchStorage(api.local);
  return {
    load: () => storage.load(),
    save: (options) => storage.save(options),
    async pingHost() {
      const reply = parsePingReply(await api.sendMessage({ type: 'ping-host' }));
      if (!reply) throw new Error('The extension’s background sent an unreadable answer.');
      return reply;
    },
    watchList: () => watched.load(),
    onWatchChange: (listener) =>
      api.onLocalChanged((keys) => {
        if (watched.isWatchChange(keys)) listener();
      }),
    async unwatch(site) {
      const reply = parseWatchReply(await api.sendMessage({ type: 'watch-site', site, watch: false }));
      if (!reply) throw new Error('The extension’s background sent an unreadable answer.');
    },
    hasNotifications: () => api.hasNotifications(),
    requestNotifications: () => api.requestNotifications(),
    now: () => Date.now(),
  };
}
