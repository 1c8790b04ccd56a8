// `npm run package`: the release artefacts, in release/ (git-ignored), from one build:
//   staplecheck-<version>.tgz            `npm pack` (prepack builds the tree first)
//   staplecheck-chrome-<version>.zip     dist/chrome for the Chrome Web Store, without "key"
//   staplecheck-firefox-<version>.zip    dist/firefox for addons.mozilla.org, by `web-ext build`
//   SHA256SUMS                           `sha256sum -c SHA256SUMS` checks them
//
// The Chrome Web Store refuses an upload whose manifest has "key" ("key field is not allowed in
// manifest"): the key only pins the ID of an unpacked extension (docs/browsers.md). The store then
// assigns its own ID, which `staplecheck install --extension-id ID` allows. Both zips are made by
// `web-ext build` (manifest.json at the zip's root, dot files left out) with source maps left out
// as well: a store package holds what runs. `--no-build` packs the tree as it is (the tests).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** What never goes into a store package, besides web-ext's own defaults (dot files, node_modules). */
export const STORE_IGNORED = ['**/*.map', '**/*.test.*', '**/*.ts', '**/*.tsx'];

function packageVersion(root: string): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/** `npm pack` into `outDir`; the tarball's path. */
export async function packNpm(root: string, outDir: string, options: { build: boolean }): Promise<string> {
  const args = ['pack', '--json', '--pack-destination', outDir];
  if (!options.build) args.push('--ignore-scripts');
  const { stdout } = await run('npm', args, { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  // With prepack, the build's own output comes first; npm's JSON report is the last thing printed.
  const report = JSON.parse(stdout.slice(stdout.lastIndexOf('\n[') + 1)) as Array<{ filename: string }>;
  const filename = report[0]?.filename;
  if (!filename) throw new Error('npm pack reported no tarball');
  return join(outDir, basename(filename));
}

/** `web-ext build` of `sourceDir` into `outDir/filename`. */
export async function webExtBuild(sourceDir: string, outDir: string, filename: string): Promise<string> {
  const webExt = join(dirname(fileURLToPath(import.meta.resolve('web-ext'))), 'bin', 'web-ext.js');
  const ignore = STORE_IGNORED.flatMap((pattern) => ['--ignore-files', pattern]);
  await run(
    process.execPath,
    [
      webExt,
      'build',
      '--source-dir',
      sourceDir,
      '--artifacts-dir',
      outDir,
      '--filename',
      filename,
      '--overwrite-dest',
      '--no-config-discovery',
      ...ignore,
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  return join(outDir, filename);
}

/** The Chrome Web Store zip: dist/chrome with "key" taken out of manifest.json. */
export async function chromeStoreZip(root: string, outDir: string, version: string): Promise<string> {
  const stage = mkdtempSync(join(tmpdir(), 'staplecheck-chrome-store-'));
  try {
    cpSync(join(root, 'dist', 'chrome'), stage, { recursive: true });
    const manifestPath = join(stage, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
    delete manifest.key;
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    return await webExtBuild(stage, outDir, `staplecheck-chrome-${version}.zip`);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** The addons.mozilla.org zip: dist/firefox as it is. */
export function firefoxAddonZip(root: string, outDir: string, version: string): Promise<string> {
  return webExtBuild(join(root, 'dist', 'firefox'), outDir, `staplecheck-firefox-${version}.zip`);
}

/** SHA256SUMS in `sha256sum`'s format (hash, two spaces, name), one line per artefact. */
export function writeSums(outDir: string, files: readonly string[]): string {
  const lines = [...files]
    .map((file) => basename(file))
    .sort()
    .map(
      (name) =>
        `${createHash('sha256')
          .update(readFileSync(join(outDir, name)))
          .digest('hex')}  ${name}\n`,
    );
  const path = join(outDir, 'SHA256SUMS');
  writeFileSync(path, lines.join(''));
  return path;
}

/** Everything, into an emptied `outDir`; the artefacts' paths, SHA256SUMS last. */
export async function packageRelease(root: string, outDir: string, options: { build: boolean }): Promise<string[]> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const tarball = await packNpm(root, outDir, options); // builds dist/ first, unless told not to
  const version = packageVersion(root);
  const chrome = await chromeStoreZip(root, outDir, version);
  const firefox = await firefoxAddonZip(root, outDir, version);
  const artefacts = [tarball, chrome, firefox];
  const unexpected = readdirSync(outDir).filter((name) => !artefacts.some((file) => basename(file) === name));
  if (unexpected.length > 0) throw new Error(`unexpected files in ${outDir}: ${unexpected.join(', ')}`);
  return [...artefacts, writeSums(outDir, artefacts)];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const build = !process.argv.includes('--no-build');
  const files = await packageRelease(ROOT, join(ROOT, 'release'), { build });
  for (const file of files) console.log(file.slice(ROOT.length + 1));
}
