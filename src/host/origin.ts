// Who started the host. The browser enforces the manifest's allowed_origins / allowed_extensions;
// this is a second line of defence for a manifest edited by hand, copied from another tool, or a
// local process starting the host with arguments of its choosing. It fails closed: only the exact
// shapes below are served, anything else is refused before a frame is read.
//
// - Chromium: the caller's origin `chrome-extension://ID/` (trailing slash, lowercase), and on
//   Windows `--parent-window=N` after it (Chrome "Native messaging", "Native messaging host
//   protocol").
// - Firefox: the absolute path of the host manifest, then the add-on ID (MDN "Native messaging",
//   "App side"). The manifest is the one the installer writes, named `<host name>.json`.
// - Nothing at all: started by a person or a test.
//
// The launcher the installer writes puts its own `--allow-extension-id=` flags first; they are
// read, then the rest must be one of the shapes above.
import {
  ALLOW_ID_FLAG,
  CHROMIUM_EXTENSION_ID,
  FIREFOX_EXTENSION_ID,
  HOST_NAME,
  isChromiumExtensionId,
} from '../protocol/extension-ids.js';

export type Caller =
  | { ok: true; kind: 'chromium'; extensionId: string }
  | { ok: true; kind: 'firefox'; extensionId: string }
  | { ok: true; kind: 'manual' }
  | { ok: false; message: string };

const CHROMIUM_ORIGIN = /^chrome-extension:\/\/([a-p]{32})\/$/;
const PARENT_WINDOW = /^--parent-window=\d{1,20}$/;
const MANIFEST_FILE = `${HOST_NAME}.json`;

/** An absolute path (POSIX or Windows, as Firefox passes it) whose last component is our manifest. */
function isOurManifestPath(text: string): boolean {
  const absolute = text.startsWith('/') || /^[A-Za-z]:[\\/]/.test(text) || text.startsWith('\\\\');
  const name = text.split(/[\\/]/).pop();
  return absolute && name === MANIFEST_FILE && !text.includes('\0');
}

function refuse(args: readonly string[], why: string): Caller {
  return {
    ok: false,
    message: `refusing to serve: ${why} (arguments ${JSON.stringify(args)}); only the Staple Check extension may start the host`,
  };
}

/** `args` are the host's arguments (process.argv without node and the script). */
export function identifyCaller(args: readonly string[]): Caller {
  const chromiumIds = new Set([CHROMIUM_EXTENSION_ID]);
  let start = 0;
  for (; start < args.length; start++) {
    const arg = args[start] ?? '';
    if (!arg.startsWith(ALLOW_ID_FLAG)) break;
    const id = arg.slice(ALLOW_ID_FLAG.length);
    if (!isChromiumExtensionId(id)) return refuse(args, `${JSON.stringify(arg)} names no Chromium extension ID`);
    chromiumIds.add(id);
  }
  const rest = args.slice(start);
  const [first, second, ...extra] = rest;
  if (first === undefined) return { ok: true, kind: 'manual' };

  const origin = CHROMIUM_ORIGIN.exec(first);
  if (origin?.[1]) {
    if (!chromiumIds.has(origin[1])) return refuse(args, `${JSON.stringify(first)} is not the Staple Check extension`);
    if (extra.length > 0 || (second !== undefined && !PARENT_WINDOW.test(second))) {
      return refuse(args, 'unexpected arguments after the extension origin');
    }
    return { ok: true, kind: 'chromium', extensionId: origin[1] };
  }
  if (second !== undefined && extra.length === 0 && isOurManifestPath(first)) {
    if (second !== FIREFOX_EXTENSION_ID)
      return refuse(args, `${JSON.stringify(second)} is not the Staple Check add-on`);
    return { ok: true, kind: 'firefox', extensionId: second };
  }
  return refuse(args, 'not a browser origin nor a Firefox manifest path and add-on ID');
}
