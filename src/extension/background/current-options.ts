// The options the background acts on: read at start-up and again whenever the options page
// changes them (storage.onChanged), so a change applies without a restart. A failed read keeps the
// options in force (the defaults at first).
import type { OptionsStorage } from '../shared/extension-storage.js';
import type { Options } from '../shared/options.js';
import { DEFAULT_OPTIONS } from '../shared/options.js';

export class CurrentOptions {
  private current: Options = DEFAULT_OPTIONS;

  constructor(
    private readonly storage: OptionsStorage,
    private readonly log: (message: string) => void = () => {},
  ) {}

  get value(): Options {
    return this.current;
  }

  /** The longest a result may be reused, in ms. */
  get maxCacheMs(): number {
    return this.current.cacheMinutes * 60_000;
  }

  async load(): Promise<void> {
    try {
      this.current = await this.storage.load();
    } catch (err) {
      this.log(`could not read the options: ${String(err)}`);
    }
  }

  /** storage.local changed `changedKeys`: reloads if any of them is an option, else resolves at once. */
  async follow(changedKeys: readonly string[]): Promise<void> {
    if (this.storage.isOptionsChange(changedKeys)) await this.load();
  }
}
