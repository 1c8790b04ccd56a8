// End to end in Firefox ESR, driven by puppeteer-core over WebDriver BiDi (no geckodriver): the
// built add-on (dist/firefox) installed as a temporary add-on with a pinned internal UUID, the
// host registered by the installer in a temporary HOME ($HOME/.mozilla/native-messaging-hosts),
// loopback HTTPS sites that staple good and revoked. Plus `web-ext lint` on the build.
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIREFOX_EXTENSION_ID } from '../../src/protocol/extension-ids.js';
import {
  EXPECTED,
  ROOT,
  assertBrowserInstalled,
  assertBuilt,
  hexToRgba,
  installHost,
  poll,
  tempDir,
} from './extension-harness.js';
import { startTestSites, type SiteKind, type TestSites } from './extension-sites.js';

const FIREFOX = '/usr/bin/firefox-esr';
const DIST = join(ROOT, 'dist', 'firefox');
// Pinned with extensions.webextensions.uuids, so the add-on's pages have a known URL.
const UUID = '5c1e2f0a-7d4b-4e8a-9c3f-2b6d8e1a4f70';
const ORIGIN = `moz-extension://${UUID}`;

// The slice of the WebExtension API used inside the add-on's own pages below.
declare const browser: {
  tabs: { query(q: object): Promise<{ id?: number }[]> };
  webNavigation: { getFrame(d: { tabId: number; frameId: number }): Promise<{ url: string } | null> };
  action: {
    getBadgeText(d: { tabId: number }): Promise<string>;
    getBadgeBackgroundColor(d: { tabId: number }): Promise<number[]>;
  };
};

// Keep Firefox off the network: only loopback is reachable, every other request goes to a
// proxy that is not there; no updates, telemetry, safe browsing, remote settings or captive
// portal checks. Firefox's own OCSP and stapling are off so it loads the test CA's sites at all
// (the host does its own handshake and judges the staple).
const PREFS: Record<string, unknown> = {
  'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_EXTENSION_ID]: UUID }),
  'network.proxy.type': 1,
  'network.proxy.http': '127.0.0.1',
  'network.proxy.http_port': 9,
  'network.proxy.ssl': '127.0.0.1',
  'network.proxy.ssl_port': 9,
  'network.proxy.no_proxies_on': '',
  'network.proxy.allow_hijacking_localhost': false,
  'network.trr.mode': 5,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.http.speculative-parallel-limit': 0,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'app.update.disabledForTesting': true,
  'app.normandy.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  'browser.region.update.enabled': false,
  'browser.region.network.url': '',
  'browser.newtabpage.enabled': false,
  'browser.startup.page': 0,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.server': '',
  'extensions.update.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'extensions.blocklist.enabled': false,
  'media.gmp-manager.url': '',
  'services.settings.server': 'data:,#remote-settings-off',
  'security.OCSP.enabled': 0,
  'security.ssl.enable_ocsp_stapling': false,
  'security.ssl.enable_ocsp_must_staple': false,
};

let dir: ReturnType<typeof tempDir> | undefined;
let sites: TestSites | undefined;
let firefox: Browser | undefined;
let control: Page;
let home = '';

/** moz-extension:// navigations may never resolve (BROWSER-TESTING.md): start them, then poll the DOM. */
async function openExtensionPage(path: string): Promise<Page> {
  const page = await firefox!.newPage();
  void page.goto(`${ORIGIN}/${path}`).catch(() => undefined);
  await poll(
    `${path} to load`,
    () => page.evaluate(() => document.readyState),
    (s) => s === 'complete',
  );
  return page;
}

async function tabIdOf(url: string): Promise<number> {
  return poll(
    `a tab showing ${url}`,
    () =>
      control.evaluate(async (wanted: string) => {
        for (const tab of await browser.tabs.query({})) {
          if (tab.id === undefined) continue;
          const frame = await browser.webNavigation.getFrame({ tabId: tab.id, frameId: 0 });
          if (frame?.url === wanted) return tab.id;
        }
        return -1;
      }, url),
    (id) => id >= 0,
  );
}

async function settledBadge(tabId: number): Promise<{ text: string; colour: number[] }> {
  return poll(
    `tab ${tabId}'s badge`,
    () =>
      control.evaluate(
        async (id: number) => ({
          text: await browser.action.getBadgeText({ tabId: id }),
          colour: await browser.action.getBadgeBackgroundColor({ tabId: id }),
        }),
        tabId,
      ),
    (b) => b.text !== '' && b.text !== '…',
    30_000,
  );
}

async function popupHeadline(popup: Page, expected: string): Promise<void> {
  await poll(
    `the popup headline "${expected}"`,
    () => popup.evaluate(() => document.querySelector('h1')?.textContent ?? ''),
    (t) => t === expected,
  );
}

/** Everything the popup says, its folded details opened first. */
const mainText = (page: Page) =>
  page.evaluate(() => {
    const details = document.querySelector('details.more') as HTMLDetailsElement | null;
    if (details) details.open = true;
    return (document.querySelector('main') as HTMLElement | null)?.innerText ?? '';
  });

beforeAll(async () => {
  assertBrowserInstalled(FIREFOX, 'firefox-esr');
  assertBuilt(DIST);
  dir = tempDir('e2e-extension-firefox');
  home = join(dir.path, 'home');
  mkdirSync(home, { recursive: true });
  sites = await startTestSites();
  firefox = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    acceptInsecureCerts: true, // the test CA
    // BiDi may navigate to moz-extension:// pages only with system access.
    args: ['--remote-allow-system-access'],
    // A temporary HOME: Firefox reads host manifests from $HOME/.mozilla/native-messaging-hosts only.
    env: { ...process.env, HOME: home, MOZ_REMOTE_SETTINGS_DEVTOOLS: '1' },
    extraPrefsFirefox: PREFS,
  });
  const id = await firefox.installExtension(DIST);
  expect(id).toBe(FIREFOX_EXTENSION_ID);
  control = await openExtensionPage('options.html');
}, 120_000);

afterAll(async () => {
  await firefox?.close();
  await sites?.stop();
  dir?.remove();
}, 60_000);

describe('Staple Check in Firefox', () => {
  it('without the host: badge !, the install command and the add-on ID; then installs and recovers', async () => {
    const tab = await firefox!.newPage();
    await tab.goto(sites!.sites.good.url);
    const tabId = await tabIdOf(sites!.sites.good.url);
    expect((await settledBadge(tabId)).text).toBe('!');

    const popup = await openExtensionPage(`popup.html?tabId=${tabId}`);
    await popupHeadline(popup, 'The helper program is not installed');
    const text = await mainText(popup);
    expect(text).toContain('npx staplecheck install');
    expect(text).toContain(FIREFOX_EXTENSION_ID);

    await installHost(['--browser', 'firefox'], home, dir!.path);
    await popup.evaluate(() =>
      [...document.querySelectorAll('button')].find((b) => b.textContent === 'Try again')?.click(),
    );
    await popupHeadline(popup, EXPECTED.good.headline);
    await popup.close();
    await tab.close();
  }, 90_000);

  it.each(['good', 'revoked'] as SiteKind[])(
    '%s site: badge and popup',
    async (kind) => {
      const site = sites!.sites[kind];
      const expected = EXPECTED[kind];
      const tab = await firefox!.newPage();
      await tab.goto(site.url);
      const tabId = await tabIdOf(site.url);
      const badge = await settledBadge(tabId);
      expect(badge.text).toBe(expected.badge);
      expect(badge.colour).toEqual(hexToRgba(expected.colour));

      const popup = await openExtensionPage(`popup.html?tabId=${tabId}`);
      await popupHeadline(popup, expected.headline);
      const text = await mainText(popup);
      for (const pattern of expected.text) expect(text).toMatch(pattern);
      expect(await popup.evaluate(() => document.querySelectorAll('.tone-good').length)).toBe(kind === 'good' ? 1 : 0);
      await popup.close();
    },
    90_000,
  );
});

describe('quick checks in Firefox', () => {
  it('checks a pasted URL from the popup’s field on a blank tab, in place, and lists it in recent checks', async () => {
    const tab = await firefox!.newPage();
    await tab.goto('about:blank');
    const tabId = await tabIdOf('about:blank');
    const popup = await openExtensionPage(`popup.html?tabId=${tabId}`);
    await popupHeadline(popup, 'Not an HTTPS page');
    const revoked = sites!.sites.revoked;
    await popup.evaluate((url: string) => {
      const input = document.querySelector('#check-site-input') as HTMLInputElement;
      input.value = url;
      (input.form as HTMLFormElement).requestSubmit();
    }, `https://127.0.0.1:${revoked.port}/account/login?next=%2F&x=1#top`);
    await popupHeadline(popup, EXPECTED.revoked.headline);
    expect(await popup.evaluate(() => document.querySelector('.headline .site')?.textContent)).toBe(
      `127.0.0.1:${revoked.port}`,
    );
    const recent = await poll(
      'the check in the recent list',
      () =>
        popup.evaluate(() => [...document.querySelectorAll('.recent button')].map((b) => (b as HTMLElement).innerText)),
      (items) => items.some((t) => t.startsWith(`127.0.0.1:${revoked.port}`)),
    );
    expect(recent.find((t) => t.startsWith(`127.0.0.1:${revoked.port}`))).toMatch(/revoked/);
    await popup.close();
    await tab.close();
  }, 60_000);

  it('has the stapling page inside the add-on', async () => {
    const page = await openExtensionPage('stapling.html');
    const heading = await poll(
      'the stapling page heading',
      () => page.evaluate(() => document.querySelector('h1')?.textContent ?? ''),
      (t) => t !== '',
    );
    expect(heading).toBe('What is OCSP stapling?');
    expect(await page.evaluate(() => document.querySelector('main')?.textContent ?? '')).toMatch(/RFC 6066/);
    await page.close();
  }, 30_000);
});

describe('web-ext lint', () => {
  it('finds no errors in dist/firefox', async () => {
    const webExt = join(ROOT, 'node_modules', '.bin', 'web-ext');
    const { stdout } = await promisify(execFile)(
      webExt,
      ['lint', '--source-dir', DIST, '--output', 'json', '--no-config-discovery', '--no-input'],
      // No update check against the npm registry: tests stay off the network.
      { timeout: 60_000, env: { ...process.env, NO_UPDATE_NOTIFIER: '1', CI: '1' }, maxBuffer: 16 * 1024 * 1024 },
    ).catch((err: { stdout?: string; message: string }) => {
      // web-ext exits non-zero when it finds errors; the JSON says which.
      if (err.stdout) return { stdout: err.stdout };
      throw err;
    });
    const report = JSON.parse(stdout) as {
      summary: { errors: number; warnings: number };
      errors: { code: string; message: string; file?: string }[];
      warnings: { code: string; message: string; file?: string }[];
    };
    expect(report.errors).toEqual([]);
    expect(report.summary.errors).toBe(0);
    // Two kinds of warning remain: Preact's own innerHTML support (dangerouslySetInnerHTML), which
    // this extension never uses, in each script that holds Preact (the options and stapling pages'
    // shared chunk, and the popup's own script); and a key Firefox for Android 140 lacks. Without `gecko_android` the
    // linter measures Android against the desktop minimum, but the add-on declares no Android
    // support on purpose (Firefox for Android cannot start a native host). Anything else is new
    // and worth a look.
    for (const warning of report.warnings) {
      expect(`${warning.code} ${warning.file ?? ''}`).toMatch(
        /^(UNSAFE_VAR_ASSIGNMENT assets\/(shared|popup)-|KEY_FIREFOX_ANDROID_UNSUPPORTED_BY_MIN_VERSION manifest\.json$)/,
      );
    }
  }, 90_000);
});
