// The options page's connector: reads and writes the settings in storage.local (through
// extension-storage.ts, which owns the keys; the background follows them through
// storage.onChanged) and asks the background whether the helper answers.
import type { PageApi } from '../browser-api.js';
import { OptionsStorage } from '../shared/extension-storage.js';
import type { PingReply } from '../shared/messages.js';
import { parsePingReply } from '../shared/messages.js';
import type { Options } from '../shared/options.js';

export interface OptionsStore {
  load(): Promise<Options>;
  save(options: Options): Promise<void>;
  pingHost(): Promise<PingReply>;
}

export function createOptionsStore(api: PageApi): OptionsStore {
  const storage = new OptionsStorage(api.local);
  return {
    load: () => storage.load(),
    save: (options) => storage.save(options),
    async pingHost() {
      const reply = parsePingReply(await api.sendMessage({ type: 'ping-host' }));
      if (!reply) throw new Error('The extension’s background sent an unreadable answer.');
      return reply;
    },
  };
}
