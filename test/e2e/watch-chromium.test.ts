// Issue 12 in a real Chromium with the built extension, the registered host and real loopback
// servers: the fix-it settings in the popup's details for an nginx that staples nothing (only
// nginx's, since its Server header names it), every server's for a site that does not say, and a
// watched site whose staple lapses producing a notification.
//
// Notifications are an optional permission the popup asks for from the click on "Watch this site".
// Chromium shows a prompt for it that headless Chromium gives no way to answer (no switch accepts
// it; the prompt is browser UI, out of reach of CDP), so this test loads a copy of dist/chrome whose
// manifest grants `notifications` up front: the popup's request then resolves at once, and
// everything else (the popup, the background, the alarm, the host) is the build as shipped. The
// permission-refused path is covered by test/extension/watch.test.ts and popup-fit.test.tsx.
//
// The alarm is hourly; the test makes it go off now by creating the same alarm with `when: now`
// from the service worker (Chromium lets an unpacked extension's alarm fire without the 30 s
// minimum), so the background's real onAlarm path runs, and it sets its hourly alarm again after.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_EXTENSION_ID } from '../../src/protocol/extension-ids.js';
import { pemBundle } from '../support/mint.js';
import { NGINX_BINARY, startNginx, type RunningServer } from '../support/servers.js';
import {
  POPUP_LIMIT,
  ROOT,
  assertBrowserInstalled,
  assertBuilt,
  chromiumArgs,
  chromiumTabIdOf,
  installHost,
  measurePopupInPage,
  poll,
  screenshotPath,
  tempDir,
} from './extension-harness.js';
import { startLapsingSite, startTestSites, type TestSites } from './extension-sites.js';

const CHROMIUM = '/usr/bin/chromium';
const DIST = join(ROOT, 'dist', 'chrome');
const ORIGIN = `chrome-extension://${CHROMIUM_EXTENSION_ID}`;
const WATCH_ALARM = 'staplecheck-watch';

declare const chrome: {
  tabs: { query(q: object): Promise<{ id?: number }[]> };
  webNavigation: { getFrame(d: { tabId: number; frameId: number }): Promise<{ url: string } | null> };
  alarms: {
    get(name: string): Promise<{ name: string; periodInMinutes?: number; scheduledTime: number } | undefined>;
    create(name: string, info: { when: number }): Promise<void>;
  };
  notifications: { getAll(): Promise<Record<string, boolean>> };
  permissions: { contains(p: { permissions: string[] }): Promise<boolean> };
  storage: { local: { get(keys: string[]): Promise<Record<string, unknown>> } };
};

let dir: ReturnType<typeof tempDir> | undefined;
let sites: TestSites | undefined;
let lapsing: Awaited<ReturnType<typeof startLapsingSite>> | undefined;
let nginx: (RunningServer & { log: () => string }) | undefined;
let context: BrowserContext | undefined;
let control: Page;
let worker: Worker;

/** dist/chrome with `notifications` granted at install (see the header); the same key, so the same ID. */
function extensionWithNotifications(into: string): string {
  cpSync(DIST, into, { recursive: true });
  const path = join(into, 'manifest.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as { permissions: string[]; optional_permissions?: string[] };
  expect(manifest.optional_permissions).toEqual(['notifications']);
  manifest.permissions = [...manifest.permissions, 'notifications'];
  delete manifest.optional_permissions;
  writeFileSync(path, JSON.stringify(manifest, null, 2));
  return into;
}

/** The tab showing `url` (extension-harness.ts). */
function tabIdOf(url: string): Promise<number> {
  return chromiumTabIdOf(control, url);
}

async function popupFor(url: string, verdict: string): Promise<{ tab: Page; popup: Page }> {
  const tab = await context!.newPage();
  await tab.goto(url);
  const tabId = await tabIdOf(url);
  const popup = await context!.newPage();
  await popup.setViewportSize(POPUP_LIMIT);
  await popup.goto(`${ORIGIN}/popup.html?tabId=${tabId}`);
  await popup.locator(`article.result[data-verdict="${verdict}"]`).waitFor({ timeout: 30_000 });
  return { tab, popup };
}

async function openDetails(popup: Page): Promise<void> {
  const details = popup.locator('details.more');
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open)))
    await details.locator(':scope > summary').click();
}

/** The verdict, the lead, every action and the field in view at 800×600; nothing sideways. */
async function expectFits(popup: Page, state: string): Promise<number> {
  const fit = await popup.evaluate(measurePopupInPage);
  expect(fit.outside, state).toEqual([]);
  expect(fit.width, state).toBeLessThanOrEqual(POPUP_LIMIT.width);
  return fit.height;
}

/** The popup at its real width, scrolled so `selector` ends at the bottom of the 600 px window. */
async function screenshot(popup: Page, name: string, selector: string): Promise<void> {
  await popup.locator(selector).evaluate((e) => e.scrollIntoView({ block: 'end' }));
  const width = await popup.evaluate(() => Math.ceil(document.body.getBoundingClientRect().width));
  await popup.screenshot({ path: screenshotPath(name), clip: { x: 0, y: 0, width, height: POPUP_LIMIT.height } });
}

beforeAll(async () => {
  assertBrowserInstalled(CHROMIUM, 'chromium');
  assertBuilt(DIST);
  if (!existsSync(NGINX_BINARY)) throw new Error(`${NGINX_BINARY} is missing: apt-get install -y nginx`);
  dir = tempDir('e2e-watch-chromium');
  const profile = join(dir.path, 'profile');
  const home = join(dir.path, 'home');
  mkdirSync(profile, { recursive: true });
  mkdirSync(home, { recursive: true });
  sites = await startTestSites();
  const { scenario } = sites;
  lapsing = await startLapsingSite(scenario);
  const file = (name: string) => join(dir!.path, name);
  writeFileSync(file('leaf-chain.pem'), scenario.chainPem(scenario.leaf));
  writeFileSync(file('leaf.key'), scenario.leaf.keys.privateKeyPem);
  writeFileSync(file('trusted.pem'), pemBundle([scenario.intermediate, scenario.root]));
  nginx = await startNginx({
    dir: dir.path,
    chainFile: file('leaf-chain.pem'),
    keyFile: file('leaf.key'),
    trustedFile: file('trusted.pem'),
    stapling: false,
  });
  const extension = extensionWithNotifications(join(dir.path, 'extension'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    deviceScaleFactor: 2,
    colorScheme: 'light',
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(profile, 'xdg-config') },
    args: chromiumArgs(extension, ['--ignore-certificate-errors']),
  });
  worker =
    context.serviceWorkers().find((w) => w.url().startsWith(ORIGIN)) ??
    (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  await installHost(['--user-data-dir', profile, '--browser', 'chromium'], home, dir.path);
  control = await context.newPage();
  await control.goto(`${ORIGIN}/options.html`);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await sites?.stop();
  await lapsing?.stop();
  await nginx?.stop();
  dir?.remove();
}, 60_000);

describe('fix-it in the popup’s details', () => {
  it('an nginx that staples nothing: nginx’s settings only, named from its Server header', async () => {
    const url = `https://127.0.0.1:${nginx!.port}/`;
    const { tab, popup } = await popupFor(url, 'not-stapled');
    await openDetails(popup);
    const fix = popup.getByRole('region', { name: 'Fix it (for the site’s owner)' });
    await fix.waitFor();
    expect(await fix.innerText()).toMatch(/The site says it runs nginx\/\d+\.\d+\.\d+\./);
    expect(await fix.locator('pre.recipe').evaluateAll((pres) => pres.map((p) => p.dataset.server))).toEqual(['nginx']);
    expect(await fix.locator('pre.recipe').innerText()).toContain('ssl_stapling on;');
    // Nothing lapsed here: nginx never stapled.
    expect(await fix.locator('.lapsed').count()).toBe(0);
    const browsers = popup.getByRole('region', { name: 'What browsers do' });
    expect(await browsers.locator('[data-fact^="browser-"]').count()).toBe(3);
    const height = await expectFits(popup, 'nginx not-stapled + details');
    expect(height).toBeGreaterThan(POPUP_LIMIT.height); // the details scroll; the actions above do not
    await screenshot(popup, 'popup-fix-it-nginx', 'section.fix-it');
    await popup.close();
    await tab.close();
  }, 90_000);

  it('a server that does not say what it is: every server’s settings, each folded', async () => {
    const { tab, popup } = await popupFor(sites!.sites['not-stapled'].url, 'not-stapled');
    await openDetails(popup);
    const fix = popup.getByRole('region', { name: 'Fix it (for the site’s owner)' });
    expect(await fix.innerText()).toMatch(/does not say which server it runs/);
    expect(await fix.locator('details.recipe-choice > summary').allInnerTexts()).toEqual([
      'nginx',
      'Apache httpd (mod_ssl)',
      'Caddy',
      'HAProxy (2.8 or later)',
    ]);
    await expectFits(popup, 'unknown server not-stapled + details');
    await screenshot(popup, 'popup-fix-it-any-server', 'section.browsers');
    await popup.close();
    await tab.close();
  }, 90_000);
});

describe('watching a site', () => {
  it('a watched site whose staple lapses produces a notification', async () => {
    const { site } = lapsing!;
    const label = `127.0.0.1:${site.port}`;
    const { tab, popup } = await popupFor(site.url, 'stapled-good');
    const toggle = popup.getByRole('switch', { name: 'Watch this site' });
    expect(await toggle.isChecked()).toBe(false);
    await toggle.click();
    await popup.getByText(`Watching ${label}: a notification comes when its staple lapses or runs low.`).waitFor();
    expect(await toggle.isChecked()).toBe(true);
    await expectFits(popup, 'watching');
    await screenshot(popup, 'popup-watch', 'nav.actions');
    await popup.close();
    await tab.close();

    // The background keeps the site (starting from the good result just shown) and an hourly alarm.
    const stored = (await control.evaluate(() => chrome.storage.local.get(['watchedSites']))).watchedSites as {
      site: { host: string; port: number };
      last: { outcome: string } | null;
    }[];
    expect(stored.map((w) => [w.site, w.last?.outcome])).toEqual([
      [{ host: '127.0.0.1', port: site.port }, 'stapled-good'],
    ]);
    const alarm = await worker.evaluate((name) => chrome.alarms.get(name), WATCH_ALARM);
    expect(alarm?.periodInMinutes).toBe(60);
    expect(await control.evaluate(() => chrome.notifications.getAll())).toEqual({});

    // The server stops refreshing its staple; the alarm goes off.
    lapsing!.lapse();
    await worker.evaluate((name) => chrome.alarms.create(name, { when: Date.now() }), WATCH_ALARM);
    const shown = await poll(
      'the watched site’s notification',
      () => control.evaluate(() => chrome.notifications.getAll()),
      (all) => Object.keys(all).length > 0,
      40_000,
    );
    expect(Object.keys(shown)).toEqual([`watch:${label}`]);

    // The options page lists what the check found; the hourly alarm is back.
    await control.reload();
    const row = control.locator(`table.watched tr[data-site="${label}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-outcome')).toBe('stapled-invalid');
    expect(await row.innerText()).toMatch(/The staple cannot be trusted\s+staple expired 1 day ago/);
    expect((await worker.evaluate((name) => chrome.alarms.get(name), WATCH_ALARM))?.periodInMinutes).toBe(60);
    await control.screenshot({ path: screenshotPath('options-watched'), fullPage: true });

    // Removing it stops the alarm.
    await control.getByRole('button', { name: `Stop watching ${label}` }).click();
    await control.getByText('No site is watched.').waitFor();
    await poll(
      'the alarm cleared',
      () => worker.evaluate((name) => chrome.alarms.get(name).then((a) => a ?? null), WATCH_ALARM),
      (a) => a === null,
    );
  }, 120_000);
});
