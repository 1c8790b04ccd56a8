// What the installer commands depend on, gathered once so tests can supply their own (another
// platform's layout, a fake registry, a temporary HOME).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CliIo } from '../io/terminal-io.js';
import { findPackageRoot, readPackageVersion } from '../io/package-info.js';
import { asPlatform, type Env, type Platform } from './layout.js';
import { systemRegistry, type Registry } from './registry.js';

export interface InstallerContext {
  platform: Platform;
  home: string;
  env: Env;
  /** The Node the launcher will run: the one running now. */
  nodePath: string;
  /** Absolute path of the package's bin/staplecheck-host.js: what `install` copies as the host's entry. */
  hostScript: string;
  /**
   * The one-file host bundle the entry imports (build/node/staplecheck-host.js, vite.node.config.ts):
   * what `install` copies beside it, and what the launcher then runs (docs/install-layout.md).
   */
  builtHost: string;
  packageRoot: string;
  /** This package's version: the name of the host copy's directory. */
  version: string;
  registry: Registry;
  pingTimeoutMs: number;
  /** Whether a browser's program is installed system-wide (found even before its first start). */
  isProgramInstalled?: (browser: string) => boolean;
}

export function defaultContext(io: CliIo): InstallerContext | string {
  const platform = asPlatform(process.platform);
  if (!platform) return `Staple Check cannot register its host on ${process.platform} (only Linux, macOS, Windows).`;
  const packageRoot = findPackageRoot();
  if (!packageRoot) return 'Cannot find the staplecheck package directory.';
  const home = (platform === 'win32' ? io.env.USERPROFILE : io.env.HOME) ?? homedir();
  return {
    platform,
    home: resolve(home),
    env: io.env,
    nodePath: process.execPath,
    hostScript: join(packageRoot, 'bin', 'staplecheck-host.js'),
    builtHost: join(packageRoot, 'build', 'node', 'staplecheck-host.js'),
    packageRoot,
    version: readPackageVersion(),
    registry: systemRegistry(),
    pingTimeoutMs: 10_000,
    isProgramInstalled: (browser) => browserProgramInstalled(platform, browser),
  };
}

export function exists(path: string): boolean {
  return existsSync(path);
}

// Where each browser's program lives when installed system-wide. A browser that is installed but
// has never been started has no profile yet; registering for it now means it finds the host at
// its first start (Chromium and Firefox read the per-user manifest directory then).
const PROGRAMS: Partial<Record<Platform, Record<string, readonly string[]>>> = {
  linux: {
    chrome: ['/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/opt/google/chrome/chrome'],
    chromium: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium'],
    edge: ['/usr/bin/microsoft-edge', '/usr/bin/microsoft-edge-stable'],
    brave: ['/usr/bin/brave-browser', '/usr/bin/brave'],
    vivaldi: ['/usr/bin/vivaldi', '/usr/bin/vivaldi-stable'],
    firefox: ['/usr/bin/firefox', '/usr/bin/firefox-esr', '/snap/bin/firefox'],
  },
  darwin: {
    chrome: ['/Applications/Google Chrome.app'],
    chromium: ['/Applications/Chromium.app'],
    edge: ['/Applications/Microsoft Edge.app'],
    brave: ['/Applications/Brave Browser.app'],
    vivaldi: ['/Applications/Vivaldi.app'],
    firefox: ['/Applications/Firefox.app'],
  },
};

/** Whether the browser's program is installed at one of its usual system-wide places. */
export function browserProgramInstalled(platform: Platform, browser: string): boolean {
  return (PROGRAMS[platform]?.[browser] ?? []).some((path) => existsSync(path));
}
