// The root manifest.json → one manifest per browser. Pure, so the build (vite.extension.config.ts)
// and the tests (test/extension/manifest.test.ts) share it.
//
// The root file carries both backgrounds, as refined-github's does; each build keeps the one its
// browser runs: Chromium an MV3 service worker (and the `key` that fixes its extension ID),
// Firefox an event-page script (and `browser_specific_settings.gecko`). Both point at the same
// self-contained background.js. Emitting two clean manifests keeps `web-ext lint` and Chromium's
// "Unrecognized manifest key" warnings quiet.
import { CHROMIUM_EXTENSION_ID, FIREFOX_EXTENSION_ID, MANIFEST_KEY } from '../src/protocol/extension-ids.js';

export type TargetBrowser = 'chrome' | 'firefox';

type Json = Record<string, unknown>;

function clone(value: Json): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

function record(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`manifest.json: ${what} must be an object`);
  return value as Json;
}

/** Checks the root manifest against the IDs the host and installer allow (src/protocol/extension-ids.ts). */
export function assertRootManifest(root: Json): void {
  if (root.manifest_version !== 3) throw new Error('manifest.json: manifest_version must be 3');
  if (root.key !== MANIFEST_KEY) {
    throw new Error(
      `manifest.json: "key" differs from MANIFEST_KEY; the extension would not be ${CHROMIUM_EXTENSION_ID}`,
    );
  }
  const gecko = record(record(root.browser_specific_settings, 'browser_specific_settings').gecko, 'gecko');
  if (gecko.id !== FIREFOX_EXTENSION_ID) throw new Error(`manifest.json: gecko.id must be ${FIREFOX_EXTENSION_ID}`);
  // Firefox for Android cannot start a native-messaging host (no runtime.connectNative there), so
  // the add-on would only ever say "install the helper": declare only where the host can run.
  if ('gecko_android' in record(root.browser_specific_settings, 'browser_specific_settings')) {
    throw new Error('manifest.json: no gecko_android: Firefox for Android cannot start the native host');
  }
  const background = record(root.background, 'background');
  if (typeof background.service_worker !== 'string' || !Array.isArray(background.scripts)) {
    throw new Error('manifest.json: background needs both service_worker (Chromium) and scripts (Firefox)');
  }
}

/** `version`: package.json's, so the extension and the host it talks to share one number. */
export function manifestFor(root: Json, browser: TargetBrowser, version: string): Json {
  assertRootManifest(root);
  const out = clone(root);
  out.version = version;
  const background = record(out.background, 'background');
  if (browser === 'chrome') {
    out.background = { service_worker: background.service_worker };
    delete out.browser_specific_settings;
  } else {
    out.background = { scripts: background.scripts };
    delete out.key; // Firefox identifies the add-on by gecko.id
    delete out.minimum_chrome_version;
  }
  return out;
}
