// Where each browser looks for native-messaging host manifests, per user, per OS. Pure: the same
// answer for (platform, home, env) on any machine, so all three layouts are tested on one.
//
// Sources: Chrome "Native messaging" (host location), Microsoft Edge "Native messaging", MDN
// "Native manifests" (Firefox: ~/.mozilla/native-messaging-hosts on Linux,
// ~/Library/Application Support/Mozilla/NativeMessagingHosts on macOS, HKCU\Software\Mozilla\... on
// Windows). Chromium forks keep Chromium's scheme under their own config directory; on Linux all of
// them honour XDG_CONFIG_HOME.
import { posix, win32 } from 'node:path';
import { HOST_NAME } from '../protocol/extension-ids.js';

export type Platform = 'linux' | 'darwin' | 'win32';
export type BrowserName = 'chrome' | 'chromium' | 'edge' | 'brave' | 'vivaldi' | 'firefox';
export type BrowserFamily = 'chromium' | 'firefox';

export const BROWSERS: readonly BrowserName[] = ['chrome', 'chromium', 'edge', 'brave', 'vivaldi', 'firefox'];

export const BROWSER_LABELS: Record<BrowserName, string> = {
  chrome: 'Google Chrome',
  chromium: 'Chromium',
  edge: 'Microsoft Edge',
  brave: 'Brave',
  vivaldi: 'Vivaldi',
  firefox: 'Firefox',
};

export function familyOf(browser: BrowserName): BrowserFamily {
  return browser === 'firefox' ? 'firefox' : 'chromium';
}

export function isBrowserName(text: string): text is BrowserName {
  return (BROWSERS as readonly string[]).includes(text);
}

export interface Registration {
  browser: BrowserName;
  family: BrowserFamily;
  /** Present when the browser has been used by this user: that is what "found" means. */
  configDir: string;
  /** The host manifest file. */
  manifestPath: string;
  /** Windows only: the HKCU key whose default value names `manifestPath`. */
  registryKey: string | null;
  /** Written for `--user-data-dir`, not at the browser's standard place. */
  custom: boolean;
}

export interface Layout {
  platform: Platform;
  /** Where the launcher (and the installer's record of what it wrote) live. */
  dataDir: string;
  launcherPath: string;
  /** Where the host's copies live, one directory per version (host-copy.ts). */
  hostDir: string;
  /** What the installer remembers having written, so `uninstall` can undo all of it. */
  statePath: string;
  registrations: Registration[];
}

export type Env = Readonly<Record<string, string | undefined>>;

export function pathFor(platform: Platform): typeof posix {
  return platform === 'win32' ? win32 : posix;
}

const MANIFEST_FILE = `${HOST_NAME}.json`;

/** An environment directory if it is set to an absolute path (the XDG spec says to ignore relative ones). */
function absoluteEnv(env: Env, name: string, path: typeof posix): string | null {
  const value = env[name];
  return value && path.isAbsolute(value) ? value : null;
}

function linuxLayout(home: string, env: Env): Layout {
  const p = posix;
  const config = absoluteEnv(env, 'XDG_CONFIG_HOME', p) ?? p.join(home, '.config');
  const data = absoluteEnv(env, 'XDG_DATA_HOME', p) ?? p.join(home, '.local', 'share');
  const chromiumFamily: Array<[BrowserName, string]> = [
    ['chrome', 'google-chrome'],
    ['chromium', 'chromium'],
    ['edge', 'microsoft-edge'],
    ['brave', 'BraveSoftware/Brave-Browser'],
    ['vivaldi', 'vivaldi'],
  ];
  const registrations: Registration[] = chromiumFamily.map(([browser, dir]) => ({
    browser,
    family: 'chromium',
    configDir: p.join(config, dir),
    manifestPath: p.join(config, dir, 'NativeMessagingHosts', MANIFEST_FILE),
    registryKey: null,
    custom: false,
  }));
  // Firefox reads only $HOME/.mozilla/native-messaging-hosts (not XDG_CONFIG_HOME).
  registrations.push({
    browser: 'firefox',
    family: 'firefox',
    configDir: p.join(home, '.mozilla'),
    manifestPath: p.join(home, '.mozilla', 'native-messaging-hosts', MANIFEST_FILE),
    registryKey: null,
    custom: false,
  });
  const dataDir = p.join(data, 'staplecheck');
  return {
    platform: 'linux',
    dataDir,
    launcherPath: p.join(dataDir, 'staplecheck-host'),
    hostDir: p.join(dataDir, 'host'),
    statePath: p.join(dataDir, 'registrations.json'),
    registrations,
  };
}

function macLayout(home: string): Layout {
  const p = posix;
  const support = p.join(home, 'Library', 'Application Support');
  const chromiumFamily: Array<[BrowserName, string]> = [
    ['chrome', 'Google/Chrome'],
    ['chromium', 'Chromium'],
    ['edge', 'Microsoft Edge'],
    ['brave', 'BraveSoftware/Brave-Browser'],
    ['vivaldi', 'Vivaldi'],
  ];
  const registrations: Registration[] = chromiumFamily.map(([browser, dir]) => ({
    browser,
    family: 'chromium',
    configDir: p.join(support, dir),
    manifestPath: p.join(support, dir, 'NativeMessagingHosts', MANIFEST_FILE),
    registryKey: null,
    custom: false,
  }));
  registrations.push({
    browser: 'firefox',
    family: 'firefox',
    configDir: p.join(support, 'Firefox'),
    manifestPath: p.join(support, 'Mozilla', 'NativeMessagingHosts', MANIFEST_FILE),
    registryKey: null,
    custom: false,
  });
  const dataDir = p.join(support, 'staplecheck');
  return {
    platform: 'darwin',
    dataDir,
    launcherPath: p.join(dataDir, 'staplecheck-host'),
    hostDir: p.join(dataDir, 'host'),
    statePath: p.join(dataDir, 'registrations.json'),
    registrations,
  };
}

function windowsLayout(home: string, env: Env): Layout {
  const p = win32;
  const local = absoluteEnv(env, 'LOCALAPPDATA', p) ?? p.join(home, 'AppData', 'Local');
  const roaming = absoluteEnv(env, 'APPDATA', p) ?? p.join(home, 'AppData', 'Roaming');
  const dataDir = p.join(local, 'staplecheck');
  // On Windows browsers read the manifest's location from the registry; the file itself may be
  // anywhere, so each browser's manifest sits beside the launcher.
  const entries: Array<[BrowserName, string, string]> = [
    ['chrome', p.join(local, 'Google', 'Chrome', 'User Data'), 'Google\\Chrome'],
    ['chromium', p.join(local, 'Chromium', 'User Data'), 'Chromium'],
    ['edge', p.join(local, 'Microsoft', 'Edge', 'User Data'), 'Microsoft\\Edge'],
    ['brave', p.join(local, 'BraveSoftware', 'Brave-Browser', 'User Data'), 'BraveSoftware\\Brave-Browser'],
    ['vivaldi', p.join(local, 'Vivaldi', 'User Data'), 'Vivaldi'],
    ['firefox', p.join(roaming, 'Mozilla', 'Firefox'), 'Mozilla'],
  ];
  return {
    platform: 'win32',
    dataDir,
    launcherPath: p.join(dataDir, 'staplecheck-host.cmd'),
    hostDir: p.join(dataDir, 'host'),
    statePath: p.join(dataDir, 'registrations.json'),
    registrations: entries.map(([browser, configDir, vendorKey]) => ({
      browser,
      family: familyOf(browser),
      configDir,
      manifestPath: p.join(dataDir, 'manifests', browser, MANIFEST_FILE),
      registryKey: `HKCU\\Software\\${vendorKey}\\NativeMessagingHosts\\${HOST_NAME}`,
      custom: false,
    })),
  };
}

export function computeLayout(platform: Platform, home: string, env: Env): Layout {
  switch (platform) {
    case 'linux':
      return linuxLayout(home, env);
    case 'darwin':
      return macLayout(home);
    case 'win32':
      return windowsLayout(home, env);
  }
}

/**
 * The registration for a browser started with `--user-data-dir DIR`: with a custom profile
 * directory Chromium reads per-user host manifests only from `DIR/NativeMessagingHosts/` (Linux
 * and macOS; on Windows it reads the registry only, so there is no such place).
 */
export function userDataDirRegistration(
  platform: Platform,
  dir: string,
  browser: BrowserName = 'chromium',
): Registration {
  const p = pathFor(platform);
  return {
    browser,
    family: 'chromium',
    configDir: dir,
    manifestPath: p.join(dir, 'NativeMessagingHosts', MANIFEST_FILE),
    registryKey: null,
    custom: true,
  };
}

export function asPlatform(platform: string): Platform | null {
  return platform === 'linux' || platform === 'darwin' || platform === 'win32' ? platform : null;
}
