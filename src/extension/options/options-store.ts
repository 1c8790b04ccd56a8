// The options page's connector: reads and writes the settings in storage.local (the background
// follows them through storage.onChanged) and asks the background whether the helper answers.
import type { PageApi } from '../browser-api.js';
import type { PingReply } from '../shared/messages.js';
import { parsePingReply } from '../shared/messages.js';
import type { Options } from '../shared/options.js';
import { OPTION_KEYS, parseOptions } from '../shared/options.js';

export interface OptionsStore {
  load(): Promise<Options>;
  save(options: Options): Promise<void>;
  pingHost(): Promise<PingReply>;
}

export function createOptionsStore(api: PageApi): OptionsStore {
  return {
    load: async () => parseOptions(await api.local.get([...OPTION_KEYS])),
    save: (options) => api.local.set({ ...parseOptions(options) }),
    async pingHost() {
      const reply = parsePingReply(await api.sendMessage({ type: 'ping-host' }));
      if (!reply) throw new Error('The extension’s background sent an unreadable answer.');
      return reply;
    },
  };
}
