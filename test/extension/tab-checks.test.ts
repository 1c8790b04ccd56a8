// When a tab's site is checked: on navigation (unless automatic checks are off or the site is
// excluded), when the popup opens, on re-check; and a result for a page the tab has left is dropped.
// Real parts throughout: tab store, site checker, HostClient, with the scripted host.
import { closeTabCheckClients, wireTabChecks } from './tab-checks-harness.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Options } from '../../src/extension/shared/options.js';
import { goodAnswer, type HostRequest } from './fake-browser.js';

afterEach(closeTabCheckClients);

function setup(options: Partial<Options> = {}) {
  const { host, tabs, checks, urls, settled } = wireTabChecks(options);
  const navigate = (tabId: number, url: string) => {
    urls.set(tabId, url);
    checks.navigated(tabId, url);
  };
  return { host, tabs, checks, urls, navigate, settled };
}

describe('TabChecks', () => {
  it('checks an https: page on navigation: checking, then the result', async () => {
    const { host, tabs, navigate, settled } = setup();
    navigate(1, 'https://example.com:8443/x');
    expect(tabs.get(1)).toMatchObject({ state: 'checking', site: { host: 'example.com', port: 8443 } });
    await settled();
    expect(host.requests).toHaveLength(1);
    expect(tabs.get(1)).toMatchObject({ state: 'result', fromCache: false });
  });

  it('navigation asks for the normal offer only; opening the popup unchecked and re-check for the full probe', async () => {
    const { host, checks, urls, navigate, settled } = setup();
    navigate(1, 'https://example.com/');
    await settled();
    await checks.recheck(1);
    await settled();
    urls.set(2, 'https://other.example/');
    await checks.stateOf(2, true);
    await settled();
    const manual = setup({ autoCheck: false });
    manual.navigate(3, 'https://example.com/');
    await manual.checks.stateOf(3, true);
    await manual.settled();
    const sent = [...host.requests, ...manual.host.requests] as { host?: string; probe?: string }[];
    expect(sent.map((r) => [r.host, r.probe])).toEqual([
      ['example.com', 'default-offer'],
      ['example.com', 'full'],
      ['other.example', 'full'],
      ['example.com', 'full'],
    ]);
  });

  it('a second tab on the same site is served from the cache at once', async () => {
    const { host, tabs, navigate, settled } = setup();
    navigate(1, 'https://example.com/');
    await settled();
    navigate(2, 'https://example.com/other');
    expect(tabs.get(2)).toMatchObject({ state: 'result', fromCache: true });
    expect(host.requests).toHaveLength(1);
  });

  it('an excluded site stays idle; with automatic checks off, idle until the popup opens', async () => {
    const excluded = setup({ excludedSites: ['example.com'] });
    excluded.navigate(1, 'https://www.example.com/');
    expect(excluded.tabs.get(1)).toMatchObject({ state: 'idle', reason: 'excluded' });
    expect(await excluded.checks.stateOf(1, true)).toMatchObject({ state: 'idle', reason: 'excluded' });

    const manual = setup({ autoCheck: false });
    manual.navigate(1, 'https://example.com/');
    expect(manual.tabs.get(1)).toMatchObject({ state: 'idle', reason: 'auto-check-off' });
    expect(await manual.checks.stateOf(1, false)).toMatchObject({ state: 'idle' });
    expect(await manual.checks.stateOf(1, true)).toMatchObject({ state: 'checking' });
    await manual.settled();
    expect(manual.tabs.get(1)).toMatchObject({ state: 'result' });
  });

  it('a tab loaded before the extension started: looked up, checked only if the popup opens', async () => {
    const { host, checks, urls } = setup({ autoCheck: false });
    urls.set(9, 'https://example.com/');
    expect(await checks.stateOf(9, false)).toMatchObject({ state: 'idle', reason: 'auto-check-off' });
    expect(host.requests).toHaveLength(0);
    urls.set(11, 'https://example.com/');
    expect(await checks.stateOf(11, true)).toMatchObject({ state: 'checking' });
    // No URL known for the tab: nothing to check.
    expect(await checks.stateOf(10, true)).toEqual({ state: 'not-https', scheme: null });
  });

  it('re-check bypasses the cache, and checks an excluded site the user asks about', async () => {
    const { host, tabs, checks, navigate, settled } = setup({ excludedSites: ['example.com'] });
    navigate(1, 'https://example.com/');
    expect(await checks.recheck(1)).toMatchObject({ state: 'checking' });
    await settled();
    expect(await checks.recheck(1)).toMatchObject({ state: 'checking' });
    await settled();
    expect(host.requests).toHaveLength(2);
    expect(tabs.get(1)).toMatchObject({ state: 'result', fromCache: false });
  });

  it('re-check on a page that is not https: says so', async () => {
    const { checks, urls } = setup();
    urls.set(1, 'http://example.com/');
    expect(await checks.recheck(1)).toEqual({ state: 'not-https', scheme: 'http:' });
  });

  it('drops a result for a page the tab has left', async () => {
    const { host, tabs, navigate, settled } = setup();
    const held: HostRequest[] = [];
    host.behave = (request) => {
      held.push(request);
      return { silent: true };
    };
    navigate(1, 'https://slow.test/');
    await new Promise((resolve) => setTimeout(resolve, 0));
    navigate(1, 'https://example.com/');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(held.map((r) => r.type === 'check' && r.host)).toEqual(['slow.test', 'example.com']);
    host.ports[0]!.deliver(goodAnswer(held[0]!));
    await new Promise((resolve) => setTimeout(resolve, 0));
    // The slow site's answer did not land on the page the tab shows now.
    expect(tabs.get(1)).toMatchObject({ state: 'checking', site: { host: 'example.com' } });
    host.ports[0]!.deliver(goodAnswer(held[1]!));
    await settled();
    expect(tabs.get(1)).toMatchObject({ state: 'result', site: { host: 'example.com' } });
  });

  it('a missing host is shown with the extension ID; opening the popup tries again', async () => {
    const { host, tabs, checks, navigate, settled } = setup();
    host.installed = false;
    navigate(1, 'https://example.com/');
    await settled();
    expect(tabs.get(1)).toMatchObject({ state: 'host-missing', extensionId: 'our-id' });
    host.installed = true;
    expect(await checks.stateOf(1, true)).toMatchObject({ state: 'checking' });
    await settled();
    expect(tabs.get(1)).toMatchObject({ state: 'result' });
  });

  it('resume finishes a check a stopped background left at checking', async () => {
    const { tabs, checks, settled } = setup();
    checks.resume(3, { host: 'example.com', port: 443 });
    await settled();
    expect(tabs.get(3)).toMatchObject({ state: 'result' });
  });
});
