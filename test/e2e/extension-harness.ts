// Shared by the extension end-to-end tests: preconditions that fail loudly (never a skip), a
// polling helper with a deadline, the installer with a quiet io, and what each site's popup says.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { CliIo } from '../../src/io/terminal-io.js';
import { runInstallerCommand } from '../../src/installer/command.js';
import type { SiteKind } from './extension-sites.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');
export const BUILT_HOST = join(ROOT, 'build', 'src', 'host', 'main.js');

/** Never a silent skip: a missing browser fails the test and says how to get it. */
export function assertBrowserInstalled(path: string, aptPackage: string): void {
  if (!existsSync(path)) {
    throw new Error(
      `${path} is missing. Install it (as root) and run the tests again:\n  apt-get update && apt-get install -y ${aptPackage}`,
    );
  }
}

export function assertBuilt(dist: string): void {
  for (const path of [join(dist, 'manifest.json'), join(dist, 'background.js'), join(dist, 'popup.html'), BUILT_HOST]) {
    if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first (npm test does).`);
  }
}

export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `staplecheck-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** `staplecheck install ARGS` with HOME in `home`, output kept for the failure message. */
export async function installHost(args: string[], home: string, cwd: string): Promise<void> {
  let output = '';
  const io: CliIo = {
    stdout: (t) => void (output += t),
    stderr: (t) => void (output += t),
    isTTY: false,
    env: { HOME: home, PATH: process.env.PATH },
    cwd,
  };
  const status = await runInstallerCommand('install', args, io);
  if (status !== 0) throw new Error(`staplecheck install ${args.join(' ')} failed (${status}):\n${output}`);
}

/** Calls `probe` until `done` says yes, or fails after `timeoutMs` with the last value. */
export async function poll<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
  intervalMs = 150,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown = null;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      lastError = null;
      if (done(last)) return last;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)}${lastError ? `; last error: ${String(lastError)}` : ''}`,
  );
}

/** What `chromiumTabIdOf` calls in the extension's own page (its `tabs` and `webNavigation` permissions). */
declare const chrome: {
  tabs: { query(q: object): Promise<{ id?: number }[]> };
  webNavigation: { getFrame(d: { tabId: number; frameId: number }): Promise<{ url: string } | null> };
};

/**
 * The Chromium tab whose top frame shows `url`, found from `control` (a page of the extension, so
 * it has the extension's `tabs` and `webNavigation` permissions); polled until the tab is there.
 */
export async function chromiumTabIdOf(control: Page, url: string): Promise<number> {
  return poll(
    `a tab showing ${url}`,
    () =>
      control.evaluate(async (wanted) => {
        for (const tab of await chrome.tabs.query({})) {
          if (tab.id === undefined) continue;
          const frame = await chrome.webNavigation.getFrame({ tabId: tab.id, frameId: 0 });
          if (frame?.url === wanted) return tab.id;
        }
        return -1;
      }, url),
    (id) => id >= 0,
  );
}

/**
 * Where a popup screenshot goes: docs/screenshots/NAME.png (committed, shown in the README) when
 * it does not exist yet or UPDATE_SCREENSHOTS=1; otherwise test-results/screenshots/ (ignored),
 * so an ordinary test run leaves the working tree clean.
 */
export function screenshotPath(name: string): string {
  const committed = join(SCREENSHOTS, `${name}.png`);
  const dir =
    process.env.UPDATE_SCREENSHOTS === '1' || !existsSync(committed)
      ? SCREENSHOTS
      : join(ROOT, 'test-results', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}

/** What the badge and the popup must show for each test site (docs/contract.md §2). */
export const EXPECTED: Record<SiteKind, { badge: string; colour: string; headline: string; text: RegExp[] }> = {
  good: {
    badge: 'OK',
    colour: '#137333',
    headline: 'Stapled, and the certificate is good',
    text: [/good · made 1 h ago/, /the issuing CA itself/, /TLSv1\.3/, /Must-Staple\s+no\b/],
  },
  revoked: {
    badge: 'REV',
    colour: '#b3261e',
    headline: 'The certificate is revoked',
    text: [/revoked · made 1 h ago/, /the private key was compromised/, /2 days ago/],
  },
  'not-stapled': {
    badge: 'NO',
    colour: '#f9ab00',
    headline: 'No staple sent',
    text: [/none sent/, /handshakes/],
  },
  'must-staple-violation': {
    badge: 'MS!',
    colour: '#b3261e',
    headline: 'Must-Staple, but no valid staple',
    text: [/yes — a staple is required/, /Firefox/],
  },
};

export function hexToRgba(hex: string): [number, number, number, number] {
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16), 255];
}

/**
 * Chromium's flags for tests here (BROWSER-TESTING.md): no sandbox or GPU in this container, and
 * nothing reaching off the machine (the resolver rule keeps loopback names working).
 */
export function chromiumArgs(extensionDir: string, extra: readonly string[] = []): string[] {
  return [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost',
    ...extra,
    `--disable-extensions-except=${extensionDir}`,
    `--load-extension=${extensionDir}`,
  ];
}

/** The largest action popup Chromium and Firefox draw; the popup must fit it with its actions in view. */
export const POPUP_LIMIT = { width: 800, height: 600 } as const;

/**
 * Run inside the popup page: every element that must be in view without scrolling (the verdict,
 * the one lead sentence, every action, the "Check a site" field) that is not wholly inside the
 * window, described; plus the popup's own size (what a browser would size its window to).
 */
export function measurePopupInPage(): { outside: string[]; checked: number; width: number; height: number } {
  const selectors = [
    'h1',
    'p.lead',
    '.actions button',
    '.actions a',
    '.actions input',
    '.check-site input',
    '.check-site button',
  ];
  const outside: string[] = [];
  let checked = 0;
  for (const element of document.querySelectorAll(selectors.join(', '))) {
    checked++;
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    const visible = box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
    if (!visible || box.top < 0 || box.left < 0 || box.bottom > innerHeight || box.right > innerWidth) {
      outside.push(
        `${element.tagName.toLowerCase()} "${(element.textContent ?? '').slice(0, 40)}" at ${JSON.stringify(box)}`,
      );
    }
  }
  // Nothing may stick out sideways either (a long code or URL that does not wrap).
  for (const element of document.querySelectorAll('main *')) {
    if (element.getBoundingClientRect().right > document.body.getBoundingClientRect().right + 0.5) {
      outside.push(
        `${element.tagName.toLowerCase()} "${(element.textContent ?? '').slice(0, 40)}" sticks out sideways`,
      );
    }
  }
  const body = document.body.getBoundingClientRect();
  return { outside, checked, width: Math.ceil(body.width), height: Math.ceil(body.height) };
}

/** The slice of a Playwright CDPSession that `attachToActionPopup` uses. */
interface CdpLike {
  send(method: string, params?: object): Promise<unknown>;
  on(
    event: 'Target.receivedMessageFromTarget',
    listener: (event: { sessionId?: string; message: string }) => void,
  ): unknown;
  off(
    event: 'Target.receivedMessageFromTarget',
    listener: (event: { sessionId?: string; message: string }) => void,
  ): unknown;
}

/**
 * The real action popup (opened with `chrome.action.openPopup()`) as an `evaluate` function.
 * Playwright does not list that popup as a page, so it is found and driven over CDP
 * (Target.getTargets / attachToTarget / sendMessageToTarget).
 */
export async function attachToActionPopup(
  cdp: CdpLike,
  popupUrl: string,
): Promise<(expression: string) => Promise<unknown>> {
  const target = await poll(
    'the action popup target',
    async () => {
      const { targetInfos } = (await cdp.send('Target.getTargets')) as {
        targetInfos: { targetId: string; type: string; url: string }[];
      };
      return targetInfos.find((t) => t.type === 'page' && t.url === popupUrl) ?? null;
    },
    (t) => t !== null,
  );
  const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: target!.targetId, flatten: false })) as {
    sessionId: string;
  };
  let nextId = 1;
  return (expression: string) =>
    new Promise<unknown>((resolve) => {
      const id = nextId++;
      const onMessage = (event: { sessionId?: string; message: string }) => {
        const message = JSON.parse(event.message) as { id?: number; result?: { result?: { value?: unknown } } };
        if (event.sessionId === sessionId && message.id === id) {
          cdp.off('Target.receivedMessageFromTarget', onMessage);
          resolve(message.result?.result?.value);
        }
      };
      cdp.on('Target.receivedMessageFromTarget', onMessage);
      void cdp.send('Target.sendMessageToTarget', {
        sessionId,
        message: JSON.stringify({ id, method: 'Runtime.evaluate', params: { expression, returnByValue: true } }),
      });
    });
}
