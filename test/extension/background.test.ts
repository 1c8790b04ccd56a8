// The background's logic against a fake browser and a scripted host: automatic checks, the badge,
// one shared native port (reuse, idle close, reconnect), timeouts, malformed answers, the cache,
// popup messages and a service-worker restart.
import { afterEach, describe, expect, it } from 'vitest';
import { Background } from '../../src/extension/background/background.js';
import { BADGE_COLOURS } from '../../src/extension/shared/badge.js';
import type { TabView } from '../../src/extension/shared/tab-view.js';
import { FakeBrowser, ManualClock, goodAnswer, type HostRequest } from './fake-browser.js';
import { asWire, sampleResult } from './sample-results.js';

const GREEN = BADGE_COLOURS.green.background;
const GREY = BADGE_COLOURS.grey.background;

let backgrounds: Background[] = [];

function setup(config: { idleMs?: number; options?: Record<string, unknown> } = {}) {
  const browser = new FakeBrowser();
  // Stored options are read when the background starts, as after a browser start.
  for (const [key, value] of Object.entries(config.options ?? {})) browser.local.data.set(key, value);
  const clock = new ManualClock();
  const background = new Background({ api: browser, clock, ...(config.idleMs ? { idleMs: config.idleMs } : {}) });
  backgrounds.push(background);
  return { browser, clock, background };
}

/** Let queued microtasks and promise chains run (the fake host answers in microtasks). */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

afterEach(() => {
  for (const b of backgrounds) b.client.close();
  backgrounds = [];
});

function state(background: Background, tabId: number): TabView['state'] | undefined {
  return background.viewOf(tabId)?.state;
}

describe('automatic checks', () => {
  it('checks an https: page when it commits and shows a green OK for stapled-good', async () => {
    const { browser, background } = setup();
    await background.ready;
    browser.navigate(1, 'https://example.com/page');
    await background.settled();
    expect(browser.host.requests).toEqual([
      // A check started by navigation never follows the name inward (test/security/address-policy*.test.ts).
      {
        id: 1,
        type: 'check',
        host: 'example.com',
        port: 443,
        timeoutMs: 10_000,
        addressPolicy: 'skip-internal-if-public',
        // The browser loaded this page: a chain the host cannot place is a note (PROTOCOL.md).
        pageLoaded: true,
        // The automatic check makes the normal offer's handshake only (PROTOCOL.md `probe`).
        probe: 'default-offer',
      },
    ]);
    expect(browser.badges.get(1)).toMatchObject({ text: 'OK', background: GREEN });
    expect(browser.badges.get(1)?.title).toMatch(/good/);
    const view = background.viewOf(1);
    expect(view?.state === 'result' && view.result.verdict).toBe('stapled-good');
  });

  it('checks a site on a non-default port', async () => {
    const { browser, background } = setup();
    browser.navigate(1, 'https://example.com:8443/');
    await background.settled();
    expect(browser.host.requests[0]).toMatchObject({ host: 'example.com', port: 8443 });
  });

  it('shows … while the check runs', async () => {
    const { browser, background } = setup();
    browser.host.behave = () => ({ silent: true });
    await background.ready;
    browser.navigate(1, 'https://example.com/');
    await flush();
    expect(state(background, 1)).toBe('checking');
    expect(browser.badges.get(1)).toMatchObject({ text: '…', background: GREY });
  });

  it.each([
    'http://example.com/',
    'file:///tmp/x.html',
    'chrome://settings/',
    'about:blank',
    'moz-extension://x/popup.html',
  ])('does nothing on %s but clear the badge', async (url) => {
    const { browser, background } = setup();
    browser.navigate(1, 'https://example.com/');
    await background.settled();
    browser.navigate(1, url);
    await background.settled();
    expect(browser.host.requests).toHaveLength(1);
    expect(state(background, 1)).toBe('not-https');
    expect(browser.badges.get(1)?.text).toBe('');
  });

  it('keeps a badge per tab', async () => {
    const { browser, background } = setup();
    browser.host.behave = (request) =>
      request.type === 'check' && request.host === 'revoked.test'
        ? {
            reply: {
              id: request.id,
              ok: true,
              result: { ...(asWire(sampleResult('stapled-revoked')) as object), host: 'revoked.test' },
            },
          }
        : { reply: goodAnswer(request) };
    browser.navigate(1, 'https://good.test/');
    browser.navigate(2, 'https://revoked.test/');
    await background.settled();
    expect(browser.badges.get(1)).toMatchObject({ text: 'OK', background: GREEN });
    expect(browser.badges.get(2)).toMatchObject({ text: 'REV', background: BADGE_COLOURS.red.background });
  });

  it('puts the badge back when the page finishes loading (Chromium resets it on navigation)', async () => {
    const { browser, background } = setup();
    browser.navigate(1, 'https://example.com/');
    await background.settled();
    browser.badges.delete(1);
    browser.complete(1);
    await background.settled();
    expect(browser.badges.get(1)?.text).toBe('OK');
  });

  it('drops a result that arrives after the tab moved on', async () => {
    const { browser, background } = setup();
    let held: HostRequest | null = null;
    browser.host.behave = (request) => {
      held = request;
      return { silent: true };
    };
    await background.ready;
    browser.navigate(1, 'https://slow.test/');
    await flush();
    browser.navigate(1, 'http://plain.test/');
    await flush();
    browser.host.ports[0]!.deliver(goodAnswer(held!));
    await background.settled();
    expect(state(background, 1)).toBe('not-https');
    expect(browser.badges.get(1)?.text).toBe('');
  });

  it('forgets a closed tab', async () => {
    const { browser, background } = setup();
    browser.navigate(4, 'https://example.com/');
    await background.settled();
    expect(browser.session.data.has('tab:4')).toBe(true);
    browser.closeTab(4);
    await background.settled();
    expect(background.viewOf(4)).toBeUndefined();
    expect(browser.session.data.has('tab:4')).toBe(false);
  });

  it('tells open pages about every state change', async () => {
    const { browser, background } = setup();
    browser.navigate(1, 'https://example.com/');
    await background.settled();
    const states = browser.broadcasts.map((m) => (m as { view: TabView }).view.state);
    expect(states).toEqual(['checking', 'result']);
    expect(browser.broadcasts[0]).toMatchObject({ type: 'tab-state', tabId: 1 });
  });
});

describe('options', () => {
  it('with automatic checks off, a page is idle until the popup asks', async () => {
    const { browser, background } = setup({ options: { autoCheck: false } });
    await background.ready;
    browser.navigate(1, 'https://example.com/');
    await background.settled();
    expect(browser.host.requests).toHaveLength(0);
    expect(background.viewOf(1)).toMatchObject({ state: 'idle', reason: 'auto-check-off' });
    expect(browser.badges.get(1)?.text).toBe('');

    const reply = (await browser.send({ type: 'get-state', tabId: 1, start: true })) as TabView;
    expect(reply.state).toBe('checking');
    await background.settled();
    expect(state(background, 1)).toBe('result');
  });

  it('follows option changes made while running', async () => {
    const { browser, background } = setup();
    await background.ready;
    await browser.setOptions({ excludedSites: ['example.com'] });
    await background.settled();
    browser.navigate(1, 'https://www.example.com/');
    await background.settled();
    expect(background.viewOf(1)).toMatchObject({ state: 'idle', reason: 'excluded' });
    expect(browser.host.requests).toHaveLength(0);
  });

  it('an excluded site is checked when the user asks (re-check)', async () => {
    const { browser, background } = setup({ options: { excludedSites: ['example.com'] } });
    browser.navigate(1, 'https://example.com/');
    await background.settled();
    await browser.send({ type: 'get-state', tabId: 1, start: true });
    await background.settled();
    expect(state(background, 1)).toBe('idle');
    await browser.send({ type: 'recheck', tabId: 1 });
    await background.settled();
    expect(state(background, 1)).toBe('result');
  });
});

describe('one native port', () => {
  it('is shared by every check, several at once, answered by id', async () => {
    const { browser, background } = setup();
    const held: HostRequest[] = [];
    browser.host.behave = (request) => {
      held.push(request);
      return { silent: true };
    };
    await background.ready;
    browser.navigate(1, 'https://a.test/');
    browser.navigate(2, 'https://b.test/');
    browser.navigate(3, 'https://c.test:8443/');
    await flush();
    expect(browser.host.ports).toHaveLength(1);
    expect(new Set(held.map((r) => r.id)).size).toBe(3);
    // Answers out of order reach the right tabs.
    const port = browser.host.ports[0]!;
    for (const request of [...held].reverse()) port.deliver(goodAnswer(request));
    await background.settled();
    for (const tab of [1, 2, 3]) expect(browser.badges.get(tab)?.text).toBe('OK');
    const view = background.viewOf(3);
    expect(view?.state === 'result' && view.result.port).toBe(8443);
  });

  it('is opened on demand only', async () => {
    const { browser, background } = setup();
    await background.ready;
    expect(browser.host.ports).toHaveLength(0);
    browser.navigate(1, 'http://example.com/');
    await background.settled();
    expect(browser.host.ports).toHaveLength(0);
  });

  it('closes after the idle period and opens again when needed', async () => {
    const { browser, clock, background } = setup({ idleMs: 60_000 });
    browser.navigate(1, 'https://a.test/');
    await background.settled();
    const first = browser.host.ports[0]!;
    clock.advance(59_999);
    expect(first.disconnectedByUs).toBe(false);
    clock.advance(1);
    expect(first.disconnectedByUs).toBe(true);
    expect(background.client.isConnected).toBe(false);
    browser.navigate(2, 'https://b.test/');
    await background.settled();
    expect(browser.host.ports).toHaveLength(2);
    expect(browser.badges.get(2)?.text).toBe('OK');
  });

  it('does not close while a check is pending', async () => {
    const { browser, clock, background } = setup({ idleMs: 1_000 });
    browser.host.behave = () => ({ silent: true });
    await background.ready;
    browser.navigate(1, 'https://a.test/');
    await flush();
    clock.advance(5_000);
    expect(browser.host.ports[0]!.disconnectedByUs).toBe(false);
  });

  it('reconnects after the host exits', async () => {
    const { browser, background } = setup();
    browser.navigate(1, 'https://a.test/');
    await background.settled();
    browser.host.ports[0]!.exit('Native host has exited.');
    expect(background.client.isConnected).toBe(false);
    browser.navigate(2, 'https://b.test/');
    await background.settled();
    expect(browser.host.ports).toHaveLength(2);
    expect(browser.badges.get(2)?.text).toBe('OK');
  });

  it('a host that exits mid-check after answering before: failed, grey ?, and the next check reconnects', async () => {
    const { browser, background } = setup();
    browser.navigate(1, 'https://a.test/');
    await background.settled();
    browser.host.behave = () => ({ exit: 'Native host has exited.' });
    browser.navigate(2, 'https://b.test/');
    await background.settled();
    expect(background.viewOf(2)).toMatchObject({ state: 'failed', code: 'host-exited' });
    expect(browser.badges.get(2)).toMatchObject({ text: '?', background: GREY });
    browser.host.behave = (request) => ({ reply: goodAnswer(request) });
    await browser.send({ type: 'recheck', tabId: 2 });
    await background.settled();
    expect(browser.badges.get(2)?.text).toBe('OK');
  });
});

describe('host not installed', () => {
  it.each([
    ['Chromium', 'Specified native messaging host not found.'],
    ['Chromium, wrong ID', 'Access to the specified native messaging host is forbidden.'],
    ['Firefox', 'No such native application dev.staplecheck.host'],
    ['a host that cannot start', 'Native host has exited.'],
  ])('%s: host-missing with the extension ID, badge !', async (_browserName, message) => {
    const { browser, background } = setup();
    browser.host.installed = false;
    browser.host.missingMessage = message;
    browser.navigate(1, 'https://example.com/');
    await background.settled();
    expect(background.viewOf(1)).toEqual({
      state: 'host-missing',
      site: { host: 'example.com', port: 443 },
      message,
      extensionId: browser.extensionId,
    });
    expect(browser.badges.get(1)).toMatchObject({ text: '!', background: GREY });
  });

  it('recovers once the host is installed', async () => {
    const { browser, background } = setup();
    browser.host.installed = false;
    browser.navigate(1, 'https://example.com/');
    await background.settled();
    browser.host.installed = true;
    await browser.send({ type: 'recheck', tabId: 1 });
    await background.settled();
    expect(browser.badges.get(1)?.text).toBe('OK');
  });

  it('opening the popup tries a missing host again', async () => {
    const { browser, background } = setup();
    browser.host.installed = false;
    browser.navigate(1, 'https://example.com/');
    await background.settled();
    browser.host.installed = true;
    expect(await browser.send({ type: 'get-state', tabId: 1, start: false })).toMatchObject({ state: 'host-missing' });
    expect(await browser.send({ type: 'get-state', tabId: 1, start: true })).toMatchObject({ state: 'checking' });
    await background.settled();
    expect(browser.badges.get(1)?.text).toBe('OK');
  });

  it('connectNative throwing (no permission) is host-missing too', async () => {
    const { browser, background } = setup();
    browser.connectNative = () => {
      throw new Error('runtime.connectNative is not a function');
    };
    browser.navigate(1, 'https://example.com/');
    await background.settled();
    expect(state(background, 1)).toBe('host-missing');
  });
});

describe('timeouts', () => {
  it('a check without an answer fails after timeoutMs + grace, grey ?', async () => {
    const { browser, clock, background } = setup();
    browser.host.behave = () => ({ silent: true });
    await background.ready;
    browser.navigate(1, 'https://example.com/');
    await flush();
    clock.advance(14_999);
    await flush();
    expect(state(background, 1)).toBe('checking');
    clock.advance(1);
    await background.settled();
    expect(background.viewOf(1)).toMatchObject({ state: 'failed', code: 'timeout' });
    expect(browser.badges.get(1)).toMatchObject({ text: '?', background: GREY });
    expect(background.client.pendingCount).toBe(0);
  });

  it('a late answer after the timeout is ignored (never turns green)', async () => {
    const { browser, clock, background } = setup();
    const held: HostRequest[] = [];
    browser.host.behave = (request) => {
      held.push(request);
      return { silent: true };
    };
    await background.ready;
    browser.navigate(1, 'https://example.com/');
    await flush();
    clock.advance(15_000);
    await background.settled();
    browser.host.ports[0]!.deliver(goodAnswer(held[0]!));
    await background.settled();
    expect(state(background, 1)).toBe('failed');
    expect(browser.badges.get(1)?.background).not.toBe(GREEN);
  });

  it('each request has its own deadline', async () => {
    const { browser, clock, background } = setup();
    const held: HostRequest[] = [];
    browser.host.behave = (request) => {
      held.push(request);
      return { silent: true };
    };
    await background.ready;
    browser.navigate(1, 'https://a.test/');
    await flush();
    clock.advance(10_000);
    browser.navigate(2, 'https://b.test/');
    await flush();
    clock.advance(5_000); // tab 1's deadline
    await flush();
    expect(state(background, 1)).toBe('failed');
    expect(state(background, 2)).toBe('checking');
    browser.host.ports[0]!.deliver(goodAnswer(held[1]!));
    await background.settled();
    expect(browser.badges.get(2)?.text).toBe('OK');
  });
});

describe('malformed host answers: an error state, never green', () => {
  const good = () => asWire(sampleResult('stapled-good')) as Record<string, unknown>;
  const cases: [string, (request: HostRequest) => unknown][] = [
    ['a result missing most fields', (r) => ({ id: r.id, ok: true, result: { verdict: 'stapled-good' } })],
    [
      'an unknown verdict',
      (r) => ({ id: r.id, ok: true, result: { ...good(), host: 'example.com', verdict: 'stapled-great' } }),
    ],
    [
      'stapled-good without a staple',
      (r) => ({ id: r.id, ok: true, result: { ...good(), host: 'example.com', ocsp: null } }),
    ],
    [
      'stapled-good with an invalidating problem',
      (r) => ({
        id: r.id,
        ok: true,
        result: { ...good(), host: 'example.com', problems: [{ code: 'expired', severity: 'error', message: 'x' }] },
      }),
    ],
    ['an answer about another site', (r) => ({ id: r.id, ok: true, result: { ...good(), host: 'evil.test' } })],
    ['a result that is a string', (r) => ({ id: r.id, ok: true, result: 'stapled-good' })],
    ['ok missing', (r) => ({ id: r.id, result: good() })],
    ['a JSON string instead of an object', () => 'stapled-good'],
    ['an array', () => [1, 2, 3]],
    ['null', () => null],
  ];

  it.each(cases)('%s', async (_what, answer) => {
    const { browser, background } = setup();
    browser.host.behave = (request) => ({ reply: answer(request) });
    browser.navigate(1, 'https://example.com/');
    await background.settled();
    expect(background.viewOf(1)).toMatchObject({ state: 'failed', code: 'malformed-answer' });
    expect(browser.badges.get(1)).toMatchObject({ text: '?', background: GREY });
    expect(browser.badges.get(1)?.background).not.toBe(GREEN);
  });

  it('an ok:false answer is a host error, grey', async () => {
    const { browser, background } = setup();
    browser.host.behave = (r) => ({
      reply: { id: r.id, ok: false, error: { code: 'bad-request', message: 'port must be 1-65535' } },
    });
    browser.navigate(1, 'https://example.com/');
    await background.settled();
    expect(background.viewOf(1)).toMatchObject({
      state: 'failed',
      code: 'host-error',
      message: 'bad-request: port must be 1-65535',
    });
  });

  it('a well-formed verdict error from the host is a result with a grey ?', async () => {
    const { browser, background } = setup();
    browser.host.behave = (r) => ({
      reply: { id: r.id, ok: true, result: { ...(asWire(sampleResult('error')) as object), host: 'example.com' } },
    });
    browser.navigate(1, 'https://example.com/');
    await background.settled();
    expect(background.viewOf(1)).toMatchObject({ state: 'result', result: { verdict: 'error' } });
    expect(browser.badges.get(1)).toMatchObject({ text: '?', background: GREY });
  });
});

describe('the cache', () => {
  function answerWithNextUpdate(browser: FakeBrowser, clock: ManualClock, nextUpdateMs: number) {
    browser.host.behave = (request) => {
      const answer = goodAnswer(request) as { result: { ocsp: { nextUpdate: string } } };
      answer.result.ocsp.nextUpdate = new Date(clock.now() + nextUpdateMs).toISOString();
      return { reply: answer };
    };
  }

  it('serves a later visit, in any tab, without asking the host', async () => {
    const { browser, background } = setup();
    browser.navigate(1, 'https://example.com/');
    await background.settled();
    browser.navigate(2, 'https://example.com/other');
    await background.settled();
    expect(browser.host.requests).toHaveLength(1);
    expect(background.viewOf(2)).toMatchObject({ state: 'result', fromCache: true });
    expect(browser.badges.get(2)?.text).toBe('OK');
  });

  it('shares one running request between tabs showing the same site', async () => {
    const { browser, background } = setup();
    browser.navigate(1, 'https://example.com/');
    browser.navigate(2, 'https://example.com/');
    await background.settled();
    expect(browser.host.requests).toHaveLength(1);
    expect(browser.badges.get(1)?.text).toBe('OK');
    expect(browser.badges.get(2)?.text).toBe('OK');
  });

  it('never outlives the staple’s nextUpdate', async () => {
    const { browser, clock, background } = setup();
    answerWithNextUpdate(browser, clock, 120_000); // 2 min, less than the 10 min maximum
    browser.navigate(1, 'https://example.com/');
    await background.settled();
    clock.advance(119_999);
    browser.navigate(1, 'https://example.com/');
    await background.settled();
    expect(browser.host.requests).toHaveLength(1);
    clock.advance(1);
    browser.navigate(1, 'https://example.com/');
    await background.settled();
    expect(browser.host.requests).toHaveLength(2);
  });

  it('never outlives the options’ maximum', async () => {
    const { browser, clock, background } = setup({ options: { cacheMinutes: 1 } });
    browser.navigate(1, 'https://example.com/');
    await background.settled();
    clock.advance(60_000);
    browser.navigate(1, 'https://example.com/');
    await background.settled();
    expect(browser.host.requests).toHaveLength(2);
  });

  it('is bypassed by re-check', async () => {
    const { browser, background } = setup();
    browser.navigate(1, 'https://example.com/');
    await background.settled();
    const reply = (await browser.send({ type: 'recheck', tabId: 1 })) as TabView;
    expect(reply.state).toBe('checking');
    await background.settled();
    expect(browser.host.requests).toHaveLength(2);
    expect(background.viewOf(1)).toMatchObject({ state: 'result', fromCache: false });
  });
});

describe('popup messages', () => {
  it('get-state answers the tab’s state', async () => {
    const { browser, background } = setup();
    browser.navigate(1, 'https://example.com/');
    await background.settled();
    const view = (await browser.send({ type: 'get-state', tabId: 1, start: false })) as TabView;
    expect(view.state).toBe('result');
  });

  it('get-state for a tab loaded before the extension started reads its URL', async () => {
    const { browser, background } = setup();
    browser.urls.set(9, 'https://example.com/');
    const view = (await browser.send({ type: 'get-state', tabId: 9, start: true })) as TabView;
    expect(view.state).toBe('checking');
    await background.settled();
    expect(state(background, 9)).toBe('result');
    browser.urls.set(10, 'chrome://newtab/');
    expect(await browser.send({ type: 'get-state', tabId: 10, start: true })).toEqual({
      state: 'not-https',
      scheme: 'chrome:',
    });
    expect(await browser.send({ type: 'get-state', tabId: 11, start: true })).toEqual({
      state: 'not-https',
      scheme: null,
    });
  });

  it('ping-host answers the version, or host-missing', async () => {
    const { browser, background } = setup();
    expect(await browser.send({ type: 'ping-host' })).toEqual({ ok: true, version: '0.1.0' });
    background.client.close();
    browser.host.installed = false;
    expect(await browser.send({ type: 'ping-host' })).toMatchObject({
      ok: false,
      state: 'host-missing',
      extensionId: browser.extensionId,
    });
  });

  it('ignores messages from anyone but this extension, and malformed ones', async () => {
    const { browser } = setup();
    browser.navigate(1, 'https://example.com/');
    expect(browser.send({ type: 'get-state', tabId: 1, start: true }, 'someone-else')).toBeUndefined();
    expect(browser.send({ type: 'get-state', tabId: 1, start: true }, null)).toBeUndefined();
    expect(browser.send({ type: 'eval', code: 'x' })).toBeUndefined();
    expect(browser.send({ type: 'tab-state', tabId: 1, view: {} })).toBeUndefined();
  });
});

describe('a service worker restart', () => {
  it('keeps tab states and the cache (storage.session)', async () => {
    const first = setup();
    first.browser.navigate(1, 'https://example.com/');
    await first.background.settled();

    const browser = new FakeBrowser();
    for (const [k, v] of first.browser.session.data) browser.session.data.set(k, v);
    const background = new Background({ api: browser, clock: first.clock });
    backgrounds.push(background);
    await background.ready;
    expect(state(background, 1)).toBe('result');
    browser.navigate(2, 'https://example.com/');
    await background.settled();
    expect(browser.host.requests).toHaveLength(0);
    expect(browser.badges.get(2)?.text).toBe('OK');
  });

  it('finishes a check the old worker did not', async () => {
    const browser = new FakeBrowser();
    browser.session.data.set('tab:3', { state: 'checking', site: { host: 'example.com', port: 443 }, startedAt: 1 });
    browser.session.data.set('tab:4', {
      state: 'result',
      site: { host: 'x.test', port: 443 },
      result: { verdict: 'stapled-good' },
    });
    const background = new Background({ api: browser, clock: new ManualClock() });
    backgrounds.push(background);
    await background.ready;
    await background.settled();
    expect(state(background, 3)).toBe('result');
    // A stored state that does not validate is dropped, not shown.
    expect(background.viewOf(4)).toBeUndefined();
  });
});
