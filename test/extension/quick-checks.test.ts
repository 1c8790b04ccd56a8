// The popup's quick checks through the background, against the fake browser and scripted host:
// a typed site checked without any tab, the session's recent checks, and the opt-in staple history
// (off by default, bounded, forgotten when turned off).
import { afterEach, describe, expect, it } from 'vitest';
import { Background } from '../../src/extension/background/background.js';
import { HistoryStorage } from '../../src/extension/shared/extension-storage.js';
import {
  parseCheckSiteReply,
  parseHistoryReply,
  parseRecentReply,
  parseSiteRequest,
} from '../../src/extension/shared/page-requests.js';
import { addHistoryPoint, historyPointOf, MAX_POINTS, MAX_SITES } from '../../src/extension/shared/staple-history.js';
import { addRecent, MAX_RECENT } from '../../src/extension/shared/recent-checks.js';
import { parseSiteInput } from '../../src/extension/shared/site.js';
import { FakeBrowser, ManualClock } from './fake-browser.js';
import { sampleResult } from './sample-results.js';

let backgrounds: Background[] = [];

function setup(options: Record<string, unknown> = {}) {
  const browser = new FakeBrowser();
  for (const [key, value] of Object.entries(options)) browser.local.data.set(key, value);
  const background = new Background({ api: browser, clock: new ManualClock() });
  backgrounds.push(background);
  return { browser, background };
}

afterEach(() => {
  for (const b of backgrounds) b.client.close();
  backgrounds = [];
});

describe('parseSiteInput: what people type or paste', () => {
  it.each([
    ['example.com', 'example.com', 443],
    ['  Example.COM:8443 ', 'example.com', 8443],
    ['[2001:db8::1]:8443', '2001:db8::1', 8443],
    ['[::1]', '::1', 443],
    ['https://example.com/path/to?q=1&r=2#frag', 'example.com', 443],
    ['https://user@example.com:9443/x', 'example.com', 9443],
    ['example.com/path?q=1', 'example.com', 443],
    ['https://bücher.example/', 'xn--bcher-kva.example', 443],
    ['127.0.0.1:4433', '127.0.0.1', 4433],
  ])('%j → %s:%i', (text, host, port) => {
    expect(parseSiteInput(text)).toEqual({ ok: true, site: { host, port } });
  });

  it.each([
    ['', 'site_input_invalid'],
    ['not a host', 'site_input_invalid'],
    ['example.com:70000', 'site_input_invalid'],
    ['ftp://example.com/', 'site_input_invalid'],
    ['http://example.com/', 'site_input_http'],
  ])('refuses %j (%s)', (text, key) => {
    expect(parseSiteInput(text)).toEqual({ ok: false, key });
  });
});

describe('check-site: a typed site, no tab', () => {
  it('checks a pasted URL through the host and answers with its verdict', async () => {
    const { browser } = setup();
    const reply = parseCheckSiteReply(
      await browser.send({ type: 'check-site', target: 'https://example.org:8443/a/b?c=d', fresh: false }),
    );
    expect(browser.host.requests).toEqual([
      { id: 1, type: 'check', host: 'example.org', port: 8443, timeoutMs: 10_000 },
    ]);
    expect(reply?.ok && reply.view).toMatchObject({
      state: 'result',
      site: { host: 'example.org', port: 8443 },
      fromCache: false,
    });
    // No tab was touched: no badge, no tab state.
    expect(browser.badges.size).toBe(0);
  });

  it('answers from the cache, and asks afresh when told to', async () => {
    const { browser } = setup();
    await browser.send({ type: 'check-site', target: 'example.org', fresh: false });
    const cached = parseCheckSiteReply(await browser.send({ type: 'check-site', target: 'example.org', fresh: false }));
    expect(cached?.ok && cached.view.state === 'result' && cached.view.fromCache).toBe(true);
    expect(browser.host.requests).toHaveLength(1);
    await browser.send({ type: 'check-site', target: 'example.org', fresh: true });
    expect(browser.host.requests).toHaveLength(2);
  });

  it('says why text names no site, in words, without asking the host', async () => {
    const { browser } = setup();
    const reply = parseCheckSiteReply(
      await browser.send({ type: 'check-site', target: 'http://x.test/', fresh: false }),
    );
    expect(reply).toEqual({ ok: false, message: expect.stringMatching(/http: address/) });
    expect(browser.host.requests).toHaveLength(0);
  });

  it('shows the install page when the host is missing', async () => {
    const { browser } = setup();
    browser.host.installed = false;
    const reply = parseCheckSiteReply(await browser.send({ type: 'check-site', target: 'example.org', fresh: false }));
    expect(reply?.ok && reply.view).toMatchObject({ state: 'host-missing', extensionId: browser.extensionId });
  });

  it('refuses malformed requests', () => {
    expect(parseSiteRequest({ type: 'check-site', target: 3 }).ok).toBe(false);
    expect(parseSiteRequest({ type: 'check-site', target: 'x'.repeat(3000) }).ok).toBe(false);
    expect(parseSiteRequest({ type: 'staple-history', site: { host: 'a', port: 0 } }).ok).toBe(false);
    expect(parseSiteRequest({ type: 'nope' }).ok).toBe(false);
  });
});

describe('recent checks', () => {
  it('lists this session’s fresh checks, newest first, one per site, in storage.session only', async () => {
    const { browser, background } = setup();
    await background.ready;
    browser.navigate(1, 'https://tab.example/');
    await background.settled();
    await browser.send({ type: 'check-site', target: 'typed.example:8443', fresh: false });
    await browser.send({ type: 'check-site', target: 'https://tab.example/again', fresh: true });
    await background.settled();
    const recent = parseRecentReply(await browser.send({ type: 'recent-checks' }));
    expect(recent.map((c) => `${c.site.host}:${c.site.port}`)).toEqual(['tab.example:443', 'typed.example:8443']);
    expect(recent[0]?.result.verdict).toBe('stapled-good');
    expect(browser.session.data.has('recent')).toBe(true);
    expect([...browser.local.data.keys()].some((k) => k.includes('recent'))).toBe(false);
  });

  it('moves a typed check answered from the cache to the top', async () => {
    const { browser } = setup();
    await browser.send({ type: 'check-site', target: 'a.example', fresh: false });
    await browser.send({ type: 'check-site', target: 'b.example', fresh: false });
    await browser.send({ type: 'check-site', target: 'a.example', fresh: false }); // cached
    expect(browser.host.requests).toHaveLength(2);
    const recent = parseRecentReply(await browser.send({ type: 'recent-checks' }));
    expect(recent.map((c) => c.site.host)).toEqual(['a.example', 'b.example']);
  });

  it('comes back after a service-worker restart', async () => {
    const first = setup();
    await first.browser.send({ type: 'check-site', target: 'a.example', fresh: false });
    await first.background.settled();
    const restarted = new Background({ api: first.browser, clock: new ManualClock() });
    backgrounds.push(restarted);
    await restarted.ready;
    const recent = parseRecentReply(await first.browser.send({ type: 'recent-checks' }));
    expect(recent.map((c) => c.site.host)).toEqual(['a.example']);
  });

  it('keeps at most MAX_RECENT', () => {
    let list = [] as ReturnType<typeof addRecent>;
    for (let i = 0; i < MAX_RECENT + 5; i++) {
      list = addRecent(list, { site: { host: `s${i}.example`, port: 443 }, result: sampleResult('not-stapled') });
    }
    expect(list).toHaveLength(MAX_RECENT);
    expect(list[0]?.site.host).toBe(`s${MAX_RECENT + 4}.example`);
  });
});

describe('staple history (opt-in)', () => {
  it('is off by default: nothing kept, and the popup is told so', async () => {
    const { browser, background } = setup();
    await browser.send({ type: 'check-site', target: 'example.org', fresh: false });
    await background.settled();
    expect(browser.local.data.has('stapleHistory')).toBe(false);
    expect(
      parseHistoryReply(await browser.send({ type: 'staple-history', site: { host: 'example.org', port: 443 } })),
    ).toEqual({ enabled: false });
  });

  it('once opted in, every fresh check adds the staple’s age; opting out forgets it', async () => {
    const { browser, background } = setup({ keepHistory: true });
    await browser.send({ type: 'check-site', target: 'example.org', fresh: false });
    await browser.send({ type: 'check-site', target: 'example.org', fresh: false }); // cached: no point
    await background.settled();
    const reply = parseHistoryReply(
      await browser.send({ type: 'staple-history', site: { host: 'example.org', port: 443 } }),
    );
    // sampleResult's staple was made 2 h before NOW, its check ran 1 s before NOW.
    expect(reply).toEqual({ enabled: true, points: [{ at: expect.any(Number), ageSeconds: 7199 }] });
    await browser.setOptions({ keepHistory: false });
    await background.settled();
    expect(browser.local.data.has('stapleHistory')).toBe(false);
  });

  it('records a check without a staple as a gap, and an error not at all', () => {
    expect(historyPointOf(sampleResult('not-stapled'))).toMatchObject({ ageSeconds: null });
    expect(historyPointOf(sampleResult('error'))).toBeNull();
  });

  it('is bounded: MAX_POINTS per site, MAX_SITES sites (the least recently checked go)', async () => {
    let history = {};
    for (let i = 0; i < MAX_POINTS + 10; i++) history = addHistoryPoint(history, 'a:443', { at: i, ageSeconds: i });
    expect((history as Record<string, unknown[]>)['a:443']).toHaveLength(MAX_POINTS);
    for (let s = 0; s < MAX_SITES + 3; s++)
      history = addHistoryPoint(history, `s${s}:443`, { at: 1000 + s, ageSeconds: 1 });
    expect(Object.keys(history)).toHaveLength(MAX_SITES);
    expect(history).not.toHaveProperty('a:443');
    // Storage holding more than the bounds (an older version, a hand edit) is read back bounded.
    const storage = new HistoryStorage(new FakeBrowser().local);
    await storage.save({ big: Array.from({ length: 500 }, (_, i) => ({ at: i, ageSeconds: i })), bad: 'x' } as never);
    const loaded = await storage.load();
    expect(loaded.big).toHaveLength(MAX_POINTS);
    expect(loaded).not.toHaveProperty('bad');
  });
});
