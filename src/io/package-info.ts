// Where this package lives and which version it is, found from the running module's own location:
// the same code runs from src/ (tsx, tests) and from build/src/ (the built host), at different depths.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'staplecheck';

function readPackageJson(dir: string): { name?: unknown; version?: unknown } | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
  } catch {
    return null;
  }
}

/**
 * The directory holding this package's package.json (and bin/), searched upwards from `start`.
 * The bin/ test skips a copy of package.json a build might place under build/.
 */
export function findPackageRoot(start: string = dirname(fileURLToPath(import.meta.url))): string | null {
  let dir = start;
  for (;;) {
    if (readPackageJson(dir)?.name === PACKAGE_NAME && existsSync(join(dir, 'bin', 'staplecheck-host.js'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export function readPackageVersion(): string {
  const root = findPackageRoot();
  const version = root ? readPackageJson(root)?.version : undefined;
  return typeof version === 'string' ? version : '0.0.0-unknown';
}
