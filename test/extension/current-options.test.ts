// The options the background acts on: loaded from storage.local, reloaded when an option changes,
// kept when a read fails.
import { describe, expect, it } from 'vitest';
import { CurrentOptions } from '../../src/extension/background/current-options.js';
import { OptionsStorage } from '../../src/extension/shared/extension-storage.js';
import { DEFAULT_OPTIONS } from '../../src/extension/shared/options.js';
import { FakeArea } from './fake-browser.js';

function setup() {
  const area = new FakeArea();
  const logged: string[] = [];
  const options = new CurrentOptions(new OptionsStorage(area), (m) => logged.push(m));
  return { area, logged, options };
}

describe('CurrentOptions', () => {
  it('starts with the defaults and loads what is stored', async () => {
    const { area, options } = setup();
    expect(options.value).toEqual(DEFAULT_OPTIONS);
    expect(options.maxCacheMs).toBe(DEFAULT_OPTIONS.cacheMinutes * 60_000);
    await area.set({ cacheMinutes: 2, autoCheck: false });
    await options.load();
    expect(options.value).toMatchObject({ cacheMinutes: 2, autoCheck: false });
    expect(options.maxCacheMs).toBe(120_000);
  });

  it('reloads on a change to an option, not on other keys', async () => {
    const { area, options } = setup();
    await area.set({ cacheMinutes: 3 });
    await options.follow(['unrelated']);
    expect(options.value.cacheMinutes).toBe(DEFAULT_OPTIONS.cacheMinutes);
    await options.follow(['cacheMinutes']);
    expect(options.value.cacheMinutes).toBe(3);
  });

  it('keeps the options in force when storage cannot be read', async () => {
    const { area, logged, options } = setup();
    await area.set({ cacheMinutes: 4 });
    await options.load();
    area.get = () => Promise.reject(new Error('storage gone'));
    await options.load();
    expect(options.value.cacheMinutes).toBe(4);
    expect(logged).toEqual([expect.stringMatching(/could not read the options: .*storage gone/)]);
  });
});
