// End to end in a real Chromium: the built extension (dist/chrome), the host registered by the
// installer for this profile, loopback HTTPS sites that staple good / revoked / nothing / nothing
// on a Must-Staple certificate. Each tab's badge is read back through the extension API, each
// popup's text through its page, and the popups are saved for the README (docs/screenshots/,
// refreshed with UPDATE_SCREENSHOTS=1; see screenshotPath).
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page, type Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_EXTENSION_ID } from '../../src/protocol/extension-ids.js';
import {
  EXPECTED,
  POPUP_LIMIT,
  ROOT,
  assertBrowserInstalled,
  assertBuilt,
  chromiumArgs,
  chromiumTabIdOf,
  hexToRgba,
  installHost,
  poll,
  screenshotPath,
  tempDir,
  attachToActionPopup,
} from './extension-harness.js';
import { startTestSites, type SiteKind, type TestSites } from './extension-sites.js';

const CHROMIUM = '/usr/bin/chromium';
const DIST = join(ROOT, 'dist', 'chrome');
const ORIGIN = `chrome-extension://${CHROMIUM_EXTENSION_ID}`;
const KINDS: SiteKind[] = ['good', 'revoked', 'not-stapled', 'must-staple-violation'];

// The slice of the extension API used inside the extension's own pages below.
declare const chrome: {
  tabs: { query(q: object): Promise<{ id?: number }[]> };
  webNavigation: { getFrame(d: { tabId: number; frameId: number }): Promise<{ url: string } | null> };
  action: {
    openPopup(): Promise<void>;
    getBadgeText(d: { tabId: number }): Promise<string>;
    getBadgeBackgroundColor(d: { tabId: number }): Promise<number[]>;
    getTitle(d: { tabId: number }): Promise<string>;
  };
};

let dir: ReturnType<typeof tempDir> | undefined;
let sites: TestSites | undefined;
let plain: http.Server | undefined;
let plainUrl = '';
let context: BrowserContext | undefined;
let control: Page;
let profile = '';
let home = '';
const tabIds = new Map<SiteKind, number>();
const tabs = new Map<SiteKind, Page>();
let worker: Worker;

/** The tab showing `url` (extension-harness.ts). */
function tabIdOf(url: string): Promise<number> {
  return chromiumTabIdOf(control, url);
}

async function badgeOf(tabId: number): Promise<{ text: string; colour: number[]; title: string }> {
  return control.evaluate(
    async (id) => ({
      text: await chrome.action.getBadgeText({ tabId: id }),
      colour: await chrome.action.getBadgeBackgroundColor({ tabId: id }),
      title: await chrome.action.getTitle({ tabId: id }),
    }),
    tabId,
  );
}

async function settledBadge(tabId: number) {
  return poll(
    `tab ${tabId}'s badge`,
    () => badgeOf(tabId),
    (b) => b.text !== '' && b.text !== '…',
    30_000,
  );
}

/** The popup for `tabId`, opened as a page in a window the size of the largest action popup. */
async function openPopup(tabId: number): Promise<Page> {
  const page = await context!.newPage();
  await page.setViewportSize(POPUP_LIMIT);
  await page.goto(`${ORIGIN}/popup.html?tabId=${tabId}`);
  return page;
}

/** Everything the popup says, the folded details included (opened, read, folded again). */
async function fullText(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const details = document.querySelector('details.more') as HTMLDetailsElement | null;
    const wasOpen = details?.open ?? true;
    if (details) details.open = true;
    const text = (document.querySelector('main') as HTMLElement).innerText;
    if (details && !wasOpen) {
      await new Promise((r) => setTimeout(r, 50));
      details.open = false;
    }
    return text;
  });
}

async function headlineOf(page: Page, expected: string): Promise<string> {
  return poll(
    `the popup headline "${expected}"`,
    () => page.locator('h1').first().innerText(),
    (t) => t === expected,
  );
}

/** The popup at its real size: as wide as its body, as tall as its content up to the browser's limit. */
async function screenshot(page: Page, name: string): Promise<void> {
  const size = await page.evaluate(() => ({
    width: Math.ceil(document.body.getBoundingClientRect().width),
    // The content's own height, as the browser sizes its popup window (not the 600 px test window).
    height: Math.ceil(document.body.getBoundingClientRect().height),
  }));
  await page.screenshot({
    path: screenshotPath(name),
    clip: { x: 0, y: 0, width: size.width, height: Math.min(size.height, POPUP_LIMIT.height) },
  });
}

beforeAll(async () => {
  assertBrowserInstalled(CHROMIUM, 'chromium');
  assertBuilt(DIST);
  dir = tempDir('e2e-extension-chromium');
  profile = join(dir.path, 'profile');
  home = join(dir.path, 'home');
  mkdirSync(profile, { recursive: true });
  mkdirSync(home, { recursive: true });
  sites = await startTestSites();
  plain = http.createServer((_req, res) => res.end('<!doctype html><title>plain</title><p>plain http'));
  await new Promise<void>((resolve) => plain!.listen(0, '127.0.0.1', resolve));
  plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}/`;

  // The host is NOT registered yet: the first test sees host-missing, then installs it.
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    deviceScaleFactor: 2, // crisp screenshots for the README
    colorScheme: 'light',
    // Chromium writes to ~/.config/chromium even with a custom profile unless XDG_CONFIG_HOME moves it.
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(profile, 'xdg-config') },
    // The sites use a test CA the browser does not know; the host judges the staple on its own.
    args: chromiumArgs(DIST, ['--ignore-certificate-errors']),
  });
  worker =
    context.serviceWorkers().find((w) => w.url().startsWith(ORIGIN)) ??
    (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  expect(worker.url()).toBe(`${ORIGIN}/background.js`);
  // An extension page that stays open: it reads tabs and badges through the extension API.
  control = await context.newPage();
  await control.goto(`${ORIGIN}/options.html`);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await sites?.stop();
  await new Promise<void>((resolve) => (plain ? plain.close(() => resolve()) : resolve()));
  dir?.remove();
}, 60_000);

describe('Staple Check in Chromium', () => {
  it('runs its background under the fixed extension ID', () => {
    expect(context!.serviceWorkers().map((w) => w.url())).toContain(`${ORIGIN}/background.js`);
  });

  it('without the host: badge ! and a popup with the install command and the extension ID', async () => {
    const tab = await context!.newPage();
    await tab.goto(sites!.sites.good.url);
    const tabId = await tabIdOf(sites!.sites.good.url);
    const badge = await settledBadge(tabId);
    expect(badge.text).toBe('!');
    expect(badge.colour).toEqual(hexToRgba('#5f6368'));

    const popup = await openPopup(tabId);
    await headlineOf(popup, 'The helper program is not installed');
    const text = await fullText(popup);
    expect(text).toContain('npx staplecheck install');
    expect(text).toContain(CHROMIUM_EXTENSION_ID);
    expect(text).toContain('Specified native messaging host not found.');
    await screenshot(popup, 'host-missing');

    // Register the host for this profile, then "Try again" finds it without restarting anything.
    await installHost(['--user-data-dir', profile, '--browser', 'chromium'], home, dir!.path);
    await popup.getByRole('button', { name: 'Try again' }).click();
    await headlineOf(popup, EXPECTED.good.headline);
    expect((await badgeOf(tabId)).text).toBe('OK');
    await popup.close();
    await tab.close();
  }, 90_000);

  it.each(KINDS)(
    '%s site: its badge and its popup',
    async (kind) => {
      const site = sites!.sites[kind];
      const expected = EXPECTED[kind];
      const tab = await context!.newPage();
      await tab.goto(site.url);
      const tabId = await tabIdOf(site.url);
      tabIds.set(kind, tabId);
      tabs.set(kind, tab);
      const badge = await settledBadge(tabId);
      expect(badge.text).toBe(expected.badge);
      expect(badge.colour).toEqual(hexToRgba(expected.colour));
      expect(badge.title).toMatch(/^Staple Check: /);

      const popup = await openPopup(tabId);
      await headlineOf(popup, expected.headline);
      await screenshot(popup, kind);
      const text = await fullText(popup);
      for (const pattern of expected.text) expect(text).toMatch(pattern);
      expect(text).toContain(`127.0.0.1:${site.port}`);
      // Green is for stapled-good alone.
      const green = await popup.locator('.tone-good').count();
      expect(green).toBe(kind === 'good' ? 1 : 0);
      await popup.close();
    },
    90_000,
  );

  it('keeps every tab’s own badge', async () => {
    for (const kind of KINDS) {
      const tabId = tabIds.get(kind);
      expect(tabId, kind).toBeDefined();
      expect((await badgeOf(tabId!)).text).toBe(EXPECTED[kind].badge);
    }
  });

  it('the real toolbar popup (action.openPopup) shows the active tab’s verdict', async () => {
    await tabs.get('revoked')!.bringToFront();
    expect(await worker.evaluate(() => chrome.action.openPopup().then(() => 'opened'))).toBe('opened');
    // Playwright does not list the action popup as a page: reach it over CDP (BROWSER-TESTING.md).
    const cdp: CDPSession = await context!.newCDPSession(control);
    try {
      const evaluate = await attachToActionPopup(cdp, `${ORIGIN}/popup.html`);
      const headline = await poll(
        'the action popup headline',
        () => evaluate('document.querySelector("h1")?.textContent ?? ""'),
        (t) => t === EXPECTED.revoked.headline,
      );
      expect(headline).toBe(EXPECTED.revoked.headline);
      expect(await evaluate('document.querySelector("main").innerText')).toContain(
        `127.0.0.1:${sites!.sites.revoked.port}`,
      );
      await evaluate('window.close()');
    } finally {
      await cdp.detach();
    }
  }, 60_000);

  it('shows nothing on a plain http: page, and says why in the popup', async () => {
    const tab = await context!.newPage();
    await tab.goto(plainUrl);
    const tabId = await tabIdOf(plainUrl);
    // No check: the badge stays empty (give a check time to have started if it wrongly would).
    await new Promise((r) => setTimeout(r, 500));
    expect((await badgeOf(tabId)).text).toBe('');
    const popup = await openPopup(tabId);
    await headlineOf(popup, 'Not an HTTPS page');
    expect(await fullText(popup)).toMatch(/plain HTTP/);
    await popup.close();
    await tab.close();
  }, 60_000);

  it('re-checks from the popup and copies the report', async () => {
    const tabId = tabIds.get('revoked')!;
    const popup = await openPopup(tabId);
    await headlineOf(popup, EXPECTED.revoked.headline);
    const result = popup.locator('article.result');
    const before = await result.getAttribute('data-checked-at');

    // The real clipboard first (Chromium grants no clipboard-read to extension origins in tests)…
    await popup.getByRole('button', { name: 'Copy report' }).click();
    await popup.getByText('Report copied (JSON).').waitFor({ timeout: 10_000 });
    // …then a recorder in its place, to see what the popup hands over.
    await popup.evaluate(() => {
      const copied: string[] = [];
      (window as unknown as { copied: string[] }).copied = copied;
      navigator.clipboard.writeText = (text: string) => {
        copied.push(text);
        return Promise.resolve();
      };
    });
    const copied = () => popup.evaluate(() => (window as unknown as { copied: string[] }).copied);
    await popup.getByRole('button', { name: 'Copy report' }).click();
    const report = JSON.parse((await poll('the copied report', copied, (c) => c.length === 1))[0]!) as Record<
      string,
      unknown
    >;
    expect(report).toMatchObject({ verdict: 'stapled-revoked', host: '127.0.0.1', port: sites!.sites.revoked.port });
    expect(report.checkedAt).toBe(before);

    await popup.getByRole('button', { name: 'Re-check' }).click();
    await poll(
      'a newer check in the popup',
      () => popup.locator('article.result').getAttribute('data-checked-at', { timeout: 1_000 }),
      (at) => at !== null && at !== before,
    );
    expect(await popup.locator('h1').first().innerText()).toBe(EXPECTED.revoked.headline);
    expect(await popup.locator('[data-fact="checked"] dd').textContent()).not.toMatch(/from cache/);
    expect((await settledBadge(tabId)).text).toBe('REV');

    await popup.getByRole('button', { name: 'Copy openssl command' }).click();
    await popup.getByText('openssl command copied.').waitFor({ timeout: 10_000 });
    expect((await copied())[1]).toBe(
      `openssl s_client -connect 127.0.0.1:${sites!.sites.revoked.port} -status </dev/null`,
    );
    await popup.close();
  }, 60_000);
});
