// @vitest-environment happy-dom
// Issue 8 item 5, what the user is told: the options page and the README say that checks go directly
// from this computer (not through the browser's proxy or VPN) and how to turn automatic checks off,
// naming the very switch the options page shows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { OptionsPage } from '../../src/extension/options/options.js';
import type { OptionsStore } from '../../src/extension/options/options-store.js';
import { DEFAULT_OPTIONS } from '../../src/extension/shared/options.js';

afterEach(cleanup);

const ROOT = join(import.meta.dirname, '..', '..');

const store: OptionsStore = {
  load: () => Promise.resolve(structuredClone(DEFAULT_OPTIONS)),
  save: () => Promise.resolve(),
  pingHost: () => Promise.resolve({ ok: true, version: '0.1.0' }),
  watchList: () => Promise.resolve([]),
  onWatchChange: () => () => undefined,
  unwatch: () => Promise.resolve(),
  hasNotifications: () => Promise.resolve(false),
  requestNotifications: () => Promise.resolve(false),
  now: () => Date.now(),
};

describe('the network disclosure', () => {
  it('on the options page: direct from this computer, not the proxy or VPN, and the switch that stops it', async () => {
    render(<OptionsPage store={store} />);
    const sentence = await screen.findByText(/not through the browser’s proxy or VPN/);
    expect(sentence.textContent).toMatch(/^Checks go directly from this computer to the site/);
    // The first switch on the page is the automatic check (the page has other switches below it).
    const switchLabel = (await screen.findAllByRole('checkbox'))[0]?.parentElement?.textContent?.trim() ?? '';
    expect(switchLabel).toBe('Check every https: page when it loads');
    expect(sentence.textContent).toContain(`untick “${switchLabel}”`);
  });

  it('in the README’s privacy section', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const privacy = readme.slice(
      readme.indexOf('## Privacy'),
      readme.indexOf('\n## ', readme.indexOf('## Privacy') + 1),
    );
    expect(privacy).toMatch(/directly from this computer/);
    expect(privacy).toMatch(/not through the browser's proxy or VPN/);
    expect(privacy).toMatch(/Check every https: page when it loads/);
    expect(privacy).toMatch(/skip-internal-if-public|internal-addresses-skipped/);
  });
});
