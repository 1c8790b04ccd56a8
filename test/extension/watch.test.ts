// Watched sites: the pure list (alerts, the cap, validation of what storage held) and the
// background's watch keeper against the fake browser and scripted host: the alarm exists exactly
// while something is watched, the alarm checks watched sites and nothing else, through the same
// host request as a tab's check (fresh, same address policy), never a site on the excluded list,
// and a lapse notifies once.
import { afterEach, describe, expect, it } from 'vitest';
import type { Result, Verdict } from '../../src/core/result.js';
import { Background } from '../../src/extension/background/background.js';
import { WATCH_ALARM } from '../../src/extension/background/watch-keeper.js';
import { WatchStorage } from '../../src/extension/shared/extension-storage.js';
import { parseSiteRequest, parseWatchReply } from '../../src/extension/shared/page-requests.js';
import {
  MAX_WATCHED,
  WATCH_PERIOD_MINUTES,
  addWatched,
  parseWatchList,
  removeWatched,
  watchAlertOf,
  type WatchList,
} from '../../src/extension/shared/watch-list.js';
import { FakeBrowser, ManualClock, type HostRequest } from './fake-browser.js';
import { NOW, asWire, sampleResult } from './sample-results.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const site = { host: 'example.com', port: 443 };
const now = NOW.getTime();

function withNextUpdate(result: Result, ms: number): Result {
  return { ...result, ocsp: result.ocsp ? { ...result.ocsp, nextUpdate: new Date(now + ms).toISOString() } : null };
}

describe('watchAlertOf', () => {
  it.each<[Verdict, string | null]>([
    ['not-stapled', 'not-stapled'],
    ['stapled-invalid', 'stapled-invalid'],
    ['stapled-revoked', 'stapled-revoked'],
    ['must-staple-violation', 'must-staple-violation'],
    ['stapled-good', null],
    ['no-ocsp', null],
    ['error', null],
  ])('%s → %s (a staple with 3 days left, threshold 2 days)', (verdict, alert) => {
    expect(watchAlertOf(sampleResult(verdict), now, 2 * DAY)).toBe(alert);
  });

  it('a good staple with less time left than the threshold is expiring', () => {
    const good = sampleResult('stapled-good');
    expect(watchAlertOf(withNextUpdate(good, DAY), now, 2 * DAY)).toBe('expiring');
    expect(watchAlertOf(withNextUpdate(good, DAY), now, 12 * HOUR)).toBeNull();
  });
});

describe('the watch list', () => {
  it('adds a site once and refuses one beyond MAX_WATCHED', () => {
    let list: WatchList = [];
    for (let i = 0; i < MAX_WATCHED; i++) {
      const added = addWatched(list, { host: `s${i}.test`, port: 443 }, now);
      expect(added.ok).toBe(true);
      if (added.ok) list = added.list;
    }
    expect(list).toHaveLength(MAX_WATCHED);
    expect(addWatched(list, { host: 's0.test', port: 443 }, now)).toEqual({ ok: true, list });
    expect(addWatched(list, { host: 'one-more.test', port: 443 }, now)).toEqual({ ok: false, reason: 'full' });
    expect(removeWatched(list, { host: 's0.test', port: 443 })).toHaveLength(MAX_WATCHED - 1);
  });

  it('reads back only valid, distinct entries, at most MAX_WATCHED', () => {
    const good = {
      site,
      addedAt: 1,
      last: { checkedAt: 2, outcome: 'not-stapled', nextUpdate: null },
      alerted: 'not-stapled',
    };
    expect(
      parseWatchList([
        good,
        good,
        { site: { host: 'a.test', port: 70000 }, addedAt: 1, last: null, alerted: null },
        { site: { host: 'b.test', port: 443 }, addedAt: 'x', last: null, alerted: null },
        { site: { host: 'c.test', port: 443 }, addedAt: 1, last: { checkedAt: 1, outcome: 'fine' }, alerted: 'nope' },
        'junk',
      ]),
    ).toEqual([good, { site: { host: 'c.test', port: 443 }, addedAt: 1, last: null, alerted: null }]);
    expect(parseWatchList({})).toEqual([]);
    const many = Array.from({ length: MAX_WATCHED + 5 }, (_, i) => ({
      site: { host: `s${i}.test`, port: 443 },
      addedAt: 1,
      last: null,
      alerted: null,
    }));
    expect(parseWatchList(many)).toHaveLength(MAX_WATCHED);
  });

  it('the watch-site request and its reply are validated', () => {
    expect(parseSiteRequest({ type: 'watch-site', site, watch: true })).toEqual({
      ok: true,
      request: { type: 'watch-site', site, watch: true },
    });
    expect(parseSiteRequest({ type: 'watch-site', site, watch: 'yes' }).ok).toBe(false);
    expect(parseSiteRequest({ type: 'watch-site', site: { host: '', port: 443 }, watch: true }).ok).toBe(false);
    expect(parseWatchReply({ ok: true, watched: true })).toEqual({ ok: true, watched: true });
    expect(parseWatchReply({ ok: false, reason: 'full' })).toEqual({ ok: false, reason: 'full' });
    expect(parseWatchReply({ ok: false, reason: 'other' })).toBeNull();
  });
});

let backgrounds: Background[] = [];

afterEach(() => {
  for (const b of backgrounds) b.client.close();
  backgrounds = [];
});

function setup(stored: Record<string, unknown> = {}, browser = new FakeBrowser(), clock = new ManualClock()) {
  for (const [key, value] of Object.entries(stored)) browser.local.data.set(key, value);
  const background = new Background({ api: browser, clock });
  backgrounds.push(background);
  /** What the host answers for each site, by `host:port`; default stapled-good. */
  const answers = new Map<string, Result>();
  browser.host.behave = (request: HostRequest) => {
    if (request.type === 'ping') return { reply: { id: request.id, ok: true, result: { version: '0.1.0' } } };
    const result = answers.get(`${request.host}:${request.port}`) ?? sampleResult('stapled-good');
    return {
      reply: {
        id: request.id,
        ok: true,
        result: { ...(asWire(result) as object), host: request.host, port: request.port, servername: request.host },
      },
    };
  };
  const watchList = () => new WatchStorage(browser.local).load();
  return { browser, background, clock, answers, watchList };
}

async function watchSite(browser: FakeBrowser, target = site, watch = true): Promise<unknown> {
  return browser.send({ type: 'watch-site', site: target, watch });
}

async function fireAlarm(browser: FakeBrowser, background: Background): Promise<void> {
  browser.fireAlarm(WATCH_ALARM);
  await background.settled();
}

function checksOf(browser: FakeBrowser): Extract<HostRequest, { type: 'check' }>[] {
  return browser.host.requests.filter((r): r is Extract<HostRequest, { type: 'check' }> => r.type === 'check');
}

describe('the background’s watched sites', () => {
  it('has an hourly alarm exactly while something is watched', async () => {
    const { browser, background, watchList } = setup();
    await background.ready;
    expect(browser.alarms.size).toBe(0);
    expect(await watchSite(browser)).toEqual({ ok: true, watched: true });
    expect(browser.alarms.get(WATCH_ALARM)).toBe(WATCH_PERIOD_MINUTES);
    expect((await watchList()).map((w) => w.site)).toEqual([site]);
    expect(await watchSite(browser, site, false)).toEqual({ ok: true, watched: false });
    expect(browser.alarms.size).toBe(0);
    expect(await watchList()).toEqual([]);
    // Adding asks the host nothing: the first check comes with the alarm.
    expect(checksOf(browser)).toEqual([]);
  });

  it('starts from the result the popup showed (the cached one), so that one does not notify', async () => {
    const { browser, background, answers, watchList } = setup();
    answers.set('example.com:443', sampleResult('not-stapled'));
    browser.navigate(1, 'https://example.com/');
    await background.settled();
    await watchSite(browser);
    const [entry] = await watchList();
    expect(entry?.last).toMatchObject({ outcome: 'not-stapled', checkedAt: now });
    expect(entry?.alerted).toBe('not-stapled');
    await fireAlarm(browser, background);
    expect(browser.notified).toEqual([]);
  });

  it('the alarm re-checks each watched site afresh, as a tab’s check goes, and a lapse notifies once', async () => {
    const { browser, background, answers, watchList } = setup();
    await background.ready;
    await watchSite(browser);
    await fireAlarm(browser, background);
    expect(checksOf(browser)).toEqual([
      {
        id: 1,
        type: 'check',
        host: 'example.com',
        port: 443,
        timeoutMs: 10_000,
        addressPolicy: 'skip-internal-if-public',
        // Watched from a tab showing the site: its chain was placed by the browser (PROTOCOL.md).
        pageLoaded: true,
      },
    ]);
    expect(browser.notified).toEqual([]);
    expect((await watchList())[0]?.last).toMatchObject({ outcome: 'stapled-good', nextUpdate: now + 3 * DAY });

    // The server's staple lapses.
    answers.set('example.com:443', sampleResult('stapled-invalid'));
    await fireAlarm(browser, background);
    expect(checksOf(browser)).toHaveLength(2); // not from the cache
    expect(browser.notified).toEqual([
      {
        id: 'watch:example.com:443',
        details: {
          title: 'Staple Check: example.com:443',
          message: 'The server sends a staple that cannot be trusted (expired or invalid): it stopped refreshing it.',
        },
      },
    ]);
    // Still lapsed: no second notification.
    await fireAlarm(browser, background);
    expect(browser.notified).toHaveLength(1);
    // Fine again, then missing: a new notification.
    answers.set('example.com:443', sampleResult('stapled-good'));
    await fireAlarm(browser, background);
    expect((await watchList())[0]?.alerted).toBeNull();
    answers.set('example.com:443', sampleResult('not-stapled'));
    await fireAlarm(browser, background);
    expect(browser.notified.map((n) => n.details.message)).toEqual([
      'The server sends a staple that cannot be trusted (expired or invalid): it stopped refreshing it.',
      'The server stopped sending a staple.',
    ]);
  });

  it('notifies when the staple has less time left than the option says', async () => {
    const { browser, background, answers } = setup({ watchLeftHours: 36 });
    await background.ready;
    await watchSite(browser);
    answers.set('example.com:443', withNextUpdate(sampleResult('stapled-good'), 40 * HOUR));
    await fireAlarm(browser, background);
    expect(browser.notified).toEqual([]);
    answers.set('example.com:443', withNextUpdate(sampleResult('stapled-good'), 30 * HOUR));
    await fireAlarm(browser, background);
    expect(browser.notified.map((n) => n.details.message)).toEqual([
      'The staple runs out soon (1 day left): the server should have refreshed it by now.',
    ]);
  });

  it('checks nothing the user did not add, and never a site on the excluded list', async () => {
    const { browser, background, watchList } = setup({ autoCheck: false });
    await background.ready;
    await watchSite(browser, { host: 'watched.test', port: 443 });
    await watchSite(browser, { host: 'skipped.test', port: 8443 });
    await browser.setOptions({ excludedSites: ['skipped.test'] });
    await background.settled();
    await fireAlarm(browser, background);
    expect(checksOf(browser).map((r) => `${r.host}:${r.port}`)).toEqual(['watched.test:443']);
    const list = await watchList();
    expect(list.map((w) => [w.site.host, w.last?.outcome])).toEqual([
      ['watched.test', 'stapled-good'],
      ['skipped.test', 'excluded'],
    ]);
    // Some other alarm name is not ours.
    browser.alarms.set('other', 1);
    browser.fireAlarm('other');
    await background.settled();
    expect(checksOf(browser)).toHaveLength(1);
  });

  it('without the notifications permission, records what it found and shows nothing', async () => {
    const { browser, background, answers, watchList } = setup();
    browser.notificationsAllowed = false;
    await background.ready;
    await watchSite(browser);
    answers.set('example.com:443', sampleResult('stapled-revoked'));
    await fireAlarm(browser, background);
    expect(browser.notified).toEqual([]);
    expect((await watchList())[0]).toMatchObject({ last: { outcome: 'stapled-revoked' }, alerted: 'stapled-revoked' });
  });

  it('records a missing helper without a notification', async () => {
    const { browser, background, watchList } = setup();
    await background.ready;
    await watchSite(browser);
    browser.host.installed = false;
    await fireAlarm(browser, background);
    expect(browser.notified).toEqual([]);
    expect((await watchList())[0]?.last?.outcome).toBe('host-missing');
  });

  it('refuses a site beyond the cap', async () => {
    const list = Array.from({ length: MAX_WATCHED }, (_, i) => ({
      site: { host: `s${i}.test`, port: 443 },
      addedAt: now,
      last: null,
      alerted: null,
    }));
    const { browser, background } = setup({ watchedSites: list });
    await background.ready;
    expect(await watchSite(browser)).toEqual({ ok: false, reason: 'full' });
    expect(await watchSite(browser, { host: 's3.test', port: 443 })).toEqual({ ok: true, watched: true });
  });

  it('after a browser restart: the alarm is set again, and a woken background checks once ready', async () => {
    const stored = { watchedSites: [{ site, addedAt: now, last: null, alerted: null }] };
    const { browser, background } = setup(stored);
    await background.ready;
    await background.settled();
    expect(browser.alarms.get(WATCH_ALARM)).toBe(WATCH_PERIOD_MINUTES);
    // The alarm wakes a stopped worker: a new background gets it before it has read its state.
    const woken = new FakeBrowser();
    woken.alarms.set(WATCH_ALARM, WATCH_PERIOD_MINUTES);
    const again = setup(stored, woken);
    woken.fireAlarm(WATCH_ALARM);
    await again.background.settled();
    expect(checksOf(woken)).toHaveLength(1);
  });

  it('answers only our own pages', async () => {
    const { browser, background } = setup();
    await background.ready;
    expect(browser.send({ type: 'watch-site', site, watch: true }, 'someone-else')).toBeUndefined();
    expect(browser.alarms.size).toBe(0);
  });
});
