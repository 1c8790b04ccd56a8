// The root manifest.json and what the build makes of it for each browser.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FIREFOX_EXTENSION_ID, MANIFEST_KEY } from '../../src/protocol/extension-ids.js';
import { assertRootManifest, manifestFor } from '../../scripts/extension-manifest.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const root = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')) as Record<string, unknown>;
const messages = JSON.parse(readFileSync(join(ROOT, 'public', '_locales', 'en', 'messages.json'), 'utf8')) as Record<
  string,
  { message: string }
>;

function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(path);
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('root manifest.json', () => {
  it('is MV3 with the key that gives CHROMIUM_EXTENSION_ID and the fixed gecko id', () => {
    expect(() => assertRootManifest(root)).not.toThrow();
    expect(root.key).toBe(MANIFEST_KEY);
    expect((root.browser_specific_settings as { gecko: { id: string } }).gecko.id).toBe(FIREFOX_EXTENSION_ID);
  });

  it('asks for the least: nativeMessaging, storage, webNavigation, alarms; notifications only when used; no host permissions', () => {
    expect(root.permissions).toEqual(['nativeMessaging', 'storage', 'webNavigation', 'alarms']);
    // Asked for from the popup the first time a site is watched (a user gesture), in both builds.
    expect(root.optional_permissions).toEqual(['notifications']);
    for (const browser of ['chrome', 'firefox'] as const) {
      const built = manifestFor(root, browser, '1.0.0');
      expect(built.permissions, browser).toEqual(root.permissions);
      expect(built.optional_permissions, browser).toEqual(['notifications']);
    }
    expect(root).not.toHaveProperty('host_permissions');
    expect(root).not.toHaveProperty('optional_host_permissions');
    expect(root).not.toHaveProperty('content_scripts');
    expect(root).not.toHaveProperty('externally_connectable');
    expect(root).not.toHaveProperty('web_accessible_resources');
  });

  it('has a strict CSP: own scripts only, no plugins', () => {
    expect(root.content_security_policy).toEqual({ extension_pages: "script-src 'self'; object-src 'none'" });
  });

  it('takes its name and description from _locales/en', () => {
    expect(root.default_locale).toBe('en');
    for (const field of ['name', 'short_name', 'description']) {
      const match = /^__MSG_(\w+)__$/.exec(String(root[field]));
      expect(match, field).not.toBeNull();
      expect(messages[match![1]!]?.message.length).toBeGreaterThan(0);
    }
    expect(messages.extDescription!.message.length).toBeLessThanOrEqual(132); // Chrome Web Store limit
  });

  it('declares only platforms where the native host can run: no gecko_android', () => {
    expect(root.browser_specific_settings).not.toHaveProperty('gecko_android');
    const withAndroid = {
      ...root,
      browser_specific_settings: { ...(root.browser_specific_settings as object), gecko_android: {} },
    };
    expect(() => assertRootManifest(withAndroid)).toThrow(/Firefox for Android/);
  });

  it('opens the popup with a keyboard shortcut that no browser default takes', () => {
    // Alt+Shift+O: not a Chrome, Firefox or ChromeOS default (Alt+Shift+S opens ChromeOS's status
    // area, Alt+Shift+I/T/A/N/L/M are taken there too); on macOS Ctrl+Shift+O (Command+Shift+O is
    // Chrome's bookmark manager, Option+Shift+O types Ø).
    expect(root.commands).toEqual({
      _execute_action: {
        suggested_key: { default: 'Alt+Shift+O', mac: 'MacCtrl+Shift+O' },
        description: '__MSG_commandOpenPopup__',
      },
    });
    expect(messages.commandOpenPopup?.message).toBe('Open Staple Check for this tab');
  });

  it('points at icons that exist at their declared sizes', () => {
    for (const [size, path] of Object.entries(root.icons as Record<string, string>)) {
      expect(pngSize(join(ROOT, 'public', path))).toEqual({ width: Number(size), height: Number(size) });
    }
  });
});

describe('manifestFor', () => {
  it('gives Chromium the service worker and the key, nothing Firefox-only', () => {
    const chrome = manifestFor(root, 'chrome', '1.2.3');
    expect(chrome.background).toEqual({ service_worker: 'background.js' });
    expect(chrome.key).toBe(MANIFEST_KEY);
    expect(chrome.version).toBe('1.2.3');
    expect(chrome).not.toHaveProperty('browser_specific_settings');
  });

  it('gives Firefox the background script and the gecko id, no key', () => {
    const firefox = manifestFor(root, 'firefox', '1.2.3');
    expect(firefox.background).toEqual({ scripts: ['background.js'] });
    expect(firefox).not.toHaveProperty('key');
    expect(firefox).not.toHaveProperty('minimum_chrome_version');
    expect(firefox.browser_specific_settings).toMatchObject({
      gecko: {
        id: FIREFOX_EXTENSION_ID,
        strict_min_version: '140.0',
        data_collection_permissions: { required: ['none'] },
      },
    });
  });

  it('keeps permissions, CSP and the shortcut identical for both', () => {
    const chrome = manifestFor(root, 'chrome', '1.0.0');
    const firefox = manifestFor(root, 'firefox', '1.0.0');
    expect(chrome.permissions).toEqual(firefox.permissions);
    expect(chrome.content_security_policy).toEqual(firefox.content_security_policy);
    expect(chrome.commands).toEqual(root.commands);
    expect(firefox.commands).toEqual(root.commands);
    expect(firefox.browser_specific_settings).not.toHaveProperty('gecko_android');
  });

  it('is what the build wrote into dist/chrome and dist/firefox', () => {
    const version = String(
      (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
    );
    for (const browser of ['chrome', 'firefox'] as const) {
      const path = join(ROOT, 'dist', browser, 'manifest.json');
      if (!existsSync(path)) continue; // unit runs before a build; npm test builds first
      expect(JSON.parse(readFileSync(path, 'utf8')), browser).toEqual(manifestFor(root, browser, version));
    }
  });

  it('refuses a root manifest with another key', () => {
    expect(() => manifestFor({ ...root, key: 'MIIB' }, 'chrome', '1.0.0')).toThrow(/MANIFEST_KEY/);
  });
});
