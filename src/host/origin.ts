// Who started the host. The browser enforces the manifest's allowed_origins / allowed_extensions;
// this is a second line of defence for a manifest edited by hand or copied from another tool.
//
// Chromium passes the caller's origin `chrome-extension://ID/` as the first argument (on Windows
// also `--parent-window=N`); Firefox passes the path of the host manifest and then the add-on ID
// (MDN "Native messaging", "App side"). With neither, it was started by a person or a test.
import { CHROMIUM_EXTENSION_ID, FIREFOX_EXTENSION_ID, isChromiumExtensionId } from './extension-ids.js';

/** Written by the installer into the launcher for IDs given with `--extension-id` (store-assigned). */
export const ALLOW_ID_FLAG = '--allow-extension-id=';

export type Caller =
  | { ok: true; kind: 'chromium'; extensionId: string }
  | { ok: true; kind: 'firefox'; extensionId: string }
  | { ok: true; kind: 'manual' }
  | { ok: false; message: string };

/** `args` are the host's arguments (process.argv without node and the script). */
export function identifyCaller(args: readonly string[]): Caller {
  const chromiumIds = new Set([CHROMIUM_EXTENSION_ID]);
  const rest: string[] = [];
  for (const arg of args) {
    if (arg.startsWith(ALLOW_ID_FLAG)) {
      const id = arg.slice(ALLOW_ID_FLAG.length);
      if (isChromiumExtensionId(id)) chromiumIds.add(id);
    } else if (!arg.startsWith('--parent-window=')) {
      rest.push(arg);
    }
  }
  const origin = rest.find((arg) => arg.startsWith('chrome-extension://'));
  if (origin !== undefined) {
    const match = /^chrome-extension:\/\/([a-p]{32})\/?$/.exec(origin);
    if (!match?.[1] || !chromiumIds.has(match[1])) {
      return { ok: false, message: `refusing caller ${JSON.stringify(origin)}: not the Staple Check extension` };
    }
    return { ok: true, kind: 'chromium', extensionId: match[1] };
  }
  // Firefox: <path to the host manifest> <add-on ID>.
  const [manifestPath, addonId] = rest;
  if (manifestPath !== undefined && addonId !== undefined && manifestPath.endsWith('.json')) {
    if (addonId !== FIREFOX_EXTENSION_ID) {
      return { ok: false, message: `refusing add-on ${JSON.stringify(addonId)}: not the Staple Check extension` };
    }
    return { ok: true, kind: 'firefox', extensionId: addonId };
  }
  return { ok: true, kind: 'manual' };
}
