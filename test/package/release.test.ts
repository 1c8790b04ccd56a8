// `npm run package` (scripts/package.ts) on the tree `npm test` has just built, into a temporary
// directory instead of release/: the npm tarball, the two store zips and SHA256SUMS. The zips are
// read back with `unzip` (Info-ZIP), independent of the zip writer web-ext uses.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRelease } from '../../scripts/package.js';
import { ROOT, tempDir } from '../host/host-harness.js';

const run = promisify(execFile);
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const out = tempDir('release');
let files: string[];

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'chrome', 'manifest.json')) || !existsSync(join(ROOT, 'build', 'node'))) {
    throw new Error('Nothing is built: run `npm run build` first (`npm test` does).');
  }
  files = await packageRelease(ROOT, out.path, { build: false });
}, 180_000);
afterAll(() => out.remove());

async function zipEntries(zip: string): Promise<string[]> {
  const { stdout } = await run('unzip', ['-Z1', zip], { maxBuffer: 16 * 1024 * 1024 });
  return stdout.split('\n').filter(Boolean);
}

async function zipManifest(zip: string): Promise<Record<string, unknown>> {
  const { stdout } = await run('unzip', ['-p', zip, 'manifest.json']);
  return JSON.parse(stdout) as Record<string, unknown>;
}

/** The built extension's files, as zip entry names. */
function builtFiles(dir: string): string[] {
  return readdirSync(join(ROOT, 'dist', dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(join(ROOT, 'dist', dir).length + 1))
    .filter((name) => !name.endsWith('.map'))
    .sort();
}

describe('npm run package', () => {
  it('writes the tarball, both store zips and SHA256SUMS, and nothing else', () => {
    expect(files.map((file) => basename(file))).toEqual([
      `staplecheck-${VERSION}.tgz`,
      `staplecheck-chrome-${VERSION}.zip`,
      `staplecheck-firefox-${VERSION}.zip`,
      'SHA256SUMS',
    ]);
    expect(readdirSync(out.path).sort()).toEqual(files.map((file) => basename(file)).sort());
  });

  it.each(['chrome', 'firefox'])(
    'the %s zip holds the built extension with manifest.json at its root, no source map, no test, no source',
    async (browser) => {
      const entries = await zipEntries(join(out.path, `staplecheck-${browser}-${VERSION}.zip`));
      const names = entries.filter((entry) => !entry.endsWith('/')).sort();
      expect(names).toContain('manifest.json');
      expect(names.filter((name) => /\.map$|\.test\.|\.tsx?$|(^|\/)\./.test(name))).toEqual([]);
      expect(names).toEqual(builtFiles(browser));
    },
  );

  it('the Chrome Web Store zip has no "key" (the store refuses one); the AMO zip keeps its gecko ID', async () => {
    const chrome = await zipManifest(join(out.path, `staplecheck-chrome-${VERSION}.zip`));
    expect(chrome).not.toHaveProperty('key');
    expect(chrome).toMatchObject({ manifest_version: 3, version: VERSION });
    const built = JSON.parse(readFileSync(join(ROOT, 'dist', 'chrome', 'manifest.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    delete built.key;
    expect(chrome).toEqual(built);
    const firefox = await zipManifest(join(out.path, `staplecheck-firefox-${VERSION}.zip`));
    expect(firefox).toEqual(JSON.parse(readFileSync(join(ROOT, 'dist', 'firefox', 'manifest.json'), 'utf8')));
  });

  it('SHA256SUMS matches every artefact (in sha256sum -c format)', async () => {
    const lines = readFileSync(join(out.path, 'SHA256SUMS'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      const [, digest, name] = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line) ?? [];
      expect(
        createHash('sha256')
          .update(readFileSync(join(out.path, name!)))
          .digest('hex'),
        name,
      ).toBe(digest);
    }
    const check = await run('sha256sum', ['-c', 'SHA256SUMS'], { cwd: out.path });
    expect(check.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('the tarball is the npm package (package/package.json at its version)', async () => {
    const { stdout } = await run('tar', [
      '-xOzf',
      join(out.path, `staplecheck-${VERSION}.tgz`),
      'package/package.json',
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ name: 'staplecheck', version: VERSION });
  });
});
