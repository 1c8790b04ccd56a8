// What the installer commands depend on, gathered once so tests can supply their own (another
// platform's layout, a fake registry, a temporary HOME).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CliIo } from '../cli/io.js';
import { findPackageRoot } from '../host/package-info.js';
import { asPlatform, type Env, type Platform } from './layout.js';
import { systemRegistry, type Registry } from './registry.js';

export interface InstallerContext {
  platform: Platform;
  home: string;
  env: Env;
  /** The Node the launcher will run: the one running now. */
  nodePath: string;
  /** Absolute path of bin/staplecheck-host.js. */
  hostScript: string;
  /** The built host the script imports; warn when missing. */
  builtHost: string;
  packageRoot: string;
  registry: Registry;
  pingTimeoutMs: number;
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
    builtHost: join(packageRoot, 'build', 'src', 'host', 'main.js'),
    packageRoot,
    registry: systemRegistry(),
    pingTimeoutMs: 10_000,
  };
}

export function exists(path: string): boolean {
  return existsSync(path);
}
