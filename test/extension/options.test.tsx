// @vitest-environment happy-dom
// The options page with a fake store.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { OptionsPage } from '../../src/extension/options/options.js';
import type { OptionsStore } from '../../src/extension/options/options-store.js';
import type { PingReply } from '../../src/extension/shared/messages.js';
import { DEFAULT_OPTIONS, type Options } from '../../src/extension/shared/options.js';

afterEach(cleanup);

function fakeStore(initial: Options = DEFAULT_OPTIONS, ping: PingReply = { ok: true, version: '0.1.0' }) {
  const saved: Options[] = [];
  const store: OptionsStore = {
    load: () => Promise.resolve(structuredClone(initial)),
    save: (options) => {
      saved.push(structuredClone(options));
      return Promise.resolve();
    },
    pingHost: () => Promise.resolve(ping),
  };
  return { store, saved };
}

describe('options page', () => {
  it('shows the current settings', async () => {
    const { store } = fakeStore({ autoCheck: false, excludedSites: ['a.test', 'b.test:8443'], cacheMinutes: 3 });
    render(<OptionsPage store={store} />);
    const auto = (await screen.findByRole('checkbox')) as HTMLInputElement;
    expect(auto.checked).toBe(false);
    expect((screen.getByLabelText('Excluded sites') as HTMLTextAreaElement).value).toBe('a.test\nb.test:8443');
    expect((screen.getByLabelText(/Reuse results/) as HTMLInputElement).value).toBe('3');
  });

  it('switches automatic checks off and saves', async () => {
    const { store, saved } = fakeStore();
    render(<OptionsPage store={store} />);
    fireEvent.click(await screen.findByRole('checkbox'));
    await screen.findByText('Saved.');
    expect(saved).toEqual([{ ...DEFAULT_OPTIONS, autoCheck: false }]);
  });

  it('saves excluded sites on leaving the field and names lines it ignored', async () => {
    const { store, saved } = fakeStore();
    render(<OptionsPage store={store} />);
    const area = (await screen.findByLabelText('Excluded sites')) as HTMLTextAreaElement;
    fireEvent.input(area, { target: { value: 'example.com\nnot a host!\nintranet.test:8443' } });
    fireEvent.blur(area);
    await screen.findByText(/Ignored .*not a host!/);
    expect(saved.at(-1)?.excludedSites).toEqual(['example.com', 'intranet.test:8443']);
  });

  it('saves the cache lifetime and refuses nonsense', async () => {
    const { store, saved } = fakeStore();
    render(<OptionsPage store={store} />);
    const field = (await screen.findByLabelText(/Reuse results/)) as HTMLInputElement;
    fireEvent.change(field, { target: { value: '5' } });
    await waitFor(() => expect(saved.at(-1)?.cacheMinutes).toBe(5));
    fireEvent.change(field, { target: { value: '-3' } });
    await screen.findByText(/Enter 0 to 1440 minutes/);
    expect(saved).toHaveLength(1);
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
