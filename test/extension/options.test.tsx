// @vitest-environment happy-dom
// The options page with a fake store.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { OptionsPage } from '../../src/extension/options/options.js';
import type { OptionsStore } from '../../src/extension/options/options-store.js';
import type { PingReply } from '../../src/extension/shared/messages.js';
import { DEFAULT_OPTIONS, type Options } from '../../src/extension/shared/options.js';
import type { WatchList } from '../../src/extension/shared/watch-list.js';

afterEach(cleanup);

function fakeStore(
  initial: Options = DEFAULT_OPTIONS,
  ping: PingReply = { ok: true, version: '0.1.0' },
  watched: WatchList = [],
) {
  const saved: Options[] = [];
  const unwatched: string[] = [];
  const listeners = new Set<() => void>();
  const state = { list: structuredClone(watched), notifications: false, asked: 0 };
  const store: OptionsStore = {
    load: () => Promise.resolve(structuredClone(initial)),
    save: (options) => {
      saved.push(structuredClone(options));
      return Promise.resolve();
    },
    pingHost: () => Promise.resolve(ping),
    watchList: () => Promise.resolve(structuredClone(state.list)),
    onWatchChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    unwatch: (site) => {
      unwatched.push(`${site.host}:${site.port}`);
      state.list = state.list.filter((w) => w.site.host !== site.host || w.site.port !== site.port);
      for (const l of listeners) l();
      return Promise.resolve();
    },
    hasNotifications: () => Promise.resolve(state.notifications),
    requestNotifications: () => {
      state.asked++;
      state.notifications = true;
      return Promise.resolve(true);
    },
    now: () => WATCH_NOW,
  };
  return { store, saved, unwatched, state };
}

const WATCH_NOW = Date.parse('2026-11-24T10:00:00Z');
const HOUR = 3_600_000;

describe('options page', () => {
  it('shows the current settings', async () => {
    const { store } = fakeStore({
      autoCheck: false,
      excludedSites: ['a.test', 'b.test:8443'],
      cacheMinutes: 3,
      keepHistory: false,
      watchLeftHours: 48,
    });
    render(<OptionsPage store={store} />);
    const auto = (await screen.findByRole('checkbox', { name: /Check every https: page/ })) as HTMLInputElement;
    expect(auto.checked).toBe(false);
    expect((screen.getByRole('checkbox', { name: /history/ }) as HTMLInputElement).checked).toBe(false);
    expect((screen.getByLabelText('Excluded sites') as HTMLTextAreaElement).value).toBe('a.test\nb.test:8443');
    expect((screen.getByLabelText(/Reuse results/) as HTMLInputElement).value).toBe('3');
  });

  it('switches automatic checks off and saves', async () => {
    const { store, saved } = fakeStore();
    render(<OptionsPage store={store} />);
    fireEvent.click(await screen.findByRole('checkbox', { name: /Check every https: page/ }));
    await screen.findByText('Saved.');
    expect(saved).toEqual([{ ...DEFAULT_OPTIONS, autoCheck: false }]);
  });

  it('saves excluded sites on leaving the field, keeps a bad line in the field and lists it as not saved', async () => {
    const { store, saved } = fakeStore();
    render(<OptionsPage store={store} />);
    const area = (await screen.findByLabelText('Excluded sites')) as HTMLTextAreaElement;
    const typed = 'example.com\nnot a host!\nintranet.test:8443';
    fireEvent.input(area, { target: { value: typed } });
    fireEvent.blur(area);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/^Not saved — this line is no host name, IP address or URL/);
    expect(within(alert).getByText('not a host!').tagName).toBe('CODE');
    expect(area.value).toBe(typed); // what the user typed stays to be fixed
    expect(area.getAttribute('aria-invalid')).toBe('true');
    expect(area.getAttribute('aria-describedby')).toContain('excluded-error');
    expect(saved.at(-1)?.excludedSites).toEqual(['example.com', 'intranet.test:8443']);
    // Fixed: the error goes.
    fireEvent.input(area, { target: { value: 'example.com\nintranet.test:8443' } });
    fireEvent.blur(area);
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it.each([
    ['-3', /“-3” is not a whole number of minutes\. Enter 0 to 1440/],
    ['2.5', /“2\.5” is not a whole number/],
    ['ten', /“ten” is not a whole number/],
    ['5000', /5000 minutes is more than a day\. Enter 0 to 1440/],
    ['', /Enter a number of minutes, 0 to 1440/],
  ])('keeps a bad cache lifetime (%j) as typed and says what is wrong next to it', async (bad, message) => {
    const { store, saved } = fakeStore();
    render(<OptionsPage store={store} />);
    const field = (await screen.findByLabelText(/Reuse results/)) as HTMLInputElement;
    fireEvent.input(field, { target: { value: '5' } });
    fireEvent.change(field, { target: { value: '5' } });
    await waitFor(() => expect(saved.at(-1)?.cacheMinutes).toBe(5));
    fireEvent.input(field, { target: { value: bad } });
    fireEvent.change(field, { target: { value: bad } });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(message);
    expect(alert.textContent).toMatch(/last saved value stays in force/);
    expect(field.value).toBe(bad); // never reset behind the user's back
    expect(field.getAttribute('aria-describedby')).toContain('cache-error');
    expect(saved).toHaveLength(1);
    await screen.findByText('Not saved: see the message next to the field.');
  });

  it('keeps a staple history only when asked, and says so', async () => {
    const { store, saved } = fakeStore();
    render(<OptionsPage store={store} />);
    const box = (await screen.findByRole('checkbox', { name: /history/ })) as HTMLInputElement;
    expect(box.checked).toBe(false);
    expect(screen.getByText(/Off by default/).textContent).toMatch(/on this computer.*never sent anywhere/);
    fireEvent.click(box);
    await waitFor(() => expect(saved.at(-1)?.keepHistory).toBe(true));
  });

  it('links the stapling explanation inside the extension', async () => {
    const { store } = fakeStore();
    render(<OptionsPage store={store} />);
    const link = await screen.findByRole('link', { name: 'What is OCSP stapling?' });
    expect(link.getAttribute('href')).toBe('stapling.html');
  });

  it('tests the helper', async () => {
    const { store } = fakeStore();
    render(<OptionsPage store={store} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Test the helper' }));
    await screen.findByText('The helper answers (version 0.1.0).');
  });

  it('tells how to install a missing helper', async () => {
    const { store } = fakeStore(DEFAULT_OPTIONS, {
      ok: false,
      state: 'host-missing',
      message: 'Specified native messaging host not found.',
      extensionId: 'mmkpbknolodcfhlnflgkhfekmfnnjofd',
    });
    render(<OptionsPage store={store} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Test the helper' }));
    await screen.findByText(/not installed .*Run: npx staplecheck install$/);
  });

  it('states what leaves the machine', async () => {
    const { store } = fakeStore();
    render(<OptionsPage store={store} />);
    const privacy = (await screen.findByRole('heading', { name: 'Privacy' })).parentElement?.textContent ?? '';
    expect(privacy).toMatch(/talks only to the site you visit/);
    expect(privacy).toMatch(/Nothing else leaves your machine/);
  });
});

describe('watched sites on the options page', () => {
  const list: WatchList = [
    {
      site: { host: 'good.test', port: 443 },
      addedAt: WATCH_NOW - 48 * HOUR,
      last: { checkedAt: WATCH_NOW - 2 * HOUR, outcome: 'stapled-good', nextUpdate: WATCH_NOW + 72 * HOUR },
      alerted: null,
    },
    {
      site: { host: 'lapsed.test', port: 8443 },
      addedAt: WATCH_NOW - 48 * HOUR,
      last: { checkedAt: WATCH_NOW - HOUR, outcome: 'stapled-invalid', nextUpdate: WATCH_NOW - 5 * HOUR },
      alerted: 'stapled-invalid',
    },
    { site: { host: 'new.test', port: 443 }, addedAt: WATCH_NOW, last: null, alerted: null },
    {
      site: { host: 'skipped.test', port: 443 },
      addedAt: WATCH_NOW - HOUR,
      last: { checkedAt: WATCH_NOW - HOUR, outcome: 'excluded', nextUpdate: null },
      alerted: null,
    },
  ];

  it('lists each site with its last verdict, the staple’s time left and when it was checked', async () => {
    const { store } = fakeStore(DEFAULT_OPTIONS, undefined, list);
    render(<OptionsPage store={store} />);
    const table = await screen.findByRole('table');
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => [...row.querySelectorAll('th, td')].slice(0, 4).map((cell) => cell.textContent));
    expect(rows).toEqual([
      ['good.test:443', 'Stapled, and the certificate is good', '3 days left', '2 h ago'],
      ['lapsed.test:8443', 'The staple cannot be trusted', 'staple expired 5 h ago', '1 h ago'],
      ['new.test:443', 'not checked yet', '—', '—'],
      ['skipped.test:443', 'on the excluded list: not checked', '—', '1 h ago'],
    ]);
  });

  it('removes a site, and the list follows', async () => {
    const { store, unwatched } = fakeStore(DEFAULT_OPTIONS, undefined, list);
    render(<OptionsPage store={store} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Stop watching lapsed.test:8443' }));
    await waitFor(() => expect(screen.queryByText('lapsed.test:8443')).toBeNull());
    expect(unwatched).toEqual(['lapsed.test:8443']);
    expect(screen.getByText('good.test:443')).toBeTruthy();
  });

  it('says when nothing is watched', async () => {
    const { store } = fakeStore();
    render(<OptionsPage store={store} />);
    expect(await screen.findByText('No site is watched.')).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('saves the threshold in whole hours, and names a bad one next to the field', async () => {
    const { store, saved } = fakeStore();
    render(<OptionsPage store={store} />);
    const field = (await screen.findByLabelText(/less than this many hours left/)) as HTMLInputElement;
    expect(field.value).toBe('48');
    fireEvent.change(field, { target: { value: '2d' } });
    expect((await screen.findByRole('alert')).textContent).toBe(
      '“2d” is not a whole number of hours from 1 to 720: not saved.',
    );
    expect(saved).toEqual([]);
    fireEvent.change(field, { target: { value: '24' } });
    await waitFor(() => expect(saved.at(-1)?.watchLeftHours).toBe(24));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('offers to allow notifications while they are not allowed', async () => {
    const { store, state } = fakeStore();
    const { container } = render(<OptionsPage store={store} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Allow notifications' }));
    await waitFor(() => expect(container.querySelector('[data-notifications="allowed"]')).not.toBeNull());
    expect(state.asked).toBe(1);
    expect(screen.queryByRole('button', { name: 'Allow notifications' })).toBeNull();
  });
});
